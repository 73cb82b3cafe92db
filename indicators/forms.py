"""Forms of the indicator pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from core.forms import StyledFormMixin, VNNumberField
from indicators.models import RELATIVE, Comparator, Indicator
from reporting.periods import KINDS, PeriodError, parse


class PeriodForm(forms.Form):
    period = forms.CharField(required=False, max_length=8)
    kind = forms.ChoiceField(required=False, choices=[("", "")] + list(KINDS.items()))
    submitted = forms.BooleanField(required=False)

    def clean_period(self) -> str:
        value = self.cleaned_data["period"].strip()
        if value:
            try:
                parse(value)
            except PeriodError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value


class TargetForm(StyledFormMixin, forms.Form):
    province = forms.ChoiceField(label="Tỉnh")
    indicator = forms.ModelChoiceField(
        label="Chỉ số", queryset=Indicator.objects.filter(is_active=True), empty_label=None
    )
    year = forms.IntegerField(
        label="Năm (để trống: hằng năm)",
        required=False,
        min_value=2025,
        max_value=2035,
        error_messages={
            "min_value": "Năm từ 2025 đến 2035.",
            "max_value": "Năm từ 2025 đến 2035.",
            "invalid": "Năm phải là số.",
        },
    )
    comparator = forms.ChoiceField(label="So sánh", choices=Comparator.choices)
    value = VNNumberField(label="Giá trị", required=False, max_decimals=2, max_value=Decimal("9999999999.99"))
    note = forms.CharField(label="Căn cứ (kế hoạch, văn bản)", required=False, max_length=255)

    def __init__(self, *args: Any, provinces: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(p.code, p.name) for p in provinces]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        comparator, value = data.get("comparator"), data.get("value")
        if comparator and comparator not in RELATIVE and value is None:
            self.add_error("value", "Hãy nhập giá trị của chỉ tiêu.")
        if value is not None and value < Decimal(0):
            self.add_error("value", "Giá trị không được âm.")
        if comparator == Comparator.INCREASE and value is None:
            self.add_error("value", "Hãy nhập mức tăng (%).")
        return data
