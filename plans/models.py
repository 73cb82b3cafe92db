"""Plans (Kế hoạch) of a province and the tasks they assign, with their tracking records."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from access.policy import feature_for, province_filter, reach
from agencies.catalogue import Kind


def today() -> datetime.date:
    return timezone.localdate()


class PlanQuerySet(models.QuerySet["Plan"]):
    ACTIONS = {"view": "plan.read", "manage": "plan.manage"}

    def for_user(self, user: Any, action: str = "view") -> PlanQuerySet:
        """`view`: plans of the provinces where the user reads plans (units: their province).
        `manage`: plans the user may import, replace or edit (the Standing Office)."""
        return province_filter(self, user, feature_for(self.ACTIONS, action, "Plan"))


class Plan(models.Model):
    """A plan document issued by a People's Committee, as confirmed by the Standing Office."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Đang thực hiện"
        REPLACED = "replaced", "Đã được thay thế"

    province = models.ForeignKey("geo.Province", verbose_name="tỉnh", on_delete=models.PROTECT, related_name="plans")
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    title = models.TextField("trích yếu")
    period_start = models.PositiveSmallIntegerField("từ năm", null=True, blank=True)
    period_end = models.PositiveSmallIntegerField("đến năm", null=True, blank=True)
    basis = models.JSONField("căn cứ", default=list, blank=True)
    source_file = models.FileField("tệp gốc", upload_to="plans/%Y/%m/")
    source_name = models.CharField("tên tệp gốc", max_length=255)
    source_sha256 = models.CharField(max_length=64, db_index=True)
    extraction = models.JSONField("kết quả đọc đã xác nhận (plan-extract/1)", default=dict)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    replaced_by = models.ForeignKey(
        "self", verbose_name="thay thế bởi", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("ngày nhập", auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["-issued_on", "-created_at"]

    def __str__(self) -> str:
        label = f"Kế hoạch {self.number}" if self.number else "Kế hoạch (chưa có số)"
        return f"{label}: {self.title[:80]}"


class PlanImportQuerySet(models.QuerySet["PlanImport"]):
    ACTIONS = {"manage": "plan.manage"}

    def for_user(self, user: Any, action: str = "manage") -> PlanImportQuerySet:
        """Drafts are the Standing Office's working material: only it sees them."""
        return province_filter(self, user, feature_for(self.ACTIONS, action, "PlanImport"), units_open_province=False)


class PlanImport(models.Model):
    """An uploaded plan between extraction and confirmation: `data` is the editable plan-extract/1."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang rà soát"
        CONFIRMED = "confirmed", "Đã xác nhận"
        DISCARDED = "discarded", "Đã hủy"

    province = models.ForeignKey("geo.Province", verbose_name="tỉnh", on_delete=models.PROTECT, related_name="+")
    source_file = models.FileField("tệp gốc", upload_to="plan-imports/%Y/%m/")
    source_name = models.CharField("tên tệp", max_length=255)
    source_sha256 = models.CharField(max_length=64, db_index=True)
    source_size = models.PositiveIntegerField("dung lượng (byte)")
    data = models.JSONField("dữ liệu rà soát", default=dict)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    replaces = models.ForeignKey(
        Plan, verbose_name="thay thế kế hoạch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan = models.OneToOneField(
        Plan,
        verbose_name="kế hoạch đã tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_record",
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = PlanImportQuerySet.as_manager()

    class Meta:
        verbose_name = "bản nhập kế hoạch"
        verbose_name_plural = "bản nhập kế hoạch"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.source_name


class PlanTarget(models.Model):
    """A numeric target (chỉ tiêu) a plan sets."""

    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="targets")
    text = models.TextField("nội dung")
    comparator = models.CharField("so sánh", max_length=10)
    value = models.DecimalField("giá trị", max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField("đơn vị", max_length=40, blank=True)
    year = models.PositiveSmallIntegerField("năm đạt", null=True, blank=True)

    class Meta:
        verbose_name = "chỉ tiêu của kế hoạch"
        verbose_name_plural = "chỉ tiêu của kế hoạch"
        ordering = ["plan_id", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ReportingDuty(models.Model):
    """A reporting duty a plan sets; the reporting module turns it into a schedule."""

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", "Hằng quý"
        SEMIANNUAL = "semiannual", "6 tháng"
        ANNUAL = "annual", "Hằng năm"
        ONCE = "once", "Một lần"
        MIDTERM = "midterm", "Sơ kết giữa kỳ"
        FINAL = "final", "Tổng kết"

    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="reporting_duties")
    frequency = models.CharField("tần suất", max_length=12, choices=Frequency.choices)
    due = models.CharField(
        "hạn (quy tắc)", max_length=60, blank=True, help_text="YYYY-MM-DD, --MM-DD hoặc «N of last month of quarter»"
    )
    to_agency = models.ForeignKey(
        "agencies.Agency", verbose_name="nơi nhận", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_text = models.CharField("nơi nhận (như trong văn bản)", max_length=255, blank=True)

    class Meta:
        verbose_name = "chế độ báo cáo"
        verbose_name_plural = "chế độ báo cáo"
        ordering = ["plan_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} {self.due}".strip()


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    WAITING_GUIDANCE = "waiting_guidance", "Chờ hướng dẫn"
    PAUSED = "paused", "Tạm dừng"


OVERDUE_LABEL = "Quá hạn"


class Recurrence(models.TextChoices):
    NONE = "", "Không"
    CONTINUOUS = "continuous", "Thường xuyên"
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    SEMIANNUAL = "semiannual", "6 tháng"
    ANNUAL = "annual", "Hằng năm"


class TaskQuerySet(models.QuerySet["Task"]):
    ACTIONS = {"view": "task.list", "update": "task.update", "contribute": "task.update", "manage": "task.manage"}

    def for_user(self, user: Any, action: str = "view") -> TaskQuerySet:
        """Tasks a user may act on.

        - `view`: every task of the provinces held in whole (Standing Office, leaders, the national
          monitor for the list); for an agency officer the tasks their agency leads or cooperates
          on, plus those addressed to all departments ("Các sở, ban, ngành"); for a commune
          officer those addressed to the communes ("UBND cấp xã"); for either, the tasks given to
          a list of units that names theirs (`TaskUnit`).
        - `update`: record progress as the lead (the lead agency's officers, the Standing Office).
        - `contribute`: add a contribution as a cooperating agency.
        - `manage`: edit, grant extensions, record guidance (the Standing Office).
        """
        r = reach(user, feature_for(self.ACTIONS, action, "Task"))
        if r.nation:
            return self.all()
        wide = Q(province_id__in=sorted(r.provinces))
        if action == "manage":
            return self.filter(wide)
        agencies = sorted(r.agencies)
        lead_q = Q(lead_agency_id__in=agencies)
        # A subquery, not a join: no duplicate rows, so no pk__in wrapper (which PostgreSQL plans badly).
        coop_q = Q(pk__in=self.model.cooperating.through.objects.filter(agency_id__in=agencies).values("task_id"))
        everyone = Q(units_listed=False)  # a group task for every member, not for a list of units
        group_q = everyone & Q(
            province_id__in=sorted(r.agency_provinces), lead_agency__kind=Kind.GROUP, lead_agency__code="SBN"
        )
        commune_q = everyone & Q(province_id__in=sorted(r.commune_provinces), lead_agency__kind=Kind.COMMUNE_GROUP)
        # A unit on the task's list (or holding a share of a group task): a subquery again.
        unit_q = Q(
            pk__in=TaskUnit.objects.filter(Q(agency_id__in=agencies) | Q(commune_id__in=sorted(r.communes))).values(
                "task_id"
            )
        )
        if action == "update":
            q = wide | lead_q | group_q | commune_q | unit_q
        elif action == "contribute":
            q = coop_q | wide
        else:
            q = wide | lead_q | coop_q | group_q | commune_q | unit_q
        return self.filter(q)


class Task(models.Model):
    """One task of a plan, led by one agency, with cooperating agencies."""

    class Role(models.TextChoices):
        LEAD = "lead", "Chủ trì"
        COOPERATE = "cooperate", "Phối hợp"
        PERFORM = "perform", "Thực hiện"

    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="tasks")
    province = models.ForeignKey("geo.Province", verbose_name="tỉnh", on_delete=models.PROTECT, related_name="+")
    section = models.CharField("mục", max_length=40, blank=True)
    order = models.PositiveIntegerField("thứ tự", default=0)
    text = models.TextField("nội dung")
    role = models.CharField("vai trò trong văn bản", max_length=10, choices=Role.choices, default=Role.PERFORM)
    requested = models.BooleanField("đề nghị (ngoài phạm vi chỉ đạo)", default=False)
    lead_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ quan chủ trì",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    cooperating = models.ManyToManyField(
        "agencies.Agency", verbose_name="cơ quan phối hợp", blank=True, related_name="cooperating_tasks"
    )
    projects = models.ManyToManyField("program.Project", verbose_name="dự án", blank=True, related_name="tasks")
    deadline = models.DateField("thời hạn", null=True, blank=True)
    original_deadline = models.DateField("thời hạn ban đầu", null=True, blank=True)
    recurrence = models.CharField("định kỳ", max_length=12, choices=Recurrence.choices, blank=True, default="")
    condition = models.CharField("điều kiện", max_length=500, blank=True)
    guidance_received_on = models.DateField("ngày có hướng dẫn", null=True, blank=True)
    guidance_note = models.CharField("văn bản hướng dẫn", max_length=500, blank=True)
    status = models.CharField("trạng thái", max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    # Given to an explicit list of units ("Sở Y tế, Sở Giáo dục và Đào tạo, Công an tỉnh", or named
    # communes): its `TaskUnit` rows are that list, not every member of a group.
    units_listed = models.BooleanField("giao cho danh sách đơn vị", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["plan_id", "order", "id"]
        indexes = [
            models.Index(fields=["province", "status", "deadline"]),
            models.Index(fields=["lead_agency", "status"]),
        ]

    def __str__(self) -> str:
        return self.text[:100]

    @property
    def is_overdue(self) -> bool:
        return self.status != TaskStatus.DONE and self.deadline is not None and self.deadline < today()

    @property
    def status_label(self) -> str:
        """What people read: "Quá hạn" overrides an unfinished status once the deadline passed."""
        if self.is_overdue and self.status not in (TaskStatus.WAITING_GUIDANCE, TaskStatus.PAUSED):
            return OVERDUE_LABEL
        return self.get_status_display()


def shared_task_q(prefix: str = "") -> Q:
    """Tasks addressed to many units at once: every commune ("UBND cấp xã"), every department
    ("Các sở, ban, ngành") or an explicit list of units (`Task.units_listed`); `prefix` reaches the task across a relation (e.g. "task__")."""
    lead = f"{prefix}lead_agency__"
    return (
        Q(**{f"{lead}kind": Kind.COMMUNE_GROUP})
        | Q(**{f"{lead}kind": Kind.GROUP, f"{lead}code": "SBN"})
        | Q(**{f"{prefix}units_listed": True})
    )


def group_units_q(prefix: str = "") -> Q:
    """Alias of `shared_task_q`: tasks whose work is tracked unit by unit (`TaskUnit`)."""
    return shared_task_q(prefix)


class TaskUnitQuerySet(models.QuerySet["TaskUnit"]):
    def for_user(self, user: Any, action: str = "view") -> TaskUnitQuerySet:
        """Units of the tasks the user may see: all of them for the province-wide roles, only the
        user's own unit (their agency, their commune) for an officer of one of the units."""
        r = reach(user, feature_for(TaskQuerySet.ACTIONS, action, "Task"))
        if r.nation:
            return self.all()
        visible = self.filter(task__in=Task.objects.for_user(user, action))
        own = Q(agency_id__in=sorted(r.agencies)) | Q(commune_id__in=sorted(r.communes))
        return visible.filter(Q(task__province_id__in=sorted(r.provinces)) | own)

    def with_deadline(self) -> TaskUnitQuerySet:
        """Annotated with `due_on`: the unit's own (extended) deadline, else the task's."""
        from django.db.models.functions import Coalesce

        return self.annotate(due_on=Coalesce("deadline", "task__deadline"))


class TaskUnit(models.Model):
    """One unit's share of a task given to a group ("UBND cấp xã": each commune; "Các sở, ban,
    ngành": each agency), with its own progress, status, deadline (after an extension) and
    guidance. The task rolls these up (`plans.services.units.roll_up`)."""

    task = models.ForeignKey(Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="units")
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="cơ quan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "geo.Commune", verbose_name="xã, phường", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("trạng thái", max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    reported_on = models.DateField("ngày báo cáo gần nhất", null=True, blank=True)
    deadline = models.DateField("thời hạn riêng (sau gia hạn)", null=True, blank=True)
    original_deadline = models.DateField("thời hạn ban đầu", null=True, blank=True)
    guidance_received_on = models.DateField("ngày có hướng dẫn", null=True, blank=True)
    guidance_note = models.CharField("văn bản hướng dẫn", max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "phần việc của đơn vị"
        verbose_name_plural = "phần việc của đơn vị"
        ordering = ["task_id", "commune_id", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="task_unit_agency_once"),
            models.UniqueConstraint(fields=["task", "commune"], name="task_unit_commune_once"),
            models.CheckConstraint(
                condition=Q(agency__isnull=True, commune__isnull=False) | Q(agency__isnull=False, commune__isnull=True),
                name="task_unit_one_kind",
            ),
        ]
        indexes = [models.Index(fields=["task", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(self.commune.name if self.commune_id else self.agency)

    @property
    def due(self) -> datetime.date | None:
        return self.deadline or self.task.deadline

    @property
    def is_overdue(self) -> bool:
        due = self.due
        return self.status != TaskStatus.DONE and due is not None and due < today()

    @property
    def status_label(self) -> str:
        if self.is_overdue and self.status not in (TaskStatus.WAITING_GUIDANCE, TaskStatus.PAUSED):
            return OVERDUE_LABEL
        return self.get_status_display()


class TaskPeriod(models.Model):
    """One period of a recurring task ("hằng tháng", "hằng quý", "thường xuyên" reported on a
    rhythm): its own deadline (the period's last day) and completion. The task's deadline is that
    of its first unfinished period, so a missed period makes the task late."""

    task = models.ForeignKey(Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="periods")
    label = models.CharField("kỳ", max_length=40)
    starts_on = models.DateField("từ ngày")
    deadline = models.DateField("hạn")
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)

    class Meta:
        verbose_name = "kỳ thực hiện"
        verbose_name_plural = "kỳ thực hiện"
        ordering = ["task_id", "deadline"]
        constraints = [models.UniqueConstraint(fields=["task", "deadline"], name="task_period_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_late(self) -> bool:
        return self.completed_on is None and self.deadline < today()


class TaskUnitPeriod(models.Model):
    """One unit's share of one period of a recurring task given to a group: each commune or
    agency finishes each period on its own and can be late on it. The unit's deadline is that of
    its first unfinished period; the task's period is finished when every unit has finished it."""

    unit = models.ForeignKey(TaskUnit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="periods")
    period = models.ForeignKey(TaskPeriod, verbose_name="kỳ", on_delete=models.CASCADE, related_name="unit_periods")
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)

    class Meta:
        verbose_name = "kỳ thực hiện của đơn vị"
        verbose_name_plural = "kỳ thực hiện của đơn vị"
        ordering = ["unit_id", "period__deadline"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="task_unit_period_once")]
        indexes = [models.Index(fields=["period", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_id}"

    @property
    def is_late(self) -> bool:
        return self.completed_on is None and self.period.deadline < today()


class TaskUpdateQuerySet(models.QuerySet["TaskUpdate"]):
    def visible_to(self, user: Any) -> TaskUpdateQuerySet:
        """Updates the user may read: those of tasks they may view (`Task.for_user`), except that on
        a task shared by many units a unit's note is read only by that unit and by the province-wide
        roles (Standing Office, leader) until per-unit task instances exist. Notes written for no
        unit (the Standing Office's) stay visible to everyone who sees the task.

        Used by every place that lists notes or serves their files: the task page, the API, downloads.
        """
        r = reach(user, "task.read")
        if not r:
            return self.none()  # names and notes are for those who read task pages (not the national monitor)
        visible = self.filter(task__in=Task.objects.for_user(user))
        if r.nation:
            return visible
        shared = Task.objects.filter(shared_task_q())
        own = (
            Q(agency_id__in=sorted(r.agencies))
            | Q(commune_id__in=sorted(r.communes))
            | Q(agency__isnull=True, commune__isnull=True)
        )
        return visible.filter(~Q(task__in=shared) | Q(task__province_id__in=sorted(r.provinces)) | own)


class TaskUpdate(models.Model):
    """A progress report by the lead agency, or a contribution by a cooperating agency."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "Cập nhật tiến độ"
        CONTRIBUTION = "contribution", "Đóng góp của cơ quan phối hợp"
        GUIDANCE = "guidance", "Ghi nhận hướng dẫn"
        STATUS = "status", "Thay đổi trạng thái"

    task = models.ForeignKey(Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField("loại", max_length=14, choices=Kind.choices, default=Kind.PROGRESS)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="cơ quan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For tasks addressed to every commune ("UBND cấp xã"): which commune reported.
    commune = models.ForeignKey(
        "geo.Commune", verbose_name="xã, phường", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # On a task given to a group: the unit's share this note reports on.
    unit = models.ForeignKey(
        "TaskUnit", verbose_name="đơn vị", null=True, blank=True, on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người cập nhật", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on = models.DateField("ngày")
    text = models.TextField("nội dung")
    percent = models.PositiveSmallIntegerField("tiến độ (%)", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = "cập nhật nhiệm vụ"
        verbose_name_plural = "cập nhật nhiệm vụ"
        ordering = ["-on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.text[:60]}"


class TaskAttachmentQuerySet(models.QuerySet["TaskAttachment"]):
    def visible_to(self, user: Any) -> TaskAttachmentQuerySet:
        """Files of the updates the user may read (`TaskUpdate.objects.visible_to`)."""
        return self.filter(update__in=TaskUpdate.objects.visible_to(user))


class TaskAttachment(models.Model):
    """A file attached to a task update (size and type limited at upload)."""

    update = models.ForeignKey(
        TaskUpdate, verbose_name="cập nhật", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("tệp", upload_to="tasks/%Y/%m/")
    name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveIntegerField("dung lượng (byte)")
    content_type = models.CharField(max_length=100)

    objects = TaskAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self) -> str:
        return self.name


class DeadlineExtension(models.Model):
    """A lead agency's request for a later deadline; the original deadline stays on the task."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ xem xét"
        GRANTED = "granted", "Đồng ý"
        REFUSED = "refused", "Không đồng ý"

    task = models.ForeignKey(Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="extensions")
    # A unit's request on a task given to a group: granting moves that unit's deadline only.
    unit = models.ForeignKey(
        "TaskUnit", verbose_name="đơn vị", null=True, blank=True, on_delete=models.CASCADE, related_name="extensions"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField("lý do")
    old_deadline = models.DateField("thời hạn hiện tại", null=True, blank=True)
    new_deadline = models.DateField("thời hạn đề nghị")
    status = models.CharField("kết quả", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("ý kiến", blank=True)

    class Meta:
        verbose_name = "đề nghị gia hạn"
        verbose_name_plural = "đề nghị gia hạn"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.new_deadline:%d/%m/%Y}"


class TaskReminder(models.Model):
    """A reminder sent for a task event; unique so the same event is never announced twice."""

    class Event(models.TextChoices):
        DUE_SOON = "due_soon", "Sắp đến hạn"
        OVERDUE = "overdue", "Quá hạn"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey("TaskUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    event = models.CharField(max_length=10, choices=Event.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "event", "deadline"], condition=Q(unit__isnull=True), name="task_reminder_once"
            ),
            models.UniqueConstraint(
                fields=["unit", "event", "deadline"], condition=Q(unit__isnull=False), name="task_unit_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.event} {self.deadline:%d/%m/%Y}"
