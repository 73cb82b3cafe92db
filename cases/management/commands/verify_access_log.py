"""manage.py verify_access_log: walk the hash chain of the registry's access log."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cases.services.access_log import verify_chain


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký truy cập hồ sơ."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"Chuỗi băm bị phá vỡ tại dòng số {report.first_bad} (đã kiểm {report.rows} dòng).")
        self.stdout.write(self.style.SUCCESS(f"Chuỗi băm nguyên vẹn: {report.rows} dòng."))
