"""Password rules beyond Django's: letters, digits and a symbol."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
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


# Django's Vietnamese catalogue lacks the password messages: the same rules, in Vietnamese.
class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.", code="password_too_short")

    def get_help_text(self) -> str:
        return f"Mật khẩu có ít nhất {self.min_length} ký tự."


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as exc:
            raise ValidationError(
                "Mật khẩu quá giống tên đăng nhập, họ tên hoặc thư điện tử.", code="password_too_similar"
            ) from exc

    def get_help_text(self) -> str:
        return "Mật khẩu không được giống thông tin cá nhân."


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as exc:
            raise ValidationError("Mật khẩu này quá phổ biến, dễ bị đoán.", code="password_too_common") from exc

    def get_help_text(self) -> str:
        return "Không dùng mật khẩu phổ biến."


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as exc:
            raise ValidationError("Mật khẩu không được chỉ gồm chữ số.", code="password_entirely_numeric") from exc

    def get_help_text(self) -> str:
        return "Mật khẩu không chỉ gồm chữ số."
