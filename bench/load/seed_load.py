"""Seed a load-test installation: reference data, the demo province and N commune officers
(`xa001`…, one per commune of Đắk Lắk, password Pcmt@2026load) whose quarterly report is due.

    DATABASE_URL=postgres://…/pcmt_load .venv/bin/python bench/load/seed_load.py 100
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcmt.settings")
os.environ.setdefault("PCMT_ENV", "development")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from access.roles import Role  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402
from geo.models import Commune  # noqa: E402

PASSWORD = "Pcmt@2026load"


def main(n: int) -> None:
    call_command("migrate", verbosity=0)
    for command in ("load_admin_units", "load_programme", "load_reporting_catalogue", "load_indicators"):
        call_command(command, verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_content", verbosity=0)
    hashed = make_password(PASSWORD)  # one hash (same password), so seeding 1,000 users takes seconds
    communes = list(Commune.objects.filter(province_id="66").order_by("code"))
    for i in range(n):
        commune = communes[i % len(communes)]
        user, _ = User.objects.get_or_create(
            username=f"xa{i + 1:03d}",
            defaults={"full_name": f"Cán bộ xã {i + 1}", "province_id": "66", "password": hashed},
        )
        RoleAssignment.objects.get_or_create(
            user=user,
            role=Role.COMMUNE_OFFICER,
            province_id="66",
            commune=commune,
            defaults={"approved_at": timezone.now()},
        )
    print(f"{n} cán bộ xã; mật khẩu {PASSWORD}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
