"""Cron: tell the holders of case roles 30 and 7 days before their role ends (issue 13 §3).

The work runs as a background job of the installation (`cases.role_reminders`, run by the worker;
at once without one); `--here` runs it in this process instead.

python manage.py send_case_role_reminders              # every morning, e.g. 25 6 * * *
python manage.py send_case_role_reminders --today 05/06/2026
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.services.renewals import send_expiry_notices
from core import vn
from jobs import services as jobs


class Command(BaseCommand):
    help = "Thông báo cho cán bộ quản lý hồ sơ 30 ngày và 7 ngày trước khi vai trò hết hạn; mỗi lần chỉ một thông báo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=str, help="Ngày tính (dd/mm/yyyy), mặc định hôm nay.")
        parser.add_argument("--here", action="store_true", help="Chạy ngay trong tiến trình này, không qua hàng đợi.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = vn.parse_date(options["today"]) if options.get("today") else None
        except vn.DateError as e:
            raise CommandError(str(e)) from e
        if options["here"]:
            self.stdout.write(send_expiry_notices(on=on))
            return
        self.stdout.write(jobs.dispatch("cases.role_reminders", {"on": on.isoformat() if on else ""}))
