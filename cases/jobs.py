"""The registry's slow work as background jobs (jobs/): importing a list uploaded by a case officer.

The uploaded file is personal data: the request stores it encrypted with the registry's key
(`crypto.seal_bytes`), the job opens it in memory and deletes it whatever happens; no row is
ever logged or kept in clear. The job runs the same service as `manage.py import_persons`.
"""

from __future__ import annotations

from access.policy import can
from cases import crypto
from cases.importing import ImportFileError, import_persons
from jobs.registry import Context, JobError, register

UPLOAD_CONTEXT = "cases.import_upload"
KIND = "cases.import_persons"


@register(KIND, "Nhập danh sách hồ sơ")
def import_job(ctx: Context) -> str:
    p = ctx.params
    upload = ctx.job.result  # the sealed upload, kept with the job until it has been read
    if not upload:
        raise JobError("Tệp tải lên không còn; hãy tải lên lại.")
    try:
        # The owner's right is checked again: the job may run after their role changed.
        if not can(ctx.user, "registry.manage"):
            raise JobError("Bạn không còn quyền quản lý hồ sơ: tệp chưa được nhập.")
        with upload.open("rb") as fh:
            sealed = fh.read()
        try:
            content = crypto.open_bytes(sealed, UPLOAD_CONTEXT)
        except crypto.DecryptionError:
            raise JobError("Không mở được tệp tải lên (khóa mã hóa đã đổi?); hãy tải lên lại.") from None
        ctx.progress(5, "Đang kiểm tra từng dòng…")

        def progress(done: int, total: int) -> None:
            ctx.progress(10 + 89 * done // max(total, 1), f"Đã nhập {done}/{total} người…")

        try:
            report = import_persons(
                content, p["name"], dry_run=bool(p.get("dry_run")), acting_user=ctx.user, progress=progress
            )
        except ImportFileError as exc:
            raise JobError(f"{exc} Chưa có gì được ghi.") from None
    finally:
        upload.delete(save=False)
    if not report.ok:
        raise JobError("\n".join(report.lines()))
    return "\n".join(report.lines())


@register("cases.role_reminders", "Nhắc vai trò quản lý hồ sơ sắp hết hạn")
def role_reminders(ctx: Context) -> str:
    import datetime as dt

    from cases.services.renewals import send_expiry_notices

    on = dt.date.fromisoformat(ctx.params["on"]) if ctx.params.get("on") else None
    ctx.progress(10, "Đang tìm các vai trò quản lý hồ sơ hết hạn trong 30 ngày…")
    return send_expiry_notices(on=on)
