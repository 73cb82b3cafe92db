from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reporting.services.catalogue import load_starter_catalogue


class Command(BaseCommand):
    help = "Nạp danh mục chỉ tiêu, biểu mẫu báo cáo quý (cấp xã, sở ngành) và quy tắc kiểm tra (chạy lại an toàn)."

    def handle(self, *args: Any, **options: Any) -> None:
        r = load_starter_catalogue()
        self.stdout.write(
            f"Danh mục báo cáo: {r.elements_created} chỉ tiêu mới, {r.elements_updated} chỉ tiêu cập nhật, "
            f"{r.forms_created} biểu mẫu mới, {r.rules} quy tắc kiểm tra."
        )
