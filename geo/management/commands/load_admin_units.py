from django.core.management.base import BaseCommand

from geo.services import load_admin_units


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu từ gói vietnamadminunits."

    def handle(self, *args, **options):
        result = load_admin_units()
        self.stdout.write(f"Đơn vị hành chính: {result}.")
