from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from legal.seed import HOLIDAY_YEARS
from legal.services import load_holidays


class Command(BaseCommand):
    help = "Nạp ngày nghỉ lễ của Việt Nam (có Tết Nguyên đán theo âm lịch) từ gói holidays; ngày đã có được giữ nguyên."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from-year", type=int, default=HOLIDAY_YEARS.start)
        parser.add_argument("--to-year", type=int, default=HOLIDAY_YEARS.stop - 1)

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = options["from_year"], options["to_year"]
        if not 1990 <= start <= end <= 2100:
            raise CommandError("Khoảng năm không hợp lệ (1990–2100, năm đầu không sau năm cuối).")
        result = load_holidays(years=range(start, end + 1))
        self.stdout.write(
            f"Đã thêm {result.created} ngày nghỉ lễ, giữ nguyên {result.kept} ngày đã có ({start}–{end})."
        )
