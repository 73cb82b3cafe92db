"""manage.py registry_reporting: whether a province's commune reports take the registry's figures."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cases.models import RegistryReporting
from cases.services import report_figures
from core.vn import DateError, parse_date
from geo.models import Province


class Command(BaseCommand):
    help = (
        "Bật, tắt việc lấy số liệu báo cáo cấp xã từ sổ quản lý hồ sơ cho một tỉnh "
        "(các ô do sổ quản lý tính được điền sẵn, không nhập tay)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("province", help="mã tỉnh (2 chữ số, ví dụ 66)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--since", help="áp dụng cho các kỳ có ngày chốt số liệu từ ngày dd/mm/yyyy")
        group.add_argument("--off", action="store_true", help="tắt: các ô được nhập tay trở lại")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["province"]
        if not Province.objects.filter(code=code).exists():
            raise CommandError(f"Mã tỉnh «{code}» không có trong danh mục.")
        if options["off"]:
            done = report_figures.disable(code)
            self.stdout.write("Đã tắt." if done else "Tỉnh chưa bật việc lấy số liệu từ sổ quản lý.")
            return
        if options["since"]:
            try:
                since = parse_date(options["since"])
            except DateError as exc:
                raise CommandError(str(exc)) from exc
            if since is None:
                raise CommandError("Hãy ghi ngày dd/mm/yyyy.")
            report_figures.enable(code, since)
        setting = RegistryReporting.objects.filter(province_id=code).first()
        if setting is None:
            self.stdout.write("Tỉnh chưa lấy số liệu báo cáo từ sổ quản lý (các ô được nhập tay).")
        else:
            self.stdout.write(
                f"Báo cáo cấp xã của tỉnh lấy số liệu từ sổ quản lý cho các kỳ có ngày chốt từ {setting.since:%d/%m/%Y}."
            )
