from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu vào cơ sở dữ liệu trống (từ chối cơ sở dữ liệu đã có dữ liệu, trừ khi --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="tệp pcmt-backup-….tar.gz (tệp .sha256 nằm bên cạnh)")
        parser.add_argument("--force", action="store_true", help="ghi đè cơ sở dữ liệu đã có dữ liệu")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = restore(archive=Path(options["archive"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã khôi phục cơ sở dữ liệu ({done.engine}) và {done.media_files} tệp media.")
