from django.core.management.base import BaseCommand

from jobs.services import purge_expired


class Command(BaseCommand):
    help = "Xóa tệp kết quả của các công việc chạy nền đã hết hạn tải về."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"Đã xóa {purge_expired()} tệp kết quả hết hạn.")
