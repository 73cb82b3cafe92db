"""Seed a load-test installation: reference data, the demo province and N commune officers
(`xa001`…, password Pcmt@2026load) whose quarterly report is due: one per commune of Đắk Lắk up
to its 102 communes, one per commune of the whole country (in code order) beyond that.

With `--nation YEARS` it also generates the national dataset (approved quarterly reports of every
commune of the 34 provinces for YEARS years) and a Standing Office officer of every province,
`toanquoc` (same password), who exports and imports the whole country's values (bench/load/jobs_ui.py).

    DATABASE_URL=postgres://…/pcmt_load .venv/bin/python bench/load/seed_load.py 100
    DATABASE_URL=postgres://…/pcmt_load .venv/bin/python bench/load/seed_load.py 1000 --nation 1
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
from geo.models import Commune, Province  # noqa: E402

PASSWORD = "Pcmt@2026load"


def nation(years: int, hashed: str) -> None:
    """The national dataset up to the quarter before the last complete one: the last complete
    quarter and the current one stay empty and open for entry (120 days after the due day), so that
    jobs_ui.py can import 200,000 values into new reports."""
    from reporting.management.commands.generate_national_dataset import generate, quarters
    from reporting.models import Schedule

    last = quarters(1)[-1]
    start = last.bounds("administrative")[0]  # the generator stops at the quarter before this day's
    totals = generate(years=years, out=sys.stdout, today=start)
    # The demo province's quarterly schedule (seed_demo_content) starts at the current quarter: the
    # generator filled it from `years` back, so it starts there now; every one stays open 120 days.
    first = quarters(years, start)[0].id
    Schedule.objects.filter(form__code="XA_QUY", frequency="quarterly").update(first_period=first, close_after_days=120)
    print(f"\nbộ dữ liệu toàn quốc: {totals['submissions']:,} báo cáo, {totals['values']:,} giá trị")
    user, _ = User.objects.get_or_create(
        username="toanquoc", defaults={"full_name": "Xuất nhập toàn quốc", "password": hashed}
    )
    for province in Province.objects.all():
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.STANDING_OFFICE, province=province, defaults={"approved_at": timezone.now()}
        )


def main(n: int, years: int) -> None:
    call_command("migrate", verbosity=0)
    for command in ("load_admin_units", "load_programme", "load_reporting_catalogue", "load_indicators"):
        call_command(command, verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_content", verbosity=0)
    hashed = make_password(PASSWORD)  # one hash (same password), so seeding 1,000 users takes seconds
    communes = list(Commune.objects.filter(province_id="66").order_by("code"))
    if n > len(communes):  # a thousand officers on 102 reports would measure edit conflicts, not the rush
        communes = list(Commune.objects.order_by("province_id", "code"))
    for i in range(n):
        commune = communes[i % len(communes)]
        user, _ = User.objects.get_or_create(
            username=f"xa{i + 1:03d}",
            defaults={"full_name": f"Cán bộ xã {i + 1}", "province_id": commune.province_id, "password": hashed},
        )
        RoleAssignment.objects.get_or_create(
            user=user,
            role=Role.COMMUNE_OFFICER,
            province_id=commune.province_id,
            commune=commune,
            defaults={"approved_at": timezone.now()},
        )
    print(f"{n} cán bộ xã; mật khẩu {PASSWORD}")
    if years:
        nation(years, hashed)


if __name__ == "__main__":
    args = sys.argv[1:]
    years = int(args[args.index("--nation") + 1]) if "--nation" in args else 0
    main(int(args[0]) if args and args[0].isdigit() else 100, years)
