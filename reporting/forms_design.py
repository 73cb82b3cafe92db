"""Forms of the catalogue designer (data elements, category combinations, forms, rules)."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import StyledFormMixin
from reporting.models import Category, CategoryCombo, DataElement, Form, ValidationRule


class ElementForm(StyledFormMixin, forms.ModelForm):
    code = forms.CharField(label="Mã", max_length=40, help_text="Chữ in hoa không dấu, chữ số, dấu gạch dưới.")

    class Meta:
        model = DataElement
        fields = [
            "code",
            "name",
            "short_name",
            "definition",
            "unit",
            "value_type",
            "aggregation",
            "category_combo",
            "source_level",
            "source_agencies",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, province: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category_combo"].queryset = CategoryCombo.objects.usable_by(getattr(province, "pk", None)).filter(
            is_active=True
        )
        self.fields["category_combo"].empty_label = "Không phân tổ (chỉ tổng số)"
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].initial = self.instance.code
        elif province is not None:
            self.fields["code"].help_text = (
                f"Chữ in hoa không dấu, chữ số, dấu gạch dưới; chỉ tiêu của tỉnh bắt đầu bằng «T{province.pk}_» "
                f"(ví dụ T{province.pk}_HOC_VIEN)."
            )


class ComboForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label="Mã phân tổ", max_length=40)
    name = forms.CharField(label="Tên phân tổ", max_length=255)
    categories = forms.ModelMultipleChoiceField(
        label="Gồm các nhóm phân tổ có sẵn",
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    category_code = forms.CharField(label="Mã nhóm phân tổ mới", max_length=40, required=False)
    category_name = forms.CharField(label="Tên nhóm phân tổ mới", max_length=120, required=False)
    dhis2_suffix = forms.CharField(
        label="Hậu tố mã chỉ tiêu DHIS2", max_length=12, required=False, help_text="Ví dụ «_DT» (trống: tự đặt)."
    )
    options = forms.CharField(
        label="Các mục của nhóm mới (mỗi dòng «MÃ | Tên»)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ví dụ: AG14_15 | Từ đủ 14 đến dưới 16 tuổi",
    )

    def __init__(self, *args: Any, province: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.usable_by(getattr(province, "pk", None))


class NewFormForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label="Mã biểu mẫu", max_length=40)
    name = forms.CharField(label="Tên biểu mẫu", max_length=255)
    level = forms.ChoiceField(label="Đơn vị báo cáo", choices=Form.Level.choices)
    description = forms.CharField(label="Mô tả", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CopyFormForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label="Mã của bản sao", max_length=40)
    name = forms.CharField(label="Tên của bản sao", max_length=255)


class SectionForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="Tên phần mới", max_length=255)
    agency_codes = forms.CharField(
        label="Cơ quan nhập phần này (mã, cách nhau bởi dấu phẩy; trống: mọi đơn vị)", max_length=120, required=False
    )


class ItemForm(StyledFormMixin, forms.Form):
    section = forms.ChoiceField(label="Phần")
    element = forms.ModelChoiceField(label="Chỉ tiêu", queryset=DataElement.objects.none())
    required = forms.BooleanField(label="Bắt buộc nhập", required=False, initial=True)

    def __init__(self, *args: Any, form: Form, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(str(s.pk), s.name) for s in form.sections.order_by("order", "id")]
        self.fields["element"].queryset = (
            DataElement.objects.usable_by(form.province_id).filter(is_active=True).order_by("code")
        )


class RuleForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label="Mã quy tắc", max_length=40)
    text = forms.CharField(
        label="Quy tắc (biểu thức theo mã chỉ tiêu)",
        max_length=500,
        help_text="Ví dụ: MGMT_ADDICTS:U18 <= MGMT_ADDICTS; phép so sánh <=, >=, ==, <, >.",
    )
    message = forms.CharField(label="Thông báo khi vi phạm", max_length=255)
    severity = forms.ChoiceField(label="Mức độ", choices=ValidationRule.Severity.choices)
    missing_as_zero = forms.BooleanField(label="Ô trống tính là 0", required=False)
