from __future__ import annotations

from django import forms

from core.forms import StyledFormMixin, VNNumberField
from geo.models import CommuneKind

MAX_CSV_BYTES = 2 * 1024 * 1024


class CommuneFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="Tìm theo tên hoặc mã", required=False)
    kind = forms.ChoiceField(label="Loại", required=False, choices=[("", "Tất cả"), *CommuneKind.choices])
    province = forms.CharField(required=False, widget=forms.HiddenInput)


class PopulationForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(
        label="Năm",
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": "Năm phải là số.",
            "min_value": "Năm phải từ 2000.",
            "max_value": "Năm không quá 2100.",
        },
    )
    population = VNNumberField(
        label="Nhân khẩu hiện đang cư trú",
        whole=True,
        min_value=0,
        max_value=5_000_000,
        error_messages={
            "whole": "Nhân khẩu phải là số nguyên.",
            "min_value": "Nhân khẩu không được âm.",
            "max_value": "Nhân khẩu quá lớn cho một xã.",
        },
    )
    source = forms.CharField(label="Nguồn số liệu", max_length=200, required=False)


class PopulationImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="Tệp CSV (code,year,population)")
    source = forms.CharField(label="Nguồn số liệu", max_length=200, required=False)

    def clean_file(self):  # type: ignore[no-untyped-def]
        f = self.cleaned_data["file"]
        if f.size > MAX_CSV_BYTES:
            raise forms.ValidationError("Tệp quá lớn (tối đa 2 MB).")
        if not f.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Chỉ nhận tệp .csv.")
        return f
