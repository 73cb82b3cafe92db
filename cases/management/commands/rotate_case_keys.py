"""manage.py rotate_case_keys: re-encrypt the registry with the current key and rehash its lookups."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cases import crypto
from cases.services.keys import rotate


class Command(BaseCommand):
    help = "Mã hóa lại sổ quản lý hồ sơ bằng khóa hiện hành (khóa đầu của PCMT_CASE_KEYS) và tính lại mã băm tra cứu."

    def handle(self, *args: Any, **options: Any) -> None:
        done = rotate()
        for label, n in sorted(done.items()):
            self.stdout.write(f"{label}: {n}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã mã hóa lại bằng khóa {crypto.encryption_keys().current_id}, băm bằng khóa {crypto.hash_keys().current_id}."
            )
        )
