"""Forms of task tracking: the task filter shared by the pages and the API, and the action forms.

Every choice a form offers is scoped with `for_user`; an out-of-scope value is simply not valid.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from access.policy import reach
from agencies.models import Agency
from core.forms import StyledFormMixin, VNDateField
from geo.models import Province
from plans.models import Plan, Task, TaskStatus, TaskUnit
from plans.services import tracking
from plans.services.tracking import Bucket
from program.models import Project

DUE_CHOICES = [
    ("", "Mọi thời hạn"),
    ("7", "Đến hạn trong 7 ngày"),
    ("30", "Đến hạn trong 30 ngày"),
    ("overdue", "Quá hạn"),
]
ROLE_CHOICES = [("", "Chủ trì và phối hợp"), ("lead", "Chủ trì"), ("cooperate", "Phối hợp")]


def date_field(label: str, *, required: bool = True, testid: str = "", **kwargs: Any) -> VNDateField:
    attrs = {"placeholder": "dd/mm/yyyy", "autocomplete": "off", "inputmode": "numeric"}
    if testid:
        attrs["data-testid"] = testid
    return VNDateField(
        label=label,
        required=required,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"required": f"Hãy nhập {label.lower()}."},
        **kwargs,
    )


def project_choices() -> list[tuple[str, str]]:
    return (
        [("", "Mọi dự án")]
        + [(p.code, f"{p.code}: {p.name[:70]}") for p in Project.objects.filter(parent__isnull=True)]
        + [("none", "Chưa gắn dự án")]
    )


class TaskFilterForm(StyledFormMixin, forms.Form):
    """Filters of every task list ("Nhiệm vụ của tôi", the office's list, a plan, the API).

    Invalid values are ignored by `filter` (a page never fails on a stale link); the API
    reports them as 422.
    """

    q = forms.CharField(label="Tìm trong nội dung", required=False, max_length=200)
    province = forms.ModelChoiceField(
        label="Tỉnh",
        queryset=Province.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="Mọi tỉnh",
        error_messages={"invalid_choice": "Tỉnh không hợp lệ hoặc ngoài phạm vi của bạn."},
    )
    plan = forms.ModelChoiceField(
        label="Kế hoạch",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="Mọi kế hoạch",
        error_messages={"invalid_choice": "Kế hoạch không hợp lệ hoặc ngoài phạm vi của bạn."},
    )
    project = forms.ChoiceField(label="Dự án", required=False, error_messages={"invalid_choice": "Dự án không hợp lệ."})
    agency = forms.ModelChoiceField(
        label="Cơ quan chủ trì",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Mọi cơ quan chủ trì",
        error_messages={"invalid_choice": "Cơ quan không hợp lệ hoặc ngoài phạm vi của bạn."},
    )
    status = forms.ChoiceField(
        label="Trạng thái",
        required=False,
        choices=[("", "Mọi trạng thái"), *TaskStatus.choices],
        error_messages={"invalid_choice": "Trạng thái không hợp lệ."},
    )
    bucket = forms.ChoiceField(
        label="Phân loại theo thời hạn",
        required=False,
        choices=[("", "Mọi phân loại"), *Bucket.choices],
        error_messages={"invalid_choice": "Phân loại không hợp lệ."},
    )
    due = forms.ChoiceField(
        label="Thời hạn",
        required=False,
        choices=DUE_CHOICES,
        error_messages={"invalid_choice": "Thời hạn lọc không hợp lệ."},
    )
    role = forms.ChoiceField(
        label="Vai trò",
        required=False,
        choices=ROLE_CHOICES,
        error_messages={"invalid_choice": "Vai trò không hợp lệ."},
    )

    # Which fields a page shows: "mine" (agency/commune officers), "office" (province-wide), "plan".
    LAYOUTS = {
        "mine": ("q", "plan", "project", "status", "due", "role"),
        "office": ("q", "plan", "project", "agency", "status", "bucket", "due"),
        "plan": ("q", "agency", "status", "bucket", "due"),
        "matrix": ("plan", "project"),
        "api": ("q", "province", "plan", "project", "agency", "status", "bucket", "due", "role"),
    }

    def __init__(self, data: Any = None, *, user: Any, layout: str = "mine", province: Province | None = None) -> None:
        super().__init__(data)
        self.user, self.layout = user, layout
        for name in list(self.fields):
            if name not in self.LAYOUTS[layout]:
                del self.fields[name]
        plans = Plan.objects.for_user(user).filter(status=Plan.Status.ACTIVE).order_by("-issued_on", "-pk")
        agencies = Agency.objects.for_user(user).order_by("legacy", "name")
        if province is not None:
            plans, agencies = plans.filter(province=province), agencies.filter(province=province)
        if "province" in self.fields:
            self.fields["province"].queryset = Province.objects.for_user(user, "task.list").order_by("code")
        if "plan" in self.fields:
            self.fields["plan"].queryset = plans
            self.fields["plan"].label_from_instance = lambda p: (f"{p.number}: " if p.number else "") + p.title[:70]
        if "agency" in self.fields:
            self.fields["agency"].queryset = agencies
        if "project" in self.fields:
            self.fields["project"].choices = project_choices()
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-testid", f"filter-{name}")
            field.widget.attrs.setdefault("id", f"f-{name}")

    def values(self) -> dict[str, Any]:
        """The valid filter values (invalid ones dropped)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}

    def filter(self, qs: QuerySet[Task], on: datetime.date | None = None) -> QuerySet[Task]:
        on = on or tracking.today()
        v = self.values()
        if v.get("q"):
            qs = qs.filter(text__icontains=v["q"].strip())
        if v.get("province"):
            qs = qs.filter(province=v["province"])
        if v.get("plan"):
            qs = qs.filter(plan=v["plan"])
        if v.get("agency"):
            # Led by the agency, or given to a list of units that names it (its share).
            listed = TaskUnit.objects.filter(agency=v["agency"], task__units_listed=True).values("task_id")
            qs = qs.filter(Q(lead_agency=v["agency"]) | Q(pk__in=listed))
        if v.get("project") == "none":
            qs = qs.filter(projects__isnull=True)
        elif v.get("project"):
            code = v["project"]
            qs = qs.filter(
                pk__in=Task.objects.filter(Q(projects__code=code) | Q(projects__parent_id=code)).values("pk")
            )
        if v.get("status"):
            qs = qs.filter(status=v["status"])
        if v.get("bucket"):
            qs = qs.filter(tracking.bucket_q(v["bucket"], on))
        if v.get("due"):
            qs = qs.filter(tracking.due_q(v["due"], on))
        if v.get("role") == "lead":
            qs = qs.filter(pk__in=Task.objects.for_user(self.user, "update").values("pk"))
        elif v.get("role") == "cooperate":
            qs = qs.filter(
                pk__in=Task.objects.filter(cooperating__in=sorted(reach(self.user, "task.update").agencies)).values(
                    "pk"
                )
            )
        return qs


# ---------------------------------------------------------------------------------------------
# Action forms.


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked by `tracking.check_upload` (size, type, content)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [single(d, initial) for d in items if d]
        tracking.check_uploads(files)
        return files


def _files_field() -> MultipleFileField:
    return MultipleFileField(
        label="Tệp đính kèm",
        required=False,
        help_text=f"Tối đa {tracking.MAX_FILES} tệp, mỗi tệp không quá 10 MB; nhận {tracking.TYPES_LABEL}.",
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ",".join(f".{e}" for e in tracking.UPLOAD_TYPES)}),
    )


class VersionedForm(StyledFormMixin, forms.Form):
    """A form that changes a task: carries the version it was opened at (optimistic lock)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def show_stale(self, task: Task) -> None:
        """Keep the user's input, take the current version, explain."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(task.version)
        self.data = data
        message = tracking.STALE_MESSAGE
        if "files" in self.fields and self.files:
            message += " Hãy chọn lại tệp đính kèm."
        self.add_error(None, message)


class ProgressForm(VersionedForm):
    on = date_field("Ngày cập nhật", testid="progress-on")
    status = forms.ChoiceField(
        label="Trạng thái",
        choices=[(TaskStatus.IN_PROGRESS, "Đang thực hiện"), (TaskStatus.DONE, "Hoàn thành")],
        widget=forms.Select(attrs={"data-testid": "progress-status"}),
    )
    percent = forms.IntegerField(
        label="Tiến độ (%)",
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(
            attrs={"data-testid": "progress-percent", "min": 0, "max": 100, "inputmode": "numeric"}
        ),
        error_messages={
            "invalid": "Tiến độ phải là số từ 0 đến 100.",
            "min_value": "Tiến độ phải từ 0 đến 100%%.",
            "max_value": "Tiến độ phải từ 0 đến 100%%.",
        },
    )
    completed_on = date_field(
        "Ngày hoàn thành",
        required=False,
        testid="progress-completed-on",
        help_text="Khi chọn «Hoàn thành»; để trống là ngày cập nhật.",
    )
    text = forms.CharField(
        label="Kết quả thực hiện",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "data-testid": "progress-text"}),
        error_messages={"required": "Hãy nhập nội dung cập nhật."},
    )
    files = _files_field()

    def __init__(self, *args: Any, member: bool = False, note_only: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "p")
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["data-testid"] = "progress-files"
        if member:  # a unit reporting on its own share of a task addressed to many
            self.fields["status"].label = "Trạng thái phần việc của đơn vị"
        if note_only:  # the office on a task given to a group: the units' reports make its progress
            del self.fields["status"], self.fields["percent"], self.fields["completed_on"]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "version": d["version"],
            "on": d["on"],
            "text": d["text"],
            "percent": d.get("percent"),
            "status": d.get("status") or TaskStatus.IN_PROGRESS,
            "completed_on": d.get("completed_on"),
            "files": d["files"],
        }


class ContributionForm(StyledFormMixin, forms.Form):
    on = date_field("Ngày", testid="contribution-on")
    text = forms.CharField(
        label="Nội dung phối hợp",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "data-testid": "contribution-text"}),
        error_messages={"required": "Hãy nhập nội dung đóng góp."},
    )
    files = _files_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "c")
        super().__init__(*args, **kwargs)


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label="Trạng thái mới", widget=forms.Select(attrs={"data-testid": "status-status"}))
    note = forms.CharField(
        label="Lý do, ghi chú",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "data-testid": "status-note"}),
    )

    def __init__(self, *args: Any, manage: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "s")
        super().__init__(*args, **kwargs)
        targets = [s for s in tracking.STATUS_TARGETS if manage or s != TaskStatus.WAITING_GUIDANCE]
        self.fields["status"].choices = [(s, TaskStatus(s).label) for s in targets]


class GuidanceForm(VersionedForm):
    received_on = date_field("Ngày văn bản hướng dẫn", testid="guidance-on")
    document = forms.CharField(
        label="Văn bản hướng dẫn (số, ký hiệu, trích yếu)",
        max_length=500,
        widget=forms.TextInput(attrs={"data-testid": "guidance-document"}),
        error_messages={"required": "Hãy ghi số, ký hiệu hoặc trích yếu văn bản hướng dẫn."},
    )
    status = forms.ChoiceField(
        label="Sau khi có hướng dẫn",
        choices=[(TaskStatus.IN_PROGRESS, "Bắt đầu thực hiện"), (TaskStatus.NOT_STARTED, "Chưa thực hiện")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "g")
        super().__init__(*args, **kwargs)


class ExtensionRequestForm(StyledFormMixin, forms.Form):
    new_deadline = date_field("Thời hạn đề nghị", testid="extension-date")
    reason = forms.CharField(
        label="Lý do",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "data-testid": "extension-reason"}),
        error_messages={"required": "Hãy nêu lý do đề nghị gia hạn."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "e")
        super().__init__(*args, **kwargs)


class ExtensionDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[("grant", "Đồng ý gia hạn"), ("refuse", "Không đồng ý")],
        widget=forms.RadioSelect(attrs={"data-testid": "decision"}),
    )
    note = forms.CharField(label="Ý kiến", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "d")
        super().__init__(*args, **kwargs)


def office_provinces(user: Any) -> QuerySet[Province]:
    """Provinces whose task reports the user may read (feature `task.report`)."""
    return Province.objects.for_user(user, "task.report").order_by("code")
