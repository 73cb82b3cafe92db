"""Plans' slow work as background jobs (jobs/): reading an uploaded plan into a review draft, and
the task list XLSX of a province."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse

from geo.models import Province
from jobs.registry import Context, JobError, register
from plans import exports
from plans.extractor import ExtractError
from plans.forms_tracking import TaskFilterForm, office_provinces
from plans.models import Task
from plans.services import imports, tracking
from plans.services.tracking import Bucket


class _Counted:
    """Rows passed through while reporting progress every 500 tasks."""

    def __init__(self, rows: object, total: int, ctx: Context) -> None:
        self.rows, self.total, self.ctx = rows, max(1, total), ctx

    def __iter__(self):  # type: ignore[no-untyped-def]
        for n, row in enumerate(self.rows, start=1):  # type: ignore[attr-defined]
            if n % 500 == 0:
                self.ctx.progress(min(95, 5 + n * 90 // self.total), f"Đã ghi {n} / {self.total} nhiệm vụ…")
            yield row


@register("plans.task_export", "Xuất danh sách nhiệm vụ (Excel)")
def task_export(ctx: Context) -> str:
    p = ctx.params
    province = office_provinces(ctx.user).filter(code=p["province"]).first()
    if province is None:
        raise JobError("Bạn không còn quyền xem nhiệm vụ của tỉnh này.")
    query = QueryDict(mutable=True)
    for key, values in p.get("query", {}).items():
        query.setlist(key, values)
    form = TaskFilterForm(query or None, user=ctx.user, layout="office", province=province)
    tasks = form.filter(tracking.active_tasks(Task.objects.for_user(ctx.user).filter(province=province)))
    on = tracking.today()
    if p.get("overdue"):
        tasks = tasks.filter(tracking.bucket_q(Bucket.OVERDUE, on))
    total = tasks.count()
    ctx.progress(5, f"Đang ghi {total} nhiệm vụ…")
    columns = (
        tasks.select_related("plan", "lead_agency")
        .defer("plan__extraction", "plan__basis")
        .prefetch_related("cooperating", "projects")
    )
    rows = tracking.urgency_ordering(columns, on).iterator(chunk_size=500)
    content = exports.tasks_workbook(_Counted(rows, total, ctx), on=on, heading=f"Danh sách nhiệm vụ — {province}")
    ctx.output(f"nhiem-vu-{province.code}-{on:%Y%m%d}.xlsx").write(content)
    return f"Đã xuất {total} nhiệm vụ."


@register("plans.import", "Đọc kế hoạch tải lên")
def plan_import(ctx: Context) -> str:
    """Extract the uploaded plan (kept with the job) into a draft; the result is its review page."""
    p = ctx.params
    name = p["name"]
    upload = ctx.job.result  # the uploaded file, kept with the job until it has been read
    if not upload:
        raise JobError("Tệp tải lên không còn; hãy tải lên lại.")
    try:
        # The owner's scope is checked again here: the job may run after their role changed.
        province = Province.objects.for_user(ctx.user, "plan.manage").filter(pk=p["province"]).first()
        if province is None:
            raise JobError("Bạn không còn quyền nhập kế hoạch của tỉnh này.")
        ctx.progress(10, f"Đang đọc tệp «{name}»…")
        with upload.open("rb") as fh:
            content = fh.read()
        ctx.progress(30, "Đang nhận ra số, ngày, trích yếu, chỉ tiêu, chế độ báo cáo và các khối nhiệm vụ…")
        draft = imports.create_draft(acting_user=ctx.user, province=province, name=name, content=content)
    except ExtractError as exc:
        raise JobError(f"Không đọc được kế hoạch từ tệp «{name}»: {exc.message} Chưa có gì được lưu.") from None
    except PermissionDenied:
        raise JobError("Bạn không còn quyền nhập kế hoạch của tỉnh này.") from None
    finally:
        upload.delete(save=False)
    ctx.link(reverse("plans:import_review", args=[draft.pk]))
    blocks = len(draft.data.get("assignments") or [])
    return f"Đã đọc kế hoạch «{name}»: {blocks} khối nhiệm vụ. Hãy rà soát từng phần rồi xác nhận."


@register("plans.reminders", "Nhắc hạn nhiệm vụ")
def task_reminders(ctx: Context) -> str:
    import datetime as dt

    on = dt.date.fromisoformat(ctx.params["on"]) if ctx.params.get("on") else None
    ctx.progress(10, "Đang tìm các nhiệm vụ sắp đến hạn và quá hạn…")
    return str(tracking.send_reminders(on=on))
