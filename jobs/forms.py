"""The system administrator's forms to start the installation's jobs by hand."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import StyledFormMixin, VNDateField
from geo.models import Province


class DatasetForm(StyledFormMixin, forms.Form):
    """The national dataset generator (reporting.national_dataset): simulated approved reports."""

    years = forms.IntegerField(label="Số năm", min_value=1, max_value=10, initial=1)
    provinces = forms.ModelMultipleChoiceField(
        label="Tỉnh",
        queryset=Province.objects.order_by("code"),
        required=False,
        help_text="Bỏ trống: cả 34 tỉnh.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    communes_per_province = forms.IntegerField(
        label="Số xã mỗi tỉnh", min_value=0, max_value=500, initial=0, help_text="0: mọi xã của tỉnh."
    )

    def params(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "years": d["years"],
            "provinces": [p.code for p in d["provinces"]],
            "communes_per_province": d["communes_per_province"] or 0,
        }


class RemindersForm(StyledFormMixin, forms.Form):
    """Reminders of reports and tasks due soon or overdue (the daily cron, started by hand)."""

    KINDS = {
        "reporting.reminders": "Nhắc hạn nộp báo cáo",
        "plans.reminders": "Nhắc hạn nhiệm vụ",
        "cases.role_reminders": "Nhắc vai trò quản lý hồ sơ sắp hết hạn",
    }

    kind = forms.ChoiceField(label="Loại nhắc", choices=list(KINDS.items()))
    on = VNDateField(label="Ngày tính nhắc", required=False, help_text="dd/mm/yyyy; bỏ trống: hôm nay.")

    def params(self) -> dict[str, Any]:
        on = self.cleaned_data["on"]
        return {"on": on.isoformat() if on else ""}
