"""Form helpers shared by every app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from core import vn


class StyledFormMixin:
    """Give every widget its Bootstrap class, and mark invalid fields for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


class VNDateField(forms.CharField):
    """A date typed as dd/mm/yyyy (`core.vn.parse_date`); an impossible one ("31/02/2026") gets its own message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("maxlength", "10")
        self.widget.attrs.setdefault("placeholder", "ngày/tháng/năm")
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return vn.format_date(value)
        return value

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        if isinstance(value, dt.date):
            return value
        try:
            return vn.parse_date(super().to_python(value))
        except vn.DateError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class VNNumberField(forms.CharField):
    """A number typed the Vietnamese way (`core.vn.parse_number`: "1.234", "12,5"); blank gives None.

    Cleans to a Decimal, or to an int with ``whole=True``. ``min_value``, ``max_value`` and
    ``max_decimals`` are checked after reading; their messages ("min_value", "max_value",
    "max_decimals", "whole") can be replaced through ``error_messages``. Text that is not a
    number gets `core.vn`'s message, the same everywhere.
    """

    default_error_messages = {
        "whole": "«%(text)s» không phải là số nguyên.",
        "min_value": "Giá trị phải từ %(limit)s trở lên.",
        "max_value": "Giá trị không được lớn hơn %(limit)s.",
        "max_decimals": "Chỉ ghi tối đa %(limit)s chữ số thập phân.",
    }

    def __init__(
        self,
        *args: Any,
        whole: bool = False,
        min_value: int | Decimal | None = None,
        max_value: int | Decimal | None = None,
        max_decimals: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.whole, self.min_value, self.max_value, self.max_decimals = whole, min_value, max_value, max_decimals
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric" if whole else "decimal"}))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value: Any) -> Any:
        """A stored number is shown as typed: Decimal("1234.50") → "1.234,5"; text (a bound form) stays as it is."""
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            return value
        try:
            return vn.format_number(value)
        except ValueError:  # NaN or an infinity: shown as it is
            return value

    def to_python(self, value: Any) -> int | Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        try:
            number = vn.parse_number(text)
        except vn.NumberError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        if number is None:
            return None
        if self.min_value is not None and number < self.min_value:
            raise self._error("min_value", limit=vn.format_number(self.min_value))
        if self.whole and number != number.to_integral_value():
            raise self._error("whole", text=text)
        if self.max_value is not None and number > self.max_value:
            raise self._error("max_value", limit=vn.format_number(self.max_value))
        if self.max_decimals is not None and number != vn.round_half_up(number, self.max_decimals):
            raise self._error("max_decimals", limit=str(self.max_decimals))
        return int(number) if self.whole else number

    def _error(self, code: str, **params: str) -> forms.ValidationError:
        message = str(self.error_messages[code])
        for name, text in params.items():  # not "%": a label such as "Tỷ lệ (%)" must stay as it is
            message = message.replace(f"%({name})s", text)
        return forms.ValidationError(message, code=code)
