"""The case registry (issue 13): people who use drugs, their legal path, transfers, interventions,
their own requests, and the access log of every read.

Protected fields are `EncryptedTextField`s (sealed in the database, `cases.crypto`); lookups go
through keyed hashes (`cccd_hash`, `name_hash`, `PersonToken`). Birth year, sex, commune and the
path's codes and dates stay plain for statistics. Writes go through `cases.services` only.

Scope (`Person.objects.for_user(user, action)`, feature `registry.read_named`):
- a case officer of a commune: the persons the commune manages, and read-only the persons it is
  transferring away until the receiving commune accepts;
- a case officer of a province: every person managed in the province;
- a case officer of a rehab or methadone facility (agency grant): its patients;
- anyone holding the feature: a record opened for 24 h with a reason and a second-factor code
  ("break glass", `RecordOpening`), read-only.
The administrator and the national monitor do not hold the feature: they see no record.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from access.policy import feature_for, reach
from cases.fields import EncryptedTextField

FEATURE = "registry.read_named"
PERSON_ACTIONS = {"view": FEATURE, "manage": "registry.manage"}


class Sex(models.TextChoices):
    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


def _scope_q(user: Any, feature: str, commune_field: str, facility_field: str) -> Q | None:
    """Q of the records in `feature`'s reach (None: none at all)."""
    r = reach(user, feature)
    if not r:
        return None
    q = Q(pk__in=[])
    if r.nation:  # no role holds registry features over the nation; kept exact all the same
        return Q()
    if r.provinces:
        q |= Q(**{f"{commune_field}__province_id__in": sorted(r.provinces)})
    if r.communes:
        q |= Q(**{f"{commune_field}__in": sorted(r.communes)})
    if r.agencies:
        q |= Q(**{f"{facility_field}__in": sorted(r.agencies)})
    return q


class PersonQuerySet(models.QuerySet["Person"]):
    def for_user(self, user: Any, action: str = "view") -> PersonQuerySet:
        """Persons whose named record the user may read (`view`) or change (`manage`)."""
        feature = feature_for(PERSON_ACTIONS, action, "Person")
        q = _scope_q(user, feature, "commune", "facility")
        if q is None:
            return self.none()
        if action == "view":
            r = reach(user, FEATURE)
            if r.communes:  # the sending commune reads the file until the transfer is accepted
                q |= Q(transfers__state=Transfer.State.PENDING, transfers__from_commune__in=sorted(r.communes))
            q |= Q(openings__user_id=user.pk, openings__expires_at__gt=timezone.now())
        if action == "manage":  # a file in transfer is frozen until the receiving commune accepts it
            return self.filter(q).exclude(transfers__state=Transfer.State.PENDING)
        return self.filter(q).distinct()

    def in_scope(self, user: Any) -> PersonQuerySet:
        """The user's own scope, without openings or pending transfers (lists, search, figures)."""
        q = _scope_q(user, FEATURE, "commune", "facility")
        return self.none() if q is None else self.filter(q)


class Person(models.Model):
    """One person in the registry (one per identity number nationally)."""

    AUDIT_PROTECTED = frozenset(
        {"full_name", "birth_date", "cccd", "address", "phone", "note", "no_cccd_note", "cccd_hash", "name_hash"}
    )

    full_name = EncryptedTextField("họ và tên")
    birth_date = EncryptedTextField("ngày sinh")  # ISO date, sealed; the year stays plain
    birth_year = models.PositiveSmallIntegerField("năm sinh", db_index=True)
    sex = models.CharField("giới tính", max_length=1, choices=Sex.choices)
    cccd = EncryptedTextField("số định danh cá nhân (CCCD)")
    # A code of `legal.identity.NO_CCCD_REASONS` ("erased" once pseudonymised).
    no_cccd_reason = models.CharField("lý do không có CCCD", max_length=24, blank=True)
    no_cccd_note = EncryptedTextField("ghi chú lý do")
    commune = models.ForeignKey(
        "geo.Commune", verbose_name="xã quản lý (nơi cư trú)", on_delete=models.PROTECT, related_name="+"
    )
    address = EncryptedTextField("địa chỉ")
    phone = EncryptedTextField("điện thoại")
    note = EncryptedTextField("ghi chú")
    facility = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ sở cai nghiện, điều trị đang tiếp nhận",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    psychosis = models.BooleanField("loạn thần do sử dụng ma túy", default=False)
    # The path's current state, kept by the services from the decisions (`legal.path`).
    status = models.CharField("tình trạng", max_length=40, blank=True, db_index=True)
    status_since = models.DateField("từ ngày", null=True, blank=True)
    # Keyed hashes (`cases.crypto`): exact lookups without decrypting the table.
    cccd_hash = models.CharField(max_length=32, null=True, blank=True, unique=True)
    name_hash = models.CharField(max_length=32, db_index=True)
    identity_hash = models.CharField(max_length=32, db_index=True)
    pseudonymised_at = models.DateTimeField("ẩn danh hóa lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "người trong sổ quản lý"
        verbose_name_plural = "người trong sổ quản lý"
        indexes = [
            models.Index(fields=["commune", "status"]),
            models.Index(fields=["facility"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cccd_hash__isnull=False) | ~Q(no_cccd_reason=""), name="person_cccd_or_reason"
            )
        ]

    def __str__(self) -> str:
        return f"Hồ sơ số {self.pk}"

    def audit_label(self) -> str:
        return f"Hồ sơ số {self.pk}"

    @property
    def no_cccd_label(self) -> str:
        from legal.identity import NO_CCCD_REASONS

        return NO_CCCD_REASONS.get(self.no_cccd_reason, "Đã ẩn danh hóa" if self.no_cccd_reason else "")

    @property
    def birth(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.birth_date) if self.birth_date else None


class PersonToken(models.Model):
    """One keyed hash of one name token: diacritics-insensitive search by any word of the name."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=16)
    # Searches run inside a scope: (commune, digest) and (province, digest) answer them directly.
    commune = models.ForeignKey("geo.Commune", on_delete=models.CASCADE, related_name="+", db_index=False)
    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        indexes = [
            models.Index(fields=["commune", "digest"]),
            models.Index(fields=["province", "digest"]),
            models.Index(fields=["digest"]),
        ]

    def __str__(self) -> str:
        return f"Chỉ mục tên của hồ sơ số {self.person_id}"


class Relative(models.Model):
    """A relative or guardian, with the minimal fields."""

    AUDIT_PROTECTED = frozenset({"full_name", "phone", "address"})

    class Kind(models.TextChoices):
        PARENT = "parent", "Cha, mẹ"
        SPOUSE = "spouse", "Vợ, chồng"
        CHILD = "child", "Con"
        SIBLING = "sibling", "Anh, chị, em"
        GUARDIAN = "guardian", "Người giám hộ"
        OTHER = "other", "Khác"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relatives")
    kind = models.CharField("quan hệ", max_length=16, choices=Kind.choices)
    full_name = EncryptedTextField("họ và tên")
    phone = EncryptedTextField("điện thoại")
    address = EncryptedTextField("địa chỉ")
    is_guardian = models.BooleanField("người đại diện hợp pháp", default=False)

    def __str__(self) -> str:
        return f"Người thân của hồ sơ số {self.person_id}"

    def audit_label(self) -> str:
        return str(self)


class Decision(models.Model):
    """One dated decision of the path, with the rule set that computed its dates."""

    AUDIT_PROTECTED = frozenset({"note"})

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="decisions")
    decision_type = models.CharField("loại quyết định", max_length=40)
    number = models.CharField("số quyết định", max_length=60, blank=True)
    decided_on = models.DateField("ngày quyết định")
    signer_office = models.CharField("cơ quan, người ký", max_length=120)
    legal_basis = models.CharField("căn cứ pháp lý", max_length=255, blank=True)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày", null=True, blank=True)
    due_on = models.DateField("hạn phải thực hiện", null=True, blank=True)
    ruleset = models.ForeignKey(
        "legal.RuleSet", verbose_name="bộ quy tắc áp dụng", on_delete=models.PROTECT, null=True, related_name="+"
    )
    citation = models.CharField("trích dẫn", max_length=255, blank=True)
    status_after = models.CharField("tình trạng sau quyết định", max_length=40)
    commune = models.ForeignKey(
        "geo.Commune", verbose_name="xã quản lý khi quyết định", on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(
        "agencies.Agency", verbose_name="cơ sở", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField("ghi chú")
    created_at = models.DateTimeField("nhập lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["decided_on", "pk"]
        indexes = [models.Index(fields=["person", "decided_on"]), models.Index(fields=["commune", "decided_on"])]

    def __str__(self) -> str:
        return f"Quyết định {self.number or self.pk}"


class Transfer(models.Model):
    """A change of managing commune: pending until the receiving commune accepts the file."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ xã nhận tiếp nhận"
        ACCEPTED = "accepted", "Đã tiếp nhận"
        CANCELLED = "cancelled", "Đã hủy"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="transfers")
    from_commune = models.ForeignKey(
        "geo.Commune", verbose_name="xã chuyển đi", on_delete=models.PROTECT, related_name="+"
    )
    to_commune = models.ForeignKey(
        "geo.Commune", verbose_name="xã chuyển đến", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("trạng thái", max_length=12, choices=State.choices, default=State.PENDING)
    moved_on = models.DateField("ngày chuyển nơi cư trú")
    requested_at = models.DateTimeField("đề nghị lúc", default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(state="pending"), name="one_pending_transfer"),
        ]

    def __str__(self) -> str:
        return f"Chuyển hồ sơ số {self.person_id}"


class Intervention(models.Model):
    """Support given to a person (counselling, medical, legal aid, training, jobs, loans)."""

    AUDIT_PROTECTED = frozenset({"note"})

    class Kind(models.TextChoices):
        COUNSELLING = "counselling", "Tư vấn"
        MEDICAL = "medical", "Hỗ trợ y tế"
        PSYCHOLOGICAL = "psychological", "Hỗ trợ tâm lý"
        LEGAL_AID = "legal_aid", "Trợ giúp pháp lý"
        TRAINING = "training", "Đào tạo nghề"
        JOB = "job", "Giới thiệu việc làm"
        LOAN = "loan", "Vay vốn"

    class State(models.TextChoices):
        REQUESTED = "requested", "Đã đề nghị"
        GIVEN = "given", "Đã thực hiện"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField("hình thức", max_length=16, choices=Kind.choices)
    state = models.CharField("trạng thái", max_length=12, choices=State.choices)
    on = models.DateField("ngày")
    note = EncryptedTextField("ghi chú")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"Hỗ trợ của hồ sơ số {self.person_id}"


class PersonRequest(models.Model):
    """The person's own request (access to, or correction of, their data) and its deadline."""

    AUDIT_PROTECTED = frozenset({"detail", "answer"})

    class Kind(models.TextChoices):
        ACCESS = "access", "Yêu cầu xem, cung cấp dữ liệu"
        CORRECTION = "correction", "Yêu cầu chỉnh sửa dữ liệu"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField("loại yêu cầu", max_length=12, choices=Kind.choices)
    received_on = models.DateField("ngày nhận")
    due_on = models.DateField("hạn trả lời")
    detail = EncryptedTextField("nội dung")
    answered_on = models.DateField("ngày trả lời", null=True, blank=True)
    answer = EncryptedTextField("trả lời")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Yêu cầu của hồ sơ số {self.person_id}"


class RecordOpening(models.Model):
    """A record opened outside one's scope: reason, second factor, 24 hours, read-only."""

    HOURS = 24

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="openings")
    reason = models.TextField("lý do")
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"Mở hồ sơ số {self.person_id} ngoài phạm vi"


class MergeLog(models.Model):
    """Two records found to be the same person, merged into `kept`."""

    kept = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    kept_id_snapshot = models.PositiveBigIntegerField()
    merged_id = models.PositiveBigIntegerField()
    moved = models.JSONField("đã chuyển", default=dict)
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"Gộp hồ sơ số {self.merged_id} vào số {self.kept_id_snapshot}"


class AccessLog(models.Model):
    """One read of named data. Append-only (database triggers) and chained by hashes.

    The actor is a snapshot (id and username), kept when the account is deleted; the person is
    an id, kept when the record is merged or pseudonymised.
    """

    class Action(models.TextChoices):
        DETAIL = "detail", "Xem hồ sơ"
        LIST = "list", "Xem danh sách (các dòng hiện ra)"
        SEARCH = "search", "Tìm kiếm"
        LOOKUP = "lookup", "Tra cứu CCCD ngoài phạm vi"
        OPEN = "open", "Mở hồ sơ ngoài phạm vi"
        EXPORT = "export", "Xuất danh sách có tên"
        IMPORT = "import", "Nhập danh sách từ tệp"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True)
    actor_username = models.CharField(max_length=150)
    role = models.CharField(max_length=32)
    scope = models.CharField(max_length=255)
    action = models.CharField(max_length=12, choices=Action.choices)
    person_ids = models.JSONField(default=list)
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    term_hash = models.CharField(max_length=32, blank=True)
    result_count = models.IntegerField(null=True)
    reason = models.TextField(blank=True)
    break_glass = models.BooleanField(default=False)
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Lượt truy cập số {self.pk}"

    def content(self) -> str:
        """The canonical text the chain hashes (every field but the hashes)."""
        import json

        return json.dumps(
            [
                self.at.isoformat(),
                self.actor_id,
                self.actor_username,
                self.role,
                self.scope,
                self.action,
                list(self.person_ids),
                self.province_code,
                self.term_hash,
                self.result_count,
                self.reason,
                self.break_glass,
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )


class RoleRenewal(models.Model):
    """The renewal of a case role (issue 13 §3): a case role lapses 12 months after its approval
    unless renewed. A Standing Office officer requests it; a second officer (neither the requester
    nor the holder, the grant's own rule) approves it, and the role then runs 12 months from the
    approval. Writes go through `cases.services.renewals`."""

    assignment = models.ForeignKey(
        "accounts.RoleAssignment", verbose_name="phân quyền", on_delete=models.CASCADE, related_name="renewals"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người đề nghị"
    )
    requested_at = models.DateTimeField("ngày đề nghị", default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người phê duyệt",
    )
    approved_at = models.DateTimeField("ngày phê duyệt", null=True, blank=True)
    previous_until = models.DateField("hiệu lực cũ đến hết ngày", null=True, blank=True)
    new_until = models.DateField("hiệu lực mới đến hết ngày", null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(approved_at__isnull=True), name="one_pending_renewal_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"Gia hạn phân quyền {self.assignment_id}"

    @property
    def is_pending(self) -> bool:
        return self.approved_at is None


class RegistryReporting(models.Model):
    """A province whose commune reports take the registry's figures (issue 13 §2).

    From the periods closing on or after `since`, the cells of the commune report form that the
    registry counts (`cases.services.report_figures.ELEMENT_FIGURES`) are filled from the registry
    and read-only; earlier periods, and provinces without this row, keep typing them.
    """

    province = models.OneToOneField("geo.Province", on_delete=models.CASCADE, related_name="+", primary_key=True)
    since = models.DateField("áp dụng cho kỳ có ngày chốt số liệu từ ngày")
    enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enabled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "tỉnh lấy số liệu báo cáo từ sổ quản lý"
        verbose_name_plural = "tỉnh lấy số liệu báo cáo từ sổ quản lý"

    def __str__(self) -> str:
        return f"Số liệu báo cáo từ sổ quản lý: tỉnh {self.province_id} từ {self.since:%d/%m/%Y}"


class ReportDiscrepancy(models.Model):
    """An approved commune report whose registry figures have changed since its approval (a
    decision entered later with an earlier date): counts only, never a name. Kept by
    `report_figures.refresh`; deleted when the figures agree again or the report is reopened."""

    submission = models.OneToOneField(
        "reporting.Submission", on_delete=models.CASCADE, related_name="registry_discrepancy", primary_key=True
    )
    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+", db_index=True)
    # [[element code, category, approved value, registry value now], …]
    differences = models.JSONField(default=list)
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "sổ quản lý khác với báo cáo đã duyệt"
        verbose_name_plural = "sổ quản lý khác với báo cáo đã duyệt"

    def __str__(self) -> str:
        return f"Sổ quản lý khác với báo cáo đã duyệt số {self.submission_id}"
