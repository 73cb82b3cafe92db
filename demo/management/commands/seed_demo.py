"""The demo province (Đắk Lắk, code 66) with its agencies and one user per role."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.personas import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Tạo tỉnh minh họa Đắk Lắk: danh mục cơ quan, nhân khẩu minh họa và một tài khoản cho mỗi vai trò."

    def handle(self, *args, **options):
        if not settings.DEMO_PASSWORDS_ALLOWED:
            raise CommandError(
                "Tài khoản minh họa chỉ được tạo trong môi trường phát triển (PCMT_ENV khác production)."
            )
        result = seed_demo()
        self.stdout.write(
            f"Tỉnh minh họa: {result.province} — {result.agencies_created} cơ quan mới, "
            f"{result.populations_created} số liệu nhân khẩu mới."
        )
        self.stdout.write("")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, role_label in result.logins:
            self.stdout.write(f"  {username:<14} {role_label}")
