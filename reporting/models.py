"""Periodic reporting: data elements, forms, schedules, submissions and their values."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from access.policy import feature_for, province_filter, reach
from reporting.periods import CONVENTIONS, FREQUENCIES, KINDS, DueRule


class SourceLevel(models.TextChoices):
    COMMUNE = "commune", "Cấp xã"
    AGENCY = "agency", "Sở, ban, ngành"
    BOTH = "both", "Cả cấp xã và sở, ban, ngành (tách riêng, không cộng)"


class OwnedQuerySet(models.QuerySet[Any]):
    """Catalogue records owned by the nation (province null) or by one province.

    `view` (catalogue.read): the national catalogue and the user's provinces' own; `manage`
    (catalogue.manage): the Standing Office its own province's records only (the national
    catalogue is read-only for provinces); the administrator the national catalogue, and may
    correct a province's records for it (what it creates is national)."""

    ACTIONS = {"view": "catalogue.read", "manage": "catalogue.manage"}

    def for_user(self, user: Any, action: str = "view") -> Any:
        r = reach(user, feature_for(self.ACTIONS, action, self.model.__name__))
        if action == "manage":
            if r.nation:
                return self.all()
            return self.filter(province_id__in=sorted(r.provinces))
        if r.nation:
            return self.all()
        if not r:
            return self.none()
        return self.filter(Q(province__isnull=True) | Q(province_id__in=sorted(r.all_provinces)))

    def usable_by(self, province_id: str | None) -> Any:
        """The national records and the province's own (what a province's form may use)."""
        return self.filter(Q(province__isnull=True) | Q(province_id=province_id))


CODE_PATTERN = r"^[A-Z][A-Z0-9_]*$"
OPTION_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_]*$"


class Category(models.Model):
    """One way of splitting a total, "trong đó" (of which): its options each count part of the total
    and together at most the total (e.g. sex: Nam, Nữ). DHIS2: a category of the same code, and a
    category combination of its own carried by the data element `<element code><dhis2_suffix>`."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=120)
    dhis2_suffix = models.CharField("hậu tố mã chỉ tiêu DHIS2", max_length=12, unique=True)
    province = models.ForeignKey(
        "geo.Province", verbose_name="tỉnh", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "nhóm phân tổ"
        verbose_name_plural = "nhóm phân tổ"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CategoryOption(models.Model):
    """One part of a category (e.g. Nam). Its code is the breakdown code stored with every value
    (DataValue.category), written in rules (`CODE:M`) and DHIS2's categoryOptionCombo code: unique
    across the installation, never reused."""

    category = models.ForeignKey(
        Category, verbose_name="nhóm phân tổ", on_delete=models.PROTECT, related_name="options"
    )
    code = models.CharField("mã", max_length=16, unique=True)
    name = models.CharField("tên", max_length=120)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "mục phân tổ"
        verbose_name_plural = "mục phân tổ"
        ordering = ["category_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class CategoryCombo(models.Model):
    """A breakdown of a data element: one or more categories, each splitting the total on its own
    (not crossed). The option combos are the categories' options, in order; `option_codes` keeps
    them denormalised ([[code, name, category code], …], e.g. ["M", "Nam", "PCMT_GIOI_TINH"]) so
    that an element knows its cells, their names and groups without a query."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=255)
    province = models.ForeignKey(
        "geo.Province", verbose_name="tỉnh", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    categories = models.ManyToManyField(Category, through="ComboCategory", verbose_name="nhóm phân tổ")
    option_list = models.JSONField(default=list, blank=True, editable=False)
    is_active = models.BooleanField("đang dùng", default=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "phân tổ"
        verbose_name_plural = "phân tổ"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(o[0] for o in self.option_list)

    @property
    def labels(self) -> dict[str, str]:
        return {"": "Tổng số", **{o[0]: o[1] for o in self.option_list}}

    @property
    def groups(self) -> list[tuple[str, tuple[str, ...]]]:
        """[(category code, its option codes)] in order: each group splits the total on its own."""
        out: dict[str, list[str]] = {}
        for code, _, category in self.option_list:
            out.setdefault(category, []).append(code)
        return [(c, tuple(codes)) for c, codes in out.items()]

    def ordered_categories(self) -> list[Category]:
        return [cc.category for cc in self.combo_categories.select_related("category").order_by("order", "id")]

    def option_combos(self) -> list[CategoryOption]:
        """The option combos in order (each category's options, category after category)."""
        out: list[CategoryOption] = []
        for category in self.ordered_categories():
            out += list(category.options.select_related("category").order_by("order", "id"))
        return out

    def refresh_codes(self) -> None:
        self.option_list = [[o.code, o.name, o.category.code] for o in self.option_combos()]
        self.save(update_fields=["option_list"])


class ComboCategory(models.Model):
    combo = models.ForeignKey(CategoryCombo, on_delete=models.CASCADE, related_name="combo_categories")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["combo_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["combo", "category"], name="combo_category_once")]

    def __str__(self) -> str:
        return f"{self.combo_id}:{self.category_id}"


class DataElementManager(models.Manager.from_queryset(OwnedQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> Any:
        # An element's cells come from its combination: always read together (no query per element).
        return super().get_queryset().select_related("category_combo")


class DataElement(models.Model):
    """A number (or yes/no, text) collected by a form, with its Vietnamese definition."""

    class ValueType(models.TextChoices):
        INTEGER = "integer", "Số nguyên"
        DECIMAL = "decimal", "Số thập phân"
        PERCENTAGE = "percentage", "Tỷ lệ phần trăm"
        BOOLEAN = "boolean", "Có/Không"
        TEXT = "text", "Văn bản"
        DATE = "date", "Ngày"  # stored in DataValue.text as ISO yyyy-mm-dd, shown dd/mm/yyyy

    class Aggregation(models.TextChoices):
        SUM = "sum", "Cộng"
        AVERAGE = "average", "Trung bình"
        MAX = "max", "Lớn nhất"
        LAST = "last", "Giá trị kỳ cuối"

    # Codes are unique across the installation (national and every province's own): rules, the
    # CSV/DHIS2 exchange and indicators name an element by its code alone.
    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên ngắn", max_length=50, blank=True)
    definition = models.TextField("định nghĩa", blank=True)
    unit = models.CharField("đơn vị tính", max_length=40, blank=True)
    value_type = models.CharField("kiểu giá trị", max_length=12, choices=ValueType.choices, default=ValueType.INTEGER)
    aggregation = models.CharField("cách tổng hợp", max_length=10, choices=Aggregation.choices, default=Aggregation.SUM)
    category_combo = models.ForeignKey(
        CategoryCombo,
        verbose_name="phân tổ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="elements",
        help_text="Trống: chỉ nhập tổng số.",
    )
    # One authoritative source per figure: the level whose reports count in indicators (and, for
    # agencies, which ones by their catalogue code, e.g. "SYT"); "both": communes and agencies count
    # distinct things, kept as two breakdowns and never added.
    source_level = models.CharField(
        "cấp báo cáo chính thức", max_length=8, choices=SourceLevel.choices, default=SourceLevel.COMMUNE
    )
    source_agencies = models.CharField(
        "cơ quan báo cáo chính thức (mã, cách nhau bởi dấu phẩy; trống: mọi cơ quan)", max_length=120, blank=True
    )
    province = models.ForeignKey(
        "geo.Province",
        verbose_name="tỉnh (trống: danh mục quốc gia)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField("đang dùng", default=True)

    objects = DataElementManager()

    class Meta:
        verbose_name = "chỉ tiêu thu thập"
        verbose_name_plural = "chỉ tiêu thu thập"
        ordering = ["code"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_numeric(self) -> bool:
        return self.value_type in (self.ValueType.INTEGER, self.ValueType.DECIMAL, self.ValueType.PERCENTAGE)

    @property
    def categories(self) -> tuple[str, ...]:
        """ "" (the total) first, then the option combos of the element's category combination."""
        if self.category_combo_id is None:
            return ("",)
        return ("", *self.category_combo.codes)

    def category_label(self, category: str) -> str:
        if not category:
            return "Tổng số"
        return self.category_combo.labels.get(category, category) if self.category_combo_id else category

    @property
    def disaggregation(self) -> str:
        """The code of the element's combination ("" none; "sex", "age", "sex_age", "age_bands"…)."""
        return self.category_combo.code if self.category_combo_id else ""

    @disaggregation.setter
    def disaggregation(self, code: str) -> None:
        """The starter catalogue and older callers name a combination by its code."""
        self.category_combo = CategoryCombo.objects.get(code=code) if code else None

    @property
    def agency_codes(self) -> tuple[str, ...]:
        return tuple(c.strip() for c in self.source_agencies.split(",") if c.strip())

    def counts_from(self, level: str, agency_code: str = "") -> bool:
        """Whether a value reported by a unit of `level` (an agency: its catalogue code) is the
        authoritative figure of this element."""
        if self.source_level == SourceLevel.BOTH:
            return level in (SourceLevel.COMMUNE, SourceLevel.AGENCY)
        if level != self.source_level:
            return False
        return level == SourceLevel.COMMUNE or not self.agency_codes or agency_code in self.agency_codes


def category_labels(codes: Any = None) -> dict[str, str]:
    """{option code: Vietnamese name} ("" is the total), for the given codes (None: every option)."""
    options = CategoryOption.objects.all()
    if codes is not None:
        options = options.filter(code__in=[c for c in codes if c])
    return {"": "Tổng số", **dict(options.values_list("code", "name"))}


class Form(models.Model):
    """A report form: an ordered, sectioned list of data elements for communes or agencies."""

    class Level(models.TextChoices):
        COMMUNE = "commune", "Cấp xã"
        AGENCY = "agency", "Sở, ban, ngành"

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên biểu mẫu", max_length=255)
    description = models.TextField("mô tả", blank=True)
    level = models.CharField("đơn vị báo cáo", max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "geo.Province",
        verbose_name="tỉnh (trống: danh mục quốc gia)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    copied_from = models.ForeignKey(
        "self", verbose_name="sao từ biểu mẫu", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField("đang dùng", default=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "biểu mẫu báo cáo"
        verbose_name_plural = "biểu mẫu báo cáo"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class FormSection(models.Model):
    form = models.ForeignKey(Form, verbose_name="biểu mẫu", on_delete=models.CASCADE, related_name="sections")
    name = models.CharField("tên phần", max_length=255)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    # Agency forms: the agencies (catalogue codes, e.g. "SYT") that fill this section; blank: all.
    agency_codes = models.CharField(
        "cơ quan nhập phần này (mã, cách nhau bởi dấu phẩy; trống: mọi cơ quan)", max_length=120, blank=True
    )

    class Meta:
        verbose_name = "phần của biểu mẫu"
        verbose_name_plural = "phần của biểu mẫu"
        ordering = ["form_id", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def shown_to(self, agency_code: str | None) -> bool:
        """Whether the section is on the form of the agency with this catalogue code (None: a commune)."""
        return section_shown(self.agency_codes, agency_code)


def section_shown(agency_codes: str, agency_code: str | None) -> bool:
    """Whether a section with these agency codes (blank: every unit) is on the form of the agency
    with catalogue code `agency_code` (None: a commune, which sees every section)."""
    codes = [c.strip() for c in agency_codes.split(",") if c.strip()]
    return agency_code is None or not codes or agency_code in codes


class FormItem(models.Model):
    section = models.ForeignKey(FormSection, verbose_name="phần", on_delete=models.CASCADE, related_name="items")
    element = models.ForeignKey(
        DataElement, verbose_name="chỉ tiêu", on_delete=models.PROTECT, related_name="form_items"
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    required = models.BooleanField("bắt buộc", default=True)

    class Meta:
        verbose_name = "dòng của biểu mẫu"
        verbose_name_plural = "dòng của biểu mẫu"
        ordering = ["section_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["section", "element"], name="form_item_unique")]

    def __str__(self) -> str:
        return str(self.element)


class CatalogueGeneration(models.Model):
    """One row whose token changes with every write of a data element or a category combination
    (signals in reporting.apps): a process keeps the elements it has read while the token it read
    them under stands (`versions.elements_of`). A random token, not a counter: a rolled-back
    change brings the earlier token back together with the earlier elements."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "thế hệ danh mục chỉ tiêu"
        verbose_name_plural = "thế hệ danh mục chỉ tiêu"

    def __str__(self) -> str:
        return self.token


class FormVersion(models.Model):
    """A form as it was when a period's first report opened: its sections, items (element ids and
    codes) and rules, frozen. Every report of that schedule and period is entered, checked and
    consolidated against it, so an edit of the form never changes what past reports mean."""

    form = models.ForeignKey(Form, verbose_name="biểu mẫu", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    # {"sections": [{"name", "agency_codes", "items": [[element id, code, required], …]}],
    #  "rules": [[code, left, operator, right, message, severity, missing_as_zero], …]}
    snapshot = models.JSONField("nội dung")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phiên bản biểu mẫu"
        verbose_name_plural = "phiên bản biểu mẫu"
        ordering = ["form_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_once")]

    def __str__(self) -> str:
        return f"{self.form_id} v{self.number}"


class ValidationRule(models.Model):
    """`left operator right` over element codes (e.g. `MGMT_U18 <= MGMT_TOTAL`); errors block submission."""

    class Severity(models.TextChoices):
        ERROR = "error", "Lỗi (chặn nộp)"
        WARNING = "warning", "Cảnh báo"

    form = models.ForeignKey(Form, verbose_name="biểu mẫu", on_delete=models.CASCADE, related_name="rules")
    code = models.CharField("mã", max_length=40)
    left = models.CharField("vế trái", max_length=255)
    operator = models.CharField(
        "so sánh", max_length=2, choices=[("<=", "≤"), (">=", "≥"), ("==", "="), ("<", "<"), (">", ">")]
    )
    right = models.CharField("vế phải", max_length=255)
    message = models.CharField("thông báo", max_length=255)
    severity = models.CharField("mức độ", max_length=8, choices=Severity.choices, default=Severity.ERROR)
    missing_as_zero = models.BooleanField("ô trống tính là 0", default=False)

    class Meta:
        verbose_name = "quy tắc kiểm tra"
        verbose_name_plural = "quy tắc kiểm tra"
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="validation_rule_unique")]

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"


class ScheduleQuerySet(models.QuerySet["Schedule"]):
    ACTIONS = {"view": "schedule.read", "enter": "submission.enter", "manage": "schedule.manage"}

    def for_user(self, user: Any, action: str = "view") -> ScheduleQuerySet:
        """`view`: schedules of the provinces the user oversees; `enter`: those of the provinces
        where the user reports for a unit; `manage`: the Standing Office's."""
        return province_filter(self, user, feature_for(self.ACTIONS, action, "Schedule"))


class Schedule(models.Model):
    """Who reports which form, how often, under which period convention and due rule."""

    province = models.ForeignKey(
        "geo.Province", verbose_name="tỉnh", on_delete=models.PROTECT, related_name="schedules"
    )
    form = models.ForeignKey(Form, verbose_name="biểu mẫu", on_delete=models.PROTECT, related_name="schedules")
    name = models.CharField("tên lịch báo cáo", max_length=255)
    frequency = models.CharField("tần suất", max_length=12, choices=list(FREQUENCIES.items()))
    convention = models.CharField(
        "quy ước kỳ", max_length=16, choices=list(CONVENTIONS.items()), default="administrative"
    )
    due_kind = models.CharField(
        "loại hạn nộp",
        max_length=20,
        choices=[
            ("day_of_last_month", "Ngày N của tháng cuối kỳ"),
            ("day_month", "Ngày/tháng cố định trong năm"),
            ("fixed_date", "Một ngày cố định"),
            ("days_after_close", "N ngày sau ngày chốt số liệu"),
        ],
    )
    due_day = models.PositiveSmallIntegerField("ngày", null=True, blank=True)
    due_month = models.PositiveSmallIntegerField("tháng", null=True, blank=True)
    due_date = models.DateField("ngày cố định", null=True, blank=True)
    due_days = models.PositiveSmallIntegerField("số ngày sau chốt", null=True, blank=True)
    close_after_days = models.PositiveSmallIntegerField("khóa nhập sau hạn (ngày)", default=10)
    remind_before_days = models.PositiveSmallIntegerField("nhắc trước hạn (ngày)", default=3)
    all_communes = models.BooleanField("mọi xã, phường của tỉnh", default=False)
    agencies = models.ManyToManyField(
        "agencies.Agency", verbose_name="cơ quan báo cáo", blank=True, related_name="schedules"
    )
    communes = models.ManyToManyField("geo.Commune", verbose_name="xã báo cáo", blank=True, related_name="schedules")
    first_period = models.CharField("từ kỳ", max_length=8)
    last_period = models.CharField("đến kỳ", max_length=8, blank=True)
    to_agency = models.ForeignKey(
        "agencies.Agency", verbose_name="nơi nhận", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_duty = models.ForeignKey(
        "plans.ReportingDuty",
        verbose_name="theo chế độ báo cáo của kế hoạch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schedules",
    )
    is_active = models.BooleanField("đang áp dụng", default=True)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = "lịch báo cáo"
        verbose_name_plural = "lịch báo cáo"
        ordering = ["province_id", "form_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def due_rule(self) -> DueRule:
        return DueRule(self.due_kind, day=self.due_day, month=self.due_month, date=self.due_date, days=self.due_days)

    @property
    def periods_label(self) -> str:
        """ "từ Quý I/2026 đến Quý IV/2030" (the period ids as people read them)."""
        from reporting.periods import PeriodError, parse

        try:
            first = parse(self.first_period).label
            last = parse(self.last_period).label if self.last_period else ""
        except PeriodError:
            return f"từ {self.first_period}"
        return f"từ {first}" + (f" đến {last}" if last else "")


class SubmissionQuerySet(models.QuerySet["Submission"]):
    ACTIONS = {"view": "submission.read", "edit": "submission.enter", "review": "submission.review"}

    def for_user(self, user: Any, action: str = "view") -> SubmissionQuerySet:
        """`view`: the office and leaders see the province's; units see their own (raw unit values
        never reach the national monitor: it reads consolidated figures). `edit`: the reporting
        unit's officers. `review`: the Standing Office."""
        r = reach(user, feature_for(self.ACTIONS, action, "Submission"))
        if r.nation:
            return self.all()
        wide = Q(province_id__in=sorted(r.provinces))
        own = Q(agency_id__in=sorted(r.agencies)) | Q(commune_id__in=sorted(r.communes))
        return self.filter(wide | own)


class Submission(models.Model):
    """One unit's report for one schedule and period."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang nhập"
        SUBMITTED = "submitted", "Đã nộp"
        APPROVED = "approved", "Đã duyệt"
        RETURNED = "returned", "Trả lại"

    schedule = models.ForeignKey(
        Schedule, verbose_name="lịch báo cáo", on_delete=models.PROTECT, related_name="submissions"
    )
    period = models.CharField("kỳ", max_length=8, db_index=True)
    # The schedule's report kind (quarterly, 6-month, annual, one-off…), fixed when the report is
    # opened: an annual and a one-off report share the period id "2026" but never add up.
    kind = models.CharField("loại báo cáo", max_length=12, choices=list(KINDS.items()))
    province = models.ForeignKey("geo.Province", verbose_name="tỉnh", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    commune = models.ForeignKey(
        "geo.Commune", verbose_name="xã", null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    # Timeliness is judged on the first submission: a report returned and resubmitted stays on time.
    first_submitted_at = models.DateTimeField("nộp lần đầu lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("xem xét lúc", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField("ý kiến của Cơ quan Thường trực", blank=True)
    version = models.PositiveIntegerField(default=1)
    # The form version the report was opened under (the period's: the same for every unit); null
    # only for rows bulk-written by benches and the national dataset generator (the live form).
    form_version = models.ForeignKey(
        FormVersion,
        verbose_name="phiên bản biểu mẫu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    # Cells of a draft typed in a form their element does not take ("abc", "12,5" for a count),
    # kept as typed ({field name: text}) so that no work is lost: they block submission only.
    pending_raw = models.JSONField("ô nhập chưa đúng (giữ nguyên văn)", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        ordering = ["-period", "schedule_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period", "agency"],
                condition=Q(agency__isnull=False),
                name="submission_agency_once",
            ),
            models.UniqueConstraint(
                fields=["schedule", "period", "commune"],
                condition=Q(commune__isnull=False),
                name="submission_commune_once",
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=True) ^ Q(commune__isnull=True), name="submission_one_unit"
            ),
            models.CheckConstraint(condition=Q(kind__in=list(KINDS)), name="submission_kind_known"),
        ]
        indexes = [
            models.Index(fields=["province", "period", "status"]),
            models.Index(fields=["province", "kind", "period", "status"], name="reporting_s_provinc_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} — {self.kind_label} {self.period} — {self.agency or self.commune}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.kind and self.schedule_id:
            self.kind = Schedule.objects.values_list("frequency", flat=True).get(pk=self.schedule_id)
        super().save(*args, **kwargs)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def unit(self) -> Any:
        return self.agency if self.agency_id else self.commune

    @property
    def unit_key(self) -> str:
        return f"agency:{self.agency_id}" if self.agency_id else f"commune:{self.commune_id}"

    @property
    def is_editable_status(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class DataValue(models.Model):
    """One value of one element (and breakdown) in one submission."""

    submission = models.ForeignKey(Submission, verbose_name="báo cáo", on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey(DataElement, verbose_name="chỉ tiêu", on_delete=models.PROTECT, related_name="values")
    category = models.CharField("phân tổ", max_length=16, blank=True, default="")
    value = models.DecimalField("giá trị", max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.TextField("giá trị văn bản", blank=True)
    comment = models.TextField("giải trình", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "giá trị"
        verbose_name_plural = "giá trị"
        constraints = [models.UniqueConstraint(fields=["submission", "element", "category"], name="data_value_unique")]
        indexes = [models.Index(fields=["element", "category"])]

    def __str__(self) -> str:
        return f"{self.element_id}{self.category}={self.value if self.value is not None else self.text}"


class ValueChange(models.Model):
    """Every change of a value: who, when, old, new (append-only)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="changes")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=16, blank=True, default="")
    old = models.CharField(max_length=255, blank=True)
    new = models.CharField(max_length=255, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lịch sử giá trị"
        verbose_name_plural = "lịch sử giá trị"
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.element_id}{self.category}: {self.old} → {self.new}"


class LockException(models.Model):
    """The office reopens entry for one unit and period after the form closed."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="lock_exceptions")
    period = models.CharField("kỳ", max_length=8)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey("geo.Commune", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    until = models.DateField("mở đến ngày")
    reason = models.CharField("lý do", max_length=255)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mở khóa nhập liệu"
        verbose_name_plural = "mở khóa nhập liệu"

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.period} đến {self.until:%d/%m/%Y}"


class ReportReminder(models.Model):
    """A reminder sent for a unit, schedule and period; unique so an event is announced once."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="reminders")
    period = models.CharField(max_length=8)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey("geo.Commune", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=12)  # before_due | overdue
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # NULLs are distinct in unique indexes: one conditional constraint per kind of unit.
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period", "agency", "event"],
                condition=Q(agency__isnull=False),
                name="report_reminder_agency_once",
            ),
            models.UniqueConstraint(
                fields=["schedule", "period", "commune", "event"],
                condition=Q(commune__isnull=False),
                name="report_reminder_commune_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.period} {self.event}"


class Letterhead(models.Model):
    """What an office writes around a report's figures in the NĐ 30/2020 layout: the heading, the
    five narrative sections and the signature block."""

    parent_body = models.CharField("cơ quan chủ quản", max_length=120, blank=True)
    issuing_body = models.CharField("cơ quan ban hành", max_length=120)
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    place = models.CharField("địa danh", max_length=60)
    issued_on = models.DateField("ngày ban hành")
    title = models.CharField("trích yếu", max_length=300)
    situation = models.TextField("I. Tình hình chung", blank=True)
    results = models.TextField("II. Kết quả thực hiện (nhận xét)", blank=True)
    shortcomings = models.TextField("III. Tồn tại, hạn chế và nguyên nhân", blank=True)
    next_tasks = models.TextField("IV. Phương hướng, nhiệm vụ kỳ tới", blank=True)
    proposals = models.TextField("V. Kiến nghị, đề xuất", blank=True)
    signer_authority = models.CharField("quyền hạn, chức vụ người ký", max_length=120, blank=True)
    signer_name = models.CharField("họ tên người ký", max_length=120, blank=True)
    recipients = models.TextField("nơi nhận (mỗi dòng một nơi)", blank=True)

    class Meta:
        abstract = True

    SECTIONS = ("situation", "results", "shortcomings", "next_tasks", "proposals")
    # What the office writes: the heading, the five sections, the signature block.
    EDITABLE_FIELDS = (
        "parent_body",
        "issuing_body",
        "number",
        "place",
        "issued_on",
        "title",
        *SECTIONS,
        "signer_authority",
        "signer_name",
        "recipients",
    )


class ReportNarrative(Letterhead):
    """The editable parts of one form's consolidated report, kept per province (empty: the
    national report), form and period so they are not lost."""

    province = models.ForeignKey("geo.Province", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    form = models.ForeignKey("reporting.Form", on_delete=models.CASCADE, related_name="+")
    period = models.CharField("kỳ", max_length=8)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "nội dung báo cáo tổng hợp"
        verbose_name_plural = "nội dung báo cáo tổng hợp"
        constraints = [
            models.UniqueConstraint(fields=["province", "form", "period"], name="narrative_once"),
            models.UniqueConstraint(
                fields=["form", "period"], condition=Q(province__isnull=True), name="narrative_national_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id or 'toàn quốc'} {self.form_id} {self.period}"
