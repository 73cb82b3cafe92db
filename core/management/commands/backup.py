from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu (pg_dump hoặc sao lưu trực tuyến SQLite) và tệp media vào một tệp nén có ngày, kèm mã SHA-256."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output-dir", default="backups", help="thư mục chứa bản sao lưu (mặc định: backups/)")
        parser.add_argument("--no-media", action="store_true", help="không kèm tệp media")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup(output_dir=Path(options["output_dir"]), media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã sao lưu: {archive} (mã kiểm tra: {archive}.sha256)")
