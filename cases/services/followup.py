"""Transfers between communes, interventions and the person's own requests."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from access.policy import reach, require_visible
from access.roles import Role
from audit.services import record
from cases.models import Intervention, Person, PersonRequest, Relative, Transfer
from legal.calendar import add_working_days

if TYPE_CHECKING:
    from accounts.models import User

REQUEST_WORKING_DAYS = 2  # NĐ 356/2025: a data subject's request answered within 02 working days


def case_officers_of(commune: Any) -> list[Any]:
    """Case officers in force over the commune or its whole province."""
    from accounts.models import RoleAssignment, User

    grants = (
        RoleAssignment.objects.in_force()
        .filter(role=Role.CASE_OFFICER)
        .filter(Q(commune=commune) | Q(province_id=commune.province_id, commune__isnull=True, agency__isnull=True))
    )
    return list(User.objects.filter(is_active=True, role_assignments__in=grants).distinct())


def _notify(users: list[User], key: str, title: str, body: str, person: Person) -> None:
    from notices.services import notify

    url = reverse("cases:person", args=[person.pk])
    transaction.on_commit(lambda: notify(users=users, key=key, title=title, body=body, url=url))


@transaction.atomic
def request_transfer(*, acting_user: User, person: Person, to_commune: Any, moved_on: datetime.date) -> Transfer:
    """The person moved: the file goes to the new commune, pending its acceptance. Until then the
    sending commune reads the file (read-only) and nobody changes it."""
    require_visible(Person.objects.for_user(acting_user, "manage"), person)
    if to_commune.pk == person.commune_id:
        raise ValidationError({"to_commune": "Xã chuyển đến trùng với xã đang quản lý."})
    if person.transfers.filter(state=Transfer.State.PENDING).exists():
        raise ValidationError("Hồ sơ đang chờ xã khác tiếp nhận.")
    from_commune = person.commune
    transfer = Transfer.objects.create(
        person=person, from_commune=from_commune, to_commune=to_commune, moved_on=moved_on, requested_by=acting_user
    )
    person.commune = to_commune
    person.save(update_fields=["commune"])
    person.tokens.update(commune=to_commune, province=to_commune.province_id)
    record(
        actor=acting_user,
        action="cases.transfer.request",
        obj=transfer,
        changes={"from": [from_commune.code, None], "to": [None, to_commune.code]},
        province_code=from_commune.province_id,
    )
    body = (
        f"Hồ sơ số {person.pk} chuyển từ {from_commune.name} đến {to_commune.name}, chờ xã nhận tiếp nhận trong 24 giờ."
    )
    _notify(
        case_officers_of(to_commune),
        f"cases.transfer.{transfer.pk}.in",
        "Có hồ sơ chuyển đến chờ tiếp nhận",
        body,
        person,
    )
    _notify(
        case_officers_of(from_commune), f"cases.transfer.{transfer.pk}.out", "Đã gửi hồ sơ sang xã khác", body, person
    )
    return transfer


def incoming(user: User) -> Any:
    """Transfers waiting for the user's communes (or province)."""
    r = reach(user, "registry.manage")
    return (
        Transfer.objects.filter(state=Transfer.State.PENDING)
        .filter(Q(to_commune__in=sorted(r.communes)) | Q(to_commune__province_id__in=sorted(r.provinces)))
        .select_related("from_commune", "to_commune")
    )


@transaction.atomic
def accept_transfer(*, acting_user: User, transfer: Transfer) -> Transfer:
    if not incoming(acting_user).filter(pk=transfer.pk).exists():
        raise PermissionDenied("Chỉ xã nhận hồ sơ mới tiếp nhận được.")
    transfer.state = Transfer.State.ACCEPTED
    transfer.decided_at = timezone.now()
    transfer.decided_by = acting_user
    transfer.save(update_fields=["state", "decided_at", "decided_by"])
    from cases.services.report_figures import registry_changed

    registry_changed([transfer.from_commune_id, transfer.to_commune_id], transfer.moved_on)
    record(
        actor=acting_user, action="cases.transfer.accept", obj=transfer, province_code=transfer.to_commune.province_id
    )
    body = f"{transfer.to_commune.name} đã tiếp nhận hồ sơ số {transfer.person_id}."
    _notify(
        case_officers_of(transfer.from_commune) + case_officers_of(transfer.to_commune),
        f"cases.transfer.{transfer.pk}.accepted",
        "Hồ sơ đã được tiếp nhận",
        body,
        transfer.person,
    )
    return transfer


def blocked_by_transfer(person: Person) -> bool:
    return person.transfers.filter(state=Transfer.State.PENDING).exists()


@transaction.atomic
def add_intervention(
    *, acting_user: User, person: Person, kind: str, state: str, on: datetime.date, note: str = ""
) -> Intervention:
    require_visible(Person.objects.for_user(acting_user, "manage"), person)
    item = Intervention(person=person, kind=kind, state=state, on=on, note=note, created_by=acting_user)
    item.full_clean(exclude=["person", "created_by"])
    item.save()
    record(
        actor=acting_user,
        action="cases.intervention.create",
        obj=item,
        changes={"kind": [None, kind], "state": [None, state], "note": [None, "x"]},
        province_code=person.commune.province_id,
    )
    return item


@transaction.atomic
def add_request(
    *, acting_user: User, person: Person, kind: str, received_on: datetime.date, detail: str = ""
) -> PersonRequest:
    require_visible(Person.objects.for_user(acting_user, "manage"), person)
    item = PersonRequest(
        person=person,
        kind=kind,
        received_on=received_on,
        due_on=add_working_days(received_on, REQUEST_WORKING_DAYS),
        detail=detail,
        created_by=acting_user,
    )
    item.full_clean(exclude=["person", "created_by"])
    item.save()
    record(
        actor=acting_user,
        action="cases.request.create",
        obj=item,
        changes={"kind": [None, kind], "due_on": [None, item.due_on.isoformat()]},
        province_code=person.commune.province_id,
    )
    return item


@transaction.atomic
def answer_request(*, acting_user: User, item: PersonRequest, answered_on: datetime.date, answer: str) -> PersonRequest:
    require_visible(Person.objects.for_user(acting_user, "manage"), item.person)
    if item.answered_on:
        raise ValidationError("Yêu cầu đã được trả lời.")
    item.answered_on, item.answer = answered_on, answer
    item.save(update_fields=["answered_on", "answer"])
    record(actor=acting_user, action="cases.request.answer", obj=item, changes={"answer": [None, "x"]})
    return item


@transaction.atomic
def add_relative(
    *,
    acting_user: User,
    person: Person,
    kind: str,
    full_name: str,
    phone: str = "",
    address: str = "",
    is_guardian: bool = False,
) -> Relative:
    require_visible(Person.objects.for_user(acting_user, "manage"), person)
    item = Relative(
        person=person, kind=kind, full_name=full_name.strip(), phone=phone, address=address, is_guardian=is_guardian
    )
    item.save()
    record(
        actor=acting_user,
        action="cases.relative.create",
        obj=item,
        changes={"kind": [None, kind], "full_name": [None, "x"], "phone": [None, "x"]},
        province_code=person.commune.province_id,
    )
    return item
