"""Cron: remind lead agencies of tasks due within 7 days and of overdue tasks (once per event).

The work runs as a background job of the installation (`plans.reminders`, run by the worker; at
once without one); `--here` runs it in this process instead.

python manage.py send_task_reminders              # every morning, e.g. 0 7 * * *
python manage.py send_task_reminders --today 05/06/2026
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import vn
from jobs import services as jobs
from plans.services.tracking import send_reminders


def _date(value: str) -> datetime.date | None:
    try:
        return vn.parse_date(value)
    except vn.DateError as e:
        raise CommandError(str(e)) from e


class Command(BaseCommand):
    help = "Nhắc cơ quan chủ trì các nhiệm vụ sắp đến hạn (trong 7 ngày) và quá hạn; mỗi sự kiện chỉ nhắc một lần."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=str, help="Ngày tính nhắc hạn (dd/mm/yyyy), mặc định hôm nay.")
        parser.add_argument("--here", action="store_true", help="Chạy ngay trong tiến trình này, không qua hàng đợi.")

    def handle(self, *args: Any, **options: Any) -> None:
        on = _date(options["today"]) if options.get("today") else None
        if options["here"]:
            self.stdout.write(str(send_reminders(on=on)))
            return
        self.stdout.write(jobs.dispatch("plans.reminders", {"on": on.isoformat() if on else ""}))
