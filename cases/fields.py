"""A model field whose value is sealed in the database (see `cases.crypto`)."""

from __future__ import annotations

from typing import Any

from django.db import models

from cases import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted (AES-GCM, bound to ``app_label.Model.field``); "" stays "".

    Python code sees plain text; the database only ever holds ``keyid$base64``. It cannot be
    filtered on (lookups would compare ciphertexts): search through the keyed-hash columns.
    """

    description = "Encrypted text"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return crypto.open_sealed(value, self.context)

    def to_python(self, value: Any) -> str:
        return "" if value is None else str(value)

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.seal(str(value), self.context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ("isnull",):
            raise TypeError(f"{self.context} is encrypted: search it through its keyed hash")
        return super().get_lookup(lookup_name)
