"""Small fixtures for consolidation, exports, exchange and indicators: forms, elements,
schedules and submissions with known values. Codes start with "ZC" so they never meet the
starter catalogue's codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from agencies.models import Agency
from geo.models import Commune
from reporting.models import DataElement, DataValue, Form, FormItem, FormSection, Schedule, Submission

PROVINCE_A, PROVINCE_B = "66", "33"
COMMUNE_A = "24133"
TZ = dt.timezone(dt.timedelta(hours=7))


def at(day: int, month: int = 7, year: int = 2026, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=TZ)


def make_element(
    code: str,
    *,
    aggregation: str = "sum",
    disaggregation: str = "",
    value_type: str = "integer",
    name: str | None = None,
    unit: str = "người",
) -> DataElement:
    element, _ = DataElement.objects.get_or_create(
        code=code,
        defaults={
            "name": name or f"Chỉ tiêu {code}",
            "aggregation": aggregation,
            "disaggregation": disaggregation,
            "value_type": value_type,
            "unit": unit,
            "definition": f"Định nghĩa của {code}",
        },
    )
    return element


def make_form(code: str, level: str, elements: list[DataElement], *, name: str | None = None) -> Form:
    form = Form.objects.create(code=code, name=name or f"Biểu mẫu {code}", level=level)
    section = FormSection.objects.create(form=form, name="Phần I. Số liệu", order=1)
    FormItem.objects.bulk_create([FormItem(section=section, element=e, order=i) for i, e in enumerate(elements)])
    return form


def make_schedule(
    form: Form,
    province: str,
    *,
    communes: list[str] | None = None,
    agencies: list[Agency] | None = None,
    all_communes: bool = False,
    first_period: str = "2024Q1",
    frequency: str = "quarterly",
) -> Schedule:
    schedule = Schedule.objects.create(
        province_id=province,
        form=form,
        name=f"{form.name} — {province}",
        frequency=frequency,
        convention="administrative",
        due_kind="day_of_last_month",
        due_day=15,
        all_communes=all_communes,
        first_period=first_period,
    )
    if communes:
        schedule.communes.set(communes)
    if agencies:
        schedule.agencies.set(agencies)
    return schedule


def make_submission(
    schedule: Schedule,
    period: str,
    *,
    commune: str | None = None,
    agency: Agency | None = None,
    status: str = "approved",
    values: dict[Any, Any] | None = None,
    when: dt.datetime | None = None,
) -> Submission:
    """`values`: {code: number} for totals, or {(code, category): number}."""
    when = when or timezone.now()
    sub = Submission.objects.create(
        schedule=schedule,
        period=period,
        province_id=schedule.province_id,
        commune_id=commune,
        agency=agency,
        status=status,
        submitted_at=when if status != "draft" else None,
        reviewed_at=when if status in ("approved", "returned") else None,
    )
    elements = {e.code: e for e in DataElement.objects.filter(form_items__section__form=schedule.form)}
    rows = []
    for key, number in (values or {}).items():
        code, category = key if isinstance(key, tuple) else (key, "")
        rows.append(
            DataValue(
                submission=sub,
                element=elements[code],
                category=category,
                value=None if number is None else Decimal(str(number)),
            )
        )
    DataValue.objects.bulk_create(rows)
    return sub


def communes_of(province: str, n: int, first: str | None = None) -> list[str]:
    codes = list(Commune.objects.filter(province_id=province).order_by("code").values_list("code", flat=True)[: n + 1])
    if first:
        codes = [first] + [c for c in codes if c != first]
    return codes[:n]


@dataclass
class World:
    form: Form
    elements: dict[str, DataElement]
    schedules: dict[str, Schedule]
    communes: dict[str, list[str]]
    submissions: list[Submission] = field(default_factory=list)


def commune_world() -> World:
    """A commune form with one element per aggregation kind, in provinces A (3 communes) and B (2).

    Approved data, 2026Q2 (A): ZC_SUM by sex 10(M 6, F 4) / 20(M 12, F 8) / 30 → 60; ZC_AVG 10, 20, 60
    → 30; ZC_MAX 5, 9, 7 → 9; ZC_LAST 100, 200, 300 → 600; ZC_DEN 1, 1, 1 → 3. The third commune's
    report is only *submitted* (approval pending): approved-only totals leave it out (ZC_SUM 30).
    A 2026Q1: ZC_SUM 20 + 20 = 40 (approved). A 2025Q2: ZC_SUM 50 (one commune). B 2026Q2: ZC_SUM 7 + 8.
    """
    elements = {
        "ZC_SUM": make_element("ZC_SUM", disaggregation="sex", name="Số người có hồ sơ quản lý (thử)"),
        "ZC_AVG": make_element(
            "ZC_AVG", aggregation="average", value_type="decimal", name="Tỷ lệ trung bình (thử)", unit="%"
        ),
        "ZC_MAX": make_element("ZC_MAX", aggregation="max", name="Số lớn nhất (thử)"),
        "ZC_LAST": make_element("ZC_LAST", aggregation="last", name="Số đang quản lý cuối kỳ (thử)"),
        "ZC_DEN": make_element("ZC_DEN", name="Số xã (thử)", unit="xã"),
    }
    form = make_form("ZC_COMMUNE", Form.Level.COMMUNE, list(elements.values()), name="Báo cáo quý cấp xã (thử)")
    communes = {PROVINCE_A: communes_of(PROVINCE_A, 3, first=COMMUNE_A), PROVINCE_B: communes_of(PROVINCE_B, 2)}
    schedules = {p: make_schedule(form, p, communes=codes) for p, codes in communes.items()}
    a1, a2, a3 = communes[PROVINCE_A]
    sa = schedules[PROVINCE_A]
    subs = [
        make_submission(
            sa,
            "2026Q2",
            commune=a1,
            when=at(1),
            values={
                "ZC_SUM": 10,
                ("ZC_SUM", "M"): 6,
                ("ZC_SUM", "F"): 4,
                "ZC_AVG": 10,
                "ZC_MAX": 5,
                "ZC_LAST": 100,
                "ZC_DEN": 1,
            },
        ),
        make_submission(
            sa,
            "2026Q2",
            commune=a2,
            when=at(3),
            values={
                "ZC_SUM": 20,
                ("ZC_SUM", "M"): 12,
                ("ZC_SUM", "F"): 8,
                "ZC_AVG": 20,
                "ZC_MAX": 9,
                "ZC_LAST": 200,
                "ZC_DEN": 1,
            },
        ),
        make_submission(
            sa,
            "2026Q2",
            commune=a3,
            status="submitted",
            when=at(5),
            values={"ZC_SUM": 30, "ZC_AVG": 60, "ZC_MAX": 7, "ZC_LAST": 300, "ZC_DEN": 1},
        ),
        make_submission(sa, "2026Q1", commune=a1, when=at(2, 4), values={"ZC_SUM": 20}),
        make_submission(sa, "2026Q1", commune=a2, when=at(2, 4), values={"ZC_SUM": 20}),
        make_submission(sa, "2025Q2", commune=a1, when=at(2, 7, 2025), values={"ZC_SUM": 50}),
        make_submission(sa, "2026Q3", commune=a1, status="draft", values={"ZC_SUM": 999}),
        make_submission(
            schedules[PROVINCE_B], "2026Q2", commune=communes[PROVINCE_B][0], when=at(4), values={"ZC_SUM": 7}
        ),
        make_submission(
            schedules[PROVINCE_B],
            "2026Q2",
            commune=communes[PROVINCE_B][1],
            when=at(6),
            values={"ZC_SUM": 8, "ZC_MAX": 11},
        ),
    ]
    return World(form, elements, schedules, communes, subs)


def agency_world() -> tuple[Form, list[Agency]]:
    """An agency form in A: Sở Y tế reports ZA_SEIZED 12, another agency 30 (both approved, 2026Q2)."""
    element = make_element("ZA_SEIZED", name="Số vụ bắt giữ (thử)", unit="vụ")
    form = make_form("ZC_AGENCY", Form.Level.AGENCY, [element], name="Báo cáo quý sở, ngành (thử)")
    agencies = [
        Agency.objects.get(province_id=PROVINCE_A, code="SYT"),
        Agency.objects.filter(province_id=PROVINCE_A).exclude(code="SYT").order_by("code").first(),
    ]
    schedule = make_schedule(form, PROVINCE_A, agencies=agencies)
    make_submission(schedule, "2026Q2", agency=agencies[0], when=at(2), values={"ZA_SEIZED": 12})
    make_submission(schedule, "2026Q2", agency=agencies[1], when=at(8), values={"ZA_SEIZED": 30})
    return form, agencies
