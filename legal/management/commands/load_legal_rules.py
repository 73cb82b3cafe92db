from typing import Any

from django.core.management.base import BaseCommand

from legal.services import load_legal_rules


class Command(BaseCommand):
    help = (
        "Nạp các bộ quy tắc pháp lý (Luật 73/2021 đến 30/6/2026, Luật 120/2025 từ 01/7/2026); "
        "bộ đã có (có thể đã được sửa) được giữ nguyên."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_legal_rules()
        if options["verbosity"]:
            self.stdout.write(f"Đã thêm {result.created} bộ quy tắc, giữ nguyên {result.kept} bộ đã có.")
