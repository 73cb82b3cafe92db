"""Foundation benchmarks: loading the unit list, and the Standing Office home page.

Each figure is printed with a floor measured in the same run:
- loading 3,321 communes vs reading the same rows from the package (the work it cannot avoid);
- the home page's server time (200 requests through Django's test client) vs one bare query.
"""

from __future__ import annotations

from common import median, ms, p, setup_django, timed


def main() -> None:
    label = setup_django()
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from demo.personas import seed_demo
    from geo import reference
    from geo.models import Commune, Province
    from geo.services import load_admin_units

    print(f"== foundation ({label}) ==")
    read = timed(lambda: (reference.provinces(), list(reference.communes())), 5)
    Commune.objects.all().delete()
    Province.objects.all().delete()
    first = timed(load_admin_units, 1)[0]
    reload = timed(load_admin_units, 5)
    floor = median(read)
    print(
        f"load units, first load: {ms(first)}  (floor: read rows from package {ms(floor)}; ratio {first / floor:.1f}x)"
    )
    print(f"load units, unchanged reload: median {ms(median(reload))}  (ratio to floor {median(reload) / floor:.1f}x)")
    assert Commune.objects.count() == 3321

    seed_demo()
    client = Client()
    client.force_login(User.objects.get(username="thuongtruc"))
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get("/").status_code == 200
    page = timed(lambda: client.get("/"), 200)

    def bare() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM geo_commune WHERE province_id = %s", ["66"])
            cur.fetchone()

    base = timed(bare, 200)
    print(
        f"Standing Office home: median {ms(median(page))}, p95 {ms(p(page, 0.95))}  "
        f"(floor: bare query median {ms(median(base))}, p95 {ms(p(base, 0.95))}; ratio {median(page) / median(base):.0f}x; "
        f"{len(queries)} queries per page)"
    )


if __name__ == "__main__":
    main()
