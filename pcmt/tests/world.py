"""One object of every kind in province A (Đắk Lắk, 66) and in province B (Hưng Yên, 33), built
through the services where they exist, for the URL walk (`test_url_walk.py`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from access.roles import Role
from accounts.models import ApiToken, RoleAssignment, User
from agencies.models import Agency
from areas import services as area_services
from areas.models import CommuneAssessment
from core.tests.samples import PDF
from geo.models import Commune, Province
from indicators.models import Indicator, Target
from jobs.models import Job
from notices.models import Notification
from plans.models import DeadlineExtension, PlanImport, TaskAttachment
from plans.services import imports, tracking
from plans.tests.builders import make_plan, make_task
from reporting.models import CategoryCombo, DataElement, Form, FormItem, FormSection, Submission
from reporting.tests.builders_consolidation import make_element, make_form, make_schedule, make_submission

A, B = "66", "33"
COMMUNE = {A: "24133", B: "11953"}
DEMO_PLAN = Path(__file__).resolve().parents[2] / "demo" / "demo_data" / "ke-hoach-minh-hoa.md"
FIGURES = {
    "population": 2_000_000,
    "users_with_records": 10,
    "points": 0,
    "arrested": 0,
    "plants": 0,
    "area_m2": 0,
    "on_interprovincial_route": False,
}
COMMUNE_FIGURES = {
    "population": 10_000,
    "users_with_records": 3,
    "points": 0,
    "arrested": 0,
    "plants": 0,
    "area_m2": Decimal("0"),
    "on_route": False,
    "residents_using": 1,
    "residents_violating": 0,
    "fugitives": 0,
}


@dataclass
class Side:
    """The objects of one province."""

    province: Province
    office: User
    commune: Commune
    agency: Agency
    user: User
    assignment: RoleAssignment
    pending_grant: RoleAssignment
    draft: PlanImport
    plan: Any
    task: Any
    extension: DeadlineExtension
    attachment: TaskAttachment
    schedule: Any
    submission: Submission
    target: Target
    assessment: CommuneAssessment
    province_assessment: Any
    notification: Notification
    api_token: ApiToken
    job: Job
    # The case registry (issue 13): filled by `_registry` after the side is built.
    person: Any = None
    person2: Any = None
    transfer: Any = None
    person_request: Any = None
    case_role: Any = None  # a case role ending in 20 days, with a renewal requested by another user
    renewal: Any = None
    # The catalogue designer (issue 11): the province's own element and form.
    element: Any = None
    own_form: Any = None
    combo: Any = None


def _unit_officer(side: str, office: User, role: str, **scope: Any) -> User:
    user = User.objects.create(username=f"walk-{role}-{side}", full_name=f"Cán bộ {role} {side}", province_id=side)
    RoleAssignment.objects.create(
        user=user, role=role, province_id=side, approved_at=timezone.now(), created_by=office, **scope
    )
    return user


def build_side(code: str, office: User, form: Form, today: dt.date) -> Side:
    province = Province.objects.get(code=code)
    commune = Commune.objects.get(code=COMMUNE[code])
    agency = Agency.objects.get(province_id=code, code="SYT")
    user = _unit_officer(code, office, Role.AGENCY_OFFICER, agency=agency)
    commune_user = _unit_officer(code, office, Role.COMMUNE_OFFICER, commune=commune)
    assignment = user.role_assignments.get()
    # A grant waiting for its second approver, requested by someone else than the persona who approves.
    pending = RoleAssignment.objects.create(user=user, role=Role.LEADER, province_id=code, created_by=commune_user)
    draft = imports.create_draft(
        acting_user=office, province=province, name="ke-hoach.md", content=DEMO_PLAN.read_bytes()
    )
    plan = make_plan(code)
    task = make_task(plan, lead="SYT", deadline=today + dt.timedelta(days=20), projects=["DA1"])
    update = tracking.record_progress(
        acting_user=user,
        task=task,
        version=task.version,
        on=today,
        text="Đã triển khai",
        percent=20,
        files=[SimpleUploadedFile("bao-cao.pdf", PDF)],
    )
    task.refresh_from_db()
    extension = tracking.request_extension(
        acting_user=user, task=task, new_deadline=today + dt.timedelta(days=60), reason="Chờ hướng dẫn của Bộ"
    )
    schedule = make_schedule(form, code, communes=[commune.code])
    submission = make_submission(schedule, "2026Q2", commune=commune.code, status="submitted", values={"WALK_N": 5})
    indicator = Indicator.objects.order_by("pk").first()
    target = Target.objects.create(
        indicator=indicator, province=province, year=2027, comparator=">=", value=Decimal(50)
    )
    assessment = area_services.save_self_assessment(
        acting_user=commune_user,
        commune=commune,
        year=2026,
        figures=COMMUNE_FIGURES,
        notes={name: "Công an xã" for name in COMMUNE_FIGURES},
    )
    province_assessment = area_services.save_province_assessment(
        acting_user=office, province=province, year=2026, figures=FIGURES, notes={n: "Công an tỉnh" for n in FIGURES}
    )
    notification = Notification.objects.create(user=office, key=f"walk-{code}", title="Thông báo", url="/")
    api_token = ApiToken.objects.create(
        user=office,
        name="Đồng bộ",
        prefix="pcmt_walk",
        digest=f"walk-{code}",
        expires_at=timezone.now() + dt.timedelta(days=90),
    )
    job = Job.objects.create(
        owner=office,
        kind="reporting.exchange_export",
        idempotency_key=f"walk-{code}",
        status=Job.Status.DONE,
        progress=100,
        result_name="gia-tri.csv",
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    job.result.save("gia-tri.csv", ContentFile(b"dataElement,period\n"))
    own_element = DataElement.objects.create(code=f"WALK_OWN_{code}", name="Chỉ tiêu riêng của tỉnh", province=province)
    own_form = Form.objects.create(code=f"WALK_FORM_{code}", name="Biểu mẫu riêng", level="commune", province=province)
    FormItem.objects.create(
        section=FormSection.objects.create(form=own_form, name="Phần I", order=1), element=own_element, order=1
    )
    side = Side(
        province,
        office,
        commune,
        agency,
        user,
        assignment,
        pending,
        draft,
        plan,
        task,
        extension,
        TaskAttachment.objects.get(update=update),
        schedule,
        submission,
        target,
        assessment,
        province_assessment,
        notification,
        api_token,
        job,
    )
    side.element, side.own_form = own_element, own_form
    side.combo = CategoryCombo.objects.create(code=f"WALK_COMBO_{code}", name="Phân tổ riêng", province=province)
    return side


@dataclass
class World:
    a: Side
    b: Side
    form: Form


def _registry(side: Side, today: dt.date) -> None:
    """Two persons of the side's commune (one with a decision and a request) and a third being
    transferred to another commune of the province."""
    from cases.services import followup
    from cases.services.decisions import add_decision
    from cases.services.persons import create_person

    old_code = {A: "066", B: "033"}[side.province.code]

    def person(name: str, serial: int) -> Any:
        birth = dt.date(1990, 1, 15)
        return create_person(
            None, full_name=name, birth_date=birth, sex="M", cccd=f"{old_code}090{serial:06d}", commune=side.commune
        )

    side.person = person(f"Người Thử {side.province.code}", 1)
    add_decision(
        acting_user=None, person=side.person, decision_type="quan_ly_su_dung", decided_on=today - dt.timedelta(days=30)
    )
    side.person2 = person(f"Người Thứ Hai {side.province.code}", 2)
    moving = person(f"Người Chuyển {side.province.code}", 3)
    other = Commune.objects.filter(province=side.province).exclude(pk=side.commune.pk).order_by("code").first()
    case_officer = _unit_officer(side.province.code, side.office, Role.CASE_OFFICER, commune=side.commune)
    side.transfer = followup.request_transfer(acting_user=case_officer, person=moving, to_commune=other, moved_on=today)
    side.person_request = followup.add_request(
        acting_user=case_officer, person=side.person, kind="access", received_on=today
    )
    from cases.models import RoleRenewal

    side.case_role = RoleAssignment.objects.get(user=case_officer, role=Role.CASE_OFFICER)
    side.case_role.valid_until = today + dt.timedelta(days=20)
    side.case_role.save(update_fields=["valid_until"])
    side.renewal = RoleRenewal.objects.create(
        assignment=side.case_role, requested_by=side.user, previous_until=side.case_role.valid_until
    )


def build_world(today: dt.date) -> World:
    element = make_element("WALK_N", name="Số người (đi qua mọi trang)")
    form = make_form("WALK_FORM", Form.Level.COMMUNE, [element], name="Biểu mẫu thử (đi qua mọi trang)")
    a = build_side(A, User.objects.get(username="thuongtruc"), form, today)
    b = build_side(B, User.objects.get(username="thuongtruc_b"), form, today)
    for side in (a, b):
        _registry(side, today)
    return World(a, b, form)
