"""`python manage.py import_persons FILE [--dry-run] [--province CODE]` (cases/importing.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.importing import ImportFileError, import_persons


class Command(BaseCommand):
    help = (
        "Nhập danh sách người sử dụng ma túy có sẵn (CSV UTF-8 hoặc XLSX; cột ho_ten, ngay_sinh, gioi_tinh, "
        "cccd, ma_xa, dia_chi, tinh_trang). Nhập tất cả hoặc không nhập gì; báo cáo từng dòng bị từ chối."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp .csv hoặc .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì.")
        parser.add_argument("--province", help="Mã tỉnh năm 2025 (2 chữ số): mọi xã trong tệp phải thuộc tỉnh này.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        verbose = options["verbosity"] > 0

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stdout.write(f"Đã nhập {done}/{total} người…")

        try:
            report = import_persons(
                path.read_bytes(),
                path.name,
                dry_run=options["dry_run"],
                province=options["province"],
                progress=progress,
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if not report.ok:
            raise CommandError("\n".join(report.lines()))
        if verbose:
            self.stdout.write("\n".join(report.lines()))
