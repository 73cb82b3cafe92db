"""Forms of the area pages. Numbers are typed the Vietnamese way: 1.234 and 12,5."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from areas.models import (
    CLASS_CHOICES,
    COMMUNE_FIGURES,
    FIRST_LEGACY_YEAR,
    FIRST_QD28_YEAR,
    LEGACY_CLASS_CHOICES,
    NATIONAL_TARGETS,
    PROVINCE_FIGURES,
    ROADMAP_YEARS,
    Status,
)
from areas.selectors import CLASS_FILTERS, SORTS
from areas.services import figure_label
from core.forms import StyledFormMixin, VNDateField, VNNumberField
from core.vn import format_number


class CountField(VNNumberField):
    """A whole number written 1.234 or 1234 (`core.vn` rules); blank gives None."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, whole=True, min_value=0, **kwargs)
        self.error_messages["min_value"] = f"{self.label} không được âm."
        self.error_messages["whole"] = f"{self.label} phải là số nguyên (ví dụ 1.234)."


class AreaField(VNNumberField):
    """A number with up to 2 decimals, written 1.234,5 (`core.vn` rules); blank gives None."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, min_value=0, max_decimals=2, **kwargs)
        self.error_messages["min_value"] = f"{self.label} không được âm."
        self.error_messages["max_decimals"] = f"{self.label}: chỉ ghi tối đa 2 chữ số thập phân."


class YesNoField(forms.TypedChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            *args,
            choices=[("", "— Chọn —"), ("1", "Có"), ("0", "Không")],
            coerce=lambda v: v == "1",
            empty_value=None,
            **kwargs,
        )


def figure_field(name: str) -> forms.Field:
    label = figure_label(name)
    if name == "area_m2":
        return AreaField(label=label)
    if name in ("on_route", "on_interprovincial_route"):
        return YesNoField(label=label)
    return CountField(label=label)


def format_vn(value: Any) -> str:
    """A stored figure as the user types it (`core.vn`): 1234 → "1.234", Decimal("12.50") → "12,5", True → "1"."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return format_number(value)


class FiguresForm(StyledFormMixin, forms.Form):
    """Figures with a source note beside each one, and a note that applies to blank notes."""

    figure_names: tuple[str, ...] = ()
    default_note = forms.CharField(
        label="Nguồn chung",
        max_length=255,
        required=False,
        help_text="Áp dụng cho những số liệu nhập tay không ghi nguồn riêng (ví dụ: Công an xã, số liệu đến 14/12).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.figure_names:
            self.fields[name] = figure_field(name)
            self.fields[f"{name}_note"] = forms.CharField(
                label=f"Nguồn — {figure_label(name)}", max_length=255, required=False
            )
        # The mixin styled the declared fields before these were added: style them the same way.
        for name in self.figure_names:
            for key in (name, f"{name}_note"):
                widget = self.fields[key].widget
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(name, self[name], self[f"{name}_note"]) for name in self.figure_names]

    def figures(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.figure_names}

    def notes(self) -> dict[str, str]:
        default = (self.cleaned_data.get("default_note") or "").strip()
        return {name: (self.cleaned_data.get(f"{name}_note") or "").strip() or default for name in self.figure_names}

    @classmethod
    def initial_from(cls, obj: Any, prefill: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in cls.figure_names:
            value = getattr(obj, name, None) if obj is not None else None
            source = obj.source_of(name) if obj is not None else {}
            if value is None and name in prefill:
                value = prefill[name].value
            initial[name] = format_vn(value)
            if source.get("kind") == "manual":
                initial[f"{name}_note"] = source.get("note", "")
        return initial


class SelfAssessmentForm(FiguresForm):
    figure_names = COMMUNE_FIGURES
    comment = forms.CharField(
        label="Ý kiến, đề xuất của xã", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProvinceAssessmentForm(FiguresForm):
    figure_names = PROVINCE_FIGURES
    note = forms.CharField(
        label="Ghi chú của tỉnh", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label="Lý do trả lại, nội dung cần bổ sung",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Ghi rõ lý do trả lại để xã bổ sung."},
    )


class ForwardForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label="Ý kiến thẩm định (không bắt buộc)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(StyledFormMixin, forms.Form):
    decision_number = forms.CharField(
        label="Số quyết định của UBND tỉnh",
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "1234/QĐ-UBND"}),
        error_messages={"required": "Nhập số quyết định phê duyệt (ví dụ: 1234/QĐ-UBND)."},
    )
    decision_date = VNDateField(
        label="Ngày quyết định",
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"required": "Nhập ngày quyết định (dd/mm/yyyy)."},
    )
    approved_class = forms.ChoiceField(label="Xếp loại được phê duyệt", choices=CLASS_CHOICES)
    note = forms.CharField(
        label="Ghi chú (bắt buộc nếu khác đề xuất của xã)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HistoricalForm(StyledFormMixin, forms.Form):
    year = forms.TypedChoiceField(
        label="Năm", coerce=int, choices=[(y, str(y)) for y in range(FIRST_QD28_YEAR - 1, FIRST_LEGACY_YEAR - 1, -1)]
    )
    klass = forms.ChoiceField(label="Xếp loại theo QĐ 3122/2010/QĐ-BCA", choices=LEGACY_CLASS_CHOICES)
    decision_number = forms.CharField(label="Số quyết định (nếu có)", max_length=60, required=False)
    decision_date = VNDateField(
        label="Ngày quyết định (nếu có)", required=False, widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    note = forms.CharField(label="Ghi chú", max_length=4000, required=False)


class CommuneTargetForm(StyledFormMixin, forms.Form):
    commune = forms.ModelChoiceField(
        label="Xã, phường, đặc khu", queryset=None, error_messages={"invalid_choice": "Xã không thuộc tỉnh của bạn."}
    )
    target_year = forms.TypedChoiceField(
        label="Năm đăng ký đạt không ma túy",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "— Bỏ đăng ký —"), *[(y, str(y)) for y in ROADMAP_YEARS]],
    )
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes.order_by("name")


class TargetsForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label="Căn cứ (kế hoạch, nghị quyết của tỉnh)", max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for year in ROADMAP_YEARS:
            field = AreaField(label=f"Chỉ tiêu năm {year} (%)")
            field.widget.attrs["class"] = "form-control form-control-sm"
            if year in NATIONAL_TARGETS:
                field.widget.attrs["placeholder"] = f"{format_number(NATIONAL_TARGETS[year])} (toàn quốc)"
            self.fields[f"target_{year}"] = field

    def targets(self) -> dict[int, Decimal | None]:
        return {year: self.cleaned_data.get(f"target_{year}") for year in ROADMAP_YEARS}


class LiteralBandsForm(forms.Form):
    literal_bands = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("0", "lũy tiến"), ("1", "nguyên văn")])


class TableFilterForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="Năm", required=False, min_value=FIRST_LEGACY_YEAR, max_value=2100)
    q = forms.CharField(label="Tìm theo tên hoặc mã", required=False, max_length=100)
    klass = forms.ChoiceField(label="Xếp loại", required=False, choices=[("", "Tất cả xếp loại"), *CLASS_FILTERS])
    status = forms.ChoiceField(
        label="Trạng thái",
        required=False,
        choices=[("", "Tất cả trạng thái"), *Status.choices, ("none", "Chưa có hồ sơ")],
    )
    sort = forms.ChoiceField(
        label="Sắp xếp",
        required=False,
        choices=[*SORTS.items(), *[(f"-{k}", f"{v} (ngược)") for k, v in SORTS.items()]],
    )
