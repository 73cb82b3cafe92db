"""Forms of the legal reference pages: a rule set (its header and one row per decision type) and a
holiday."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from core.forms import StyledFormMixin, VNDateField
from legal.models import Holiday, RuleSet
from legal.path import DECISION_TYPES
from legal.rules import RuleError, validate_body

_INT = {"min_value": 1, "max_value": 120, "required": False}


class RuleSetForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label="Mã", max_length=40)
    name = forms.CharField(label="Tên", max_length=200)
    effective_from = VNDateField(label="Hiệu lực từ ngày")
    effective_to = VNDateField(
        label="Hiệu lực đến hết ngày", required=False, help_text="Để trống nếu chưa hết hiệu lực."
    )
    citation = forms.CharField(label="Căn cứ pháp lý", widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(
        label="Ghi chú (nội dung chưa xác nhận)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, instance: RuleSet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().upper()
        if not code.replace("-", "").replace("_", "").isalnum():
            raise forms.ValidationError("Mã chỉ gồm chữ, số, dấu gạch.")
        clash = RuleSet.objects.filter(code=code)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Mã này đã có.")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", "Ngày hết hiệu lực phải sau ngày có hiệu lực.")
        return data


class DecisionRuleForm(StyledFormMixin, forms.Form):
    """One decision type's row: left out of the rule set when "áp dụng" is unticked."""

    decision_type = forms.ChoiceField(choices=list(DECISION_TYPES.items()), widget=forms.HiddenInput)
    included = forms.BooleanField(label="Áp dụng", required=False)
    signer = forms.CharField(label="Cơ quan, người ký", max_length=200, required=False)
    basis = forms.CharField(label="Căn cứ", max_length=500, required=False)
    months = forms.IntegerField(label="Thời hạn (tháng)", **_INT)
    months_repeat = forms.IntegerField(label="Từ lần thứ hai (tháng)", **_INT)
    min_months = forms.IntegerField(label="Tối thiểu (tháng)", **_INT)
    max_months = forms.IntegerField(label="Tối đa (tháng)", **_INT)
    due_working_days = forms.IntegerField(label="Hạn (ngày làm việc)", **_INT)
    due_label = forms.CharField(label="Tên hạn", max_length=200, required=False)
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)

    @property
    def label(self) -> str:
        code = self.initial.get("decision_type") or self.data.get(self.add_prefix("decision_type"), "")
        return DECISION_TYPES.get(code, code)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("included"):
            for key in ("signer", "basis"):
                if not (data.get(key) or "").strip():
                    self.add_error(key, "Bắt buộc khi áp dụng.")
        return data

    def row(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("included"):
            return None
        keys = ("signer", "basis", "months", "months_repeat", "min_months", "max_months", "due_working_days")
        row = {k: data[k] for k in keys if data.get(k) not in (None, "")}
        row.update({k: data[k] for k in ("due_label", "note") if data.get(k)})
        return row


DecisionRuleFormSet = forms.formset_factory(DecisionRuleForm, extra=0)


def rule_rows_initial(body: dict[str, Any]) -> list[dict[str, Any]]:
    decisions = body.get("decisions", {})
    return [
        {"decision_type": code, "included": code in decisions, **decisions.get(code, {})} for code in DECISION_TYPES
    ]


def body_from(formset: Any) -> dict[str, Any]:
    """The body the rows describe, validated (RuleError for the formset's non-form errors)."""
    decisions = {form.cleaned_data["decision_type"]: row for form in formset.forms if (row := form.row()) is not None}
    body = {"decisions": decisions}
    validate_body(body)
    return body


def rule_set_data(form: RuleSetForm, formset: Any) -> dict[str, Any] | None:
    """Header and rules as one dict for the service, or None with the errors put on the forms."""
    if not (form.is_valid() and formset.is_valid()):
        return None
    try:
        body = body_from(formset)
    except RuleError as exc:
        form.add_error(None, str(exc))
        return None
    return {**form.cleaned_data, "body": body}


class HolidayForm(StyledFormMixin, forms.Form):
    day = VNDateField(label="Ngày")
    name = forms.CharField(label="Tên ngày nghỉ", max_length=200)
    source = forms.CharField(label="Nguồn (văn bản, thông báo)", max_length=200, required=False)

    def __init__(self, *args: Any, instance: Holiday | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"day": instance.day, "name": instance.name, "source": instance.source}
        super().__init__(*args, **kwargs)

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if not 1990 <= day.year <= 2100:
            raise forms.ValidationError("Năm phải trong khoảng 1990–2100.")
        return day
