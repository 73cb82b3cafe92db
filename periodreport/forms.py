from __future__ import annotations

from django import forms

from periodreport.models import PeriodReport
from reporting.forms_consolidation import NarrativeForm
from reporting.periods import PeriodError, parse


class PeriodReportForm(NarrativeForm):
    """The office's text: heading, five sections, signature (a save adds a version)."""

    class Meta(NarrativeForm.Meta):
        model = PeriodReport
        fields = list(PeriodReport.EDITABLE_FIELDS)


class PeriodChoiceForm(forms.Form):
    period = forms.CharField(required=False)

    def clean_period(self) -> str:
        value = (self.cleaned_data.get("period") or "").strip()
        if value:
            try:
                parse(value)
            except PeriodError as exc:
                raise forms.ValidationError("Kỳ báo cáo không hợp lệ.") from exc
        return value
