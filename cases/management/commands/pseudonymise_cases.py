"""manage.py pseudonymise_cases: retention of the registry (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.services.retention import due_for_pseudonymisation, pseudonymise


class Command(BaseCommand):
    help = "Ẩn danh hóa các hồ sơ đã hết thời hạn quản lý, hết 02 năm theo Điều 256a BLHS và hết thời hạn lưu giữ."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--years", type=int, default=None, help="số năm lưu thêm (mặc định PCMT_CASE_RETENTION_YEARS)"
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        due = due_for_pseudonymisation(timezone.localdate(), options["years"])
        if not options["dry_run"]:
            for person in due:
                pseudonymise(person)
        verb = "Sẽ ẩn danh hóa" if options["dry_run"] else "Đã ẩn danh hóa"
        self.stdout.write(f"{verb} {len(due)} hồ sơ.")
