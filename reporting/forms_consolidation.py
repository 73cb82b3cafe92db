"""Forms of the consolidation, export and data-exchange pages."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import StyledFormMixin, VNDateField
from reporting.models import Form, ReportNarrative
from reporting.periods import KINDS, PeriodError, parse

KIND_CHOICES = [("", "Theo kỳ đã chọn")] + list(KINDS.items())


def _forms(user: Any) -> Any:
    """Active forms the user may read (the national ones and their provinces' own), commune first."""
    forms = Form.objects.for_user(user) if user is not None else Form.objects.all()
    return forms.filter(is_active=True).order_by("-level", "province_id", "code")


class ReportFilterForm(StyledFormMixin, forms.Form):
    form = forms.ModelChoiceField(label="Biểu mẫu", queryset=Form.objects.none(), required=False, empty_label=None)
    period = forms.CharField(label="Kỳ báo cáo", required=False, max_length=8)
    kind = forms.ChoiceField(label="Loại báo cáo", choices=KIND_CHOICES, required=False)
    submitted = forms.BooleanField(label="Gồm cả báo cáo đã nộp chưa duyệt", required=False)
    element = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The national forms and those of the user's provinces; commune forms first.
        self.fields["form"].queryset = _forms(user)

    def clean_period(self) -> str:
        value = self.cleaned_data["period"].strip()
        if value:
            try:
                parse(value)
            except PeriodError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value


class NarrativeForm(StyledFormMixin, forms.ModelForm):
    issued_on = VNDateField(label="Ngày ban hành", widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}))

    class Meta:
        model = ReportNarrative
        fields = list(ReportNarrative.EDITABLE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ReportNarrative.SECTIONS} | {
            "recipients": forms.Textarea(attrs={"rows": 4}),
            "title": forms.Textarea(attrs={"rows": 2}),
            "signer_authority": forms.Textarea(attrs={"rows": 2}),  # "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"
        }


STATUS_CHOICES = [
    ("submitted", "Đã nộp (chờ duyệt)"),
    ("draft", "Đang nhập (đơn vị còn sửa được)"),
]  # never "approved": approval is the review's act, on the report's own page


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="Tệp CSV hoặc JSON (dataValueSets)")
    status = forms.ChoiceField(label="Trạng thái báo cáo sau khi nhập", choices=STATUS_CHOICES, initial="submitted")
    dry_run = forms.BooleanField(
        label="Chạy thử: chỉ báo cáo những gì sẽ thay đổi, không lưu", required=False, initial=True
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > self.max_bytes:
            raise forms.ValidationError(f"Tệp quá lớn (tối đa {self.max_bytes // (1024 * 1024)} MB).")
        return f


class ExportForm(StyledFormMixin, forms.Form):
    format = forms.ChoiceField(
        label="Định dạng", choices=[("csv", "CSV"), ("json", "JSON (DHIS2 dataValueSets)")], initial="csv"
    )
    form = forms.ModelChoiceField(
        label="Biểu mẫu", queryset=Form.objects.none(), required=False, empty_label="Mọi biểu mẫu"
    )
    period = forms.CharField(label="Kỳ (để trống: mọi kỳ)", required=False, max_length=8)
    kind = forms.ChoiceField(
        label="Loại báo cáo",
        choices=[("", "Mọi loại (cột kind ghi báo cáo một lần)")] + list(KINDS.items()),
        required=False,
        help_text="Báo cáo năm và báo cáo một lần cùng kỳ «2026» không bao giờ bị cộng lẫn.",
    )
    province = forms.ChoiceField(label="Tỉnh", required=False)
    submitted = forms.BooleanField(label="Gồm cả báo cáo đã nộp chưa duyệt", required=False)

    def __init__(self, *args: Any, provinces: list[tuple[str, str]], user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = _forms(user)
        self.fields["province"].choices = provinces

    def clean_period(self) -> str:
        value = self.cleaned_data["period"].strip()
        if value:
            try:
                parse(value)
            except PeriodError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value
