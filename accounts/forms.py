"""Forms for signing in and managing accounts. Every choice list is scoped to the officer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import timezone

from access.policy import reach
from access.roles import ALLOWED_SCOPES, Role, ScopeKind
from accounts.models import User
from accounts.services import grantable_roles
from agencies.models import Agency
from core.forms import StyledFormMixin
from geo.models import Commune, Province

CONTACT_FIELDS = ("email", "phone")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: sau 5 lần sai, tài khoản bị tạm khóa 15 phút.",
        "inactive": "Tài khoản này đã bị vô hiệu hóa. Hãy liên hệ Cơ quan Thường trực.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"


class UserCreateForm(StyledFormMixin, forms.ModelForm):
    password1 = forms.CharField(
        label="Mật khẩu tạm thời",
        widget=forms.PasswordInput,
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(label="Nhập lại mật khẩu", widget=forms.PasswordInput, strip=False)

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "position", "phone", "province"]
        labels = {"username": "Tên đăng nhập", "email": "Thư điện tử"}

    def __init__(self, *args: Any, acting_user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["province"].queryset = Province.objects.for_user(acting_user, "account.manage")
        self.fields["province"].required = True
        self.fields["province"].empty_label = None
        if not reach(acting_user, "account.contact"):
            # Contact details are personal data: entered by the province's Standing Office only.
            for name in CONTACT_FIELDS:
                del self.fields[name]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Tên đăng nhập này đã được sử dụng.")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Hai mật khẩu không khớp.")
        elif p1:
            probe = User(
                username=data.get("username", ""), full_name=data.get("full_name", ""), email=data.get("email", "")
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class UserEditForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "position", "phone"]
        labels = {"email": "Thư điện tử"}

    def __init__(self, *args: Any, contact: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not contact:
            for name in CONTACT_FIELDS:
                del self.fields[name]


class RoleAssignmentForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label="Vai trò")
    agency = forms.ModelChoiceField(
        label="Cơ quan (với vai trò cán bộ sở, ngành)", queryset=Agency.objects.none(), required=False
    )
    commune = forms.ModelChoiceField(
        label="Xã, phường, đặc khu (với vai trò cấp xã)", queryset=Commune.objects.none(), required=False
    )
    valid_until = forms.DateField(
        label="Hiệu lực đến hết ngày (để trống: không thời hạn)",
        required=False,
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        ),
        error_messages={"invalid": "Ngày phải có dạng dd/mm/yyyy."},
    )

    def __init__(self, *args: Any, acting_user: Any, target: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "— Chọn vai trò —"), *grantable_roles(acting_user)]
        provinces = [target.province_id] if target.province_id else []
        self.fields["agency"].empty_label = "— Không chọn —"
        self.fields["commune"].empty_label = "— Không chọn —"
        self.fields["agency"].queryset = (
            Agency.objects.for_user(acting_user, "grant")
            .filter(province_id__in=provinces, is_active=True, legacy=False)
            .exclude(kind__in=["group", "commune_group", "government"])
        )
        self.fields["commune"].queryset = Commune.objects.for_user(acting_user, "grant").filter(
            province_id__in=provinces
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role, agency, commune = data.get("role"), data.get("agency"), data.get("commune")
        if not role:
            return data
        allowed = ALLOWED_SCOPES[Role(role)]
        if ScopeKind.AGENCY in allowed and agency is None:
            self.add_error("agency", "Hãy chọn cơ quan cho vai trò này.")
        if ScopeKind.AGENCY not in allowed and agency is not None:
            self.add_error("agency", "Vai trò này không giao theo cơ quan; hãy để trống.")
        if allowed == (ScopeKind.COMMUNE,) and commune is None:
            self.add_error("commune", "Hãy chọn xã, phường, đặc khu cho vai trò này.")
        if ScopeKind.COMMUNE not in allowed and commune is not None:
            self.add_error("commune", "Vai trò này không giao theo xã; hãy để trống.")
        until = data.get("valid_until")
        if until is not None and until < timezone.localdate():
            self.add_error("valid_until", "Ngày hết hiệu lực không được ở trong quá khứ.")
        return data


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="Tên gợi nhớ", max_length=100, help_text="Ví dụ: Đồng bộ DHIS2 của tỉnh.")
    days = forms.TypedChoiceField(
        label="Thời hạn",
        coerce=int,
        choices=[(d, f"{d} ngày") for d in (30, 90, 180, 365)],
        initial=90,
    )
    allowed_ips = forms.CharField(
        label="Chỉ nhận từ địa chỉ IP (không bắt buộc)",
        required=False,
        max_length=500,
        help_text="Các địa chỉ hoặc dải mạng, cách nhau bởi dấu phẩy (ví dụ: 10.0.0.5, 10.1.0.0/24).",
    )
    password = forms.CharField(
        label="Mật khẩu của bạn (xác nhận)",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
