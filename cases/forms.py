"""Forms of the case registry: parse input, choices scoped to the user."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from access.policy import reach
from agencies.models import Agency
from cases.models import Intervention, PersonRequest, Relative, Sex
from core.forms import StyledFormMixin, VNDateField
from geo.models import Commune
from legal import path
from legal.identity import NO_CCCD_REASONS


def managed_communes(user: Any, feature: str = "registry.manage") -> Any:
    """Communes where the user holds `feature` (one by one, or a whole province)."""
    r = reach(user, feature)
    if r.nation:
        return Commune.objects.order_by("province_id", "name")
    return Commune.objects.filter(Q(code__in=sorted(r.communes)) | Q(province_id__in=sorted(r.provinces))).order_by(
        "province_id", "name"
    )


class SearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="Tìm theo họ tên hoặc số CCCD", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Tình trạng", required=False, choices=[("", "Tất cả")] + list(path.STATUSES.items())
    )


class PersonForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=120)
    birth_date = VNDateField(label="Ngày sinh")
    sex = forms.ChoiceField(label="Giới tính", choices=Sex.choices)
    cccd = forms.CharField(label="Số CCCD (12 chữ số)", required=False, max_length=20)
    no_cccd_reason = forms.ChoiceField(
        label="Nếu không có CCCD: lý do", required=False, choices=[("", "—"), *NO_CCCD_REASONS.items()]
    )
    no_cccd_note = forms.CharField(label="Ghi chú lý do", required=False, max_length=255)
    commune = forms.ModelChoiceField(label="Xã, phường quản lý (nơi cư trú)", queryset=Commune.objects.none())
    address = forms.CharField(label="Địa chỉ", required=False, max_length=255)
    phone = forms.CharField(label="Điện thoại", required=False, max_length=20)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = managed_communes(user)  # type: ignore[attr-defined]


class DecisionForm(StyledFormMixin, forms.Form):
    decision_type = forms.ChoiceField(label="Loại quyết định")
    number = forms.CharField(label="Số quyết định", required=False, max_length=60)
    decided_on = VNDateField(label="Ngày quyết định")
    starts_on = VNDateField(label="Có hiệu lực từ ngày (để trống: ngày quyết định)", required=False)
    months = forms.IntegerField(
        label="Thời hạn (tháng), khi luật cho một khoảng (ví dụ 6–12 tháng); để trống: theo bộ quy tắc",
        required=False,
        min_value=1,
        max_value=60,
    )
    legal_basis = forms.CharField(label="Căn cứ pháp lý (để trống: theo bộ quy tắc)", required=False, max_length=255)
    facility = forms.ModelChoiceField(
        label="Cơ sở cai nghiện, điều trị", required=False, queryset=Agency.objects.none()
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = path.allowed_decisions(person.status or None)
        self.fields["decision_type"].choices = (
            [("", "— chọn —")]
            + [  # type: ignore[attr-defined]
                (code, label) for code, label in path.DECISION_TYPES.items() if code in allowed
            ]
            + [("", "—— không được phép từ tình trạng hiện tại ——")]
            + [(code, label) for code, label in path.DECISION_TYPES.items() if code not in allowed]
        )
        self.fields["facility"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            province_id=person.commune.province_id, is_active=True
        ).order_by("name")


class TransferForm(StyledFormMixin, forms.Form):
    to_commune = forms.CharField(label="Mã xã chuyển đến (5 chữ số)", max_length=5, min_length=5)
    moved_on = VNDateField(label="Ngày chuyển nơi cư trú")

    def clean_to_commune(self) -> Commune:
        code = self.cleaned_data["to_commune"]
        commune = Commune.objects.filter(code=code).first()
        if commune is None:
            raise forms.ValidationError("Không có xã, phường mã này.")
        return commune


class InterventionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Hình thức", choices=Intervention.Kind.choices)
    state = forms.ChoiceField(label="Trạng thái", choices=Intervention.State.choices)
    on = VNDateField(label="Ngày")
    note = forms.CharField(label="Ghi chú", required=False, max_length=500)


class RequestForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại yêu cầu", choices=PersonRequest.Kind.choices)
    received_on = VNDateField(label="Ngày nhận")
    detail = forms.CharField(label="Nội dung", required=False, max_length=500)


class RelativeForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Quan hệ", choices=Relative.Kind.choices)
    full_name = forms.CharField(label="Họ và tên", max_length=120)
    phone = forms.CharField(label="Điện thoại", required=False, max_length=20)
    address = forms.CharField(label="Địa chỉ", required=False, max_length=255)
    is_guardian = forms.BooleanField(label="Người đại diện hợp pháp (giám hộ)", required=False)


class LookupForm(StyledFormMixin, forms.Form):
    cccd = forms.CharField(label="Số CCCD (12 chữ số)", max_length=20)


class OpenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="Lý do mở hồ sơ", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
    token = forms.CharField(label="Mã xác thực 6 số (ứng dụng xác thực)", max_length=10)


class FiguresForm(StyledFormMixin, forms.Form):
    commune = forms.ModelChoiceField(label="Xã, phường", queryset=Commune.objects.none())
    day = VNDateField(label="Tính đến ngày (ngày chốt số liệu)", required=False)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]


class ImportForm(StyledFormMixin, forms.Form):
    """A list of persons to import (.csv in UTF-8 or .xlsx), checked for type and size here; the
    rows are checked by the import job (`cases.jobs`)."""

    file = forms.FileField(
        label="Tệp danh sách",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx", "data-testid": "import-file"}),
        help_text="Tệp .xlsx (theo tệp mẫu) hoặc .csv UTF-8 có cùng các cột.",
    )
    dry_run = forms.BooleanField(
        label="Kiểm tra trước (chỉ kiểm tra từng dòng, chưa ghi gì)", required=False, initial=True
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.content = b""

    def clean_file(self) -> Any:
        from core import uploads

        upload = self.cleaned_data["file"]
        ext = uploads.extension(upload.name or "")
        if ext not in ("csv", "xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp .csv hoặc .xlsx.")
        if ext == "xlsx":
            uploads.check_file(upload, ("xlsx",))
        elif upload.size > self.max_bytes:
            raise forms.ValidationError(f"Tệp quá lớn; giới hạn là {self.max_bytes // (1024 * 1024)} MB.")
        self.content = upload.read()
        if not self.content.strip():
            raise forms.ValidationError("Tệp rỗng: không có nội dung.")
        return upload


class RegistryReportingForm(StyledFormMixin, forms.Form):
    """The Standing Office's switch: commune reports take the registry's figures from a closing day."""

    province = forms.CharField(widget=forms.HiddenInput, max_length=2)
    since = VNDateField(label="Áp dụng cho các kỳ có ngày chốt số liệu từ ngày", required=False)
