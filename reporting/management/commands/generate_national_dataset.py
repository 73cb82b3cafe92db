"""Generate a national dataset for scale tests and demos: for every province a quarterly schedule of
the starter commune form, and an approved report of every commune for every quarter of the last
`--years` years (≈ 3,321 communes × 20 quarters × 61 values ≈ 4 million values), with bulk
inserts in batches (see `insert_values`). The figures are random but consistent with the form's rules (parts ≤ totals,
eliminated ≤ detected + carried over). Existing reports are kept: running it again only fills gaps.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from core.vn import format_number
from reporting.models import DataElement, DataValue, Form, FormItem, Schedule, Submission
from reporting.periods import Period, containing, shift

SCHEDULE_NAME = "Báo cáo quý cấp xã (dữ liệu mô phỏng)"
D = Decimal


def _split(total: int, rnd: random.Random, share: float) -> tuple[int, int]:
    part = int(round(total * rnd.uniform(share - 0.1, share + 0.1)))
    part = max(0, min(total, part))
    return part, total - part


def _split_many(total: int, rnd: random.Random, share: float, n: int) -> list[int]:
    """`total` in n parts, the first about `share` of it, the rest shared out (two parts: `_split`)."""
    if n == 1:
        return [total]
    first, rest = _split(total, rnd, share)
    parts = [first]
    for i in range(n - 2):
        part, rest = _split(rest, rnd, 1 / (n - 1 - i))
        parts.append(part)
    return [*parts, rest]


def commune_values(elements: list[DataElement], rnd: random.Random, size: float) -> list[tuple[int, str, Decimal]]:
    """One commune's values for one quarter: (element id, category, value)."""
    by_code = {e.code: e for e in elements}
    base: dict[str, Decimal] = {}

    def n(lo: float, hi: float) -> int:
        return int(rnd.uniform(lo, hi) * size)

    base.update(
        {
            "MGMT_ADDICTS": D(n(5, 60)),
            "MGMT_USERS": D(n(2, 30)),
            "ADDICT_DETERMINATIONS": D(n(0, 12)),
            "REHAB_VOL_COMMUNITY": D(n(0, 6)),
            "REHAB_VOL_FACILITY": D(n(0, 4)),
            "REHAB_COMPULSORY": D(n(0, 5)),
            "METHADONE_PATIENTS": D(n(0, 25)),
            "POST_REHAB_MGMT": D(n(0, 15)),
            "RELAPSES": D(n(0, 3)),
            "COUNSELLING_PERSONS": D(n(0, 30)),
            "LEGAL_AID_REQUESTED": D(n(0, 6)),
            "JOB_SUPPORT": D(n(0, 4)),
            "PLACES_CARRIED": D(n(0, 3)),
            "PLACES_DETECTED": D(n(0, 4)),
            "DRUG_CASES": D(n(0, 8)),
            "PLANTS_DESTROYED_COUNT": D(n(0, 200)),
            "PLANTS_AREA_DETECTED": D(round(rnd.uniform(0, 300) * size, 1)),
            "COMM_SESSIONS": D(n(1, 10)),
            "COUNSEL_POINT": D(int(rnd.random() < 0.6)),
            "HEALTH_STATION_QUALIFIED": D(int(rnd.random() < 0.7)),
            "REHAB_COMMUNITY_ORGANISED": D(int(rnd.random() < 0.5)),
        }
    )
    base["ADDICT_POSITIVE"] = D(int(base["ADDICT_DETERMINATIONS"] * D(rnd.uniform(0.4, 1))))
    base["LEGAL_AID_GIVEN"] = D(int(base["LEGAL_AID_REQUESTED"] * D(rnd.uniform(0.6, 1))))
    base["PLACES_ELIMINATED"] = D(int((base["PLACES_DETECTED"] + base["PLACES_CARRIED"]) * D(rnd.uniform(0.5, 1))))
    base["PLANTS_AREA_DESTROYED"] = (base["PLANTS_AREA_DETECTED"] * D(rnd.uniform(0.7, 1))).quantize(D("0.1"))
    base["DRUG_OFFENDERS"] = base["DRUG_CASES"] + D(n(0, 4))
    base["MED_PSY_SUPPORT"] = D(int((base["MGMT_ADDICTS"] + base["MGMT_USERS"]) * D(rnd.uniform(0.5, 1))))
    base["COMM_PARTICIPANTS"] = base["COMM_SESSIONS"] * D(rnd.randint(20, 120))
    # People in each status on the closing day: home rehab is part of the addicts with records; the
    # residents counted for QĐ 28 Điều 6 stay within the managed addicts and users.
    base["STATUS_HOME_REHAB"] = D(int(base["MGMT_ADDICTS"] * D(rnd.uniform(0, 0.15))))
    base["STATUS_FACILITY_REHAB"] = D(n(0, 3))
    base["STATUS_COMPULSORY"] = D(n(0, 6))
    base["STATUS_DETENTION"] = D(n(0, 4))
    base["RELEASED_AFTER_SENTENCE"] = D(n(0, 5))
    base["PSYCHOSIS_MANAGED"] = D(n(0, 2))
    managed = base["MGMT_ADDICTS"] + base["MGMT_USERS"]
    base["USERS_EXCL_TREATMENT"] = D(int(managed * D(rnd.uniform(0.3, 0.8))))
    base["LAW_BREAKERS_RESIDENT"] = D(n(0, 4))
    base["FUGITIVES_HIDING"] = D(int(rnd.random() < 0.1))
    out: list[tuple[int, str, Decimal]] = []
    for code, element in by_code.items():
        if element.value_type in (DataElement.ValueType.TEXT, "date"):
            continue
        total = base.get(code)
        if total is None:
            total = D(rnd.randint(0, 1)) if element.value_type == DataElement.ValueType.BOOLEAN else D(n(0, 20))
        out.append((element.pk, "", total))
        whole = int(total)
        for _, options in element.category_combo.groups if element.category_combo_id else ():
            # Each group of the element's combination splits the total on its own: sex mostly
            # male, age mostly adult (the first option, "under 18", a small share).
            first_share = {"M": 0.85, "U18": 0.08}.get(options[0], 1 / len(options))
            parts = _split_many(whole, rnd, first_share, len(options))
            out += [(element.pk, code, D(part)) for code, part in zip(options, parts, strict=True)]
    return out


def insert_values(rows: list[tuple[Any, ...]], batch: int) -> None:
    """Insert (submission, element, category, value, text, comment, updated_at) rows in batches.

    Reports go through bulk_create; their ~4 million values through the driver's executemany
    with the same columns: Django's per-field preparation in bulk_create would take most of the
    run (≈ 9,000 values/s against ≈ 150,000 with executemany on SQLite)."""
    meta = DataValue._meta
    columns = [
        meta.get_field(f).column
        for f in ("submission", "element", "category", "value", "text", "comment", "updated_at")
    ]
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])


def _n(number: int) -> str:
    return format_number(number)


def quarters(years: int, today: dt.date | None = None) -> list[Period]:
    """The 4 × `years` quarters up to the last complete one."""
    last = containing("quarterly", today or timezone.localdate()).previous()
    return [shift(last, -i) for i in range(4 * years - 1, -1, -1)]


def starter_form(code: str) -> Form:
    form = Form.objects.filter(code=code).first()
    if form is None:
        try:
            from reporting.services.catalogue import load_starter_catalogue
        except ImportError as exc:  # pragma: no cover - the catalogue ships with the app
            raise CommandError(f"Không có biểu mẫu {code}.") from exc
        load_starter_catalogue()
        form = Form.objects.filter(code=code).first()
    if form is None or form.level != Form.Level.COMMUNE:
        raise CommandError(f"Không có biểu mẫu cấp xã mã {code}.")
    return form


def generate(
    *,
    years: int = 5,
    seed: int = 2026,
    form_code: str = "XA_QUY",
    provinces: list[str] | None = None,
    communes_per_province: int = 0,
    scale: float = 1.0,
    batch: int = 20000,
    out: Any = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Create the schedules, approved reports and values; returns counts."""
    from geo.models import Commune, Province

    rnd = random.Random(seed)
    form = starter_form(form_code)
    elements = list(
        DataElement.objects.filter(pk__in=FormItem.objects.filter(section__form=form).values("element_id")).order_by(
            "code"
        )
    )
    periods = quarters(years, today)
    chosen = list(Province.objects.filter(code__in=provinces) if provinces else Province.objects.all())
    totals = {"provinces": 0, "submissions": 0, "values": 0}
    # Timeliness (the entry side) reads the first submission time when the model has it.
    first_field = any(f.name == "first_submitted_at" for f in Submission._meta.get_fields())
    # Reports opened on the grid or by an import carry the period's form version: so do these.
    if any(f.name == "form_version" for f in Submission._meta.get_fields()):
        from reporting.services.versions import current_version

        version = {"form_version": current_version(form)}
    else:
        version = {}
    started = time.perf_counter()
    for i, province in enumerate(chosen, start=1):
        communes = list(Commune.objects.filter(province=province).order_by("code").values_list("code", flat=True))
        if communes_per_province:
            communes = communes[:communes_per_province]
        if scale < 1:
            communes = communes[: max(1, round(len(communes) * scale))]
        schedule = Schedule.objects.filter(province=province, form=form, frequency="quarterly").order_by("id").first()
        if schedule is None:
            schedule = Schedule.objects.create(
                province=province,
                form=form,
                name=SCHEDULE_NAME,
                frequency="quarterly",
                convention="administrative",
                due_kind="day_of_last_month",
                due_day=15,
                all_communes=True,
                first_period=periods[0].id,
            )
        done = set(
            Submission.objects.filter(schedule=schedule, period__in=[p.id for p in periods]).values_list(
                "commune_id", "period"
            )
        )
        subs, values = 0, 0
        for period in periods:
            closed = dt.datetime.combine(
                period.bounds("administrative")[1], dt.time(17), tzinfo=timezone.get_current_timezone()
            )
            pending = [c for c in communes if (c, period.id) not in done]
            for start in range(0, len(pending), 200):
                chunk = pending[start : start + 200]
                with transaction.atomic():
                    rows = []
                    for code in chunk:
                        sent = closed + dt.timedelta(days=rnd.randint(0, 5), hours=rnd.randint(0, 8))
                        extra = ({"first_submitted_at": sent} if first_field else {}) | version
                        rows.append(
                            Submission(
                                schedule=schedule,
                                period=period.id,
                                kind=schedule.frequency,
                                province=province,
                                commune_id=code,
                                status="approved",
                                submitted_at=sent,
                                reviewed_at=sent + dt.timedelta(days=rnd.randint(1, 7)),
                                **extra,
                            )
                        )
                    Submission.objects.bulk_create(rows, batch_size=500)
                    data = []
                    for sub in rows:
                        size = rnd.uniform(0.3, 2.5)
                        data += [
                            (sub.pk, el, cat, str(v), "", "", sub.reviewed_at)
                            for el, cat, v in commune_values(elements, rnd, size)
                        ]
                    insert_values(data, batch)
                subs += len(rows)
                values += len(data)
        totals["provinces"] += 1
        totals["submissions"] += subs
        totals["values"] += values
        if out is not None:
            out.write(
                f"[{i}/{len(chosen)}] {province.name}: {_n(subs)} báo cáo, {_n(values)} giá trị "
                f"(tổng {_n(totals['values'])}; {time.perf_counter() - started:.0f} s)"
            )
    return totals


class Command(BaseCommand):
    help = (
        "Tạo bộ dữ liệu toàn quốc mô phỏng: lịch báo cáo quý cấp xã cho 34 tỉnh và báo cáo đã duyệt của mọi "
        "xã trong N năm (mặc định 5 năm ≈ 3 triệu giá trị). Chạy lại chỉ bổ sung phần còn thiếu."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--form", default="XA_QUY", help="mã biểu mẫu cấp xã (mặc định XA_QUY)")
        parser.add_argument("--provinces", default="", help="mã tỉnh, cách nhau bởi dấu phẩy (mặc định: cả 34 tỉnh)")
        parser.add_argument("--communes-per-province", type=int, default=0, help="giới hạn số xã mỗi tỉnh (0: tất cả)")
        parser.add_argument("--batch", type=int, default=20000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["years"] < 1:
            raise CommandError("--years phải từ 1 trở lên.")
        started = time.perf_counter()
        totals = generate(
            years=options["years"],
            seed=options["seed"],
            form_code=options["form"],
            provinces=[p.strip() for p in options["provinces"].split(",") if p.strip()] or None,
            communes_per_province=options["communes_per_province"],
            batch=options["batch"],
            out=self.stdout,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong: {totals['provinces']} tỉnh, {_n(totals['submissions'])} báo cáo, {_n(totals['values'])} giá trị "
                f"trong {time.perf_counter() - started:.0f} s."
            )
        )
