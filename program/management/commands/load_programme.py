from django.core.management.base import BaseCommand

from program.services import load_programme


class Command(BaseCommand):
    help = "Nạp danh mục dự án (DA1–DA9, tiểu dự án) và chỉ tiêu quốc gia (T1–T9) của Chương trình."

    def handle(self, *args, **options):
        projects, targets = load_programme()
        self.stdout.write(f"Chương trình: {projects} dự án, tiểu dự án; {targets} chỉ tiêu.")
