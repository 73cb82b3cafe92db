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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["format"].choices = [("json", "JSON (dataValueSets)"), ("csv", "CSV (bố cục của DHIS2)")]
        self.fields["format"].initial = "json"


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
