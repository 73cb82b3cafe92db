"""Forms of the reporting pages: schedules, review acts, lock exceptions, inbox filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from core.forms import StyledFormMixin, VNDateField
from reporting import periods as P
from reporting.models import Form, Schedule, Submission


def _period(value: str, label: str) -> P.Period:
    try:
        return P.parse(value)
    except P.PeriodError as exc:
        raise forms.ValidationError(f"{label}: {exc}") from exc


class ScheduleForm(StyledFormMixin, forms.ModelForm):
    """A schedule of the Standing Office's province: choices of units are the province's only."""

    due_date = VNDateField(label="Ngày cố định (một lần)", required=False)

    class Meta:
        model = Schedule
        fields = [
            "name",
            "form",
            "frequency",
            "convention",
            "due_kind",
            "due_day",
            "due_month",
            "due_date",
            "due_days",
            "close_after_days",
            "remind_before_days",
            "all_communes",
            "communes",
            "agencies",
            "first_period",
            "last_period",
            "to_agency",
            "is_active",
        ]
        widgets = {"agencies": forms.CheckboxSelectMultiple, "communes": forms.SelectMultiple(attrs={"size": 8})}
        help_texts = {
            "first_period": "Mã kỳ: 2026Q1 (quý), 2026S1 (6 tháng), 2026 (năm), 202601 (tháng).",
            "last_period": "Để trống nếu lịch áp dụng đến khi tắt.",
            "due_day": "Dùng cho «ngày N của tháng cuối kỳ» và «ngày/tháng cố định».",
            "close_after_days": "Sau hạn nộp bao nhiêu ngày thì khóa nhập số liệu.",
        }

    def __init__(self, *args: Any, province: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from agencies.models import Agency
        from geo.models import Commune

        self.province = province
        # The national forms and the province's own (a province never uses another's forms).
        self.fields["form"].queryset = Form.objects.usable_by(province.pk if province else None).filter(is_active=True)
        self.fields["agencies"].queryset = Agency.objects.filter(
            province=province, is_active=True, legacy=False
        ).order_by("name")
        self.fields["communes"].queryset = Commune.objects.filter(province=province).order_by("name")
        self.fields["to_agency"].queryset = Agency.objects.filter(province=province, is_active=True).order_by("name")
        self.fields["agencies"].required = self.fields["communes"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        frequency, kind = data.get("frequency"), data.get("due_kind")
        first = data.get("first_period")
        if first:
            period = _period(first, "Từ kỳ")
            if frequency and frequency != "once" and period.frequency != frequency:
                self.add_error("first_period", f"Kỳ «{first}» không phải kỳ {P.FREQUENCIES[frequency].lower()}.")
            last = data.get("last_period")
            if last and frequency != "once":
                end = _period(last, "Đến kỳ")
                if end.frequency != period.frequency:
                    self.add_error("last_period", "Kỳ cuối phải cùng loại với kỳ đầu.")
                elif end < period:
                    self.add_error("last_period", "Kỳ cuối đứng trước kỳ đầu.")
        self._clean_due(kind, frequency, data)
        form = data.get("form")
        agencies, communes, every = data.get("agencies") or [], data.get("communes") or [], data.get("all_communes")
        if form is not None:
            if form.level == Form.Level.COMMUNE and (agencies or not (every or communes)):
                self.add_error(
                    "communes", "Biểu mẫu cấp xã: chọn «mọi xã, phường của tỉnh» hoặc một số xã, và không chọn cơ quan."
                )
            if form.level == Form.Level.AGENCY and (every or communes or not agencies):
                self.add_error("agencies", "Biểu mẫu của sở, ban, ngành: chọn ít nhất một cơ quan, và không chọn xã.")
        if not self.errors and first:
            probe = Schedule(
                **{
                    f: data.get(f)
                    for f in (
                        "frequency",
                        "convention",
                        "due_kind",
                        "due_day",
                        "due_month",
                        "due_date",
                        "due_days",
                        "first_period",
                        "last_period",
                    )
                }
            )
            probe.close_after_days = data.get("close_after_days") or 0
            from reporting.services.schedules import schedule_periods

            start = P.parse(first).bounds(data.get("convention") or "calendar")[0]
            try:
                found = schedule_periods(probe, until=start + dt.timedelta(days=800))
            except P.PeriodError as exc:
                raise forms.ValidationError(str(exc)) from exc
            if not found:
                self.add_error(
                    "due_kind", "Với hạn nộp này không kỳ nào có hạn sau ngày bắt đầu kỳ: hãy kiểm tra ngày, tháng."
                )
        return data

    def _clean_due(self, kind: str | None, frequency: str | None, data: dict[str, Any]) -> None:
        day, month = data.get("due_day"), data.get("due_month")
        if frequency == "once" and kind != "fixed_date":
            self.add_error("due_kind", "Báo cáo một lần cần hạn là một ngày cố định.")
        if kind == "day_of_last_month" and not (day and 1 <= day <= 31):
            self.add_error("due_day", "Nhập ngày trong tháng (1–31).")
        if kind == "day_month":
            if not (day and month):
                self.add_error("due_day", "Nhập ngày và tháng của hạn nộp.")
            else:
                try:
                    dt.date(2024, month, day)  # a leap year: 29/02 is a possible day
                except ValueError:
                    self.add_error("due_day", f"Ngày {day:02d}/{month:02d} không tồn tại.")
        if kind == "fixed_date" and not data.get("due_date"):
            self.add_error("due_date", "Nhập ngày cố định (ngày/tháng/năm).")
        if kind == "days_after_close" and data.get("due_days") is None:
            self.add_error("due_days", "Nhập số ngày sau ngày chốt số liệu.")


class ReviewCommentForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label="Ý kiến của Cơ quan Thường trực",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class UnlockForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="Lý do mở khóa", max_length=500)


class LockExceptionForm(StyledFormMixin, forms.Form):
    unit = forms.ChoiceField(label="Đơn vị")
    period = forms.ChoiceField(label="Kỳ báo cáo")
    until = VNDateField(label="Mở đến hết ngày")
    reason = forms.CharField(label="Lý do", max_length=255)

    def __init__(self, *args: Any, units: list[Any], periods: list[P.Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.key, u.name) for u in units]
        self.fields["period"].choices = [(p.id, p.label) for p in reversed(periods)]


class InboxFilterForm(forms.Form):
    form = forms.ModelChoiceField(
        label="Biểu mẫu", queryset=Form.objects.filter(is_active=True), required=False, empty_label="Mọi biểu mẫu"
    )
    period = forms.CharField(label="Kỳ", required=False, max_length=8)
    status = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Mọi trạng thái"), *Submission.Status.choices]
    )
    q = forms.CharField(label="Đơn vị", required=False, max_length=100)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:  # the national forms and the user's provinces' own
            self.fields["form"].queryset = Form.objects.for_user(user).filter(is_active=True)

    def clean_period(self) -> str:
        value = self.cleaned_data["period"].strip()
        if value:
            _period(value, "Kỳ")
        return value
