"""The catalogue designer: data elements, category combinations, forms and their rules.

The administrator designs the national catalogue, the Standing Office its province's own; both
read the national catalogue (read-only for provinces). Business rules live in services.design.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.decorators import feature_required
from reporting.forms_design import ComboForm, CopyFormForm, ElementForm, ItemForm, NewFormForm, RuleForm, SectionForm
from reporting.models import Category, CategoryCombo, DataElement, Form, FormItem, FormSection
from reporting.services import design as D


def _owner(request: HttpRequest) -> Any:
    return D.owner_for(request.user, request.POST.get("province") or request.GET.get("province"))


@feature_required("catalogue.manage")
def design_index(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    user = request.user
    return render(
        request,
        "reporting/design/index.html",
        {
            "owner": owner,
            "elements": DataElement.objects.for_user(user).select_related("province").order_by("province_id", "code"),
            "combos": CategoryCombo.objects.for_user(user).order_by("province_id", "code"),
            "forms": Form.objects.for_user(user).order_by("province_id", "code"),
            "own_elements": set(DataElement.objects.for_user(user, "manage").values_list("pk", flat=True)),
            "own_forms": set(Form.objects.for_user(user, "manage").values_list("pk", flat=True)),
            "own_combos": set(CategoryCombo.objects.for_user(user, "manage").values_list("pk", flat=True)),
        },
    )


@feature_required("catalogue.manage")
def element_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    element = get_object_or_404(DataElement.objects.for_user(request.user, "manage"), pk=pk) if pk else None
    owner = element.province if element is not None else _owner(request)
    form = ElementForm(request.POST or None, instance=element, province=owner)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "code": request.POST.get("code", "")}
        try:
            saved = D.save_element(acting_user=request.user, element=element, province=owner, data=data)
        except D.DesignError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Đã lưu chỉ tiêu {saved.code}.")
            return redirect("reporting:design")
    return render(request, "reporting/design/element.html", {"form": form, "element": element, "owner": owner})


@require_POST
@feature_required("catalogue.manage")
def element_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete (refused once it has data) or retire / bring back an element."""
    element = get_object_or_404(DataElement.objects.for_user(request.user, "manage"), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "delete":
            D.delete_element(acting_user=request.user, element=element)
            messages.success(request, f"Đã xóa chỉ tiêu {element.code}.")
        else:
            D.retire_element(acting_user=request.user, element=element, active=action == "activate")
            word = "dùng lại" if action == "activate" else "ngừng sử dụng"
            messages.success(request, f"Đã {word} chỉ tiêu {element.code}.")
    except D.DesignError as exc:
        messages.error(request, str(exc))
    return redirect("reporting:design")


@feature_required("catalogue.manage")
def combo_create(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = ComboForm(request.POST or None, province=owner)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            new = None
            if d["category_code"] or d["options"]:
                new = (
                    d["category_code"],
                    d["category_name"] or d["name"],
                    d["dhis2_suffix"],
                    D.parse_options(d["options"]),
                )
            combo = D.create_combo(
                acting_user=request.user,
                province=owner,
                code=d["code"],
                name=d["name"],
                categories=list(d["categories"]),
                new_category=new,
            )
        except D.DesignError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Đã tạo phân tổ «{combo.name}».")
            return redirect("reporting:design")
    return render(request, "reporting/design/combo.html", {"form": form, "owner": owner})


@feature_required("catalogue.manage")
def combo_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a combination; rewrite the options of its own categories (fixed once data exist)."""
    combo = get_object_or_404(CategoryCombo.objects.for_user(request.user, "manage"), pk=pk)
    own = set(Category.objects.for_user(request.user, "manage").values_list("pk", flat=True))
    categories = [
        (c, "\n".join(f"{o.code} | {o.name}" for o in c.options.order_by("order", "id")), c.pk in own)
        for c in combo.ordered_categories()
    ]
    error = ""
    if request.method == "POST":
        try:
            options = {
                c.pk: D.parse_options(request.POST.get(f"options-{c.pk}", ""))
                for c, _, editable in categories
                if editable and f"options-{c.pk}" in request.POST
            }
            D.edit_combo(acting_user=request.user, combo=combo, name=request.POST.get("name", ""), options=options)
        except D.DesignError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Đã lưu phân tổ «{combo.name}».")
            return redirect("reporting:design")
    return render(
        request, "reporting/design/combo_edit.html", {"combo": combo, "categories": categories, "error": error}
    )


@feature_required("catalogue.manage")
def form_create(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    form = NewFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = D.create_form(acting_user=request.user, province=owner, **form.cleaned_data)
        except D.DesignError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("reporting:design_form", pk=created.pk)
    return render(request, "reporting/design/new_form.html", {"form": form, "owner": owner})


@feature_required("catalogue.manage")
def form_copy(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Form.objects.for_user(request.user), pk=pk)
    owner = _owner(request)
    initial = {
        "code": f"{D.province_prefix(owner)}{source.code}" if owner is not None else f"{source.code}_BAN_SAO",
        "name": f"{source.name} (bản của {owner.name})" if owner else f"{source.name} (bản sao)",
    }
    form = CopyFormForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            copy = D.copy_form(acting_user=request.user, form=source, province=owner, **form.cleaned_data)
        except D.DesignError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Đã sao biểu mẫu thành «{copy.name}».")
            return redirect("reporting:design_form", pk=copy.pk)
    return render(request, "reporting/design/copy.html", {"form": form, "source": source, "owner": owner})


@feature_required("catalogue.manage")
def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Sections, items and rules of one of the user's own forms; POST `action` changes one thing."""
    form = get_object_or_404(Form.objects.for_user(request.user, "manage").select_related("province"), pk=pk)
    section_form, item_form, rule_form = SectionForm(prefix="s"), ItemForm(form=form, prefix="i"), RuleForm(prefix="r")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "section":
                section_form = SectionForm(request.POST, prefix="s")
                if section_form.is_valid():
                    D.add_section(acting_user=request.user, form=form, **section_form.cleaned_data)
                    return redirect("reporting:design_form", pk=form.pk)
            elif action == "item":
                item_form = ItemForm(request.POST, form=form, prefix="i")
                if item_form.is_valid():
                    d = item_form.cleaned_data
                    section = get_object_or_404(form.sections, pk=d["section"])
                    D.add_item(acting_user=request.user, section=section, element=d["element"], required=d["required"])
                    messages.success(request, f"Đã thêm chỉ tiêu {d['element'].code} vào biểu mẫu.")
                    return redirect("reporting:design_form", pk=form.pk)
            elif action == "remove_item":
                item = get_object_or_404(FormItem.objects.filter(section__form=form), pk=request.POST.get("item"))
                D.remove_item(acting_user=request.user, item=item)
                return redirect("reporting:design_form", pk=form.pk)
            elif action in ("move_item", "move_section"):
                target: FormItem | FormSection = (
                    get_object_or_404(FormItem.objects.filter(section__form=form), pk=request.POST.get("item"))
                    if action == "move_item"
                    else get_object_or_404(form.sections, pk=request.POST.get("section"))
                )
                D.move(acting_user=request.user, obj=target, up=request.POST.get("dir") == "up")
                return redirect("reporting:design_form", pk=form.pk)
            elif action == "rule":
                rule_form = RuleForm(request.POST, prefix="r")
                if rule_form.is_valid():
                    D.add_rule(acting_user=request.user, form=form, **rule_form.cleaned_data)
                    messages.success(request, "Đã thêm quy tắc kiểm tra.")
                    return redirect("reporting:design_form", pk=form.pk)
            elif action == "delete_rule":
                rule = get_object_or_404(form.rules, pk=request.POST.get("rule"))
                D.delete_rule(acting_user=request.user, rule=rule)
                return redirect("reporting:design_form", pk=form.pk)
        except D.DesignError as exc:
            messages.error(request, str(exc))
    sections = form.sections.prefetch_related("items__element").order_by("order", "id")
    return render(
        request,
        "reporting/design/form.html",
        {
            "form": form,
            "sections": sections,
            "rules": form.rules.order_by("id"),
            "section_form": section_form,
            "item_form": item_form,
            "rule_form": rule_form,
        },
    )


@require_POST
@feature_required("catalogue.manage")
def rule_check(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the rule being typed, compiled against the form's elements: "hợp lệ" or the error."""
    form = get_object_or_404(Form.objects.for_user(request.user, "manage"), pk=pk)
    text = request.POST.get("r-text", "")
    error = D.check_rule_text(form, text) if text.strip() else "Nhập quy tắc, ví dụ «A:M <= A»."
    return render(request, "reporting/design/_rule_check.html", {"error": error})
