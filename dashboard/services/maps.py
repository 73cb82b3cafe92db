"""Maps drawn on the server as SVG from the units' centroids (`vietnamadminunits`): no polygons
exist for the post-2025 units, so each commune or province is a marker at its centroid, with a
legend and the same figures as a table. Nothing is loaded from outside the server.

- `commune_map`: a province's communes coloured by their approved QĐ 28 class, by the state of
  their report for the current period, or by a chosen indicator (five classes of value).
- `nation_map`: the provinces as proportional symbols (area ∝ communes), coloured by report
  completeness, by tasks overdue or by the drug-free share against the roadmap target.

Counts of people (indicators in "người") follow `core.suppression`: 1–4 are drawn and listed as
"<5" in a class of their own unless the viewer may see them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from areas.models import CommuneAssessment, LegalBasis, Status
from areas.selectors import current_year
from core import vn
from core.suppression import MASK, PEOPLE_UNIT, is_small
from dashboard.services import reports
from dashboard.services.cache import cached
from dashboard.services.province import CLASS_COLOURS, CLASS_KEYS
from geo.models import Commune, Province

WIDTH = 640
PAD = 24
INSET_LON = 110.0  # offshore special zones (Hoàng Sa, Trường Sa) are drawn in an inset column
SEQUENTIAL = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#d0d7de"
SMALL = "#c8b6e2"
STATE_COLOURS = {
    "on_time": ("#1a7f37", "Đã nộp đúng hạn"),
    "late": ("#d4a72c", "Nộp muộn"),
    "returned": ("#e16f24", "Bị trả lại"),
    "missing": ("#b3261e", "Chưa nộp (quá hạn)"),
    "pending": (NO_DATA, "Chưa đến hạn, chưa nộp"),
}
COMMUNE_MODES = {
    "class": "Phân loại địa bàn (QĐ 28)",
    "completeness": "Tình hình nộp báo cáo kỳ hiện tại",
    "indicator": "Một chỉ số",
}
NATION_MODES = {
    "completeness": "Tỷ lệ nộp báo cáo kỳ hiện tại",
    "overdue": "Nhiệm vụ quá hạn",
    "drug_free": "Tỷ lệ xã không ma túy so với chỉ tiêu",
}


@dataclass
class Marker:
    key: str
    name: str
    lat: float | None
    lon: float | None
    colour: str
    value: str  # as shown in the title and the table
    category: str
    url: str = ""
    radius: float = 6.0
    x: float = 0.0
    y: float = 0.0
    inset: bool = False


@dataclass
class LegendItem:
    colour: str
    label: str
    count: int


@dataclass
class Map:
    title: str
    mode: str
    modes: dict[str, str]
    markers: list[Marker]
    legend: list[LegendItem]
    width: int = WIDTH
    height: int = 0
    note: str = ""
    value_heading: str = "Giá trị"
    indicator: str = ""
    indicators: list[tuple[str, str]] = field(default_factory=list)
    size_legend: list[tuple[str, float]] = field(default_factory=list)

    @property
    def placed(self) -> list[Marker]:
        return [m for m in self.markers if m.lat is not None and m.lon is not None]

    @property
    def unplaced(self) -> list[Marker]:
        return [m for m in self.markers if m.lat is None or m.lon is None]


def project(markers: list[Marker], width: int = WIDTH) -> int:
    """Place markers (equirectangular, x scaled by the cosine of the mean latitude) in a box
    `width` wide; offshore markers go to an inset column on the right. Returns the height."""
    main = [m for m in markers if m.lat is not None and m.lon is not None and m.lon < INSET_LON]
    inset = [m for m in markers if m.lat is not None and m.lon is not None and m.lon >= INSET_LON]
    if not main:
        main, inset = inset, []
    if not main:
        return 120
    lats = [m.lat for m in main if m.lat is not None]
    lons = [m.lon for m in main if m.lon is not None]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * k, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    usable = width - 2 * PAD - (90 if inset else 0)
    scale = usable / span_x
    height = min(int(span_y * scale) + 2 * PAD, 900)
    scale = min(scale, (height - 2 * PAD) / span_y)
    for m in main:
        assert m.lat is not None and m.lon is not None
        m.x = round(PAD + (m.lon - min(lons)) * k * scale, 1)
        m.y = round(PAD + (max(lats) - m.lat) * scale, 1)
    for i, m in enumerate(inset):
        m.inset = True
        m.x, m.y = width - PAD - 30, PAD + 30 + 40 * i
    return max(height, PAD * 2 + 40 * len(inset) + 40)


def _legend(markers: list[Marker], order: list[tuple[str, str, str]]) -> list[LegendItem]:
    """(category, colour, label) in order, with the number of markers in each."""
    counts: dict[str, int] = {}
    for m in markers:
        counts[m.category] = counts.get(m.category, 0) + 1
    return [LegendItem(colour, label, counts.get(cat, 0)) for cat, colour, label in order]


def _commune_markers(province: Province) -> list[Marker]:
    from django.urls import reverse

    return [
        Marker(c.code, c.name, c.lat, c.lon, NO_DATA, "", "none", reverse("geo:commune_detail", args=[c.code]))
        for c in Commune.objects.filter(province=province).order_by("name")
    ]


def _by_class(province: Province, markers: list[Marker]) -> list[LegendItem]:
    from areas.models import SHORT_CLASS_LABELS

    year = current_year()
    classes = dict(
        CommuneAssessment.objects.filter(
            commune__province=province, year=year, status=Status.APPROVED, legal_basis=LegalBasis.QD28
        ).values_list("commune_id", "approved_class")
    )
    for m in markers:
        klass = classes.get(m.key)
        m.category = klass or "none"
        m.colour = CLASS_COLOURS[m.category]
        m.value = SHORT_CLASS_LABELS.get(klass, "Chưa có kết quả phê duyệt") if klass else "Chưa có kết quả phê duyệt"
    order = [(k, CLASS_COLOURS[k], SHORT_CLASS_LABELS[k]) for k in CLASS_KEYS]
    order.append(("none", CLASS_COLOURS["none"], f"Chưa có kết quả phê duyệt năm {year}"))
    return _legend(markers, order)


def _by_completeness(province: Province, markers: list[Marker]) -> tuple[list[LegendItem], str]:
    from reporting.services import completeness as C
    from reporting.services import schedules as S

    schedule = next((s for s in reports.active_schedules(province=province) if s.all_communes), None)
    period = reports.reference_period(schedule, S.today()) if schedule else None
    if schedule is None or period is None:
        for m in markers:
            m.value = "Chưa có lịch báo cáo của xã"
        return _legend(markers, [("none", NO_DATA, "Chưa có lịch báo cáo áp dụng cho mọi xã")]), ""
    matrix = C.completeness_matrix(schedule, [period])
    for m in markers:
        cell = matrix.cells.get((f"commune:{m.key}", period.id))
        state = cell.state if cell else "pending"
        state = {"approved": "on_time", "draft": "missing"}.get(state, state)
        if state == "on_time" and cell is not None and cell.timely is False:
            state = "late"
        m.category = state
        m.colour, m.value = STATE_COLOURS[state]
    order = [(k, c, label) for k, (c, label) in STATE_COLOURS.items()]
    return _legend(markers, order), f"{schedule.name} — {period.label} (hạn {vn.format_date(matrix.dues[period.id])})"


def _bins(values: list[Decimal]) -> list[Decimal]:
    """Upper bounds of five classes of equal count (quantiles) of the values."""
    ordered = sorted(values)
    if not ordered:
        return []
    return [ordered[min(len(ordered) - 1, math.ceil(len(ordered) * q / 5) - 1)] for q in range(1, 6)]


def _by_indicator(
    province: Province, markers: list[Marker], code: str, reveal: bool
) -> tuple[list[LegendItem], str, list[tuple[str, str]], str]:
    from indicators import services as indicator_services
    from reporting.periods import make
    from reporting.services.schedules import today

    year = today().year
    board = cached(
        f"map-indicators:{province.pk}:{year}",
        lambda: indicator_services.dashboard(period=make("annual", year), province=province),
    )
    choices = [(c.indicator.code, c.indicator.name) for c in board.cards]
    index = next((i for i, c in enumerate(board.cards) if c.indicator.code == code), 0 if board.cards else None)
    if index is None:
        return _legend(markers, [("none", NO_DATA, "Chưa có chỉ số")]), "", choices, ""
    ind = board.cards[index].indicator
    people = ind.unit == PEOPLE_UNIT and not reveal
    values = {row.key: row.cells[index].value for row in board.units}
    shown = [v for v in values.values() if v is not None and not (people and is_small(v))]
    bounds = _bins(shown)
    fmt: Callable[[Decimal], str] = lambda v: vn.format_number(v, ind.decimals)  # noqa: E731
    for m in markers:
        v = values.get(m.key)
        if v is None:
            m.category, m.colour, m.value = "none", NO_DATA, "Chưa có số liệu"
        elif people and is_small(v):
            m.category, m.colour, m.value = "small", SMALL, MASK
        else:
            i = next(i for i, b in enumerate(bounds) if v <= b)
            m.category, m.colour, m.value = f"q{i}", SEQUENTIAL[i], f"{fmt(v)} {ind.unit}".strip()
    order = []
    low = None
    for i, b in enumerate(bounds):
        if i and bounds[i - 1] == b:
            continue
        label = f"đến {fmt(b)}" if low is None else f"trên {fmt(low)} đến {fmt(b)}"
        order.append((f"q{i}", SEQUENTIAL[i], label))
        low = b
    if people:
        order.append(("small", SMALL, "1–4 người (ẩn số nhỏ)"))
    order.append(("none", NO_DATA, "Chưa có số liệu"))
    return _legend(markers, order), f"{ind.name} ({board.period.label})", choices, ind.code


def commune_map(province: Province, mode: str, *, indicator: str = "", reveal: bool = False) -> Map:
    """The province's communes coloured by `mode` (see `COMMUNE_MODES`)."""
    markers = _commune_markers(province)
    m = Map(f"Bản đồ xã, phường — {province.name}", mode, COMMUNE_MODES, markers, [])
    if mode == "completeness":
        m.legend, m.note = _by_completeness(province, markers)
        m.value_heading = "Báo cáo"
    elif mode == "indicator":
        m.legend, m.note, m.indicators, m.indicator = _by_indicator(province, markers, indicator, reveal)
    else:
        m.mode = "class"
        m.legend = _by_class(province, markers)
        m.note = f"Xếp loại đã được UBND tỉnh phê duyệt, năm đánh giá {current_year()}"
        m.value_heading = "Xếp loại"
    m.height = project(markers)
    return m


def nation_map(rows: list[Any], mode: str, *, url: Callable[[str], str]) -> Map:
    """Provinces (rows of `dashboard.services.nation`) as symbols sized by their communes."""
    biggest = max((r.communes for r in rows), default=1) or 1
    markers = []
    for r in rows:
        markers.append(
            Marker(
                r.code, r.name, r.lat, r.lon, NO_DATA, "", "none", url(r.code), 4 + 14 * math.sqrt(r.communes / biggest)
            )
        )
    m = Map("Bản đồ các tỉnh, thành phố", mode, NATION_MODES, markers, [], width=520)
    by_code = {r.code: r for r in rows}
    if mode == "overdue":
        steps = [
            (0, "#1a7f37", "Không có"),
            (5, "#d4a72c", "1–5"),
            (20, "#e16f24", "6–20"),
            (None, "#b3261e", "Trên 20"),
        ]
        for mk in markers:
            n = by_code[mk.key].tasks_overdue
            cat = next(i for i, (limit, _, _) in enumerate(steps) if limit is None or n <= limit)
            mk.category, mk.colour, mk.value = f"s{cat}", steps[cat][1], f"{vn.format_number(n)} nhiệm vụ"
        m.legend = _legend(markers, [(f"s{i}", c, label) for i, (_, c, label) in enumerate(steps)])
        m.value_heading = "Nhiệm vụ quá hạn"
    elif mode == "drug_free":
        for mk in markers:
            r = by_code[mk.key]
            if not r.approved:
                mk.category, mk.colour, mk.value = "none", NO_DATA, "Chưa có kết quả phê duyệt"
            else:
                mk.category = "met" if r.target_met else "below"
                mk.colour = CLASS_COLOURS["drug_free"] if r.target_met else CLASS_COLOURS["II"]
                target = f" (chỉ tiêu {vn.format_percent(r.target, None)})" if r.target is not None else ""
                mk.value = f"{vn.format_percent(r.drug_free_share, 2)}{target}"
        m.legend = _legend(
            markers,
            [
                ("met", CLASS_COLOURS["drug_free"], "Đạt chỉ tiêu lộ trình"),
                ("below", CLASS_COLOURS["II"], "Chưa đạt chỉ tiêu"),
                ("none", NO_DATA, "Chưa có kết quả phê duyệt"),
            ],
        )
        m.value_heading = "Tỷ lệ xã không ma túy"
    else:
        m.mode = "completeness"
        steps2 = [
            (50, "#b3261e", "Dưới 50%"),
            (80, "#e16f24", "50% đến dưới 80%"),
            (100, "#d4a72c", "80% đến dưới 100%"),
        ]
        for mk in markers:
            pct = by_code[mk.key].completeness
            if pct is None:
                mk.category, mk.colour, mk.value = "none", NO_DATA, "Chưa có lịch báo cáo"
            elif pct >= 100:
                mk.category, mk.colour, mk.value = "full", "#1a7f37", vn.format_percent(pct, 0)
            else:
                i = next(i for i, (limit, _, _) in enumerate(steps2) if pct < limit)
                mk.category, mk.colour, mk.value = f"c{i}", steps2[i][1], vn.format_percent(pct, 0)
        order = [(f"c{i}", c, label) for i, (_, c, label) in enumerate(steps2)]
        m.legend = _legend(markers, [*order, ("full", "#1a7f37", "Đủ 100%"), ("none", NO_DATA, "Chưa có lịch báo cáo")])
        m.value_heading = "Tỷ lệ nộp báo cáo"
    m.size_legend = [(vn.format_number(n), 4 + 14 * math.sqrt(n / biggest)) for n in (biggest // 4 or 1, biggest)]
    m.height = project(markers, m.width)
    return m
