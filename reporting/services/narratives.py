"""Writing the editable parts of a province's consolidated report (its narrative)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from access.policy import require_visible
from audit.services import diff, record
from reporting.models import Form, ReportNarrative
from reporting.periods import Period

if TYPE_CHECKING:
    from accounts.models import User
    from geo.models import Province

FIELDS = ReportNarrative.EDITABLE_FIELDS


@transaction.atomic
def save_narrative(
    *, acting_user: User, province: Province, form: Form, period: Period, data: dict[str, Any]
) -> ReportNarrative:
    """Create or update the narrative of `province`'s report for `form` and `period`: only where the
    user writes the consolidated report (`consolidation.edit`)."""
    from geo.models import Province as ProvinceModel

    require_visible(
        ProvinceModel.objects.for_user(acting_user, "consolidation.edit"),
        province,
        "Chỉ Cơ quan Thường trực của tỉnh được soạn nội dung báo cáo tổng hợp.",
    )
    obj = ReportNarrative.objects.select_for_update().filter(province=province, form=form, period=period.id).first()
    before = {f: getattr(obj, f) for f in FIELDS} if obj is not None else {}
    obj = obj or ReportNarrative(province=province, form=form, period=period.id)
    for name in FIELDS:
        if name in data:
            setattr(obj, name, data[name])
    obj.updated_by = acting_user
    obj.save()
    record(
        actor=acting_user,
        action="narrative.save",
        obj=obj,
        province_code=province.pk,
        changes=diff(before, {f: getattr(obj, f) for f in FIELDS}),
    )
    return obj
