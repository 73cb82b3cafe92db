"""Case registry benchmarks (issue 13 §4).

Builds PCMT_BENCH_CASES persons (default 300,000) with their decisions, every protected field
encrypted and every lookup hashed as the services do, spread over the country's 3,321 communes
(the demo commune holds 1 %). Then, each with a floor measured in the same run:
- lookup by CCCD (keyed hash, one indexed row, decrypted) vs a bare primary-key fetch;
- search by full name and by one given name in a case officer's commune, and in a province;
- one commune's list page (the demo commune, through the test client, access log included);
- a province's figures (every commune of Đắk Lắk as of a day, from the decisions).
"""

from __future__ import annotations

import datetime
import os
import random
import time

from common import median, ms, p, setup_django, timed

N = int(os.environ.get("PCMT_BENCH_CASES", "300000"))
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Ngọc", "Công", "Xuân", "Kim", "Anh"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Giang",
    "Hà",
    "Hải",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Huy",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhung",
    "Phong",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thảo",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
    "Khoa",
    "Lộc",
    "Tùng",
    "Vinh",
    "Toàn",
    "Trí",
    "Bảo",
    "Hưng",
]


def vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def build(n: int) -> tuple[list[str], list[str]]:
    from django.db import connection, transaction

    from cases import crypto
    from cases.models import Decision, Person, PersonToken
    from cases.services.persons import name_tokens
    from geo.models import Commune
    from legal import path, rules

    rnd = random.Random(13)
    communes = list(Commune.objects.values_list("code", "province_id"))
    province_of = dict(communes)
    demo = ("24133", "66")
    cccds, names = [], []
    computed: dict[tuple[str, datetime.date], object] = {}
    t0 = time.perf_counter()
    batch = 5000
    for start in range(0, n, batch):
        persons, infos = [], []
        for i in range(start, min(n, start + batch)):
            commune, province = demo if rnd.random() < 0.01 else rnd.choice(communes)
            sex = rnd.choice("MF")
            birth = datetime.date(rnd.randint(1965, 2007), rnd.randint(1, 12), rnd.randint(1, 28))
            name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
            digit = (0 if birth.year < 2000 else 2) + (0 if sex == "M" else 1)
            cccd = f"{rnd.randint(1, 96):03d}{digit}{birth.year % 100:02d}{i:06d}"
            decided = datetime.date(2025, 1, 1) + datetime.timedelta(days=rnd.randint(0, 500))
            persons.append(
                Person(
                    full_name=name,
                    birth_date=birth.isoformat(),
                    birth_year=birth.year,
                    sex=sex,
                    cccd=cccd,
                    commune_id=commune,
                    address=f"Số {rnd.randint(1, 300)} đường {rnd.choice(GIVEN)}",
                    phone=f"09{rnd.randint(10000000, 99999999)}",
                    status=path.USING,
                    status_since=decided,
                    cccd_hash=crypto.cccd_hash(cccd),
                    name_hash=crypto.name_hash(name),
                    identity_hash=crypto.identity_hash(name, birth.isoformat()),
                )
            )
            infos.append((name, decided))
            if i % 997 == 0:
                cccds.append(cccd)
                names.append(name)
        with transaction.atomic():
            created = Person.objects.bulk_create(persons, batch_size=1000)
            if connection.vendor == "sqlite" and created and created[0].pk is None:
                raise SystemExit("bulk_create returned no ids")
            tokens, decisions = [], []
            for person, (name, decided) in zip(created, infos, strict=True):
                tokens += name_tokens(person.pk, person.commune_id, province_of[person.commune_id], name)
                key = ("quan_ly_su_dung", decided)
                if key not in computed:
                    computed[key] = rules.compute("quan_ly_su_dung", decided)
                c = computed[key]
                decisions.append(
                    Decision(
                        person_id=person.pk,
                        decision_type="quan_ly_su_dung",
                        number=f"{person.pk}/QĐ",
                        decided_on=decided,
                        signer_office="bench",
                        starts_on=decided,
                        ends_on=c.ends_on,
                        due_on=c.due_on,
                        ruleset_id=c.ruleset_id,
                        citation=c.citation,
                        status_after=path.USING,
                        commune_id=person.commune_id,
                    )
                )
            PersonToken.objects.bulk_create(tokens, batch_size=2000)
            Decision.objects.bulk_create(decisions, batch_size=2000)
    print(f"built {vn(n)} persons with tokens and decisions in {time.perf_counter() - t0:.0f} s")
    return cccds, names


def main() -> None:
    label = setup_django()
    print(f"== cases ({label}, {vn(N)} persons) ==")
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.utils import timezone

    from access.roles import Role
    from accounts.models import RoleAssignment, User
    from cases import crypto
    from cases.models import Decision, Person
    from cases.services import figures, persons
    from demo.personas import seed_demo
    from geo.models import Province

    seed_demo()
    call_command("load_rulesets", verbosity=0) if _has_command("load_rulesets") else None
    cccds, names = build(N)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    officer = User.objects.get(username="hoso")
    province_officer, _ = User.objects.get_or_create(username="hoso_tinh_bench", defaults={"province_id": "66"})
    RoleAssignment.objects.get_or_create(
        user=province_officer, role=Role.CASE_OFFICER, province_id="66", defaults={"approved_at": timezone.now()}
    )
    rnd = random.Random(7)
    pks = list(Person.objects.values_list("pk", flat=True)[:2000])

    def bare() -> None:
        Person.objects.filter(pk=rnd.choice(pks)).values_list("pk", "birth_year").first()

    floor = median(timed(bare, 300))

    def lookup() -> None:
        number = rnd.choice(cccds)
        person = Person.objects.filter(cccd_hash=crypto.cccd_hash(number)).first()
        assert person is not None and person.cccd == number

    t = timed(lookup, 300)
    print(
        f"lookup by CCCD (hash, decrypt): median {ms(median(t))}, p95 {ms(p(t, 0.95))}  (floor: pk fetch {ms(floor)}; ratio {median(t) / floor:.1f}x)"
    )

    demo_names = list(Person.objects.filter(commune_id="24133").values_list("pk", flat=True)[:200])
    demo_full = [Person.objects.get(pk=pk).full_name for pk in demo_names]

    def search(user, term_pool, scope_label):
        def run() -> None:
            qs = persons.search_q(Person.objects.in_scope(user), rnd.choice(term_pool), persons._token_scope(user))
            list(qs.order_by("-pk")[:50])

        t = timed(run, 200)
        print(
            f"search {scope_label}: median {ms(median(t))}, p95 {ms(p(t, 0.95))}  (ratio to pk fetch {median(t) / floor:.1f}x)"
        )

    search(officer, demo_full, "by full name, commune officer")
    search(officer, GIVEN, "by one given name, commune officer")
    search(province_officer, [rnd.choice(names) for _ in range(50)] + demo_full[:50], "by full name, province officer")
    search(province_officer, GIVEN, "by one given name, province officer")

    client = Client()
    client.force_login(officer)
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=officer, confirmed=True, defaults={"name": "bench"})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    n_demo = Person.objects.filter(commune_id="24133").count()
    reset_queries()
    assert client.get("/ho-so/").status_code == 200
    page = timed(lambda: client.get("/ho-so/"), 40)
    rows = timed(lambda: list(Person.objects.filter(commune_id="24133").order_by("-pk")[:50]), 40)
    print(
        f"one commune's list page ({vn(n_demo)} persons, 50 a page, read logged): median {ms(median(page))}, "
        f"p95 {ms(p(page, 0.95))}  (floor: the 50 rows fetched and decrypted {ms(median(rows))}; "
        f"ratio {median(page) / median(rows):.0f}x)"
    )

    province = Province.objects.get(code="66")
    day = datetime.date(2026, 6, 30)
    n_prov = Person.objects.filter(commune__province=province).count()
    t = timed(lambda: figures.province_figures(province, day), 3)
    total = figures.total(figures.province_figures(province, day).values())["total"]
    decisions = timed(
        lambda: list(Decision.objects.filter(commune__province=province).values_list("pk", "decided_on")), 3
    )
    print(
        f"a province's figures ({vn(n_prov)} persons, {vn(total)} counted on 30/06/2026): median {ms(median(t))}  "
        f"(floor: reading the province's decisions {ms(median(decisions))}; ratio {median(t) / median(decisions):.1f}x)"
    )


def _has_command(name: str) -> bool:
    from django.core.management import get_commands

    return name in get_commands()


if __name__ == "__main__":
    main()
