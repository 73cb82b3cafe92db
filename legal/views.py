"""The system administrator's pages for the legal reference data: rule sets and public holidays."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from access.decorators import feature_required
from legal.forms import DecisionRuleFormSet, HolidayForm, RuleSetForm, rule_rows_initial, rule_set_data
from legal.models import Holiday, RuleSet
from legal.path import DECISION_TYPES
from legal.rules import RuleError, rules_on, validate_body
from legal.services import add_rule_set, delete_holiday, save_holiday, save_rule_set

FEATURE = "legal.manage"


def _rulesets(request: HttpRequest) -> Any:
    return RuleSet.objects.for_user(request.user, "manage")


@feature_required(FEATURE)
@require_http_methods(["GET"])
def ruleset_list(request: HttpRequest) -> HttpResponse:
    rulesets = _rulesets(request).order_by("-effective_from")
    try:
        current = rules_on(timezone.localdate()).pk
    except RuleError:
        current = None
    return render(request, "legal/ruleset_list.html", {"rulesets": rulesets, "current": current})


@feature_required(FEATURE)
@require_http_methods(["GET"])
def ruleset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ruleset = get_object_or_404(_rulesets(request), pk=pk)
    try:
        rules = validate_body(ruleset.body)
        problem = ""
    except RuleError as exc:
        rules, problem = {}, str(exc)
    rows = [(code, label, rules.get(code)) for code, label in DECISION_TYPES.items()]
    return render(request, "legal/ruleset_detail.html", {"ruleset": ruleset, "rows": rows, "problem": problem})


def _ruleset_form(request: HttpRequest, ruleset: RuleSet | None, source: RuleSet) -> HttpResponse:
    header = {f: getattr(source, f) for f in ("code", "name", "effective_from", "effective_to", "citation", "notes")}
    if ruleset is None:  # a new version starts where the copied one is open-ended
        header.update(code="", effective_from=None, effective_to=None)
    form = RuleSetForm(request.POST or None, initial=header, instance=ruleset)
    formset = DecisionRuleFormSet(request.POST or None, initial=rule_rows_initial(source.body), prefix="r")
    if request.method == "POST" and (data := rule_set_data(form, formset)) is not None:
        try:
            if ruleset is None:
                saved = add_rule_set(acting_user=request.user, data=data)  # type: ignore[arg-type]
                messages.success(request, f"Đã thêm bộ quy tắc {saved.code}.")
            else:
                saved = save_rule_set(acting_user=request.user, ruleset=ruleset, data=data)  # type: ignore[arg-type]
                messages.success(request, f"Đã lưu bộ quy tắc {saved.code}.")
            return redirect("legal:ruleset_detail", pk=saved.pk)
        except RuleError as exc:
            form.add_error(None, str(exc))
    return render(
        request, "legal/ruleset_form.html", {"form": form, "formset": formset, "ruleset": ruleset, "source": source}
    )


@feature_required(FEATURE)
@require_http_methods(["GET", "POST"])
def ruleset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ruleset = get_object_or_404(_rulesets(request), pk=pk)
    return _ruleset_form(request, ruleset, ruleset)


@feature_required(FEATURE)
@require_http_methods(["GET", "POST"])
def ruleset_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version, starting from a copy of rule set `pk`."""
    source = get_object_or_404(_rulesets(request), pk=pk)
    return _ruleset_form(request, None, source)


@feature_required(FEATURE)
@require_http_methods(["GET", "POST"])
def holiday_list(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("nam", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 1990), 2100)
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = save_holiday(acting_user=request.user, holiday=None, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, f"Đã thêm ngày nghỉ {holiday.day:%d/%m/%Y}.")
            return redirect(f"{request.path}?nam={holiday.day.year}")
        except RuleError as exc:
            form.add_error("day", str(exc))
    holidays = Holiday.objects.for_user(request.user, "manage").filter(day__year=year)
    return render(
        request,
        "legal/holiday_list.html",
        {"holidays": holidays, "year": year, "years": range(2020, 2036), "form": form},
    )


@feature_required(FEATURE)
@require_http_methods(["GET", "POST"])
def holiday_edit(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(Holiday.objects.for_user(request.user, "manage"), pk=pk)
    form = HolidayForm(request.POST or None, instance=holiday)
    if request.method == "POST" and form.is_valid():
        try:
            save_holiday(acting_user=request.user, holiday=holiday, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, f"Đã lưu ngày nghỉ {holiday.day:%d/%m/%Y}.")
            return redirect(f"{_holidays_url()}?nam={holiday.day.year}")
        except RuleError as exc:
            form.add_error("day", str(exc))
    return render(request, "legal/holiday_form.html", {"form": form, "holiday": holiday})


@feature_required(FEATURE)
@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(Holiday.objects.for_user(request.user, "manage"), pk=pk)
    year, day = holiday.day.year, holiday.day
    delete_holiday(acting_user=request.user, holiday=holiday)  # type: ignore[arg-type]
    messages.success(request, f"Đã xóa ngày nghỉ {day:%d/%m/%Y}.")
    return redirect(f"{_holidays_url()}?nam={year}")


def _holidays_url() -> str:
    return reverse("legal:holidays")
