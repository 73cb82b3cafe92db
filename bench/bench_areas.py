"""Area classification benchmarks (issue 6).

Each figure is printed with a floor measured in the same run:
- the rules engine classifying 3,321 communes (one national year) vs building the same 3,321
  input objects (the validation it cannot avoid);
- the province table page (102 communes of Đắk Lắk, every one assessed) server time through
  Django's test client vs one bare query on the assessments.
"""

from __future__ import annotations

import random
from decimal import Decimal

from common import median, ms, p, setup_django, timed

N_COMMUNES = 3321


def _inputs(n: int) -> list[dict]:
    rnd = random.Random(6)
    rows = []
    for _ in range(n):
        pop = rnd.randint(1500, 60000)
        rows.append(
            {
                "population": pop,
                "users_with_records": rnd.randint(0, pop // 100),
                "points": rnd.choice([0, 0, 0, 1, 2, 3]),
                "arrested": rnd.randint(0, pop // 500),
                "plants": rnd.choice([0, 0, 100, 800, 4000]),
                "area_m2": Decimal(rnd.choice(["0", "0", "50.5", "200", "900"])),
                "on_route": rnd.random() < 0.2,
                "residents_using": rnd.randint(0, 5),
                "residents_violating": rnd.randint(0, 2),
                "fugitives": rnd.choice([0, 0, 0, 1]),
            }
        )
    return rows


def main() -> None:
    label = setup_django()
    from areas.rules import CommuneInput, classify_commune

    print(f"== areas ({label}) ==")
    rows = _inputs(N_COMMUNES)
    inputs = [CommuneInput(**r) for r in rows]
    build = timed(lambda: [CommuneInput(**r) for r in rows], 15)
    cumulative = timed(lambda: [classify_commune(i) for i in inputs], 15)
    literal = timed(lambda: [classify_commune(i, literal_bands=True) for i in inputs], 15)
    floor = median(build)
    print(
        f"classify {N_COMMUNES} communes (cumulative): median {ms(median(cumulative))}  "
        f"(floor: build {N_COMMUNES} validated inputs {ms(floor)}; ratio {median(cumulative) / floor:.1f}x)"
    )
    print(
        f"classify {N_COMMUNES} communes (literal bands): median {ms(median(literal))}  "
        f"(ratio to floor {median(literal) / floor:.1f}x)"
    )

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from areas import services
    from areas.selectors import current_year
    from demo.personas import seed_demo
    from geo.models import Commune

    seed_demo()
    office = User.objects.get(username="thuongtruc")
    notes = {k: "bench" for k in rows[0]}
    year = current_year()
    for commune, figures in zip(Commune.objects.filter(province_id="66").order_by("code"), rows, strict=False):
        services.save_self_assessment(acting_user=office, commune=commune, year=year, figures=figures, notes=notes)
    client = Client()
    client.force_login(office)
    url = f"/dia-ban/tinh/66/?year={year}"
    reset_queries()  # the query log holds 9,000 entries; the seeding above filled it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    page = timed(lambda: client.get(url), 100)

    def bare() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM areas_communeassessment WHERE year = %s", [year])
            cur.fetchone()

    base = timed(bare, 100)
    print(
        f"province table page (102 communes): median {ms(median(page))}, p95 {ms(p(page, 0.95))}  "
        f"(floor: bare query median {ms(median(base))}; ratio {median(page) / median(base):.0f}x; "
        f"{len(queries)} queries per page)"
    )


if __name__ == "__main__":
    main()
