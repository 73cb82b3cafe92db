from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.content import seed_demo_content


class Command(BaseCommand):
    help = "Nhập kế hoạch minh họa cho tỉnh minh họa (qua luồng nhập thật) và tạo lịch báo cáo theo kế hoạch."

    def handle(self, *args, **options):
        if not settings.DEMO_PASSWORDS_ALLOWED:
            raise CommandError("Dữ liệu minh họa chỉ dùng trong môi trường phát triển.")
        result = seed_demo_content()
        state = "đã nhập" if result.created else "đã có"
        self.stdout.write(
            f"Kế hoạch minh họa {result.plan.number} ({state}): {result.tasks} nhiệm vụ; "
            f"{result.schedules} lịch báo cáo mới."
        )
