"""Schedules: the list, creating and editing, lock exceptions, and schedules from a plan's duties."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from access.decorators import feature_required
from geo.models import Province
from reporting.forms import LockExceptionForm, ScheduleForm
from reporting.models import LockException, Schedule
from reporting.services import review
from reporting.services import schedules as S


@feature_required("schedule.read")
def schedule_list(request: HttpRequest) -> HttpResponse:
    schedules = (
        Schedule.objects.for_user(request.user)
        .select_related("form", "province", "to_agency", "source_duty__plan")
        .annotate(n_agencies=Count("agencies", distinct=True), n_communes=Count("communes", distinct=True))
        .order_by("province_id", "-is_active", "name")
    )
    managed = set(Schedule.objects.for_user(request.user, "manage").values_list("pk", flat=True))
    return render(
        request,
        "reporting/schedule_list.html",
        {
            "schedules": schedules,
            "managed": managed,
            "can_create": bool(_office_provinces(request)),
        },
    )


def _office_provinces(request: HttpRequest) -> list[Province]:
    return list(Province.objects.for_user(request.user, "schedule.manage").order_by("code"))


@feature_required("schedule.manage")
def schedule_create(request: HttpRequest) -> HttpResponse:
    provinces = _office_provinces(request)
    code = request.POST.get("province") or request.GET.get("province")
    province = next((p for p in provinces if p.code == code), None) if code else (provinces[0] if provinces else None)
    if province is None:
        raise Http404
    form = ScheduleForm(
        request.POST or None,
        province=province,
        initial={"convention": "administrative", "due_kind": "day_of_last_month", "due_day": 15},
    )
    if request.method == "POST" and form.is_valid():
        schedule = S.save_schedule(acting_user=request.user, schedule=None, province=province, data=form.cleaned_data)
        messages.success(request, f"Đã tạo lịch báo cáo «{schedule.name}».")
        return redirect("reporting:schedules")
    return render(request, "reporting/schedule_form.html", {"form": form, "province": province, "provinces": provinces})


@feature_required("schedule.manage")
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(Schedule.objects.for_user(request.user, "manage").select_related("province"), pk=pk)
    form = ScheduleForm(request.POST or None, instance=schedule, province=schedule.province)
    if request.method == "POST" and form.is_valid():
        S.save_schedule(acting_user=request.user, schedule=schedule, province=schedule.province, data=form.cleaned_data)
        messages.success(request, f"Đã lưu lịch báo cáo «{schedule.name}».")
        return redirect("reporting:schedules")
    return render(
        request, "reporting/schedule_form.html", {"form": form, "province": schedule.province, "schedule": schedule}
    )


@feature_required("schedule.manage")
def lock_exceptions(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(Schedule.objects.for_user(request.user, "manage").select_related("form"), pk=pk)
    today = S.today()
    units = S.schedule_units(schedule)
    periods = S.schedule_periods(schedule, until=today)[-12:]
    form = LockExceptionForm(
        request.POST or None,
        units=units,
        periods=periods,
        initial={"unit": request.GET.get("unit"), "period": request.GET.get("period")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.key == data["unit"])
        try:
            review.grant_lock_exception(
                acting_user=request.user,
                schedule=schedule,
                period_id=data["period"],
                unit=unit,
                until=data["until"],
                reason=data["reason"],
                on=today,
            )
        except review.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Đã mở nhập số liệu cho {unit.name} đến hết ngày {data['until']:%d/%m/%Y}.")
            return redirect("reporting:lock_exceptions", pk=pk)
    names = {u.key: u.name for u in units}
    exceptions = [
        (e, names.get(f"agency:{e.agency_id}" if e.agency_id else f"commune:{e.commune_id}", ""))
        for e in LockException.objects.filter(schedule=schedule)
        .select_related("granted_by")
        .order_by("-granted_at")[:50]
    ]
    return render(
        request,
        "reporting/lock_exceptions.html",
        {"schedule": schedule, "form": form, "exceptions": exceptions, "today": today},
    )


@feature_required("schedule.manage")
def plan_duties(request: HttpRequest) -> HttpResponse:
    from plans.models import Plan, ReportingDuty

    duties = ReportingDuty.objects.select_related("to_agency").prefetch_related("schedules").order_by("id")
    plans = (
        Plan.objects.for_user(request.user, "manage")
        .filter(status=Plan.Status.ACTIVE)
        .select_related("province")
        .prefetch_related(Prefetch("reporting_duties", queryset=duties))
        .order_by("province_id", "-issued_on")
    )
    rows = [(plan, [(duty, _due_label(duty.due)) for duty in plan.reporting_duties.all()]) for plan in plans]
    return render(request, "reporting/plan_duties.html", {"plans": plans, "rows": rows})


def _due_label(due: str) -> str:
    """The plan's due rule in Vietnamese ("Ngày 15 tháng cuối kỳ", "Ngày 15/06", a date)."""
    from reporting.periods import PeriodError, rule_from_extract

    try:
        rule = rule_from_extract(due)
    except PeriodError:
        return due
    return rule.label if rule else "—"


@require_GET
@feature_required("schedule.manage")
def schedules_from_plan_preview(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """What the plan's reporting duties would become, before anything is created."""
    from plans.models import Plan

    plan = get_object_or_404(Plan.objects.for_user(request.user, "manage"), pk=plan_pk)
    proposals = S.plan_proposals(plan)
    return render(request, "reporting/plan_preview.html", {"plan": plan, "proposals": proposals})


@require_POST
@feature_required("schedule.manage")
def schedules_from_plan(request: HttpRequest, plan_pk: int) -> HttpResponse:
    from plans.models import Plan

    plan = get_object_or_404(Plan.objects.for_user(request.user, "manage"), pk=plan_pk)
    chosen = {int(v) for v in request.POST.getlist("duty") if v.isdigit()}
    if not chosen:
        messages.warning(request, "Hãy chọn ít nhất một chế độ báo cáo trong bản xem trước.")
        return redirect("reporting:schedules_from_plan_preview", plan_pk=plan.pk)
    result = S.schedules_from_plan(acting_user=request.user, plan=plan, duty_ids=chosen)
    if result.created:
        messages.success(request, f"Đã tạo {len(result.created)} lịch báo cáo từ {plan}.")
    if result.tasks:
        messages.success(request, f"Đã giao Cơ quan Thường trực {len(result.tasks)} nhiệm vụ báo cáo cấp trên.")
    for duty, reason in result.skipped:
        messages.warning(request, f"Bỏ qua «{duty}»: {reason}")
    return redirect("reporting:plan_duties")
