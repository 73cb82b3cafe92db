from __future__ import annotations

from django import forms

from reporting.forms_consolidation import ExportForm, ImportForm

SCHEME_CHOICES = [
    ("UID", "UID (mã 11 ký tự của DHIS2)"),
    ("CODE", "CODE (mã của PCMT: mã chỉ tiêu, mã xã)"),
    ("NAME", "NAME (tên)"),
]


class Dhis2ExportForm(ExportForm):
    id_scheme = forms.ChoiceField(label="Nhận diện đối tượng (idScheme)", choices=SCHEME_CHOICES, initial="UID")
    foreign = forms.BooleanField(
        label="Ghi bằng mã của DHIS2 của tỉnh (đã đối chiếu), thay cho mã của PCMT", required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["format"].choices = [("json", "JSON (dataValueSets)"), ("csv", "CSV (bố cục của DHIS2)")]
        self.fields["format"].initial = "json"


class MappingForm(forms.Form):
    province = forms.ChoiceField(label="Tỉnh")
    file = forms.FileField(label="Tệp siêu dữ liệu xuất từ DHIS2 của tỉnh (JSON)")

    def __init__(self, *args: object, provinces: list[tuple[str, str]], max_bytes: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["province"].choices = provinces
        self.max_bytes = max_bytes
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"

    def clean_file(self) -> object:
        f = self.cleaned_data["file"]
        if f.size > self.max_bytes:
            raise forms.ValidationError(f"Tệp quá lớn (tối đa {self.max_bytes // (1024 * 1024)} MB).")
        return f


class Dhis2ImportForm(ImportForm):
    id_scheme = forms.ChoiceField(label="Nhận diện đối tượng (idScheme)", choices=SCHEME_CHOICES, initial="UID")
    partial = forms.BooleanField(
        label="Nhập phần hợp lệ, liệt kê giá trị bị từ chối (atomicMode=NONE, như DHIS2); mặc định: tất cả hoặc không",
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].label = "Tệp dataValueSets (JSON hoặc CSV của DHIS2)"
        del self.fields["status"]  # completeDate decides: submitted when present, else draft
