from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.vn import InputError, parse_date
from reporting.services.reminders import send_reminders


class Command(BaseCommand):
    help = "Nhắc các đơn vị sắp đến hạn hoặc quá hạn nộp báo cáo (mỗi sự kiện chỉ nhắc một lần; chạy hằng ngày)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="Ngày coi là hôm nay, dạng ngày/tháng/năm (mặc định: hôm nay).")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options.get("today"):
            try:
                on = parse_date(options["today"])
            except InputError as exc:
                raise CommandError(str(exc)) from exc
        r = send_reminders(on=on)
        self.stdout.write(
            f"Nhắc báo cáo: {r.events} sự kiện mới, {r.notifications} thông báo đã gửi, "
            f"{r.already} sự kiện đã nhắc trước đó."
        )
