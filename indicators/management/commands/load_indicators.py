from typing import Any

from django.core.management.base import BaseCommand

from indicators.catalogue import seed
from indicators.models import Indicator, Target
from program.models import NationalTarget


class Command(BaseCommand):
    help = "Nạp các chỉ số theo chỉ tiêu T1–T9 và chỉ tiêu quốc gia của chúng (chạy lại an toàn; không đụng chỉ tiêu riêng của tỉnh)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = seed(Indicator, Target, NationalTarget)
        self.stdout.write(f"Chỉ số: {created} mới, {updated} cập nhật.")
