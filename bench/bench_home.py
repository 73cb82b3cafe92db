"""Home pages and maps with a national dataset loaded (issue 14): p95 per page, goal < 200 ms.

The dataset: the 34 provinces and 3,321 communes, the demo personas, 1,500 tasks in Đắk Lắk
(bench_tasks), and the national dataset generator's approved commune reports for every quarter of
the last `--years` years (≈ 3,321 × 4 × years reports, 61 values each); the Standing Office has
40 reports of the last quarter waiting for approval. Each page is measured twice:
- cold: DASHBOARD_CACHE_SECONDS = 0, every figure computed on every request;
- warm: the figures cached for 60 s (as served), the cache filled by the first request.
Standalone: `python bench/bench_home.py [--years 2] [--scale 1.0]`; PostgreSQL with DATABASE_URL.
"""

from __future__ import annotations

import argparse
import time

from common import median, ms, p, setup_django, timed

PAGES = [
    ("leader (Đắk Lắk)", "lanhdao", "/"),
    ("Standing Office (queue)", "thuongtruc", "/"),
    ("agency officer (Sở Y tế)", "syt", "/"),
    ("commune officer", "xa", "/"),
    ("national monitor (34 provinces)", "c04", "/?a=66&b=01"),
    ("province map (indicator)", "lanhdao", "/ban-do/66/?mode=indicator"),
    ("province map (completeness)", "thuongtruc", "/ban-do/66/?mode=completeness"),
    ("national map", "c04", "/ban-do/?mode=completeness"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0, help="share of each province's communes")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    label = setup_django()
    from bench_tasks import build_province
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from geo.services import load_admin_units
    from reporting.management.commands.generate_national_dataset import generate, quarters
    from reporting.models import DataValue, Submission
    from reporting.services.catalogue import load_starter_catalogue

    print(f"== home pages ({label}) ==")
    load_admin_units()
    build_province()
    load_starter_catalogue()
    call_command("load_indicators", verbosity=0)
    started = time.perf_counter()
    totals = generate(years=args.years, scale=args.scale)
    last = quarters(args.years)[-1]
    waiting = Submission.objects.filter(province_id="66", period=last.id).order_by("pk")[:40]
    Submission.objects.filter(pk__in=[s.pk for s in waiting]).update(status=Submission.Status.SUBMITTED)
    print(
        f"dataset: {totals['submissions']:,} reports, {DataValue.objects.count():,} values, 1,500 tasks "
        f"in {time.perf_counter() - started:.0f} s (scale {args.scale}, {args.years} years)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    clients: dict[str, Client] = {}
    for _, username, _ in PAGES:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
    worst = 0.0
    for name, username, url in PAGES:
        client = clients[username]

        def get(client: Client = client, url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        settings.DASHBOARD_CACHE_SECONDS = 0
        get()
        cold = timed(get, args.repeat)
        settings.DASHBOARD_CACHE_SECONDS = 60
        cache.clear()
        get()
        warm = timed(get, args.repeat)
        worst = max(worst, p(warm, 0.95))
        print(
            f"{name}: warm median {ms(median(warm))}, p95 {ms(p(warm, 0.95))}; "
            f"cold median {ms(median(cold))}, p95 {ms(p(cold, 0.95))}"
        )
    verdict = "met" if worst < 0.2 else "NOT met"
    print(f"goal p95 < 200 ms (served, cache warm): {verdict} (worst p95 {ms(worst)})")


if __name__ == "__main__":
    main()
