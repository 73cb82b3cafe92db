"""The only writers of the areas app.

Every public function takes ``acting_user=``, runs in one ``transaction.atomic``, checks the
user's right (``PermissionDenied``) and the input (``ValidationError``, Vietnamese messages),
re-checks that the written object is still in the user's scope, and writes its audit event.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from areas.models import (
    COMMUNE_FIGURES,
    EDITABLE_STATUSES,
    FIRST_LEGACY_YEAR,
    FIRST_QD28_YEAR,
    LEGACY_CLASS_CHOICES,
    NATIONAL_TARGETS,
    PROVINCE_FIGURES,
    ROADMAP_YEARS,
    SHORT_CLASS_LABELS,
    AreaSetting,
    CommuneAssessment,
    CommuneTarget,
    LegalBasis,
    ProvinceAssessment,
    ProvinceAssessmentStatus,
    ProvinceTarget,
    SourceKind,
    Status,
    area_communes,
    area_provinces,
    period_of,
)
from areas.rules import (
    FIELD_LABELS,
    CommuneInput,
    ProvinceInput,
    RulesInputError,
    classify_commune,
    classify_province,
)
from areas.selectors import commune_counts, current_year, literal_bands_for, prefill_figures, province_prefill
from audit.services import record
from core import vn
from geo.models import Commune, Province

if TYPE_CHECKING:
    from accounts.models import User

MAX_COUNT = 100_000_000  # no commune or province counts a hundred million of anything
MAX_AREA = Decimal("10000000000")
NOTE_MAX = 255

_COUNT_FIELDS = {
    "users_with_records",
    "points",
    "arrested",
    "plants",
    "residents_using",
    "residents_violating",
    "fugitives",
}


def figure_label(name: str) -> str:
    label = FIELD_LABELS.get(name, name)
    return label[:1].upper() + label[1:]


def friendly_rules_error(exc: RulesInputError) -> str:
    """The engine's message without its technical field key: "Trường 'x' (nhãn) …" → "Nhãn …"."""
    if exc.field and exc.field in FIELD_LABELS:
        prefix = f"Trường '{exc.field}' ({FIELD_LABELS[exc.field]})"
        if exc.message.startswith(prefix):
            return figure_label(exc.field) + exc.message[len(prefix) :]
    return exc.message


# ---------------------------------------------------------------------------------------------
# Checks shared by the services
# ---------------------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _recheck(model_qs: Any, obj: Any, message: str) -> None:
    """After a write: the object must still be in the user's scope, else everything rolls back."""
    if not model_qs.filter(pk=obj.pk).exists():
        raise PermissionDenied(message)


def _check_year(year: Any, low: int, high: int, what: str) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationError({"year": "Năm phải là số nguyên."})
    if not low <= year <= high:
        raise ValidationError({"year": f"{what} chỉ nhận năm từ {low} đến {high}."})
    return int(year)


def _clean_value(name: str, value: Any, *, positive: bool = False) -> Any:
    """One figure: None (not entered yet) or a valid number / yes-no; raise a Vietnamese message."""
    label = figure_label(name)
    if value is None:
        return None
    if name in ("on_route", "on_interprovincial_route"):
        if not isinstance(value, bool):
            raise ValidationError({name: f"{label}: chọn Có hoặc Không."})
        return value
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValidationError({name: f"{label} phải là số, không có chữ."})
    if name == "area_m2":
        value = Decimal(value)
        if not value.is_finite():
            raise ValidationError({name: f"{label} phải là số hữu hạn."})
        if value < 0:
            raise ValidationError({name: f"{label} không được âm."})
        if value > MAX_AREA:
            raise ValidationError({name: f"{label} quá lớn."})
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError({name: f"{label}: chỉ ghi tối đa 2 chữ số thập phân."})
        return value.quantize(Decimal("0.01"))
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise ValidationError({name: f"{label} phải là số nguyên."})
        value = int(value)
    if value < 0:
        raise ValidationError({name: f"{label} không được âm."})
    if positive and value == 0:
        raise ValidationError({name: f"{label} phải lớn hơn 0."})
    if value > MAX_COUNT:
        raise ValidationError({name: f"{label} quá lớn ({vn.format_number(value)})."})
    return value


def _clean_figures(names: tuple[str, ...], figures: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name in names:
        try:
            clean[name] = _clean_value(name, figures.get(name), positive=name == "population")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    pop = clean.get("population")
    for name in ("users_with_records", "residents_using", "residents_violating"):
        v = clean.get(name)
        if name in names and pop is not None and v is not None and v > pop and name not in errors:
            errors[name] = [f"{figure_label(name)} không được lớn hơn nhân khẩu hiện đang cư trú."]
    if errors:
        raise ValidationError(errors)
    return clean


def _sources(
    names: tuple[str, ...], clean: dict[str, Any], notes: Mapping[str, str], old: Any, prefill: Mapping[str, Any]
) -> dict[str, dict[str, str]]:
    """Source of each entered figure: kept when the value did not change, the other module's when
    it equals the pre-filled value, else "entered by hand" with a required note."""
    out: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    for name in names:
        value = clean[name]
        if value is None:
            continue
        note = (notes.get(name) or "").strip()
        if len(note) > NOTE_MAX:
            errors[f"{name}_note"] = f"Ghi chú nguồn quá dài (tối đa {NOTE_MAX} ký tự)."
            continue
        previous = old.source_of(name) if old is not None else {}
        if (
            old is not None
            and getattr(old, name) == value
            and previous
            and (previous.get("kind") != SourceKind.MANUAL or not note)
        ):
            out[name] = previous
        elif name in prefill and prefill[name].value == value and not note:
            out[name] = prefill[name].source()
        elif note:
            out[name] = {"kind": SourceKind.MANUAL, "note": note, "ref": ""}
        else:
            errors[f"{name}_note"] = (
                f"Ghi rõ nguồn của số liệu «{figure_label(name)}» (ví dụ: Công an xã, báo cáo ngày 14/12)."
            )
    if errors:
        raise ValidationError(errors)
    return out


def _engine_error(exc: RulesInputError) -> ValidationError:
    return ValidationError({exc.field or "__all__": friendly_rules_error(exc)})


def _plain_figures(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}


def _changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    old, new = _plain_figures(old), _plain_figures(new)
    return {k: [old.get(k), new[k]] for k in new if old.get(k) != new[k]}


# ---------------------------------------------------------------------------------------------
# The commune's self-assessment and its review
# ---------------------------------------------------------------------------------------------


def save_self_assessment(
    *,
    acting_user: User,
    commune: Commune,
    year: int,
    figures: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
    comment: str = "",
) -> CommuneAssessment:
    """Create or update the commune's self-assessment of `year` (draft or returned) and compute
    the engine's proposed class when every figure is entered. Blank figures stay blank."""
    with transaction.atomic():
        _require(
            area_communes(acting_user, "edit").filter(pk=commune.pk).exists(),
            "Bạn không có quyền tự đánh giá, xếp loại cho xã này.",
        )
        _check_year(year, FIRST_QD28_YEAR, current_year(), "Tự đánh giá theo QĐ 28/2025/QĐ-TTg")
        clean = _clean_figures(COMMUNE_FIGURES, figures)
        comment = (comment or "").strip()
        if len(comment) > 4000:
            raise ValidationError({"comment": "Ý kiến của xã quá dài (tối đa 4.000 ký tự)."})
        old = CommuneAssessment.objects.select_for_update().filter(commune=commune, year=year).first()
        if old is not None and not old.comparable:
            raise ValidationError(f"Năm {year} đã có xếp loại theo {old.legal_basis}.")
        if old is not None and old.status not in EDITABLE_STATUSES:
            raise ValidationError(f"Hồ sơ năm {year} đang ở trạng thái «{old.get_status_display()}», không sửa được.")
        sources = _sources(COMMUNE_FIGURES, clean, notes or {}, old, prefill_figures(commune, year))
        literal = literal_bands_for(commune.province_id)
        proposed, met = "", {}
        if all(v is not None for v in clean.values()):
            try:
                result = classify_commune(CommuneInput(**clean), literal_bands=literal)
            except RulesInputError as exc:
                raise _engine_error(exc) from exc
            proposed, met = result.classification, dict(result.met_counts)
        before = {**old.figures(), "proposed_class": old.proposed_class} if old else {}
        obj = old or CommuneAssessment(commune=commune, year=year)
        for name, value in clean.items():
            setattr(obj, name, value)
        obj.sources, obj.literal_bands, obj.proposed_class, obj.met_counts = sources, literal, proposed, met
        obj.commune_comment, obj.updated_by = comment, acting_user
        if old is None:
            obj.save()
        else:
            obj.save(
                update_fields=[
                    *COMMUNE_FIGURES,
                    "sources",
                    "literal_bands",
                    "proposed_class",
                    "met_counts",
                    "commune_comment",
                    "updated_by",
                    "updated_at",
                ]
            )
        _recheck(CommuneAssessment.objects.for_user(acting_user, "edit"), obj, "Bạn không có quyền với hồ sơ này.")
        record(
            actor=acting_user,
            action="area_assessment.create" if old is None else "area_assessment.update",
            obj=obj,
            province_code=commune.province_id,
            changes=_changes(before, {**clean, "proposed_class": proposed}),
        )
    return obj


def _locked(assessment: CommuneAssessment, acting_user: User, action: str) -> CommuneAssessment:
    obj = CommuneAssessment.objects.for_user(acting_user, action).select_for_update().filter(pk=assessment.pk).first()
    if obj is None:
        raise PermissionDenied(
            "Bạn không có quyền thẩm định, phê duyệt hồ sơ này."
            if action == "review"
            else "Bạn không có quyền gửi hồ sơ này."
        )
    return obj


def _transition(obj: CommuneAssessment, allowed: tuple[str, ...], what: str) -> None:
    if not obj.comparable or obj.status not in allowed:
        raise ValidationError(f"Không thể {what}: hồ sơ đang ở trạng thái «{obj.get_status_display()}».")


def submit_assessment(*, acting_user: User, assessment: CommuneAssessment) -> CommuneAssessment:
    """The commune sends its complete self-assessment to the Standing Office."""
    with transaction.atomic():
        obj = _locked(assessment, acting_user, "edit")
        _transition(obj, EDITABLE_STATUSES, "gửi hồ sơ")
        missing = [figure_label(n) for n, v in obj.figures().items() if v is None]
        if missing:
            raise ValidationError("Chưa nhập đủ số liệu, chưa gửi được. Còn thiếu: " + "; ".join(missing) + ".")
        old_status = obj.status
        obj.status, obj.submitted_at, obj.submitted_by = Status.SUBMITTED, timezone.now(), acting_user
        obj.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        record(
            actor=acting_user,
            action="area_assessment.submit",
            obj=obj,
            province_code=obj.commune.province_id,
            changes={"status": [old_status, obj.status], "proposed_class": obj.proposed_class},
        )
    return obj


def return_assessment(*, acting_user: User, assessment: CommuneAssessment, comment: str) -> CommuneAssessment:
    """The Standing Office sends a submitted (or forwarded) assessment back with its comment."""
    with transaction.atomic():
        obj = _locked(assessment, acting_user, "review")
        _transition(obj, (Status.SUBMITTED, Status.FORWARDED), "trả lại hồ sơ")
        comment = (comment or "").strip()
        if not comment:
            raise ValidationError({"comment": "Ghi rõ lý do trả lại để xã bổ sung."})
        if len(comment) > 4000:
            raise ValidationError({"comment": "Ý kiến quá dài (tối đa 4.000 ký tự)."})
        old_status = obj.status
        obj.status, obj.review_comment = Status.RETURNED, comment
        obj.reviewed_at, obj.reviewed_by = timezone.now(), acting_user
        obj.save(update_fields=["status", "review_comment", "reviewed_at", "reviewed_by", "updated_at"])
        record(
            actor=acting_user,
            action="area_assessment.return",
            obj=obj,
            province_code=obj.commune.province_id,
            changes={"status": [old_status, obj.status], "comment": comment},
        )
    return obj


def forward_assessment(*, acting_user: User, assessment: CommuneAssessment, comment: str = "") -> CommuneAssessment:
    """The Standing Office has reviewed the assessment and submits it to the provincial People's Committee."""
    with transaction.atomic():
        obj = _locked(assessment, acting_user, "review")
        _transition(obj, (Status.SUBMITTED,), "trình phê duyệt")
        comment = (comment or "").strip()[:4000]
        obj.status, obj.review_comment = Status.FORWARDED, comment
        obj.reviewed_at, obj.reviewed_by = timezone.now(), acting_user
        obj.save(update_fields=["status", "review_comment", "reviewed_at", "reviewed_by", "updated_at"])
        record(
            actor=acting_user,
            action="area_assessment.forward",
            obj=obj,
            province_code=obj.commune.province_id,
            changes={"status": [Status.SUBMITTED, obj.status], "comment": comment},
        )
    return obj


def _check_decision(number: str, day: Any, year: int, *, required: bool) -> tuple[str, datetime.date | None]:
    errors: dict[str, str] = {}
    number = (number or "").strip()
    if required and not number:
        errors["decision_number"] = "Nhập số quyết định phê duyệt (ví dụ: 1234/QĐ-UBND)."
    elif len(number) > 60:
        errors["decision_number"] = "Số quyết định quá dài (tối đa 60 ký tự)."
    if day is None:
        if required:
            errors["decision_date"] = "Nhập ngày quyết định (dd/mm/yyyy)."
    elif not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        errors["decision_date"] = "Ngày quyết định không hợp lệ (dd/mm/yyyy)."
    else:
        start = period_of(year)[0]
        if day > timezone.localdate():
            errors["decision_date"] = "Ngày quyết định không được sau ngày hôm nay."
        elif day < start:
            errors["decision_date"] = f"Ngày quyết định phải từ {vn.format_date(start)} (đầu kỳ đánh giá năm {year})."
    if errors:
        raise ValidationError(errors)
    return number, day


def approve_assessment(
    *,
    acting_user: User,
    assessment: CommuneAssessment,
    decision_number: str,
    decision_date: Any,
    approved_class: str | None = None,
    note: str = "",
) -> CommuneAssessment:
    """Record the provincial People's Committee's approval: decision number and date, and the
    approved class (the commune's proposal unless the decision says otherwise, with a reason)."""
    with transaction.atomic():
        obj = _locked(assessment, acting_user, "review")
        _transition(obj, (Status.FORWARDED,), "ghi nhận phê duyệt")
        number, day = _check_decision(decision_number, decision_date, obj.year, required=True)
        klass = approved_class or obj.proposed_class
        note = (note or "").strip()
        if klass not in SHORT_CLASS_LABELS:
            raise ValidationError({"approved_class": "Chọn xếp loại được phê duyệt."})
        if klass != obj.proposed_class and not note:
            raise ValidationError({"note": "Xếp loại phê duyệt khác với đề xuất của xã: ghi rõ lý do."})
        obj.status, obj.approved_class, obj.decision_number, obj.decision_date = Status.APPROVED, klass, number, day
        obj.approval_note, obj.approved_at, obj.approved_by = note[:4000], timezone.now(), acting_user
        obj.save(
            update_fields=[
                "status",
                "approved_class",
                "decision_number",
                "decision_date",
                "approval_note",
                "approved_at",
                "approved_by",
                "updated_at",
            ]
        )
        record(
            actor=acting_user,
            action="area_assessment.approve",
            obj=obj,
            province_code=obj.commune.province_id,
            changes={
                "status": [Status.FORWARDED, obj.status],
                "approved_class": klass,
                "legal_basis": obj.legal_basis,
                "decision_number": number,
                "decision_date": vn.format_date(day),
            },
        )
    return obj


def record_historical_class(
    *,
    acting_user: User,
    commune: Commune,
    year: int,
    klass: str,
    decision_number: str = "",
    decision_date: Any = None,
    note: str = "",
) -> CommuneAssessment:
    """Enter (or correct) a class approved under QĐ 3122/2010/QĐ-BCA for a year before 2025.
    It is stored with its legal basis and is never compared with QĐ 28 classes."""
    with transaction.atomic():
        _require(
            area_communes(acting_user, "review").filter(pk=commune.pk).exists(),
            "Bạn không có quyền nhập xếp loại cho xã này.",
        )
        _check_year(year, FIRST_LEGACY_YEAR, FIRST_QD28_YEAR - 1, "Xếp loại theo QĐ 3122/2010/QĐ-BCA")
        if klass not in dict(LEGACY_CLASS_CHOICES):
            raise ValidationError({"klass": "Chọn xếp loại theo QĐ 3122/2010/QĐ-BCA."})
        number, day = _check_decision(decision_number, decision_date, year, required=False)
        old = CommuneAssessment.objects.select_for_update().filter(commune=commune, year=year).first()
        if old is not None and old.comparable:
            raise ValidationError(f"Năm {year} đã có hồ sơ theo QĐ 28/2025/QĐ-TTg.")
        before = {"approved_class": old.approved_class, "decision_number": old.decision_number} if old else {}
        obj = old or CommuneAssessment(commune=commune, year=year)
        obj.legal_basis, obj.status, obj.approved_class = LegalBasis.QD3122, Status.APPROVED, klass
        obj.decision_number, obj.decision_date, obj.approval_note = number, day, (note or "").strip()[:4000]
        obj.approved_at, obj.approved_by, obj.updated_by = timezone.now(), acting_user, acting_user
        obj.save()
        _recheck(CommuneAssessment.objects.for_user(acting_user, "review"), obj, "Bạn không có quyền với hồ sơ này.")
        record(
            actor=acting_user,
            action="area_assessment.historical",
            obj=obj,
            province_code=commune.province_id,
            changes=_changes(
                before, {"approved_class": klass, "decision_number": number, "legal_basis": obj.legal_basis}
            ),
        )
    return obj


# ---------------------------------------------------------------------------------------------
# Province settings and roadmap
# ---------------------------------------------------------------------------------------------


def _office_province(acting_user: User, province: Province, message: str) -> None:
    _require(area_provinces(acting_user, "review").filter(pk=province.pk).exists(), message)


def set_literal_bands(*, acting_user: User, province: Province, literal_bands: bool) -> int:
    """Switch the province's reading of the type II criteria and recompute the proposals of its
    assessments that are not approved yet. Returns how many proposals were recomputed."""
    with transaction.atomic():
        _office_province(acting_user, province, "Chỉ Cơ quan Thường trực của tỉnh được đổi cài đặt này.")
        if not isinstance(literal_bands, bool):
            raise ValidationError("Giá trị cài đặt không hợp lệ.")
        setting, _ = AreaSetting.objects.select_for_update().get_or_create(province=province)
        if setting.literal_bands == literal_bands:
            return 0
        setting.literal_bands, setting.updated_by = literal_bands, acting_user
        setting.save(update_fields=["literal_bands", "updated_by", "updated_at"])
        pending = (
            CommuneAssessment.objects.select_for_update()
            .filter(commune__province=province, legal_basis=LegalBasis.QD28)
            .exclude(status=Status.APPROVED)
        )
        changed = []
        for a in pending:
            a.literal_bands = literal_bands
            result = a.result()
            if result is not None:
                a.proposed_class, a.met_counts = result.classification, dict(result.met_counts)
            changed.append(a)
        CommuneAssessment.objects.bulk_update(
            changed, ["literal_bands", "proposed_class", "met_counts"], batch_size=200
        )
        record(
            actor=acting_user,
            action="area_setting.literal_bands",
            obj=setting,
            province_code=province.code,
            changes={"literal_bands": [not literal_bands, literal_bands], "recomputed": len(changed)},
        )
    return len(changed)


def set_province_targets(
    *,
    acting_user: User,
    province: Province,
    targets: Mapping[int, Decimal | int | None],
    note: str = "",
) -> int:
    """Register the province's drug-free targets (percent of communes) per roadmap year; None
    removes the override (the national target applies). Returns the number of years changed."""
    with transaction.atomic():
        _office_province(acting_user, province, "Chỉ Cơ quan Thường trực của tỉnh được đăng ký chỉ tiêu.")
        errors: dict[str, str] = {}
        for year, value in targets.items():
            if year not in ROADMAP_YEARS:
                errors["__all__"] = f"Lộ trình chỉ gồm các năm {ROADMAP_YEARS[0]}–{ROADMAP_YEARS[-1]}."
            elif value is not None:
                national = NATIONAL_TARGETS.get(year)
                if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or not Decimal(value).is_finite():
                    errors[f"target_{year}"] = "Chỉ tiêu phải là số phần trăm."
                elif not Decimal(0) < Decimal(value) <= Decimal(100):
                    errors[f"target_{year}"] = "Chỉ tiêu phải lớn hơn 0% và không quá 100%."
                elif national is not None and Decimal(value) < national:
                    floor = vn.format_percent(national, None)
                    errors[f"target_{year}"] = f"Không được thấp hơn chỉ tiêu toàn quốc năm {year} ({floor})."
        if errors:
            raise ValidationError(errors)
        note = (note or "").strip()[:255]
        existing = {t.year: t for t in ProvinceTarget.objects.select_for_update().filter(province=province)}
        changed = 0
        for year, value in sorted(targets.items()):
            old = existing.get(year)
            before = old.share_percent if old is not None else None
            new = None if value is None else Decimal(value).quantize(Decimal("0.01"))
            if before == new:
                continue
            if new is None:
                if old is not None:
                    old.delete()
            elif old is None:
                ProvinceTarget.objects.create(
                    province=province, year=year, share_percent=new, note=note, updated_by=acting_user
                )
            else:
                old.share_percent, old.note, old.updated_by = new, note or old.note, acting_user
                old.save(update_fields=["share_percent", "note", "updated_by", "updated_at"])
            changed += 1
            record(
                actor=acting_user,
                action="area_target.set",
                obj=province,
                province_code=province.code,
                changes={
                    "year": year,
                    "share_percent": [None if before is None else str(before), None if new is None else str(new)],
                },
            )
    return changed


def set_commune_target(
    *, acting_user: User, commune: Commune, target_year: int | None, note: str = ""
) -> CommuneTarget | None:
    """Register the year a commune is to become drug-free (None removes the registration)."""
    with transaction.atomic():
        _require(
            area_communes(acting_user, "review").filter(pk=commune.pk).exists(),
            "Chỉ Cơ quan Thường trực của tỉnh được đăng ký lộ trình cho xã.",
        )
        if target_year is not None:
            _check_year(target_year, ROADMAP_YEARS[0], ROADMAP_YEARS[-1], "Năm đăng ký đạt không ma túy")
        old = CommuneTarget.objects.select_for_update().filter(commune=commune).first()
        old_year = old.target_year if old else None
        if target_year is None:
            if old is not None:
                old.delete()
                record(
                    actor=acting_user,
                    action="commune_target.delete",
                    obj=commune,
                    province_code=commune.province_id,
                    changes={"target_year": [old_year, None]},
                )
            return None
        obj = old or CommuneTarget(commune=commune)
        obj.target_year, obj.note, obj.updated_by = target_year, (note or "").strip()[:255], acting_user
        obj.save()
        record(
            actor=acting_user,
            action="commune_target.set",
            obj=obj,
            province_code=commune.province_id,
            changes={"target_year": [old_year, target_year]},
        )
    return obj


# ---------------------------------------------------------------------------------------------
# Provincial self-assessment (Điều 5)
# ---------------------------------------------------------------------------------------------


def save_province_assessment(
    *,
    acting_user: User,
    province: Province,
    year: int,
    figures: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
    note: str = "",
) -> ProvinceAssessment:
    """Save the province's figures for `year` and its result (≥ 4 of 6 criteria). The communes
    criterion is counted from the communes' approved classes of the year."""
    with transaction.atomic():
        _office_province(acting_user, province, "Chỉ Cơ quan Thường trực của tỉnh được lập tự đánh giá cấp tỉnh.")
        _check_year(year, FIRST_QD28_YEAR, current_year(), "Tự đánh giá cấp tỉnh theo QĐ 28/2025/QĐ-TTg")
        missing = {n: [f"Nhập «{figure_label(n)}»."] for n in PROVINCE_FIGURES if figures.get(n) is None}
        try:
            clean = _clean_figures(PROVINCE_FIGURES, figures)
        except ValidationError as exc:
            raise ValidationError({**exc.message_dict, **missing}) from exc
        if missing:
            raise ValidationError(missing)
        old = ProvinceAssessment.objects.select_for_update().filter(province=province, year=year).first()
        if old is not None and old.is_final:
            raise ValidationError(f"Tự đánh giá năm {year} đã chốt; mở lại trước khi sửa.")
        sources = _sources(PROVINCE_FIGURES, clean, notes or {}, old, province_prefill(province, year))
        counts = commune_counts(province.code, year)
        try:
            data = ProvinceInput(**clean, communes_type_I_II=counts.type_i_ii, communes_total=counts.total)
        except RulesInputError as exc:
            raise _engine_error(exc) from exc
        outcome = classify_province(data)
        before = {n: getattr(old, n) for n in (*PROVINCE_FIGURES, "criteria_met")} if old else {}
        obj = old or ProvinceAssessment(province=province, year=year)
        for name, value in clean.items():
            setattr(obj, name, value)
        obj.sources, obj.note, obj.updated_by = sources, (note or "").strip()[:4000], acting_user
        obj.communes_type_I_II, obj.communes_total, obj.communes_approved = (
            counts.type_i_ii,
            counts.total,
            counts.approved,
        )
        obj.key_area, obj.criteria_met = outcome.key_area, outcome.criteria_met
        obj.save()
        record(
            actor=acting_user,
            action="province_assessment.save",
            obj=obj,
            province_code=province.code,
            changes=_changes(before, {**clean, "criteria_met": outcome.criteria_met}),
        )
    return obj


def finalize_province_assessment(*, acting_user: User, assessment: ProvinceAssessment) -> ProvinceAssessment:
    """Freeze the self-assessment for the report to the Ministry, recounting the communes first."""
    with transaction.atomic():
        obj: ProvinceAssessment | None = (
            ProvinceAssessment.objects.for_user(acting_user, "review")
            .select_for_update()
            .filter(pk=assessment.pk)
            .first()
        )
        if obj is None:
            raise PermissionDenied("Chỉ Cơ quan Thường trực của tỉnh được chốt tự đánh giá.")
        if obj.is_final:
            raise ValidationError("Tự đánh giá đã được chốt.")
        counts = commune_counts(obj.province_id, obj.year)
        obj.communes_type_I_II, obj.communes_total, obj.communes_approved = (
            counts.type_i_ii,
            counts.total,
            counts.approved,
        )
        outcome = obj.result()
        obj.key_area, obj.criteria_met = outcome.key_area, outcome.criteria_met
        obj.status, obj.finalized_at, obj.finalized_by = ProvinceAssessmentStatus.FINAL, timezone.now(), acting_user
        obj.save(
            update_fields=[
                "communes_type_I_II",
                "communes_total",
                "communes_approved",
                "key_area",
                "criteria_met",
                "status",
                "finalized_at",
                "finalized_by",
                "updated_at",
            ]
        )
        record(
            actor=acting_user,
            action="province_assessment.finalize",
            obj=obj,
            province_code=obj.province_id,
            changes={"key_area": obj.key_area, "criteria_met": obj.criteria_met},
        )
    return obj


def reopen_province_assessment(*, acting_user: User, assessment: ProvinceAssessment) -> ProvinceAssessment:
    """Reopen a finalised self-assessment for correction."""
    with transaction.atomic():
        obj: ProvinceAssessment | None = (
            ProvinceAssessment.objects.for_user(acting_user, "review")
            .select_for_update()
            .filter(pk=assessment.pk)
            .first()
        )
        if obj is None:
            raise PermissionDenied("Chỉ Cơ quan Thường trực của tỉnh được mở lại tự đánh giá.")
        if not obj.is_final:
            raise ValidationError("Tự đánh giá chưa chốt.")
        obj.status, obj.finalized_at, obj.finalized_by = ProvinceAssessmentStatus.DRAFT, None, None
        obj.save(update_fields=["status", "finalized_at", "finalized_by", "updated_at"])
        record(
            actor=acting_user,
            action="province_assessment.reopen",
            obj=obj,
            province_code=obj.province_id,
            changes={"status": [ProvinceAssessmentStatus.FINAL, ProvinceAssessmentStatus.DRAFT]},
        )
    return obj
