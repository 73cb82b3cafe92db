"""Reads for the area pages: the province table, the roadmap's progress, communes at risk,
pre-filled figures and the national summary. No writes here (see ``areas.services``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Count, Max, Q, Subquery, Sum
from django.utils import timezone

from areas.models import (
    NATIONAL_TARGETS,
    ROADMAP_YEARS,
    SEVERITY,
    SHORT_CLASS_LABELS,
    AreaSetting,
    CommuneAssessment,
    CommuneTarget,
    LegalBasis,
    ProvinceTarget,
    SourceKind,
    Status,
    class_change,
    period_year,
)
from areas.rules import CLASS_I, CLASS_II, CLASS_III, DRUG_FREE, UNCLASSIFIED
from core.vn import vn_sort_key
from geo.models import Commune, Population, Province


def current_year() -> int:
    """The assessment year running today (a period ends on 14/12)."""
    return period_year(timezone.localdate())


def literal_bands_for(province_code: str) -> bool:
    return AreaSetting.objects.filter(province_id=province_code, literal_bands=True).exists()


@dataclass(frozen=True)
class Prefill:
    """A figure another module already holds, offered with its source."""

    value: Any
    kind: str
    note: str
    ref: str = ""

    def source(self) -> dict[str, str]:
        return {"kind": self.kind, "note": self.note, "ref": self.ref}


def prefill_figures(commune: Commune, year: int) -> dict[str, Prefill]:
    """Figures of a commune's assessment that other modules already hold: the resident population
    of the year from the province's population list, the approved quarterly reports of the
    assessment period (see `report_prefill`) and the three Điều 6 figures of the latest approved
    report holding them (see `drug_free_prefill`), and the case registry's counts at the period's
    closing day (see `registry_prefill`), which take precedence over typed report figures — except
    residents using drugs when the approved report is the one closing on the period's last day
    (the same day, and reviewed by the Standing Office)."""
    out: dict[str, Prefill] = {}
    # The latest list up to the assessment year: population lists are published a year late.
    pop = Population.objects.filter(commune=commune, year__lte=year).order_by("-year").first()
    if pop is not None and pop.population > 0:
        note = f"Nhân khẩu năm {pop.year}" + (f" — {pop.source}" if pop.source else "")
        out["population"] = Prefill(pop.population, SourceKind.GEO_POPULATION, note[:255], f"geo.population:{pop.pk}")
    out.update(report_prefill(commune, year))
    drug_free = drug_free_prefill(commune, year)
    out.update(drug_free)
    registry = registry_prefill(commune, year)
    closing = drug_free.get("residents_using")
    if closing is not None and closing.ref.endswith(f"@{year}Q4"):
        registry.pop("residents_using", None)
    out.update(registry)
    return out


def registry_prefill(commune: Commune, year: int) -> dict[str, Prefill]:
    """Persons with management records and residents using drugs (QĐ 28 Điều 6, excluding
    methadone, home rehab and post-rehab) as the case registry counts them on the period's
    closing day (today while the period runs); nothing when the commune has no record."""
    from areas.models import period_of
    from cases.models import Person
    from cases.services.figures import commune_figures
    from core.vn import format_date

    if not Person.objects.filter(commune=commune).exists():
        return {}
    day = min(period_of(year)[1], timezone.localdate())
    f = commune_figures(commune, day)
    note = f"Sổ quản lý hồ sơ, tính đến ngày {format_date(day)}"
    ref = f"cases:{commune.code}:{day.isoformat()}"
    return {
        "users_with_records": Prefill(f["total"], SourceKind.CASE_REGISTRY, note, ref),
        "residents_using": Prefill(f["residents_using"], SourceKind.CASE_REGISTRY, note, ref),
    }


# Stock figures take the latest approved quarter; flows add up the quarters of the period.
_STOCK = {"users_with_records": ("MGMT_ADDICTS", "MGMT_USERS")}
_FLOW = {"arrested": ("DRUG_OFFENDERS",), "plants": ("PLANTS_DESTROYED_COUNT",), "area_m2": ("PLANTS_AREA_DESTROYED",)}
REPORT_FORM = "XA_QUY"


def report_prefill(commune: Commune, year: int) -> dict[str, Prefill]:
    """Figures from the commune's approved quarterly reports of the assessment period.

    The QĐ 28 period 15/12 of the previous year → 14/12 is exactly the four quarters of `year`
    under the administrative convention (NĐ 09/2019), so quarters `yearQ1…yearQ4` are read.
    - users with records: persons with management records (addicts + users) of the latest
      approved quarter (a stock at the period's end);
    - points: points carried over at the start of the first approved quarter plus those newly
      detected during the period (the points that existed during the period);
    - arrested, plants, area: the sums over the approved quarters (flows).
    Each note names the quarters read, so a partial year is visible.
    """
    from reporting.models import DataValue

    periods = [f"{year}Q{q}" for q in range(1, 5)]
    rows = list(
        DataValue.objects.filter(
            submission__commune=commune,
            submission__period__in=periods,
            submission__status="approved",
            submission__schedule__form__code=REPORT_FORM,
            category="",
            element__code__in=[c for codes in (*_STOCK.values(), *_FLOW.values()) for c in codes]
            + ["PLACES_CARRIED", "PLACES_DETECTED"],
        ).values_list("submission__period", "element__code", "value")
    )
    if not rows:
        return {}
    by_period: dict[str, dict[str, Decimal]] = {}
    for period, code, value in rows:
        by_period.setdefault(period, {})[code] = value or Decimal(0)
    quarters = sorted(by_period)
    label = ", ".join(f"Quý {q[-1]}" for q in quarters)
    note = f"Báo cáo quý đã duyệt năm {year} ({label}; {len(quarters)}/4 quý)"
    ref = "reporting:" + ",".join(quarters)
    out: dict[str, Prefill] = {}
    last = by_period[quarters[-1]]
    for field_name, codes in _STOCK.items():
        out[field_name] = Prefill(
            int(sum(last.get(c, Decimal(0)) for c in codes)), SourceKind.APPROVED_REPORT, note, ref
        )
    for field_name, codes in _FLOW.items():
        total = sum(by_period[q].get(c, Decimal(0)) for q in quarters for c in codes)
        out[field_name] = Prefill(
            total if field_name == "area_m2" else int(total), SourceKind.APPROVED_REPORT, note, ref
        )
    points = by_period[quarters[0]].get("PLACES_CARRIED", Decimal(0)) + sum(
        by_period[q].get("PLACES_DETECTED", Decimal(0)) for q in quarters
    )
    out["points"] = Prefill(int(points), SourceKind.APPROVED_REPORT, note, ref)
    return out


# QĐ 28 Điều 6 figures (stocks on the closing day) and the commune-form elements that report them.
DRUG_FREE_ELEMENTS = {
    "residents_using": "USERS_EXCL_TREATMENT",
    "residents_violating": "LAW_BREAKERS_RESIDENT",
    "fugitives": "FUGITIVES_HIDING",
}


def drug_free_prefill(commune: Commune, year: int) -> dict[str, Prefill]:
    """The three figures of Điều 6 (residents using drugs excluding methadone, home rehab and
    post-rehab; residents who broke drug law; wanted fugitives hiding in the commune) from the
    commune's latest approved quarterly report of the assessment period that holds each of them.

    They are stocks on the report's closing day, so nothing is added up: each note names the
    quarter and its closing day, and `ref` the report (``reporting:submission:<id>@<period>``).
    A figure no approved report of the period holds is not offered: the commune types it with
    its source, as before."""
    from core.vn import format_date
    from reporting.models import DataValue
    from reporting.periods import parse

    periods = [f"{year}Q{q}" for q in range(1, 5)]
    rows = (
        DataValue.objects.filter(
            submission__commune=commune,
            submission__period__in=periods,
            submission__status="approved",
            submission__schedule__form__code=REPORT_FORM,
            category="",
            value__isnull=False,
            element__code__in=list(DRUG_FREE_ELEMENTS.values()),
        )
        .order_by("submission__period", "submission_id")
        .values_list(
            "element__code", "value", "submission_id", "submission__period", "submission__schedule__convention"
        )
    )
    latest: dict[str, tuple[Any, int, str, str]] = {}
    for code, value, submission_id, period, convention in rows:
        latest[code] = (value, submission_id, period, convention)  # ordered by period: the last one stays
    out: dict[str, Prefill] = {}
    for name, code in DRUG_FREE_ELEMENTS.items():
        if code not in latest:
            continue
        value, submission_id, period, convention = latest[code]
        p = parse(period)
        closing = p.bounds(convention)[1]
        note = f"Từ báo cáo quý {period[-1]}/{period[:4]} đã duyệt (số tại ngày {format_date(closing)})"
        out[name] = Prefill(
            int(value), SourceKind.APPROVED_REPORT, note, f"reporting:submission:{submission_id}@{period}"
        )
    return out


@dataclass(frozen=True)
class CommuneCounts:
    type_i_ii: int
    total: int
    approved: int


def commune_counts(province_code: str, year: int) -> CommuneCounts:
    """Counts for criterion 4 of Điều 5, from the communes' approved QĐ 28 classes of the year."""
    agg = CommuneAssessment.objects.filter(
        commune__province_id=province_code, year=year, status=Status.APPROVED, legal_basis=LegalBasis.QD28
    ).aggregate(
        approved=Count("id"),
        key=Count("id", filter=Q(approved_class__in=[CLASS_I, CLASS_II])),
    )
    total = Commune.objects.filter(province_id=province_code).count()
    return CommuneCounts(type_i_ii=agg["key"], total=total, approved=agg["approved"])


def province_prefill(province: Province, year: int) -> dict[str, Prefill]:
    """Suggested provincial figures: the population sum of the communes, and sums of the figures
    of the communes' approved assessments of the year (with their coverage in the note)."""
    out: dict[str, Prefill] = {}
    listed = Population.objects.filter(commune__province=province, year__lte=year)
    latest = listed.order_by("-year").values("year")[:1]
    pop = listed.filter(year=Subquery(latest)).aggregate(total=Sum("population"), n=Count("id"), year=Max("year"))
    total = Commune.objects.filter(province=province).count()
    if pop["total"]:
        out["population"] = Prefill(
            pop["total"],
            SourceKind.GEO_POPULATION,
            f"Tổng nhân khẩu năm {pop['year']} của {pop['n']}/{total} xã, phường",
        )
    approved = CommuneAssessment.objects.filter(
        commune__province=province, year=year, status=Status.APPROVED, legal_basis=LegalBasis.QD28
    )
    sums = approved.aggregate(
        n=Count("id"),
        users_with_records=Sum("users_with_records"),
        points=Sum("points"),
        arrested=Sum("arrested"),
        plants=Sum("plants"),
        area_m2=Sum("area_m2"),
    )
    if sums["n"]:
        note = f"Tổng của {sums['n']}/{total} xã đã được phê duyệt xếp loại năm {year}"
        for name in ("users_with_records", "points", "arrested", "plants", "area_m2"):
            if sums[name] is not None:
                out[name] = Prefill(sums[name], SourceKind.COMMUNE_SUM, note)
    return out


# ---------------------------------------------------------------------------------------------
# Province table
# ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    commune: Commune
    assessment: CommuneAssessment | None
    previous: CommuneAssessment | None
    target_year: int | None
    class_key: str = ""
    class_label: str = ""
    is_proposal: bool = False
    status_key: str = "none"
    status_label: str = "Chưa có hồ sơ"
    change_key: str = "none"
    change_text: str = "—"
    met_counts: dict[str, int] = field(default_factory=dict)

    @property
    def severity(self) -> int:
        return SEVERITY.get(self.class_key, -1)


def province_rows(user: Any, province: Province, year: int) -> list[Row]:
    """One row per commune of the province for the year, with last year's class (3 queries)."""
    communes = list(Commune.objects.filter(province=province).order_by("name"))
    assessments: dict[tuple[str, int], CommuneAssessment] = {
        (a.commune_id, a.year): a
        for a in CommuneAssessment.objects.for_user(user).filter(commune__province=province, year__in=[year, year - 1])
    }
    targets = dict(CommuneTarget.objects.filter(commune__province=province).values_list("commune_id", "target_year"))
    rows = []
    for c in communes:
        a, prev = assessments.get((c.code, year)), assessments.get((c.code, year - 1))
        row = Row(commune=c, assessment=a, previous=prev, target_year=targets.get(c.code))
        if a is not None:
            row.status_key, row.status_label = a.status, a.get_status_display()
            row.class_key = a.current_class
            row.class_label = a.current_class_label
            row.is_proposal = a.status != Status.APPROVED and bool(a.proposed_class)
            row.met_counts = a.met_counts or {}
            if not a.comparable:
                row.class_label = f"{SHORT_CLASS_LABELS[a.approved_class]} ({a.legal_basis})"
        prev_class = prev.approved_class if prev is not None and prev.status == Status.APPROVED else None
        if a is not None and a.comparable:
            row.change_key, row.change_text = class_change(row.class_key, prev_class, prev.comparable if prev else True)
        rows.append(row)
    return rows


CLASS_FILTERS = [
    (CLASS_I, "Loại I"),
    (CLASS_II, "Loại II"),
    (CLASS_III, "Loại III"),
    (DRUG_FREE, "Không ma túy"),
    (UNCLASSIFIED, "Chưa xếp loại"),
    ("none", "Chưa có kết quả"),
]
SORTS = {
    "name": "Tên",
    "class": "Xếp loại (nặng trước)",
    "change": "Thay đổi so với năm trước",
    "status": "Trạng thái",
    "target": "Năm đăng ký không ma túy",
}
_STATUS_ORDER = {
    s: i
    for i, s in enumerate([Status.SUBMITTED, Status.FORWARDED, Status.RETURNED, Status.DRAFT, Status.APPROVED, "none"])
}
_CHANGE_ORDER = {"worse": 0, "not_comparable": 1, "same": 2, "better": 3, "none": 4}


def filter_rows(rows: list[Row], *, q: str = "", klass: str = "", status: str = "") -> list[Row]:
    q = q.strip().lower()
    if q:
        rows = [r for r in rows if q in r.commune.name.lower() or q == r.commune.code]
    if klass == "none":
        rows = [r for r in rows if not r.class_key]
    elif klass:
        rows = [r for r in rows if r.class_key == klass]
    if status:
        rows = [r for r in rows if r.status_key == status]
    return rows


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    keys = {
        "name": lambda r: vn_sort_key(r.commune.name),
        "class": lambda r: (-r.severity, vn_sort_key(r.commune.name)),
        "change": lambda r: (_CHANGE_ORDER.get(r.change_key, 9), vn_sort_key(r.commune.name)),
        "status": lambda r: (_STATUS_ORDER.get(r.status_key, 9), vn_sort_key(r.commune.name)),
        "target": lambda r: (r.target_year or 9999, vn_sort_key(r.commune.name)),
    }
    return sorted(rows, key=keys.get(key, keys["name"]), reverse=reverse)


def class_totals(rows: list[Row]) -> dict[str, int]:
    counts = Counter(r.class_key or "none" for r in rows)
    return {k: counts.get(k, 0) for k, _ in CLASS_FILTERS}


# ---------------------------------------------------------------------------------------------
# Roadmap
# ---------------------------------------------------------------------------------------------


def share(part: int, whole: int) -> Decimal | None:
    """part/whole in percent, truncated to 2 decimals (never shows a target met when it is not)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@dataclass
class YearProgress:
    year: int
    national: Decimal | None
    override: ProvinceTarget | None
    registered: int
    registered_share: Decimal | None
    approved: int
    drug_free: int
    drug_free_share: Decimal | None

    @property
    def target(self) -> Decimal | None:
        return self.override.share_percent if self.override else self.national

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "Chưa đăng ký chỉ tiêu"
        if not self.approved:
            return "Chưa có kết quả phê duyệt"
        if self.drug_free_share is not None and self.drug_free_share >= self.target:
            return "Đạt chỉ tiêu"
        return "Chưa đạt chỉ tiêu"

    @property
    def met(self) -> bool:
        return self.verdict == "Đạt chỉ tiêu"


def roadmap(province: Province) -> tuple[int, list[YearProgress]]:
    """Targets and progress per roadmap year: registered communes (cumulative) and approved
    drug-free communes against the effective target (provincial override, else national)."""
    total = Commune.objects.filter(province=province).count()
    overrides = {t.year: t for t in ProvinceTarget.objects.filter(province=province)}
    by_year = Counter(
        dict(
            CommuneTarget.objects.filter(commune__province=province)
            .values("target_year")
            .annotate(n=Count("commune"))
            .values_list("target_year", "n")
        )
    )
    approved = {
        r["year"]: r
        for r in CommuneAssessment.objects.filter(
            commune__province=province,
            status=Status.APPROVED,
            legal_basis=LegalBasis.QD28,
            year__in=ROADMAP_YEARS,
        )
        .values("year")
        .annotate(n=Count("id"), free=Count("id", filter=Q(approved_class=DRUG_FREE)))
    }
    out, cumulative = [], sum(n for y, n in by_year.items() if y < ROADMAP_YEARS[0])
    for year in ROADMAP_YEARS:
        cumulative += by_year.get(year, 0)
        a = approved.get(year, {"n": 0, "free": 0})
        out.append(
            YearProgress(
                year=year,
                national=NATIONAL_TARGETS.get(year),
                override=overrides.get(year),
                registered=cumulative,
                registered_share=share(cumulative, total),
                approved=a["n"],
                drug_free=a["free"],
                drug_free_share=share(a["free"], total),
            )
        )
    return total, out


def effective_target(province_code: str, year: int) -> Decimal | None:
    override = (
        ProvinceTarget.objects.filter(province_id=province_code, year=year)
        .values_list("share_percent", flat=True)
        .first()
    )
    return override if override is not None else NATIONAL_TARGETS.get(year)


@dataclass
class RiskRow:
    commune: Commune
    target_year: int
    assessment: CommuneAssessment | None
    class_label: str
    reasons: list[tuple[str, str]]  # (criterion title, value text)


def at_risk(user: Any, province: Province, year: int) -> list[RiskRow]:
    """Communes registered to be drug-free by `year` (this year or earlier) whose assessment of
    the year does not make them drug-free, with the failing Điều 6 conditions named."""
    targets = list(
        CommuneTarget.objects.filter(commune__province=province, target_year__lte=year)
        .select_related("commune")
        .order_by("target_year", "commune__name")
    )
    assessments = {
        a.commune_id: a
        for a in CommuneAssessment.objects.for_user(user).filter(
            commune__province=province, year=year, commune_id__in=[t.commune_id for t in targets]
        )
    }
    out = []
    for t in targets:
        a = assessments.get(t.commune_id)
        if a is None or not a.comparable:
            out.append(
                RiskRow(t.commune, t.target_year, a, "Chưa có kết quả", [("Chưa có hồ sơ đánh giá năm này", "")])
            )
            continue
        klass = a.current_class
        if klass == DRUG_FREE:
            continue
        result = a.result()
        reasons: list[tuple[str, str]] = []
        if result is not None:
            reasons = [
                (c.title, c.value_text) for k, c in result.criteria.items() if k.startswith("drug_free.") and not c.met
            ]
            if not reasons and klass:
                reasons = [
                    (
                        "Đạt đủ 3 điều kiện Điều 6 nhưng đạt tiêu chí địa bàn trọng điểm (xét trước)",
                        SHORT_CLASS_LABELS[klass],
                    )
                ]
        elif a.status == Status.APPROVED:
            reasons = [("UBND tỉnh phê duyệt xếp loại", SHORT_CLASS_LABELS.get(klass, ""))]
        else:
            reasons = [("Chưa nhập đủ số liệu đánh giá", "")]
        out.append(RiskRow(t.commune, t.target_year, a, a.current_class_label if klass else "Chưa đủ số liệu", reasons))
    return out


# ---------------------------------------------------------------------------------------------
# National summary (aggregates only)
# ---------------------------------------------------------------------------------------------


def nation_summary(year: int) -> list[dict[str, Any]]:
    """Per province: approved classes of the year counted, drug-free share against the target."""
    rows = {
        p["code"]: {
            **p,
            "total": 0,
            "approved": 0,
            CLASS_I: 0,
            CLASS_II: 0,
            CLASS_III: 0,
            DRUG_FREE: 0,
            UNCLASSIFIED: 0,
        }
        for p in Province.objects.values("code", "name")
    }
    for r in Commune.objects.values("province_id").annotate(n=Count("code")):
        rows[r["province_id"]]["total"] = r["n"]
    for r in (
        CommuneAssessment.objects.filter(year=year, status=Status.APPROVED, legal_basis=LegalBasis.QD28)
        .values("commune__province_id", "approved_class")
        .annotate(n=Count("id"))
    ):
        row = rows[r["commune__province_id"]]
        row[r["approved_class"]] += r["n"]
        row["approved"] += r["n"]
    overrides = dict(ProvinceTarget.objects.filter(year=year).values_list("province_id", "share_percent"))
    for code, row in rows.items():
        row["share"] = share(row[DRUG_FREE], row["total"])
        row["target"] = overrides.get(code, NATIONAL_TARGETS.get(year))
        row["met"] = (
            row["share"] is not None
            and row["target"] is not None
            and row["approved"] > 0
            and row["share"] >= row["target"]
        )
    return list(rows.values())
