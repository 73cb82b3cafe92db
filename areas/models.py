"""Yearly classification of communes under QĐ 28/2025/QĐ-TTg, the drug-free roadmap and the
province's self-assessment.

Writes go through ``areas.services`` only. Every model's manager has ``for_user(user, action)``:

* ``view``   — Standing Office and leaders: their provinces; commune officers: their communes;
  national viewers: every province, approved results only (features `area.read`, `area.province`).
* ``edit``   — the commune's self-assessment: its commune officer, the province's Standing Office.
* ``review`` — returning, forwarding, approving, historical entries, roadmap and settings: the
  province's Standing Office.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from access.policy import feature_for, reach
from areas.rules import (
    CLASS_I,
    CLASS_II,
    CLASS_III,
    COMMUNE_FIELDS,
    DRUG_FREE,
    LEGAL_BASIS,
    PROVINCE_FIELDS,
    UNCLASSIFIED,
    CommuneInput,
    CommuneResult,
    ProvinceInput,
    ProvinceResult,
    classify_commune,
    classify_province,
)

LEGACY_BASIS = "QĐ 3122/2010/QĐ-BCA"
FIRST_QD28_YEAR = 2025  # QĐ 28 took effect 24/08/2025; its first period is 15/12/2024 → 14/12/2025.
FIRST_LEGACY_YEAR = 2011
ROADMAP_YEARS = tuple(range(2025, 2031))
# Kết luận 132-KL/TW, NQ 163/2024/QH15: at least 20 % drug-free communes in 2025, 50 % by 2030.
NATIONAL_TARGETS: dict[int, Decimal] = {2025: Decimal(20), 2030: Decimal(50)}
REPORT_DAY = (12, 20)  # the province reports to the Ministry of Public Security before 20/12.

COMMUNE_FIGURES = tuple(name for name, _ in COMMUNE_FIELDS)
PROVINCE_FIGURES = tuple(name for name, _ in PROVINCE_FIELDS if name not in ("communes_type_I_II", "communes_total"))

SHORT_CLASS_LABELS = {
    CLASS_I: "Loại I",
    CLASS_II: "Loại II",
    CLASS_III: "Loại III",
    DRUG_FREE: "Không ma túy",
    UNCLASSIFIED: "Chưa xếp loại",
}
CLASS_CHOICES = [(k, v) for k, v in SHORT_CLASS_LABELS.items()]
LEGACY_CLASS_CHOICES = [
    (CLASS_I, "Loại I (trọng điểm về tệ nạn ma túy)"),
    (CLASS_II, "Loại II (trọng điểm về tệ nạn ma túy)"),
    (CLASS_III, "Loại III (trọng điểm về tệ nạn ma túy)"),
    (DRUG_FREE, "Không có tệ nạn ma túy"),
    (UNCLASSIFIED, "Chưa phân loại"),
]
# Severity for "change since last year": lower is better. Unclassified (drug factors present but
# no key-area criterion) sits between type III and drug-free.
SEVERITY = {CLASS_I: 4, CLASS_II: 3, CLASS_III: 2, UNCLASSIFIED: 1, DRUG_FREE: 0}


def period_of(year: int) -> tuple[datetime.date, datetime.date]:
    """The assessment period of a year: 15/12 of the previous year → 14/12 of the year."""
    return datetime.date(year - 1, 12, 15), datetime.date(year, 12, 14)


def period_year(day: datetime.date) -> int:
    """The assessment year whose period contains `day`."""
    return day.year + 1 if (day.month, day.day) >= (12, 15) else day.year


def national_target(year: int) -> Decimal | None:
    return NATIONAL_TARGETS.get(year)


class SourceKind(models.TextChoices):
    """Where a figure comes from. Modules that do not exist yet (case registry, approved reports)
    fill figures with their kind and a reference; everything else is entered with a note."""

    MANUAL = "manual", "Nhập tay"
    GEO_POPULATION = "geo_population", "Danh mục nhân khẩu của tỉnh"
    COMMUNE_SUM = "commune_sum", "Tổng hợp kết quả cấp xã đã phê duyệt"
    CASE_REGISTRY = "case_registry", "Sổ quản lý hồ sơ"
    APPROVED_REPORT = "approved_report", "Báo cáo đã phê duyệt"


class Status(models.TextChoices):
    DRAFT = "draft", "Xã đang nhập"
    SUBMITTED = "submitted", "Xã đã gửi, chờ thẩm định"
    RETURNED = "returned", "Trả lại xã để bổ sung"
    FORWARDED = "forwarded", "Đã thẩm định, trình UBND tỉnh"
    APPROVED = "approved", "UBND tỉnh đã phê duyệt"


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


class LegalBasis(models.TextChoices):
    QD28 = LEGAL_BASIS, LEGAL_BASIS
    QD3122 = LEGACY_BASIS, f"{LEGACY_BASIS} (trước QĐ 28, không so sánh được)"


# `for_user` actions of this module, and the feature of the table each one reads.
COMMUNE_ACTIONS = {"view": "area.read", "edit": "area.assess", "review": "area.review"}
PROVINCE_ACTIONS = {"view": "area.province", "review": "area.review"}


def _province_filter(user: Any, feature: str, field: str, commune_field: str | None) -> models.Q | None:
    """The Q object of objects the user may act on under `feature`, or None for "everywhere"."""
    r = reach(user, feature)
    if r.nation:
        return None
    q = models.Q(**{f"{field}__in": sorted(r.provinces)})
    if commune_field:
        q |= models.Q(**{f"{commune_field}__in": sorted(r.communes)})
    return q


def area_provinces(user: Any, action: str = "view") -> Any:
    """Provinces whose area pages the user may open (`view`) or manage (`review`)."""
    from geo.models import Province

    q = _province_filter(user, feature_for(PROVINCE_ACTIONS, action, "area_provinces"), "code", None)
    return Province.objects.all() if q is None else Province.objects.filter(q)


def area_communes(user: Any, action: str = "view") -> Any:
    """Communes whose area profile the user may open (`view`), self-assess (`edit`) or review (`review`)."""
    from geo.models import Commune

    q = _province_filter(user, feature_for(COMMUNE_ACTIONS, action, "area_communes"), "province_id", "code")
    if q is None:
        return Commune.objects.all()
    return Commune.objects.filter(q)


class AssessmentQuerySet(models.QuerySet["CommuneAssessment"]):
    def for_user(self, user: Any, action: str = "view") -> AssessmentQuerySet:
        """Assessments the user may see or act on (see the module docstring)."""
        feature = feature_for(COMMUNE_ACTIONS, action, "CommuneAssessment")
        q = _province_filter(user, feature, "commune__province_id", "commune_id")
        qs = self.all() if q is None else self.filter(q)
        r = reach(user, feature)
        if action == "view" and r.nation:
            # National viewers see the province's official results, not the work in progress.
            qs = qs.filter(models.Q(status=Status.APPROVED) | models.Q(commune__province_id__in=sorted(r.provinces)))
        return qs


class CommuneAssessment(models.Model):
    """One commune's classification for one year (period 15/12 of the previous year → 14/12).

    Figures are the rules engine's commune inputs; each has a source in ``sources``:
    ``{figure: {"kind": SourceKind, "note": str, "ref": str}}`` — ``ref`` identifies the record of
    another module (e.g. an approved report) when that module filled the figure.
    QĐ 3122/2010 entries (years before 2025) carry only the approved class: not comparable.
    """

    commune = models.ForeignKey(
        "geo.Commune", verbose_name="xã", on_delete=models.PROTECT, related_name="area_assessments"
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    legal_basis = models.CharField("căn cứ pháp lý", max_length=40, choices=LegalBasis.choices, default=LegalBasis.QD28)
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.DRAFT)

    population = models.PositiveIntegerField("nhân khẩu hiện đang cư trú", null=True, blank=True)
    users_with_records = models.PositiveIntegerField(
        "người nghiện, người SDTPCMT có hồ sơ quản lý", null=True, blank=True
    )
    points = models.PositiveIntegerField("điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy", null=True, blank=True)
    arrested = models.PositiveIntegerField("đối tượng phạm tội về ma túy bị bắt giữ", null=True, blank=True)
    plants = models.PositiveIntegerField("cây có chứa chất ma túy bị phát hiện, triệt phá", null=True, blank=True)
    area_m2 = models.DecimalField(
        "diện tích cây bị triệt phá (m²)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    on_route = models.BooleanField("nằm trên tuyến trọng điểm", null=True, blank=True)
    residents_using = models.PositiveIntegerField("người đang cư trú nghiện, SDTPCMT (Điều 6)", null=True, blank=True)
    residents_violating = models.PositiveIntegerField(
        "người đang cư trú vi phạm pháp luật về ma túy", null=True, blank=True
    )
    fugitives = models.PositiveIntegerField("đối tượng truy nã lẩn trốn", null=True, blank=True)
    sources = models.JSONField("nguồn số liệu", default=dict, blank=True)

    literal_bands = models.BooleanField("đọc nguyên văn khoảng loại II", default=False)
    proposed_class = models.CharField("xã tự xếp loại", max_length=16, choices=CLASS_CHOICES, blank=True)
    met_counts = models.JSONField("số tiêu chí đạt", default=dict, blank=True)
    commune_comment = models.TextField("ý kiến của xã", blank=True)
    review_comment = models.TextField("ý kiến thẩm định", blank=True)

    approved_class = models.CharField("xếp loại được phê duyệt", max_length=16, choices=CLASS_CHOICES, blank=True)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    approval_note = models.TextField("ghi chú phê duyệt", blank=True)

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người cập nhật",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("xã gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("thẩm định lúc", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField("ghi nhận phê duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "đánh giá, xếp loại xã"
        verbose_name_plural = "đánh giá, xếp loại xã"
        ordering = ["commune_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="area_assessment_commune_year_unique")]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.commune_id} năm {self.year}"

    @property
    def comparable(self) -> bool:
        """Only QĐ 28 classes compare with each other; QĐ 3122 classes used other criteria."""
        return self.legal_basis == LegalBasis.QD28

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        return period_of(self.year)

    @property
    def is_editable(self) -> bool:
        return self.comparable and self.status in EDITABLE_STATUSES

    @property
    def current_class(self) -> str:
        """The approved class once approved, else the commune's proposal ("" when incomplete)."""
        return self.approved_class if self.status == Status.APPROVED else self.proposed_class

    @property
    def current_class_label(self) -> str:
        return SHORT_CLASS_LABELS.get(self.current_class, "Chưa đủ số liệu")

    def figures(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in COMMUNE_FIGURES}

    @property
    def is_complete(self) -> bool:
        return self.comparable and all(v is not None for v in self.figures().values())

    def source_of(self, name: str) -> dict[str, str]:
        return self.sources.get(name) or {}

    def engine_input(self) -> CommuneInput | None:
        return CommuneInput(**self.figures()) if self.is_complete else None

    def result(self) -> CommuneResult | None:
        """The engine's result on the stored figures, with the band setting used at the time."""
        data = self.engine_input()
        return classify_commune(data, literal_bands=self.literal_bands) if data else None


def class_change(current: str, previous: str | None, previous_comparable: bool) -> tuple[str, str]:
    """(key, Vietnamese text) of the change between last year's approved class and this year's."""
    if not current or previous is None:
        return "none", "—"
    if not previous_comparable:
        return "not_comparable", f"Không so sánh được (năm trước: {SHORT_CLASS_LABELS[previous]}, {LEGACY_BASIS})"
    delta = SEVERITY[current] - SEVERITY[previous]
    if delta == 0:
        return "same", "Không đổi"
    if delta < 0:
        return "better", f"Chuyển biến tốt (năm trước: {SHORT_CLASS_LABELS[previous]})"
    return "worse", f"Phức tạp hơn (năm trước: {SHORT_CLASS_LABELS[previous]})"


class ProvinceScopedQuerySet(models.QuerySet):
    """for_user on a model with a `province` foreign key: `view` for the province's Standing Office,
    leaders and national viewers; `review` for its Standing Office."""

    def for_user(self, user: Any, action: str = "view") -> models.QuerySet:
        q = _province_filter(user, feature_for(PROVINCE_ACTIONS, action, self.model.__name__), "province_id", None)
        return self.all() if q is None else self.filter(q)


class AreaSetting(models.Model):
    """How a province reads the type II criteria: cumulative (default) or literal bands."""

    province = models.OneToOneField(
        "geo.Province", verbose_name="tỉnh", primary_key=True, on_delete=models.CASCADE, related_name="area_setting"
    )
    literal_bands = models.BooleanField("đọc nguyên văn khoảng tiêu chí loại II", default=False)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProvinceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "cài đặt phân loại địa bàn"
        verbose_name_plural = "cài đặt phân loại địa bàn"

    def __str__(self) -> str:
        return f"Cài đặt phân loại địa bàn — {self.province_id}"


class ProvinceTarget(models.Model):
    """The share of drug-free communes a province registers for a year (overrides the national one)."""

    province = models.ForeignKey(
        "geo.Province", verbose_name="tỉnh", on_delete=models.CASCADE, related_name="area_targets"
    )
    year = models.PositiveSmallIntegerField("năm")
    share_percent = models.DecimalField("tỷ lệ xã không ma túy (%)", max_digits=5, decimal_places=2)
    note = models.CharField("căn cứ (kế hoạch, nghị quyết)", max_length=255, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProvinceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "chỉ tiêu xã không ma túy"
        verbose_name_plural = "chỉ tiêu xã không ma túy"
        ordering = ["province_id", "year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="area_target_province_year_unique")]

    def __str__(self) -> str:
        return f"{self.province_id} {self.year}: {self.share_percent}%"


class CommuneTargetQuerySet(models.QuerySet["CommuneTarget"]):
    def for_user(self, user: Any, action: str = "view") -> CommuneTargetQuerySet:
        feature = feature_for(COMMUNE_ACTIONS, action, "CommuneTarget")
        q = _province_filter(user, feature, "commune__province_id", "commune_id" if action == "view" else None)
        return self.all() if q is None else self.filter(q)


class CommuneTarget(models.Model):
    """The year a commune is registered in the province's roadmap to become drug-free."""

    commune = models.OneToOneField(
        "geo.Commune", verbose_name="xã", primary_key=True, on_delete=models.CASCADE, related_name="area_target"
    )
    target_year = models.PositiveSmallIntegerField("năm đăng ký đạt không ma túy")
    note = models.CharField("ghi chú", max_length=255, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CommuneTargetQuerySet.as_manager()

    class Meta:
        verbose_name = "năm đăng ký xã không ma túy"
        verbose_name_plural = "năm đăng ký xã không ma túy"

    def __str__(self) -> str:
        return f"{self.commune_id} → {self.target_year}"


class ProvinceAssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Đang tổng hợp"
    FINAL = "final", "Đã chốt để báo cáo Bộ Công an"


class ProvinceAssessment(models.Model):
    """The province's self-assessment for a year (Điều 5: key area when ≥ 4 of 6 criteria hold).

    ``communes_type_I_II`` and ``communes_total`` are not entered: they are counted from the
    communes' approved QĐ 28 classes of the year and the province's list of communes.
    """

    province = models.ForeignKey(
        "geo.Province", verbose_name="tỉnh", on_delete=models.PROTECT, related_name="area_assessments"
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    status = models.CharField(
        "trạng thái", max_length=8, choices=ProvinceAssessmentStatus.choices, default=ProvinceAssessmentStatus.DRAFT
    )
    population = models.PositiveIntegerField("nhân khẩu hiện đang cư trú")
    users_with_records = models.PositiveIntegerField("người nghiện, người SDTPCMT có hồ sơ quản lý")
    points = models.PositiveIntegerField("điểm tổ chức, chứa chấp")
    arrested = models.PositiveIntegerField("đối tượng phạm tội về ma túy bị bắt giữ")
    plants = models.PositiveIntegerField("cây có chứa chất ma túy bị triệt phá")
    area_m2 = models.DecimalField("diện tích bị triệt phá (m²)", max_digits=12, decimal_places=2)
    on_interprovincial_route = models.BooleanField("nằm trên tuyến trọng điểm liên tỉnh")
    sources = models.JSONField("nguồn số liệu", default=dict, blank=True)
    communes_type_I_II = models.PositiveIntegerField("số xã loại I, II được phê duyệt")
    communes_total = models.PositiveIntegerField("tổng số xã, phường, đặc khu")
    communes_approved = models.PositiveIntegerField("số xã đã được phê duyệt xếp loại")
    key_area = models.BooleanField("là địa bàn trọng điểm cấp tỉnh")
    criteria_met = models.PositiveSmallIntegerField("số tiêu chí đạt")
    note = models.TextField("ghi chú", blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalized_at = models.DateTimeField("chốt lúc", null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProvinceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "tự đánh giá cấp tỉnh"
        verbose_name_plural = "tự đánh giá cấp tỉnh"
        ordering = ["province_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="area_province_assessment_unique")]

    def __str__(self) -> str:
        return f"Tự đánh giá {self.province_id} năm {self.year}"

    @property
    def is_final(self) -> bool:
        return self.status == ProvinceAssessmentStatus.FINAL

    def engine_input(self) -> ProvinceInput:
        values = {name: getattr(self, name) for name, _ in PROVINCE_FIELDS}
        return ProvinceInput(**values)

    def result(self) -> ProvinceResult:
        return classify_province(self.engine_input())

    def source_of(self, name: str) -> dict[str, str]:
        return self.sources.get(name) or {}
