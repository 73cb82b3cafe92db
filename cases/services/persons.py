"""Creating, finding, opening and merging person records.

Every named read goes to the access log (`cases.services.access_log`); searches compare keyed
hashes, never decrypt the table. `create_person` is the one writer of a new record (the import
command calls it too).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from access.policy import can, reach, require_visible
from accounts import twofactor
from audit.services import record
from cases import crypto
from cases.models import AccessLog, Decision, Intervention, MergeLog, Person, PersonToken, RecordOpening, Relative
from cases.services.access_log import log_read
from legal.identity import NO_CCCD_REASONS, IdentityError, check_cccd

if TYPE_CHECKING:
    from accounts.models import User

DUPLICATE_CCCD = "Số CCCD này đã có trong sổ quản lý (mỗi người chỉ có một hồ sơ trên toàn quốc)."
OUT_OF_SCOPE = "Xã này không thuộc phạm vi quản lý hồ sơ của bạn."
EXPORT_LIMIT = 5000


def _may_manage_commune(actor: User | None, commune: Any) -> bool:
    r = reach(actor, "registry.manage")
    return commune.code in r.communes or commune.province_id in r.provinces


def _set_hashes(person: Person) -> None:
    person.name_hash = crypto.name_hash(person.full_name)
    person.identity_hash = crypto.identity_hash(person.full_name, person.birth_date)
    person.cccd_hash = crypto.cccd_hash(person.cccd) if person.cccd else None


def name_tokens(person_id: int, commune_id: str, province_id: str, full_name: str) -> list[PersonToken]:
    """The token index rows of one person's name (keyed hashes of its words)."""
    return [
        PersonToken(person_id=person_id, commune_id=commune_id, province_id=province_id, digest=d)
        for d in crypto.token_hashes(full_name)
    ]


def _write_tokens(person: Person) -> None:
    PersonToken.objects.filter(person=person).delete()
    PersonToken.objects.bulk_create(
        name_tokens(person.pk, person.commune_id, person.commune.province_id, person.full_name)
    )


def validate_identity(*, full_name: str, birth_date: datetime.date, sex: str, cccd: str, no_cccd_reason: str) -> str:
    """The normalised CCCD ("" with a stated reason), or ValidationError with Vietnamese messages."""
    errors: dict[str, str] = {}
    if not crypto.fold(full_name):
        errors["full_name"] = "Cần ghi họ và tên."
    if birth_date > timezone.localdate():
        errors["birth_date"] = "Ngày sinh ở tương lai."
    number = ""
    if cccd.strip():
        try:
            number = check_cccd(cccd, birth_date=birth_date, sex=sex)
        except IdentityError as exc:
            errors["cccd"] = str(exc)
    elif no_cccd_reason not in NO_CCCD_REASONS:
        errors["no_cccd_reason"] = "Người không có CCCD phải ghi rõ lý do."
    if errors:
        raise ValidationError(errors)
    return number


@transaction.atomic
def create_person(actor: User | None, **fields: Any) -> Person:
    """Register a person: fields validated, protected ones sealed, hashes set, one per CCCD.

    Fields: full_name, birth_date (date), sex ("M"/"F"), cccd or no_cccd_reason (+ no_cccd_note),
    commune (geo.Commune), address, phone, note, status, status_since. The actor must manage
    the commune (`registry.manage`); `actor=None` is a system import run from the server.
    """
    commune = fields["commune"]
    if actor is not None and not _may_manage_commune(actor, commune):
        raise PermissionDenied(OUT_OF_SCOPE)
    cccd = validate_identity(
        full_name=fields["full_name"],
        birth_date=fields["birth_date"],
        sex=fields["sex"],
        cccd=fields.get("cccd", "") or "",
        no_cccd_reason=fields.get("no_cccd_reason", "") or "",
    )
    person = Person(
        full_name=" ".join(fields["full_name"].split()),
        birth_date=fields["birth_date"].isoformat(),
        birth_year=fields["birth_date"].year,
        sex=fields["sex"],
        cccd=cccd,
        no_cccd_reason="" if cccd else fields.get("no_cccd_reason", ""),
        no_cccd_note="" if cccd else fields.get("no_cccd_note", ""),
        commune=commune,
        address=fields.get("address", ""),
        phone=fields.get("phone", ""),
        note=fields.get("note", ""),
        status=fields.get("status", ""),
        status_since=fields.get("status_since"),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _set_hashes(person)
    if person.cccd_hash and Person.objects.filter(cccd_hash=person.cccd_hash).exists():
        raise ValidationError({"cccd": DUPLICATE_CCCD})
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise ValidationError({"cccd": DUPLICATE_CCCD}) from exc
    _write_tokens(person)
    record(
        actor=actor,
        action="cases.person.create",
        obj=person,
        changes={"full_name": [None, "x"], "cccd": [None, "x"], "commune": [None, commune.code]},
        province_code=commune.province_id,
    )
    return person


@transaction.atomic
def update_person(*, acting_user: User, person: Person, **fields: Any) -> Person:
    """Change a person's details (address, phone, note, name, birth date, sex, identity)."""
    require_visible(Person.objects.for_user(acting_user, "manage"), person)
    merged = {
        "full_name": person.full_name,
        "birth_date": person.birth,
        "sex": person.sex,
        "cccd": person.cccd,
        "no_cccd_reason": person.no_cccd_reason,
        **fields,
    }
    cccd = validate_identity(
        full_name=merged["full_name"],
        birth_date=merged["birth_date"],
        sex=merged["sex"],
        cccd=merged["cccd"] or "",
        no_cccd_reason=merged["no_cccd_reason"] or "",
    )
    changed = sorted(
        k for k, v in fields.items() if getattr(person, k) != (v.isoformat() if isinstance(v, datetime.date) else v)
    )
    for key, value in fields.items():
        setattr(person, key, value.isoformat() if isinstance(value, datetime.date) else value)
    person.cccd = cccd
    person.birth_year = merged["birth_date"].year
    _set_hashes(person)
    if person.cccd_hash and Person.objects.filter(cccd_hash=person.cccd_hash).exclude(pk=person.pk).exists():
        raise ValidationError({"cccd": DUPLICATE_CCCD})
    person.save()
    _write_tokens(person)
    if {"sex", "birth_date"} & set(changed):  # the breakdowns of every period may change
        from cases.services.report_figures import registry_changed

        registry_changed([person.commune_id], datetime.date.min)
    record(
        actor=acting_user,
        action="cases.person.update",
        obj=person,
        changes={k: [None, "x"] for k in changed},
        province_code=person.commune.province_id,
    )
    return person


# --- reading -------------------------------------------------------------------------------------


def read_person(*, user: User, pk: int) -> Person:
    """One record for its detail page (404 outside the scope), the read logged."""
    from django.shortcuts import get_object_or_404

    person = get_object_or_404(Person.objects.for_user(user, "view").select_related("commune", "facility"), pk=pk)
    opened = not Person.objects.in_scope(user).filter(pk=pk).exists()
    log_read(
        actor=user,
        action=AccessLog.Action.DETAIL,
        persons=[person],
        break_glass=opened
        and RecordOpening.objects.filter(user_id=user.pk, person=person, expires_at__gt=timezone.now()).exists(),
        province_code=person.commune.province_id,
    )
    return person


def search_q(queryset: QuerySet[Person], term: str, tokens_in: Q | None = None) -> QuerySet[Person]:
    """Persons matching `term`: a 12-digit CCCD exactly, else every word of the name (any accents).

    `tokens_in` narrows the token index to the user's communes before the words are intersected
    (a common family name alone would otherwise select a third of the country).
    """
    digits = "".join(ch for ch in term if ch.isdigit())
    if len(digits) == 12 and digits == term.strip():
        return queryset.filter(cccd_hash=crypto.cccd_hash(digits))
    words = crypto.tokens(term)
    if not words:
        return queryset.none()
    digests = sorted({crypto.token_hash(w) for w in words})
    index = PersonToken.objects.filter(tokens_in) if tokens_in is not None else PersonToken.objects.all()
    matching = (
        index.filter(digest__in=digests)
        .values("person_id")
        .annotate(words=Count("digest", distinct=True))
        .filter(words=len(digests))
        .values("person_id")
    )
    return queryset.filter(pk__in=matching)


def _token_scope(user: User) -> Q:
    """The token rows of the user's scope, as plain column filters (no join)."""
    r = reach(user, "registry.read_named")
    q = Q(pk__in=[])
    if r.communes:
        q |= Q(commune_id__in=sorted(r.communes))
    if r.provinces:
        q |= Q(province_id__in=sorted(r.provinces))
    if r.agencies:
        q |= Q(person_id__in=Person.objects.filter(facility__in=sorted(r.agencies)).values("pk"))
    return q


def list_persons(*, user: User, term: str = "", commune: Any = None, status: str = "") -> QuerySet[Person]:
    """The persons of the user's own scope, optionally searched (the search itself is logged)."""
    qs: QuerySet[Person] = Person.objects.in_scope(user).filter(pseudonymised_at__isnull=True)
    if commune is not None:
        qs = qs.filter(commune=commune)
    if status:
        qs = qs.filter(status=status)
    if term.strip():
        qs = search_q(qs, term, _token_scope(user))
        log_read(actor=user, action=AccessLog.Action.SEARCH, term=term, result_count=qs.count())
    return qs.select_related("commune").order_by("commune_id", "-pk")


def log_rows(*, user: User, persons: list[Person], action: str = AccessLog.Action.LIST) -> None:
    """The rows a page revealed (names shown), as one log entry."""
    if persons:
        log_read(actor=user, action=action, persons=persons, result_count=len(persons))


@dataclass(frozen=True)
class LookupResult:
    found: bool
    commune: Any = None
    person_id: int | None = None  # only to open it; never shown


def lookup_cccd(*, user: User, number: str) -> LookupResult:
    """Outside one's scope: only "found / not found" and the managing commune (logged)."""
    if not can(user, "registry.lookup"):
        raise PermissionDenied
    digits = "".join(ch for ch in number if ch.isdigit())
    person = (
        Person.objects.filter(cccd_hash=crypto.cccd_hash(digits)).select_related("commune__province").first()
        if len(digits) == 12
        else None
    )
    log_read(
        actor=user,
        action=AccessLog.Action.LOOKUP,
        persons=[person] if person else [],
        term=digits,
        result_count=1 if person else 0,
    )
    if person is None:
        return LookupResult(False)
    return LookupResult(True, person.commune, person.pk)


@transaction.atomic
def open_record(*, user: User, person: Person, reason: str, token: str) -> RecordOpening:
    """Open a record outside one's scope for 24 h: a reason and a fresh second-factor code.

    The Standing Office of the person's province is alerted.
    """
    from accounts.models import User
    from notices.services import notify

    if not can(user, "registry.lookup"):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": "Ghi rõ lý do mở hồ sơ (ít nhất 10 ký tự)."})
    if twofactor.verify(user=user, token=token) is None:
        raise ValidationError({"token": "Mã xác thực không đúng hoặc đã hết hạn."})
    now = timezone.now()
    opening = RecordOpening.objects.create(
        user=user,
        person=person,
        reason=reason,
        opened_at=now,
        expires_at=now + datetime.timedelta(hours=RecordOpening.HOURS),
    )
    province = person.commune.province_id
    log_read(
        actor=user,
        action=AccessLog.Action.OPEN,
        persons=[person],
        reason=reason,
        break_glass=True,
        province_code=province,
    )
    office = User.objects.filter(
        is_active=True, role_assignments__role="standing_office", role_assignments__province_id=province
    ).distinct()
    transaction.on_commit(
        lambda: notify(
            users=list(office),
            key=f"cases.open.{opening.pk}",
            title="Một hồ sơ được mở ngoài phạm vi quản lý",
            body=f"Tài khoản {user.username} đã mở hồ sơ số {person.pk} (xã {person.commune.name}) trong 24 giờ. Lý do: {reason}",
            url=reverse("cases:access_log"),
        )
    )
    return opening


# --- duplicates ------------------------------------------------------------------------------------


def likely_duplicates(*, user: User) -> list[list[Person]]:
    """Groups of records in the user's scope with the same name and birth date."""
    scoped = Person.objects.in_scope(user).filter(pseudonymised_at__isnull=True)
    keys = (
        scoped.values("identity_hash").annotate(n=Count("pk")).filter(n__gt=1).values_list("identity_hash", flat=True)
    )
    groups: dict[str, list[Person]] = {}
    for p in scoped.filter(identity_hash__in=list(keys[:100])).select_related("commune").order_by("pk"):
        groups.setdefault(p.identity_hash, []).append(p)
    return list(groups.values())


@transaction.atomic
def merge(*, acting_user: User, keep: Person, other: Person) -> MergeLog:
    """Merge `other` into `keep` (same name and birth date): its decisions, relatives, interventions
    and requests move; a CCCD only `other` had is kept; the merge is logged."""
    manageable = Person.objects.for_user(acting_user, "manage")
    require_visible(manageable, keep)
    require_visible(manageable, other)
    if keep.pk == other.pk or keep.identity_hash != other.identity_hash:
        raise ValidationError("Chỉ gộp hai hồ sơ khác nhau có cùng họ tên và ngày sinh.")
    if keep.cccd and other.cccd and keep.cccd != other.cccd:
        raise ValidationError("Hai hồ sơ có hai số CCCD khác nhau: không phải cùng một người.")
    moved = {
        "decisions": Decision.objects.filter(person=other).update(person=keep),
        "relatives": Relative.objects.filter(person=other).update(person=keep),
        "interventions": Intervention.objects.filter(person=other).update(person=keep),
        "requests": other.requests.update(person=keep),
    }
    other_id, cccd = other.pk, other.cccd
    other.delete()
    if cccd and not keep.cccd:
        keep.cccd, keep.no_cccd_reason, keep.no_cccd_note = cccd, "", ""
        _set_hashes(keep)
        keep.save()
    from cases.services.decisions import refresh_status

    refresh_status(keep)
    from cases.services.report_figures import registry_changed

    registry_changed({keep.commune_id, other.commune_id}, datetime.date.min)
    entry = MergeLog.objects.create(
        kept=keep, kept_id_snapshot=keep.pk, merged_id=other_id, moved=moved, merged_by=acting_user
    )
    record(
        actor=acting_user,
        action="cases.person.merge",
        obj=keep,
        changes={"merged_id": [other_id, None], **{k: [0, v] for k, v in moved.items()}},
        province_code=keep.commune.province_id,
    )
    return entry


def export_csv(*, user: User, rows: list[Person]) -> str:
    """CSV of named rows (UTF-8 with BOM), first line a watermark naming the reader."""
    import csv
    import io

    from core.spreadsheet import csv_safe
    from core.vn import format_date, format_datetime
    from legal import path

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            f"TÀI LIỆU MẬT — xuất bởi {user.username} lúc {format_datetime(timezone.now())}; mọi lần xuất đều được ghi nhật ký"
        ]
    )
    writer.writerow(
        ["so_ho_so", "ho_ten", "ngay_sinh", "gioi_tinh", "cccd", "ma_xa", "dia_chi", "tinh_trang", "tu_ngay"]
    )
    for p in rows:
        writer.writerow(
            [
                csv_safe(v)
                for v in (
                    p.pk,
                    p.full_name,
                    format_date(p.birth),
                    p.get_sex_display(),
                    p.cccd,
                    p.commune_id,
                    p.address,
                    path.status_label(p.status or None),
                    format_date(p.status_since),
                )
            ]
        )
    return out.getvalue()
