from django.core.management.base import BaseCommand

from access.matrix import markdown


class Command(BaseCommand):
    help = "In bảng tính năng × vai trò (Markdown) để dán vào README."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(markdown())
