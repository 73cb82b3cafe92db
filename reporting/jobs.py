"""Reporting's slow work as background jobs (jobs/): exports of consolidated reports (province,
nation; XLSX/DOCX), exchange exports (CSV, DHIS2 JSON) and imports. Each wraps the existing
service calls; the result is spooled to a file, never held whole in memory by the web process."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from access.policy import can
from core.vn import format_number
from geo.models import Province
from jobs.registry import Context, JobError, register
from reporting.models import DataValue, Form, ReportNarrative, Submission
from reporting.periods import parse
from reporting.services import consolidation, exchange, exports, suppression


def _form(pk: Any) -> Form | None:
    return Form.objects.filter(pk=pk).first() if pk else None


def _narrative(province: Province | None, form: Form, period: Any) -> ReportNarrative:
    saved = ReportNarrative.objects.filter(province=province, form=form, period=period.id).first()
    return saved or exports.default_narrative(province=province, form=form, period=period)


def consolidated_scope(ctx: Context, code: str) -> Province | None:
    """The province whose consolidated figures the job writes (None: the nation), the owner's
    scope checked again: the job may run long after the request."""
    if code:
        province = Province.objects.for_user(ctx.user, "consolidation.read").filter(code=code).first()
        if province is None:
            raise JobError("Bạn không còn quyền xem báo cáo tổng hợp của tỉnh này.")
        return province
    if not Province.objects.for_user(ctx.user, "consolidation.nation").exists():
        raise JobError("Bạn không còn quyền xem báo cáo tổng hợp toàn quốc.")
    return None


@register("reporting.report_export", "Xuất báo cáo tổng hợp")
def report_export(ctx: Context) -> str:
    p = ctx.params
    form = _form(p["form"])
    if form is None:
        raise JobError("Biểu mẫu báo cáo không còn.")
    period = parse(p["period"])
    province = consolidated_scope(ctx, p.get("province", ""))
    ctx.progress(10, "Đang tổng hợp số liệu…")
    if province is not None:
        report = consolidation.province_report(
            form=form,
            period=period,
            province=province,
            include_submitted=p["submitted"],
            by_unit=p["fmt"] == "xlsx",
            kind=p.get("kind") or None,
        )
    else:
        report = consolidation.nation_report(
            form=form, period=period, include_submitted=p["submitted"], kind=p.get("kind") or None
        )
    suppression.apply(report, reveal=suppression.reveals(ctx.user, province.pk if province else None))
    ctx.progress(60, "Đang ghi tệp…")
    narrative = _narrative(province, form, period)
    content = exports.report_xlsx(report, narrative) if p["fmt"] == "xlsx" else exports.report_docx(report, narrative)
    stem = f"bao-cao-tong-hop-{province.pk if province else 'toan-quoc'}-{period.id}-{report.kind}"
    ctx.output(f"{stem}.{p['fmt']}").write(content)
    return f"Đã xuất báo cáo tổng hợp: {report.kind_label} ({p['fmt'].upper()})."


def _count_values(ctx: Context, p: dict[str, Any]) -> int:
    subs = Submission.objects.for_user(ctx.user).filter(
        status__in=["approved", "submitted"] if p["submitted"] else ["approved"]
    )
    if p.get("form"):
        subs = subs.filter(schedule__form_id=p["form"])
    if p.get("period"):
        subs = subs.filter(period=p["period"])
    if p.get("kind"):
        subs = subs.filter(kind=p["kind"])
    if p.get("province"):
        subs = subs.filter(province_id=p["province"])
    return DataValue.objects.filter(submission__in=subs).count()


@register("reporting.exchange_export", "Xuất số liệu từng đơn vị (CSV, DHIS2)")
def exchange_export(ctx: Context) -> str:
    p = ctx.params
    if (
        p.get("province")
        and not Province.objects.for_user(ctx.user, "exchange.export").filter(code=p["province"]).exists()
    ):
        raise JobError("Bạn không còn quyền xuất số liệu của tỉnh này.")
    ctx.progress(1, "Đang chọn và sắp xếp các giá trị (bản xuất toàn quốc mất vài phút trước khi ghi dòng đầu)…")
    total = max(1, _count_values(ctx, p))
    rows = exchange.export_values(
        user=ctx.user,
        form=_form(p.get("form")),
        period=p.get("period", ""),
        province=p.get("province", ""),
        include_submitted=p["submitted"],
        kind=p.get("kind", ""),
    )
    kind = f"-{p['kind']}" if p.get("kind") else ""
    stem = f"gia-tri-{p.get('province') or 'toan-quoc'}-{p.get('period') or 'moi-ky'}{kind}"
    out = ctx.output(f"{stem}.{p['fmt']}")
    n = 0
    if p["fmt"] == "json":
        # dataValueSets written value by value: the same document as exchange.to_json, in flat memory.
        out.write(b'{"dataValues": [')
        for n, row in enumerate(rows, start=1):
            out.write((", " if n > 1 else "").encode() + json.dumps(row, ensure_ascii=False).encode())
            if n % 20000 == 0:
                ctx.progress(min(99, n * 100 // total), f"Đã ghi {n:,} giá trị…".replace(",", "."))
        out.write(b"]}")
    else:
        for n, line in enumerate(exchange.to_csv_lines(rows)):
            out.write(line.encode("utf-8"))
            if n and n % 20000 == 0:
                ctx.progress(min(99, n * 100 // total), f"Đã ghi {n:,} giá trị…".replace(",", "."))
    return f"Đã xuất {n:,} giá trị.".replace(",", ".")


@register("reporting.exchange_import", "Nhập số liệu (CSV, DHIS2)")
def exchange_import(ctx: Context) -> str:
    p = ctx.params
    upload = ctx.job.result  # the uploaded file, kept with the job until it has been read
    if not upload:
        raise JobError("Tệp tải lên không còn; hãy tải lên lại.")
    ctx.progress(5, "Đang đọc tệp…")
    with upload.open("rb") as fh:
        data = fh.read()
    upload.delete(save=False)
    rows, errors = exchange.read_upload(p["name"], data)
    ctx.progress(30, f"Đã đọc {len(rows):,} dòng; đang kiểm tra và ghi…".replace(",", "."))
    result = exchange.import_values(
        acting_user=ctx.user, rows=rows, errors=errors, status=p["status"], dry_run=p["dry_run"]
    )
    if not result.ok:
        shown = "; ".join(str(e) for e in result.errors[:20])
        more = f" (và {len(result.errors) - 20} lỗi khác)" if len(result.errors) > 20 else ""
        raise JobError(f"Không nhập được: {len(result.errors)} lỗi. {shown}{more}. Không giá trị nào được ghi.")
    verb = "Kiểm tra thử (không ghi)" if result.dry_run else "Đã nhập"
    return (
        f"{verb} {result.rows} giá trị: {result.created} mới, {result.updated} cập nhật, "
        f"{result.unchanged} không đổi; {result.submissions_created} báo cáo mới."
    )


def _on(ctx: Context) -> dt.date | None:
    return dt.date.fromisoformat(ctx.params["on"]) if ctx.params.get("on") else None


@register("reporting.reminders", "Nhắc hạn nộp báo cáo")
def report_reminders(ctx: Context) -> str:
    from reporting.management.commands.send_report_reminders import summary
    from reporting.services.reminders import send_reminders

    ctx.progress(10, "Đang tìm các báo cáo sắp đến hạn và quá hạn…")
    return summary(send_reminders(on=_on(ctx)))


@register("reporting.national_dataset", "Tạo bộ dữ liệu toàn quốc mô phỏng")
def national_dataset(ctx: Context) -> str:
    """The generator of reporting/management/commands/generate_national_dataset.py, one line of
    progress per province. Never on a real installation: its figures would mix with real reports."""
    from reporting.management.commands.generate_national_dataset import generate

    if settings.PRODUCTION:
        raise JobError(
            "Không tạo dữ liệu mô phỏng trên máy chủ thật (PCMT_ENV=production): số liệu giả sẽ lẫn vào báo cáo thật. "
            "Hãy chạy trên một bản cài thử nghiệm."
        )
    if ctx.user is None or not can(ctx.user, "admin.site"):
        raise JobError("Chỉ quản trị hệ thống được tạo dữ liệu mô phỏng.")
    p = ctx.params
    provinces = p.get("provinces") or None
    total = len(provinces) if provinces else Province.objects.count()

    class Progress:
        done = 0

        def write(self, line: str) -> None:
            self.done += 1
            ctx.progress(min(99, self.done * 100 // max(1, total)), line)

    ctx.progress(1, f"Đang tạo dữ liệu cho {total} tỉnh…")
    try:
        totals = generate(
            years=p["years"],
            provinces=provinces,
            communes_per_province=p.get("communes_per_province", 0),
            seed=p.get("seed", 2026),
            out=Progress(),
        )
    except CommandError as exc:
        raise JobError(str(exc)) from None
    return (
        f"Đã tạo dữ liệu {totals['provinces']} tỉnh: {format_number(totals['submissions'])} báo cáo đã duyệt, "
        f"{format_number(totals['values'])} giá trị (các báo cáo đã có được giữ nguyên)."
    )
