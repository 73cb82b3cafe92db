"""DHIS2 exchange in the background (jobs/): dataValueSets out (JSON, CSV) and in (import summary)."""

from __future__ import annotations

import json

from dhis2 import services
from geo.models import Province
from jobs.registry import Context, JobError, register
from reporting.models import Form


def _province(ctx: Context, code: str, feature: str) -> Province | None:
    if not code:
        return None
    province = Province.objects.for_user(ctx.user, feature).filter(code=code).first()
    if province is None:
        raise JobError("Bạn không còn quyền với số liệu của tỉnh này.")
    return province


@register("dhis2.export", "Xuất dataValueSets cho DHIS2")
def export(ctx: Context) -> str:
    p = ctx.params
    province = _province(ctx, p.get("province", ""), "exchange.export")
    form = Form.objects.filter(pk=p["form"]).first() if p.get("form") else None
    opts = services.options({"idScheme": p["scheme"]})
    opts.foreign = bool(p.get("foreign"))
    values = services.export_value_set(
        user=ctx.user,
        form=form,
        period=p.get("period", ""),
        province=province,
        include_submitted=p["submitted"],
        opts=opts,
    )
    out = ctx.output(f"dataValueSets-{p.get('province') or 'toan-quoc'}-{p.get('period') or 'moi-ky'}.{p['fmt']}")
    n = 0
    if p["fmt"] == "json":
        out.write(b'{"dataValues": [')
        for n, value in enumerate(values, start=1):
            out.write((", " if n > 1 else "").encode() + json.dumps(value, ensure_ascii=False).encode())
            if n % 20000 == 0:
                ctx.progress(50, f"Đã ghi {n:,} giá trị…".replace(",", "."))
        out.write(b"]}")
    else:
        lines = services.to_csv_lines(values)
        out.write(next(lines).encode("utf-8"))  # the header
        for n, line in enumerate(lines, start=1):
            out.write(line.encode("utf-8"))
            if n % 20000 == 0:
                ctx.progress(50, f"Đã ghi {n:,} giá trị…".replace(",", "."))
    return f"Đã xuất {n:,} giá trị theo idScheme={p['scheme']}.".replace(",", ".")


@register("dhis2.import", "Nhập dataValueSets từ DHIS2")
def import_(ctx: Context) -> str:
    p = ctx.params
    upload = ctx.job.result
    if not upload:
        raise JobError("Tệp tải lên không còn; hãy tải lên lại.")
    ctx.progress(5, "Đang đọc tệp…")
    with upload.open("rb") as fh:
        data = fh.read()
    upload.delete(save=False)
    params = {"idScheme": p["scheme"], "dryRun": "true" if p["dry_run"] else "false"}
    params["atomicMode"] = "NONE" if p["partial"] else "ALL"
    content_type = "text/csv" if p["name"].lower().endswith(".csv") else "application/json"
    summary = services.import_value_set(
        acting_user=ctx.user, data=data, content_type=content_type, opts=services.options(params)
    )
    ctx.output("importSummary.json").write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2).encode())
    counts = summary.as_dict()["importCount"]
    head = {"SUCCESS": "Thành công", "WARNING": "Nhập một phần", "ERROR": "Không nhập"}[summary.status]
    text = (
        f"{head}{' (chạy thử, không ghi)' if p['dry_run'] else ''}: {counts['imported']} mới, "
        f"{counts['updated']} cập nhật, {counts['ignored']} bỏ qua."
    )
    if summary.conflicts:
        shown = "; ".join(f"#{(c.index or 0) + 1} {c.value}" for c in summary.conflicts[:10])
        text += f" {len(summary.conflicts)} giá trị bị từ chối: {shown}."
    if summary.status == "ERROR":
        raise JobError(text + " Không giá trị nào được ghi.")
    return text
