"""Cron: remind units of reports due soon and overdue (once per event), as a background job of the
installation (`reporting.reminders`, run by the worker; at once without one); `--here` runs it in
this process instead."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.vn import InputError, parse_date
from jobs import services as jobs
from reporting.services.reminders import ReminderReport, send_reminders


def summary(r: ReminderReport) -> str:
    return f"Nhắc báo cáo: {r.events} sự kiện mới, {r.notifications} thông báo đã gửi, {r.already} sự kiện đã nhắc trước đó."


class Command(BaseCommand):
    help = "Nhắc các đơn vị sắp đến hạn hoặc quá hạn nộp báo cáo (mỗi sự kiện chỉ nhắc một lần; chạy hằng ngày)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="Ngày coi là hôm nay, dạng ngày/tháng/năm (mặc định: hôm nay).")
        parser.add_argument("--here", action="store_true", help="Chạy ngay trong tiến trình này, không qua hàng đợi.")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options.get("today"):
            try:
                on = parse_date(options["today"])
            except InputError as exc:
                raise CommandError(str(exc)) from exc
        if options["here"]:
            self.stdout.write(summary(send_reminders(on=on)))
            return
        self.stdout.write(jobs.dispatch("reporting.reminders", {"on": on.isoformat() if on else ""}))
