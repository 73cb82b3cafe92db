"""The province's report for a period as ONE document (issue 16 §1): every form that feeds it
(the communes' and the agencies'), the tasks' progress by project, the indicators against their
targets, and five narrative sections pre-filled with sentences generated from the data that the
Standing Office edits; saved per period as numbered versions. The same for the nation from the
provinces' approved data.

Figures come from the consolidation service (approved data only); each form's part says how many
of its reporting units the figures rest on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from access.policy import require_visible
from audit.services import diff, record
from core import vn
from indicators.rules import OFF_TRACK
from periodreport.models import PeriodReport
from reporting.models import Form, Schedule
from reporting.periods import Period
from reporting.services import consolidation
from reporting.services.exports import default_narrative, period_words, table_rows

if TYPE_CHECKING:
    from accounts.models import User
    from geo.models import Province
    from indicators.services import Dashboard

FIELDS = PeriodReport.EDITABLE_FIELDS
LATE_NAMES_SHOWN = 8


@dataclass
class Part:
    """One form's share of the report: its consolidated figures and the units they rest on."""

    form: Form
    report: consolidation.Report

    @property
    def expected(self) -> int:
        return len(self.report.units)

    @property
    def covered(self) -> int:
        return sum(1 for unit in self.report.units if unit.cells)

    @property
    def missing(self) -> list[str]:
        return [unit.name for unit in self.report.units if not unit.cells]

    @property
    def unit_word(self) -> str:
        if self.report.province is None:
            return "tỉnh, thành phố"
        return "xã, phường" if self.form.level == Form.Level.COMMUNE else "cơ quan, đơn vị"

    @property
    def coverage_text(self) -> str:
        """ "87/102 xã có số liệu đã duyệt": the consolidation's own count of the units it rests on."""
        return self.report.coverage.label

    @property
    def table(self) -> list[list[str]]:
        """The form's rows as every output shows them (the DOCX's formatting)."""
        return table_rows(self.report)

    @property
    def thin(self) -> bool:
        """Below the coverage threshold: the figures do not yet speak for the province (nation)."""
        return bool(self.report.coverage.expected) and not self.report.coverage.enough()


@dataclass
class ProjectProgress:
    """Tasks of one programme project (DA1–DA9; "" for tasks without a project) due in the period."""

    code: str
    name: str
    due: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def sentence(self) -> str:
        head = f"{self.name}: {vn.format_number(self.due)} nhiệm vụ đến hạn trong kỳ"
        return f"{head}, đã hoàn thành {vn.format_number(self.done)}, quá hạn chưa hoàn thành {vn.format_number(self.overdue)}."


@dataclass
class Bundle:
    province: Province | None  # None: the nation
    period: Period
    kind: str
    parts: list[Part]
    projects: list[ProjectProgress] = field(default_factory=list)
    upcoming: list[str] = field(default_factory=list)  # tasks due in the next period (texts)
    indicators: Dashboard | None = None

    @property
    def where(self) -> str:
        if self.province is None:
            return "toàn quốc"
        return f"toàn {'thành phố' if self.province.is_city else 'tỉnh'}"


# ---- what feeds the report ------------------------------------------------------------------


def forms_for(province: Province | None, period: Period | None) -> list[Form]:
    """Forms with an active schedule of the period's frequency (any, without a period) in the
    province (any province for the nation): the communes' form(s) first, then the agencies'."""
    schedules = Schedule.objects.filter(is_active=True, form__is_active=True)
    if period is not None:
        schedules = schedules.filter(frequency=period.frequency)
    if province is not None:
        schedules = schedules.filter(province=province)
    ids = set(schedules.values_list("form_id", flat=True))
    forms = list(Form.objects.filter(pk__in=ids))
    forms.sort(key=lambda f: (f.level != Form.Level.COMMUNE, f.name))
    return forms


def _project_progress(province: Province | None, period: Period, today: dt.date) -> list[ProjectProgress]:
    """Tasks due within the period, by top-level project, with how many are done and overdue."""
    from plans.models import Task, TaskStatus
    from program.models import Project

    start, end = period.bounds("calendar")
    tasks = Task.objects.filter(deadline__gte=start, deadline__lte=end)
    if province is not None:
        tasks = tasks.filter(province=province)
    rows = tasks.values_list("pk", "status", "deadline", "projects__code", "projects__parent_id")
    projects = {p.code: p for p in Project.objects.filter(parent__isnull=True)}
    seen: dict[str, set[int]] = defaultdict(set)
    out: dict[str, ProjectProgress] = {}
    for pk, status, deadline, code, parent in rows:
        top = parent or code or ""
        if pk in seen[top]:
            continue
        seen[top].add(pk)
        name = f"Dự án {projects[top].number}" if top in projects else "Nhiệm vụ chung (không thuộc dự án)"
        item = out.setdefault(top, ProjectProgress(top, name))
        item.due += 1
        if status == TaskStatus.DONE:
            item.done += 1
        elif deadline is not None and deadline < today:
            item.overdue += 1
    order = {code: p.sort_key for code, p in projects.items()}
    return sorted(out.values(), key=lambda p: (p.code == "", order.get(p.code, 0), p.code))


def _upcoming(province: Province | None, period: Period, limit: int = 6) -> list[str]:
    from plans.models import Task, TaskStatus

    start, end = period.next().bounds("calendar")
    tasks = Task.objects.filter(deadline__gte=start, deadline__lte=end).exclude(status=TaskStatus.DONE)
    if province is not None:
        tasks = tasks.filter(province=province)
    return [t[:160] for t in tasks.order_by("deadline", "pk").values_list("text", flat=True)[:limit]]


def assemble(
    *,
    province: Province | None,
    period: Period,
    include_submitted: bool = False,
    today: dt.date | None = None,
    viewer: Any = None,
) -> Bundle:
    """Everything the document says for `province` (None: the nation) and `period`. With a
    `viewer`, small counts of people are masked unless they review the province's units
    (`reporting.services.suppression`); without one (a service call) the figures are exact."""
    from django.utils import timezone

    from indicators.services import dashboard
    from reporting.services import suppression

    today = today or timezone.localdate()
    parts = []
    for form in forms_for(province, period):
        if province is not None:
            report = consolidation.province_report(
                form=form, period=period, province=province, include_submitted=include_submitted, by_unit=True
            )
        else:
            report = consolidation.nation_report(form=form, period=period, include_submitted=include_submitted)
        if viewer is not None:
            suppression.apply(report, reveal=suppression.reveals(viewer, province.pk if province else None))
        parts.append(Part(form, report))
    return Bundle(
        province,
        period,
        period.frequency,
        parts,
        _project_progress(province, period, today),
        _upcoming(province, period),
        dashboard(period=period, province=province, include_submitted=include_submitted),
    )


# ---- generated sentences --------------------------------------------------------------------


def _change_words(current: Decimal | None, before: Decimal | None, against: str) -> str:
    change = consolidation.change(current, before)
    if change is None:
        return ""
    if change == 0:
        return f"bằng {against}"
    word = "tăng" if change > 0 else "giảm"
    return f"{word} {vn.format_number(abs(change), 1)} % so với {against}"


def result_sentences(part: Part) -> list[str]:
    """One sentence per figure of the form that has data (its breakdowns stay in the tables)."""
    report = part.report
    last_year = f"cùng kỳ năm {report.period.year - 1}"
    out = []
    for row in report.rows:
        value = row.current.value
        if row.category or value is None:
            continue
        if row.current.masked:  # a small count of people, for a reader who does not review the units
            out.append(f"- {row.element.name}: dưới 5 {row.element.unit}.")
            continue
        changes = [
            w
            for w in (
                _change_words(value, row.previous.value, "kỳ trước") if not row.previous.masked else "",
                _change_words(value, row.last_year.value, last_year) if not row.last_year.masked else "",
            )
            if w
        ]
        tail = f" ({'; '.join(changes)})" if changes else ""
        unit = f" {row.element.unit}" if row.element.unit else ""
        out.append(f"- {row.element.name}: {consolidation.format_figure(value, row.element)}{unit}{tail}.")
    return out


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:LATE_NAMES_SHOWN])
    rest = len(names) - LATE_NAMES_SHOWN
    return f"{shown} và {vn.format_number(rest)} đơn vị khác" if rest > 0 else shown


def generate(bundle: Bundle) -> dict[str, str]:
    """The five sections as sentences from the data; the office edits them before signing."""
    words = period_words(bundle.period)
    coverage = "; ".join(f"{p.form.name}: {p.coverage_text}" for p in bundle.parts)
    situation = [
        f"Trong {words}, {bundle.where} đã tổng hợp số liệu từ "
        + (coverage if coverage else "chưa có biểu mẫu báo cáo nào áp dụng cho kỳ này")
        + "."
    ]
    thin = [p for p in bundle.parts if p.thin]
    if thin:
        situation.append(
            "Lưu ý: số liệu của "
            + ", ".join(p.form.name for p in thin)
            + f" mới phản ánh dưới {vn.format_number(consolidation.COVERAGE_THRESHOLD)} % đơn vị báo cáo, chưa đủ để đánh giá chung."
        )

    results: list[str] = []
    for part in bundle.parts:
        results.append(f"* {part.form.name} ({part.coverage_text}):")
        sentences = result_sentences(part)
        results.extend(sentences or ["- Chưa có số liệu đã duyệt."])
    if bundle.projects:
        results.append("* Tiến độ thực hiện nhiệm vụ theo dự án:")
        results.extend(f"- {p.sentence}" for p in bundle.projects)
    cards = bundle.indicators.cards if bundle.indicators is not None else []
    judged = [c for c in cards if c.cell.value is not None]
    if judged:
        results.append("* Các chỉ tiêu của Chương trình:")
        for card in judged:
            goal = f", mục tiêu {card.cell.goal.label}" if card.cell.goal is not None else ""
            value = vn.format_number(card.cell.value, 1)
            results.append(f"- {card.indicator.name}: {value}{goal} — {card.cell.label.lower()}.")

    shortcomings: list[str] = []
    for part in bundle.parts:
        if part.missing:
            shortcomings.append(
                f"- {vn.format_number(len(part.missing))} {part.unit_word} chưa có số liệu đã duyệt của "
                f"{part.form.name.lower()}: {_names(part.missing)}."
            )
    overdue = sum(p.overdue for p in bundle.projects)
    if overdue:
        shortcomings.append(
            f"- {vn.format_number(overdue)} nhiệm vụ đến hạn trong kỳ đã quá hạn nhưng chưa hoàn thành."
        )
    missed = [c for c in judged if c.cell.status == OFF_TRACK]
    if missed:
        shortcomings.append("- Chưa đạt chỉ tiêu: " + "; ".join(c.indicator.name for c in missed) + ".")

    next_words = period_words(bundle.period.next())
    next_tasks = [f"Trong {next_words}, tiếp tục triển khai các nhiệm vụ của Chương trình; tập trung:"]
    next_tasks.extend(f"- {text}" for text in bundle.upcoming)
    if any(p.missing for p in bundle.parts):
        next_tasks.append("- Đôn đốc các đơn vị chưa báo cáo hoàn thành, gửi số liệu đúng hạn.")

    proposals = []
    if missed or overdue:
        proposals.append(
            "Đề nghị các sở, ngành và Ủy ban nhân dân cấp xã tập trung chỉ đạo thực hiện các chỉ tiêu, nhiệm vụ "
            "chưa đạt, quá hạn nêu tại mục III."
        )
    return {
        "situation": "\n".join(situation),
        "results": "\n".join(results),
        "shortcomings": "\n".join(shortcomings) or "Không có tồn tại nổi bật được ghi nhận từ số liệu.",
        "next_tasks": "\n".join(next_tasks),
        "proposals": "\n".join(proposals),
    }


# ---- saved versions -------------------------------------------------------------------------


def latest(*, province: Province | None, period: Period) -> PeriodReport | None:
    return (
        PeriodReport.objects.filter(province=province, kind=period.frequency, period=period.id)
        .order_by("-version")
        .first()
    )


def versions(*, province: Province | None, period: Period) -> list[PeriodReport]:
    return list(
        PeriodReport.objects.filter(province=province, kind=period.frequency, period=period.id)
        .select_related("saved_by")
        .order_by("-version")
    )


def draft(*, bundle: Bundle, generated: dict[str, str] | None = None) -> PeriodReport:
    """The newest saved version, or an unsaved one: the usual heading with the generated sections
    (`generated`: `generate(bundle)` when the caller already has it)."""
    saved = latest(province=bundle.province, period=bundle.period)
    if saved is not None:
        return saved
    base = default_narrative(province=bundle.province, form=None, period=bundle.period)
    report = PeriodReport(
        province=bundle.province,
        kind=bundle.kind,
        period=bundle.period.id,
        version=0,
        **(generated or generate(bundle)),
    )
    for name in FIELDS:
        if name not in PeriodReport.SECTIONS:
            setattr(report, name, getattr(base, name))
    return report


def save(*, acting_user: User, province: Province | None, period: Period, data: dict[str, Any]) -> PeriodReport:
    """A new version of the report with `data` (the office's text). Only where the user writes the
    consolidated report: their province (`consolidation.edit`) or the nation (`consolidation.nation`)."""
    from geo.models import Province as ProvinceModel

    if province is not None:
        require_visible(
            ProvinceModel.objects.for_user(acting_user, "consolidation.edit"),
            province,
            "Chỉ Cơ quan Thường trực của tỉnh được soạn báo cáo chung của tỉnh.",
        )
    else:
        from access.policy import require

        require(acting_user, "consolidation.nation", "Chỉ cơ quan tổng hợp toàn quốc được soạn báo cáo toàn quốc.")
    for _ in range(3):  # two saves at once: the second takes the next number
        try:
            with transaction.atomic():
                return _save(acting_user, province, period, data)
        except IntegrityError:
            continue
    raise IntegrityError("provincial report version race")


def _save(acting_user: User, province: Province | None, period: Period, data: dict[str, Any]) -> PeriodReport:
    mine = PeriodReport.objects.filter(province=province, kind=period.frequency, period=period.id)
    before_obj = mine.order_by("-version").first()
    number = (mine.aggregate(n=Max("version"))["n"] or 0) + 1
    report = PeriodReport(
        province=province, kind=period.frequency, period=period.id, version=number, saved_by=acting_user
    )
    for name in FIELDS:
        setattr(report, name, data.get(name, getattr(before_obj, name, "") if before_obj else ""))
    report.full_clean(exclude=["province", "saved_by"])
    report.save()
    before = {f: getattr(before_obj, f) for f in FIELDS} if before_obj is not None else {}
    record(
        actor=acting_user,
        action="period_report.save",
        obj=report,
        province_code=province.pk if province is not None else "",
        changes=diff(before, {f: getattr(report, f) for f in FIELDS}),
    )
    return report
