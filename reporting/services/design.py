"""Designing the catalogue: data elements, category combinations, forms and their rules.

The system administrator designs the national catalogue (province null); a province's Standing
Office designs its own elements, combinations and forms beside it and reads the national ones
(`OwnedQuerySet.for_user`). Every change is checked here, whoever calls: a view, a command, a test.
Codes are unique across the installation (rules, the exchange and DHIS2 name things by code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from access.policy import reach, require_visible
from reporting.models import (
    Category,
    CategoryCombo,
    CategoryOption,
    ComboCategory,
    DataElement,
    Form,
    FormItem,
    FormSection,
    ValidationRule,
)
from reporting.rules import RuleError, compile_rule, parse_rule_text
from reporting.services.catalogue import combo_rules

CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")
OPTION_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_]{0,15}$")


class DesignError(ValueError):
    """A change the catalogue refuses; the message is Vietnamese."""


def owner_for(user: Any, province_code: str | None = None) -> Any:
    """The province the user designs for (None: the national catalogue, for the administrator)."""
    from geo.models import Province

    r = reach(user, "catalogue.manage")
    if r.nation:
        return None
    codes = sorted(r.provinces)
    if not codes:
        raise PermissionDenied("Bạn không có quyền thiết kế biểu mẫu, chỉ tiêu.")
    code = province_code if province_code in codes else codes[0]
    return Province.objects.get(pk=code)


def province_prefix(province: Any) -> str:
    """What a province's own codes start with ("T66_"): the national catalogue can grow without
    ever meeting a province's code, and two provinces never collide."""
    return f"T{province.pk}_" if province is not None else ""


def check_code(
    code: str, model: Any, *, pattern: re.Pattern[str] = CODE, exclude: int | None = None, owner: Any = None
) -> str:
    code = (code or "").strip().upper()
    if not pattern.match(code):
        raise DesignError(f"Mã «{code}» không hợp lệ: chỉ dùng chữ in hoa không dấu, chữ số và dấu gạch dưới.")
    prefix = province_prefix(owner)
    if prefix and not code.startswith(prefix):
        raise DesignError(f"Mã của tỉnh bắt đầu bằng «{prefix}» (ví dụ {prefix}{code[:20]}).")
    if owner is None and model is not CategoryOption and re.match(r"^T\d{2}_", code):
        raise DesignError("Mã dạng «T66_…» dành cho danh mục riêng của tỉnh.")
    if code == "T":
        raise DesignError("Mã «T» dành cho tổng số.")
    qs = model.objects.filter(code=code)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise DesignError(f"Mã «{code}» đã được dùng (mã là duy nhất trong toàn hệ thống, kể cả danh mục quốc gia).")
    return code


def _manage(user: Any, model: Any, obj: Any) -> None:
    require_visible(model.objects.for_user(user, "manage"), obj, "Bạn chỉ sửa được danh mục do mình quản lý.")


# — data elements —

ELEMENT_FIELDS = (
    "name",
    "short_name",
    "definition",
    "unit",
    "value_type",
    "aggregation",
    "category_combo",
    "source_level",
    "source_agencies",
)


@transaction.atomic
def save_element(*, acting_user: Any, element: DataElement | None, province: Any, data: dict[str, Any]) -> DataElement:
    """Create (element None) or edit an element. Once it has data its combination is fixed: a
    different breakdown would change what the stored values mean."""
    if element is None:
        element = DataElement(province=province, code=check_code(data["code"], DataElement, owner=province))
    else:
        _manage(acting_user, DataElement, element)
        combo = data.get("category_combo")
        if (combo.pk if combo else None) != element.category_combo_id and element.values.exists():
            raise DesignError("Chỉ tiêu đã có số liệu: không đổi được phân tổ (hãy tạo chỉ tiêu mới).")
    combo = data.get("category_combo")
    if combo is not None and combo.province_id not in (None, element.province_id):
        raise DesignError("Phân tổ này thuộc tỉnh khác.")
    for f in ELEMENT_FIELDS:
        if f in data:
            setattr(element, f, data[f] if data[f] is not None or f == "category_combo" else "")
    element.save()
    return element


@transaction.atomic
def delete_element(*, acting_user: Any, element: DataElement) -> None:
    _manage(acting_user, DataElement, element)
    if element.values.exists():
        raise DesignError(
            f"Không xóa được chỉ tiêu {element.code}: đã có số liệu báo cáo. Hãy «ngừng sử dụng» chỉ tiêu này: "
            "số liệu cũ vẫn giữ nguyên, chỉ tiêu không còn được thêm vào biểu mẫu."
        )
    if FormItem.objects.filter(element=element).exists():
        raise DesignError(
            f"Không xóa được chỉ tiêu {element.code}: đang có trong biểu mẫu; hãy bỏ khỏi biểu mẫu trước."
        )
    element.delete()


def retire_element(*, acting_user: Any, element: DataElement, active: bool = False) -> None:
    """Retire (ngừng sử dụng) or bring back an element; its data stay as they are."""
    _manage(acting_user, DataElement, element)
    element.is_active = active
    element.save(update_fields=["is_active"])


# — category combinations —


@dataclass
class OptionDef:
    code: str
    name: str


def parse_options(text: str) -> list[OptionDef]:
    """One option a line, `CODE | Tên` (e.g. `DT_KINH | Kinh`)."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        code, sep, name = line.partition("|")
        if not sep or not name.strip():
            raise DesignError(f"Dòng {n}: viết «MÃ | Tên mục», ví dụ «AG14_15 | Từ đủ 14 đến dưới 16 tuổi».")
        out.append(OptionDef(code.strip().upper(), name.strip()))
    if not out:
        raise DesignError("Phân tổ cần ít nhất một mục.")
    return out


@transaction.atomic
def create_combo(
    *,
    acting_user: Any,
    province: Any,
    code: str,
    name: str,
    categories: list[Category] | None = None,
    new_category: tuple[str, str, str, list[OptionDef]] | None = None,
) -> CategoryCombo:
    """A combination of existing categories and/or one new category (code, name, DHIS2 suffix, options)."""
    code = check_code(code, CategoryCombo, owner=province)
    chosen = list(categories or [])
    for c in chosen:
        if c.province_id not in (None, getattr(province, "pk", None)):
            raise DesignError("Nhóm phân tổ này thuộc tỉnh khác.")
    if new_category is not None:
        ccode, cname, suffix, options = new_category
        ccode = check_code(ccode, Category, owner=province)
        suffix = (suffix or "").strip().upper() or f"_{ccode[:8]}"
        if not suffix.startswith("_") or not re.match(r"^_[A-Z0-9]{1,11}$", suffix):
            raise DesignError("Hậu tố DHIS2 viết dạng «_ABC» (chữ in hoa, chữ số).")
        if Category.objects.filter(dhis2_suffix=suffix).exists():
            raise DesignError(f"Hậu tố DHIS2 «{suffix}» đã được dùng.")
        seen = set()
        for o in options:
            check_code(o.code, CategoryOption, pattern=OPTION_CODE)
            if o.code in seen:
                raise DesignError(f"Mục «{o.code}» bị lặp.")
            seen.add(o.code)
        category = Category.objects.create(code=ccode, name=cname.strip(), dhis2_suffix=suffix, province=province)
        for order, o in enumerate(options, start=1):
            CategoryOption.objects.create(category=category, code=o.code, name=o.name, order=order)
        chosen.append(category)
    if not chosen:
        raise DesignError("Chọn ít nhất một nhóm phân tổ hoặc tạo nhóm mới.")
    combo = CategoryCombo.objects.create(code=code, name=name.strip(), province=province)
    for order, c in enumerate(chosen, start=1):
        ComboCategory.objects.create(combo=combo, category=c, order=order)
    combo.refresh_codes()
    return combo


# — forms —


def known_codes(form: Form) -> dict[str, tuple[str, ...]]:
    """{element code: its cells} of the form's elements (what its rules may name)."""
    items = FormItem.objects.filter(section__form=form).select_related("element__category_combo")
    return {i.element.code: i.element.categories for i in items}


def check_rule_text(form: Form, text: str, message: str = "-") -> str:
    """ "" when the rule compiles against the form's elements, else the Vietnamese error."""
    try:
        left, op, right = parse_rule_text(text)
        compile_rule(code="R", left=left, operator=op, right=right, message=message or "-", known=known_codes(form))
    except RuleError as exc:
        return str(exc).replace("Quy tắc R: ", "").replace("Quy tắc R ", "Quy tắc ")
    return ""


@transaction.atomic
def create_form(*, acting_user: Any, province: Any, code: str, name: str, level: str, description: str = "") -> Form:
    if level not in Form.Level.values:
        raise DesignError("Chọn đơn vị báo cáo: cấp xã hoặc sở, ban, ngành.")
    return Form.objects.create(
        code=check_code(code, Form, owner=province),
        name=name.strip(),
        level=level,
        description=description,
        province=province,
    )


@transaction.atomic
def copy_form(*, acting_user: Any, form: Form, province: Any, code: str = "", name: str = "") -> Form:
    """The province's own copy of a form it can read (the national commune form…): sections,
    items and rules; the copy is then the province's to change."""
    require_visible(Form.objects.for_user(acting_user), form, "Bạn không xem được biểu mẫu này.")
    owner = getattr(province, "pk", None)
    code = code or (f"{province_prefix(province)}{form.code}" if owner else f"{form.code}_BAN_SAO")
    copy = Form.objects.create(
        code=check_code(code, Form, owner=province),
        name=name or (f"{form.name} (bản của {province.name})" if province else f"{form.name} (bản sao)"),
        description=form.description,
        level=form.level,
        province=province,
        copied_from=form,
    )
    for section in form.sections.order_by("order", "id"):
        new = FormSection.objects.create(
            form=copy, name=section.name, order=section.order, agency_codes=section.agency_codes
        )
        FormItem.objects.bulk_create(
            [
                FormItem(section=new, element_id=i.element_id, order=i.order, required=i.required)
                for i in section.items.all()
            ]
        )
    ValidationRule.objects.bulk_create(
        [
            ValidationRule(
                form=copy,
                code=r.code,
                left=r.left,
                operator=r.operator,
                right=r.right,
                message=r.message,
                severity=r.severity,
                missing_as_zero=r.missing_as_zero,
            )
            for r in form.rules.all()
        ]
    )
    return copy


@transaction.atomic
def add_section(*, acting_user: Any, form: Form, name: str, agency_codes: str = "") -> FormSection:
    _manage(acting_user, Form, form)
    if not name.strip():
        raise DesignError("Nhập tên phần.")
    order = (form.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    return FormSection.objects.create(form=form, name=name.strip(), order=order, agency_codes=agency_codes.strip())


@transaction.atomic
def add_item(*, acting_user: Any, section: FormSection, element: DataElement, required: bool = True) -> FormItem:
    """Add an element to a section, with the part ≤ total rules of its combination."""
    form = section.form
    _manage(acting_user, Form, form)
    if not element.is_active:
        raise DesignError(f"Chỉ tiêu {element.code} đã ngừng sử dụng.")
    if element.province_id not in (None, form.province_id):
        raise DesignError("Chỉ tiêu này thuộc tỉnh khác.")
    if FormItem.objects.filter(section__form=form, element=element).exists():
        raise DesignError(f"Chỉ tiêu {element.code} đã có trong biểu mẫu.")
    order = (section.items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = FormItem.objects.create(section=section, element=element, order=order, required=required)
    taken = set(form.rules.values_list("code", flat=True))
    for rule in combo_rules(element.code, element.name, element.category_combo):
        if rule.code in taken:
            continue
        left, op, right = parse_rule_text(rule.text)
        ValidationRule.objects.create(
            form=form,
            code=rule.code,
            left=left,
            operator=op,
            right=right,
            message=rule.message,
            severity=rule.severity,
            missing_as_zero=rule.missing_as_zero,
        )
    return item


@transaction.atomic
def remove_item(*, acting_user: Any, item: FormItem) -> None:
    form = item.section.form
    _manage(acting_user, Form, form)
    code = item.element.code
    item.delete()
    # Rules naming the element no longer compile: they leave with it.
    for rule in form.rules.all():
        if code in {c for c, _ in _cells(rule)}:
            rule.delete()


def _cells(rule: ValidationRule) -> set[tuple[str, str]]:
    from reporting.rules import parse_expression

    try:
        return set(parse_expression(rule.left).cells + parse_expression(rule.right).cells)
    except RuleError:
        return set()


@transaction.atomic
def add_rule(
    *,
    acting_user: Any,
    form: Form,
    code: str,
    text: str,
    message: str,
    severity: str = "error",
    missing_as_zero: bool = False,
) -> ValidationRule:
    _manage(acting_user, Form, form)
    code = (code or "").strip().upper()
    if not CODE.match(code):
        raise DesignError("Mã quy tắc chỉ dùng chữ in hoa không dấu, chữ số và dấu gạch dưới.")
    if form.rules.filter(code=code).exists():
        raise DesignError(f"Biểu mẫu đã có quy tắc mã «{code}».")
    if not (message or "").strip():
        raise DesignError("Nhập thông báo hiện ra khi số liệu vi phạm quy tắc.")
    error = check_rule_text(form, text, message)
    if error:
        raise DesignError(error)
    left, op, right = parse_rule_text(text)
    return ValidationRule.objects.create(
        form=form,
        code=code,
        left=left,
        operator=op,
        right=right,
        message=message.strip(),
        severity=severity if severity in ValidationRule.Severity.values else "error",
        missing_as_zero=missing_as_zero,
    )


def delete_rule(*, acting_user: Any, rule: ValidationRule) -> None:
    _manage(acting_user, Form, rule.form)
    rule.delete()


@transaction.atomic
def edit_combo(
    *, acting_user: Any, combo: CategoryCombo, name: str, options: dict[int, list[OptionDef]] | None = None
) -> CategoryCombo:
    """Rename a combination and rewrite the options of its own categories (`{category id: options}`,
    one `MÃ | Tên` a line). Names may always be corrected; once an element of a combination using
    the category has data, its options are fixed (adding, removing or recoding one would change what
    the stored values and past versions mean)."""
    _manage(acting_user, CategoryCombo, combo)
    if not name.strip():
        raise DesignError("Nhập tên phân tổ.")
    combo.name = name.strip()
    combo.save(update_fields=["name"])
    for category_id, wanted in (options or {}).items():
        category = get_own_category(acting_user, combo, category_id)
        current = {o.code: o for o in category.options.all()}
        codes = [o.code for o in wanted]
        if len(set(codes)) != len(codes):
            raise DesignError("Mã mục bị lặp.")
        if set(codes) != set(current) and category_has_data(category):
            raise DesignError(
                f"Nhóm «{category.name}» đã có số liệu: chỉ sửa được tên các mục, không thêm, bớt hay đổi mã mục."
            )
        for code in set(current) - set(codes):
            current[code].delete()
        for order, o in enumerate(wanted, start=1):
            if o.code in current:
                option = current[o.code]
                option.name, option.order = o.name, order
                option.save(update_fields=["name", "order"])
            else:
                check_code(o.code, CategoryOption, pattern=OPTION_CODE)
                CategoryOption.objects.create(category=category, code=o.code, name=o.name, order=order)
    for affected in CategoryCombo.objects.filter(categories__in=combo.categories.all()).distinct():
        affected.refresh_codes()
    combo.refresh_from_db()
    return combo


def get_own_category(user: Any, combo: CategoryCombo, category_id: int) -> Category:
    category = combo.categories.filter(pk=category_id).first()
    if category is None:
        raise DesignError("Nhóm phân tổ không thuộc phân tổ này.")
    require_visible(Category.objects.for_user(user, "manage"), category, "Nhóm phân tổ này thuộc danh mục khác.")
    return category


def category_has_data(category: Category) -> bool:
    from reporting.models import DataValue

    combos = CategoryCombo.objects.filter(categories=category)
    # Any value of an element broken down by it (its total included: the breakdown is part of what
    # the report asked).
    return DataValue.objects.filter(element__category_combo__in=combos).exists()


@transaction.atomic
def move(*, acting_user: Any, obj: FormSection | FormItem, up: bool) -> None:
    """Move a section within its form, or an item within its section, one place up or down."""
    if isinstance(obj, FormSection):
        form, siblings = obj.form, list(obj.form.sections.order_by("order", "id"))
    else:
        form, siblings = obj.section.form, list(obj.section.items.order_by("order", "id"))
    _manage(acting_user, Form, form)
    i = next(n for n, s in enumerate(siblings) if s.pk == obj.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(siblings):
        siblings[i], siblings[j] = siblings[j], siblings[i]
    for order, sibling in enumerate(siblings, start=1):
        if sibling.order != order:
            sibling.order = order
            sibling.save(update_fields=["order"])
