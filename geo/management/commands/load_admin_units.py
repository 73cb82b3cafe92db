from django.core.management.base import BaseCommand

from geo.models import Commune, Province
from geo.services import load_admin_units


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu từ gói vietnamadminunits."

    def handle(self, *args, **options):
        result = load_admin_units()
        provinces, communes = Province.objects.count(), Commune.objects.count()
        self.stdout.write(f"Đơn vị hành chính: {provinces} tỉnh, thành phố; {communes} xã, phường, đặc khu ({result}).")
