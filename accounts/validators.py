"""Password rules beyond Django's: letters, digits and a symbol."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """A password must mix lower- and upper-case letters, digits and a symbol."""

    message = "Mật khẩu phải có chữ thường, chữ hoa, chữ số và ký tự đặc biệt."

    def validate(self, password: str, user: Any = None) -> None:
        checks = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if not all(checks):
            raise ValidationError(self.message, code="password_character_classes")

    def get_help_text(self) -> str:
        return self.message
