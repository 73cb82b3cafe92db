from __future__ import annotations

from typing import Any

from django import forms

from agencies.catalogue import Kind
from agencies.models import Agency
from core.forms import StyledFormMixin


class AgencyForm(StyledFormMixin, forms.ModelForm):
    aliases_text = forms.CharField(
        label="Tên gọi khác (mỗi dòng một tên)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Các cách viết khác nhau trong văn bản, ví dụ «Sở VHTTDL».",
    )

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "kind", "legacy", "requested", "is_active"]

    def __init__(self, *args: Any, province: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province = province
        self.fields["kind"].choices = Kind.CHOICES
        if self.instance.pk:
            self.fields["aliases_text"].initial = "\n".join(self.instance.aliases)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not code.replace("_", "").replace("-", "").isalnum():
            raise forms.ValidationError("Mã chỉ gồm chữ, số, dấu gạch.")
        clash = Agency.objects.filter(province=self.province, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Mã này đã có trong danh mục của tỉnh.")
        return code

    def clean_aliases_text(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["aliases_text"].splitlines()]
        seen: list[str] = []
        for line in lines:
            if line and line not in seen:
                seen.append(line)
        return seen
