"""The period's report as files, in the background (jobs/): the DOCX and the XLSX workbook."""

from __future__ import annotations

from jobs.registry import Context, JobError, register
from periodreport import exports, services
from reporting.jobs import consolidated_scope
from reporting.periods import PeriodError, parse


@register("periodreport.export", "Xuất báo cáo chung của kỳ")
def report_export(ctx: Context) -> str:
    p = ctx.params
    try:
        period = parse(p["period"])
    except (PeriodError, KeyError) as exc:
        raise JobError("Kỳ báo cáo không hợp lệ.") from exc
    province = consolidated_scope(ctx, p.get("province", ""))
    ctx.progress(10, "Đang tổng hợp số liệu của các biểu mẫu…")
    bundle = services.assemble(province=province, period=period, viewer=ctx.user)
    letter = services.draft(bundle=bundle)
    ctx.progress(60, "Đang ghi tệp…")
    fmt = p.get("fmt")
    if fmt not in ("docx", "xlsx"):
        raise JobError("Định dạng tệp không hợp lệ.")
    content = exports.report_docx(bundle, letter) if fmt == "docx" else exports.report_xlsx(bundle, letter)
    stem = f"bao-cao-chung-{province.pk if province else 'toan-quoc'}-{period.id}"
    ctx.output(f"{stem}.{fmt}").write(content)
    version = f"phiên bản {letter.version}" if letter.pk else "nội dung gợi ý, chưa lưu"
    return f"Đã xuất báo cáo chung {period.label} ({fmt.upper()}, {version})."
