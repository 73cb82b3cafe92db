"""The catalogue designer: combinations as data, ownership, the live rule check, deleting and
retiring, and a province's own element with the national age bands through entry, the gate,
consolidation and the DHIS2 exchange."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from geo.models import Province
from reporting.models import CategoryCombo, DataElement, DataValue, Form, Submission
from reporting.periods import parse
from reporting.services import consolidation, design, entry, review
from reporting.services import schedules as S
from reporting.tests.builders_entry import (
    PROVINCE_A,
    TODAY,
    at,
    commune_unit,
    office,
    open_sub,
    reporting_catalogue,  # noqa: F401
    save,
    user,
    valid_input,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reporting_catalogue")]
BANDS = ("AG0_13", "AG14_15", "AG16_17", "AG18_29", "AG30P")


def province_a():
    return Province.objects.get(code=PROVINCE_A)


def own_element(code="T66_DETECTED_YOUTH", combo="age_bands"):
    return design.save_element(
        acting_user=office(),
        element=None,
        province=province_a(),
        data={
            "code": code,
            "name": "Người sử dụng trái phép chất ma túy mới phát hiện theo nhóm tuổi",
            "short_name": "Mới phát hiện theo tuổi",
            "definition": "Số người mới phát hiện trong kỳ.",
            "unit": "người",
            "value_type": "integer",
            "aggregation": "sum",
            "category_combo": CategoryCombo.objects.get(code=combo),
            "source_level": "commune",
            "source_agencies": "",
        },
    )


def own_form_with(element):
    copy = design.copy_form(acting_user=office(), form=Form.objects.get(code="XA_QUY"), province=province_a())
    design.add_item(acting_user=office(), section=copy.sections.order_by("order").first(), element=element)
    return copy


def schedule_of(form):
    return S.save_schedule(
        acting_user=office(),
        schedule=None,
        province=province_a(),
        data={
            "name": "Báo cáo quý cấp xã (bản của tỉnh)",
            "form": form,
            "frequency": "quarterly",
            "convention": "administrative",
            "due_kind": "day_of_last_month",
            "due_day": 15,
            "close_after_days": 10,
            "remind_before_days": 3,
            "all_communes": True,
            "first_period": "2025Q1",
            "last_period": "",
            "is_active": True,
        },
    )


def with_bands(schedule, total, **bands):
    """valid_input with the element's total and age bands (option codes hold underscores, so not
    through valid_input's CODE_CAT shorthand)."""
    data = valid_input(schedule)
    data["v-T66_DETECTED_YOUTH-T"] = str(total)
    data |= {f"v-T66_DETECTED_YOUTH-{b}": bands.get(b, "0") for b in BANDS}
    return data


def test_the_seeded_combinations_keep_todays_codes_and_add_the_age_bands():
    combos = {c.code: c for c in CategoryCombo.objects.filter(province=None)}
    assert combos["sex"].codes == ("M", "F")
    assert combos["age"].codes == ("U18", "A18")
    assert combos["sex_age"].codes == ("M", "F", "U18", "A18")
    assert combos["sex_age"].groups == [("PCMT_GIOI_TINH", ("M", "F")), ("PCMT_NHOM_TUOI", ("U18", "A18"))]
    assert combos["age_bands"].codes == BANDS
    assert combos["age_bands"].labels["AG14_15"] == "Từ đủ 14 đến dưới 16 tuổi"
    addicts = DataElement.objects.get(code="MGMT_ADDICTS")
    assert addicts.categories == ("", "M", "F", "U18", "A18") and addicts.disaggregation == "sex_age"


def test_a_provinces_codes_carry_its_prefix_and_are_unique_everywhere():
    with pytest.raises(design.DesignError, match="bắt đầu bằng «T66_»"):
        own_element("DETECTED_YOUTH")
    with pytest.raises(design.DesignError, match="dành cho danh mục riêng của tỉnh"):
        design.create_form(acting_user=user("quantri"), province=None, code="T66_X", name="x", level="commune")
    with pytest.raises(design.DesignError, match="đã được dùng"):
        design.create_form(acting_user=user("quantri"), province=None, code="XA_QUY", name="x", level="commune")
    own_element()
    with pytest.raises(design.DesignError, match="đã được dùng"):
        own_element()
    assert design.copy_form(acting_user=office(), form=Form.objects.get(code="XA_QUY"), province=province_a()).code == (
        "T66_XA_QUY"
    )


def test_a_new_combination_with_its_own_options():
    combo = design.create_combo(
        acting_user=office(),
        province=province_a(),
        code="T66_SUBSTANCE",
        name="Theo loại chất",
        new_category=(
            "T66_CHAT",
            "Loại chất",
            "_CHAT",
            design.parse_options("HEROIN | Heroin\nMTTH | Ma túy tổng hợp"),
        ),
    )
    assert combo.codes == ("HEROIN", "MTTH") and combo.province_id == PROVINCE_A
    with pytest.raises(design.DesignError, match="đã được dùng"):
        design.create_combo(
            acting_user=office(),
            province=province_a(),
            code="T66_SUBSTANCE2",
            name="x",
            new_category=("T66_CHAT2", "x", "_CHAT2", design.parse_options("M | Nam")),
        )


def test_an_element_with_the_age_bands_flows_through_entry_gate_consolidation_and_dhis2():
    element = own_element()
    copy = own_form_with(element)
    rules = {r.code: f"{r.left} {r.operator} {r.right}" for r in copy.rules.all()}
    # Part ≤ total rules follow from the combination.
    assert (
        rules["T66_DETECTED_YOUTH_PCMT_NHOM_TUOI_TK"]
        == " + ".join(f"T66_DETECTED_YOUTH:{b}" for b in BANDS) + " <= T66_DETECTED_YOUTH"
    )
    assert copy.rules.count() == Form.objects.get(code="XA_QUY").rules.count() + 2
    schedule = schedule_of(copy)
    spec = entry.form_spec(copy)
    assert set(BANDS) <= set(spec.columns) and spec.labels["AG30P"] == "Từ đủ 30 tuổi trở lên"

    sub = open_sub(schedule, "2026Q4")
    ones = dict.fromkeys(BANDS, "1")
    # Five bands of 1 against a total of 4: the part ≤ total rule blocks the submission.
    result = save(sub, with_bands(schedule, 4, **ones), submit=True)
    assert not result.submitted
    assert "nhóm «Nhóm tuổi theo thống kê quốc gia»" in str(result.checks.errors)
    result = save(sub, with_bands(schedule, 9, **ones), submit=True)
    assert result.submitted
    stored = dict(DataValue.objects.filter(submission=sub, element=element).values_list("category", "value"))
    assert set(stored) == {"", *BANDS} and stored["AG14_15"] == 1

    sub.refresh_from_db()
    with time_machine.travel(at(TODAY, 10), tick=False):
        review.approve_submission(acting_user=office(), submission=sub)
    report = consolidation.province_report(form=copy, period=parse("2026Q4"), province=province_a())
    rows = {(r.element.code, r.category): r for r in report.rows if r.element.code == "T66_DETECTED_YOUTH"}
    assert rows[("T66_DETECTED_YOUTH", "")].current.value == 9
    assert rows[("T66_DETECTED_YOUTH", "AG16_17")].current.value == 1
    assert rows[("T66_DETECTED_YOUTH", "AG16_17")].category_label == "Từ đủ 16 đến dưới 18 tuổi"

    from dhis2 import services as H
    from dhis2.metadata import Catalogue

    catalogue = Catalogue(province_a())
    package = catalogue.package()
    assert {c["code"] for c in package["categoryOptionCombos"]} >= set(BANDS)
    assert "PCMT_NHOM_TUOI_TK" in {c["code"] for c in package["categoryCombos"]}
    de = {d["code"]: d for d in package["dataElements"]}
    assert de["T66_DETECTED_YOUTH_NTK"]["categoryCombo"]["id"] == next(
        c["id"] for c in package["categoryCombos"] if c["code"] == "PCMT_NHOM_TUOI_TK"
    )
    values = list(
        H.export_value_set(
            user=office(), form=copy, period="2026Q4", province=province_a(), opts=H.options({"idScheme": "CODE"})
        )
    )
    mine = {
        (v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in values if "DETECTED_YOUTH" in v["dataElement"]
    }
    assert mine[("T66_DETECTED_YOUTH", "default")] == "9"
    assert mine[("T66_DETECTED_YOUTH_NTK", "AG14_15")] == "1" and len(mine) == 6
    assert catalogue.to_pcmt("T66_DETECTED_YOUTH_NTK", "AG30P") == ("T66_DETECTED_YOUTH", "AG30P")


def test_an_element_with_data_cannot_be_deleted_but_can_be_retired():
    element = own_element()
    copy = own_form_with(element)
    schedule = schedule_of(copy)
    sub = open_sub(schedule, "2026Q4")
    save(sub, valid_input(schedule))
    assert DataValue.objects.filter(element=element).exists()
    with pytest.raises(design.DesignError, match="đã có số liệu"):
        design.delete_element(acting_user=office(), element=element)
    with pytest.raises(design.DesignError, match="không đổi được phân tổ"):
        design.save_element(acting_user=office(), element=element, province=province_a(), data={"category_combo": None})
    design.retire_element(acting_user=office(), element=element)
    element.refresh_from_db()
    assert not element.is_active and DataValue.objects.filter(element=element).exists()
    with pytest.raises(design.DesignError, match="ngừng sử dụng"):
        design.add_item(acting_user=office(), section=copy.sections.last(), element=element)
    fresh = own_element("T66_UNUSED")
    design.delete_element(acting_user=office(), element=fresh)
    assert not DataElement.objects.filter(code="T66_UNUSED").exists()


def test_the_national_catalogue_is_read_only_for_a_province():
    national = DataElement.objects.get(code="MGMT_ADDICTS")
    with pytest.raises(PermissionDenied):
        design.retire_element(acting_user=office(), element=national)
    with pytest.raises(PermissionDenied):
        design.add_rule(
            acting_user=office(), form=Form.objects.get(code="XA_QUY"), code="X", text="MGMT_ADDICTS >= 0", message="x"
        )
    # Another province's Standing Office cannot touch province A's element either.
    element = own_element()
    with pytest.raises(PermissionDenied):
        design.retire_element(acting_user=user("thuongtruc_b"), element=element)
    assert set(DataElement.objects.for_user(user("thuongtruc_b"), "manage")) == set()
    assert element not in DataElement.objects.for_user(user("thuongtruc_b"))
    assert element in DataElement.objects.for_user(office()) and national in DataElement.objects.for_user(office())
    # The administrator manages the national catalogue (and may correct a province's records).
    admin = user("quantri")
    assert national in DataElement.objects.for_user(admin, "manage")
    assert design.owner_for(admin) is None  # what the administrator creates is national
    design.retire_element(acting_user=admin, element=national, active=True)


def test_a_province_schedule_offers_national_forms_and_its_own_only():
    from reporting.forms import ScheduleForm

    element = own_element()
    copy = own_form_with(element)
    assert copy in ScheduleForm(province=province_a()).fields["form"].queryset
    assert copy not in ScheduleForm(province=Province.objects.get(code="33")).fields["form"].queryset


def test_rule_check_says_valid_or_why_not():
    copy = own_form_with(own_element())
    assert design.check_rule_text(copy, "T66_DETECTED_YOUTH:AG14_15 <= T66_DETECTED_YOUTH") == ""
    assert "không phân tổ theo «M»" in design.check_rule_text(copy, "T66_DETECTED_YOUTH:M <= T66_DETECTED_YOUTH")
    assert "không có trong biểu mẫu" in design.check_rule_text(copy, "NOPE <= MGMT_ADDICTS")
    assert "thiếu phép so sánh" in design.check_rule_text(copy, "MGMT_ADDICTS")


# — the pages —


@pytest.mark.parametrize(
    ("persona", "status"),
    [("office_a", 200), ("office_b", 200), ("admin", 200), ("commune_a", 403), ("leader_a", 403), ("national", 403)],
)
def test_the_designer_is_for_the_office_and_the_administrator(login, persona, status):
    assert login(persona).get("/bao-cao/thiet-ke/").status_code == status


def test_the_office_cannot_open_a_national_element_or_another_provinces_form(login):
    client = login("office_b")
    national = DataElement.objects.get(code="MGMT_ADDICTS")
    assert client.get(f"/bao-cao/thiet-ke/chi-tieu/{national.pk}/sua/").status_code == 404
    copy = own_form_with(own_element())
    assert client.get(f"/bao-cao/thiet-ke/bieu-mau/{copy.pk}/").status_code == 404
    assert (
        client.post(f"/bao-cao/thiet-ke/bieu-mau/{copy.pk}/kiem-tra-quy-tac/", {"r-text": "A <= B"}).status_code == 404
    )
    assert login("office_a").get(f"/bao-cao/thiet-ke/bieu-mau/{copy.pk}/").status_code == 200


def test_the_live_rule_check_endpoint(login):
    client = login("office_a")
    copy = own_form_with(own_element())
    url = f"/bao-cao/thiet-ke/bieu-mau/{copy.pk}/kiem-tra-quy-tac/"
    ok = client.post(url, {"r-text": "T66_DETECTED_YOUTH:AG30P <= T66_DETECTED_YOUTH"}, HTTP_HX_REQUEST="true")
    assert "Quy tắc hợp lệ" in ok.content.decode()
    bad = client.post(url, {"r-text": "T66_DETECTED_YOUTH:XX <= T66_DETECTED_YOUTH"}, HTTP_HX_REQUEST="true")
    assert "không phân tổ theo «XX»" in bad.content.decode()


def test_deleting_an_element_with_data_through_the_page_says_why(login):
    element = own_element()
    schedule = schedule_of(own_form_with(element))
    save(open_sub(schedule, "2026Q4"), valid_input(schedule))
    client = login("office_a")
    response = client.post(f"/bao-cao/thiet-ke/chi-tieu/{element.pk}/thao-tac/", {"action": "delete"}, follow=True)
    assert "đã có số liệu báo cáo" in response.content.decode()
    assert DataElement.objects.filter(pk=element.pk).exists()


def test_pages_create_an_element_and_copy_a_form(login):
    client = login("office_a")
    response = client.post(
        "/bao-cao/thiet-ke/chi-tieu/them/",
        {
            "code": "T66_NEW",
            "name": "Chỉ tiêu mới",
            "value_type": "integer",
            "aggregation": "sum",
            "category_combo": str(CategoryCombo.objects.get(code="age_bands").pk),
            "source_level": "commune",
        },
    )
    assert response.status_code == 302
    new = DataElement.objects.get(code="T66_NEW")
    assert new.province_id == PROVINCE_A and new.categories == ("", *BANDS)
    duplicate = client.post(
        "/bao-cao/thiet-ke/chi-tieu/them/",
        {"code": "MGMT_ADDICTS", "name": "x", "value_type": "integer", "aggregation": "sum", "source_level": "commune"},
    )
    assert duplicate.status_code == 200 and "invalid-feedback" in duplicate.content.decode()
    assert DataElement.objects.get(code="MGMT_ADDICTS").province_id is None
    national = Form.objects.get(code="XA_QUY")
    response = client.post(f"/bao-cao/thiet-ke/bieu-mau/{national.pk}/sao-chep/", {"code": "T66_XA_QUY", "name": "Bản"})
    copy = Form.objects.get(code="T66_XA_QUY")
    assert response.status_code == 302 and copy.province_id == PROVINCE_A and copy.copied_from == national
    assert copy.rules.count() == national.rules.count()


# — versions —


def test_an_edit_after_data_exists_leaves_old_reports_intact(login):
    from reporting.services import versions

    element = own_element()
    copy = own_form_with(element)
    schedule = schedule_of(copy)
    due = S.due_date(schedule, parse("2026Q3"))
    with time_machine.travel(at(due), tick=False):
        q3 = open_sub(schedule, "2026Q3", on=due)
        assert save(q3, with_bands(schedule, 7, AG30P="7"), submit=True, on=due).submitted
        q3.refresh_from_db()
    with time_machine.travel(at(TODAY, 10), tick=False):
        review.approve_submission(acting_user=office(), submission=q3)
    v1 = q3.form_version
    assert v1.number == 1 and "T66_DETECTED_YOUTH" in {i[1] for s in v1.snapshot["sections"] for i in s["items"]}

    # The office edits the form: the element leaves it, a new one (by sex) joins.
    item = copy.sections.first().items.get(element=element)
    design.remove_item(acting_user=office(), item=item)
    newer = own_element("T66_BY_SEX", combo="sex")
    design.add_item(acting_user=office(), section=copy.sections.first(), element=newer)
    assert not copy.rules.filter(left__contains="T66_DETECTED_YOUTH").exists()

    # The old report reads, checks and consolidates as it was entered.
    q3.refresh_from_db()
    old_spec = entry.spec_for(q3)
    assert "T66_DETECTED_YOUTH" in old_spec.elements and "T66_BY_SEX" not in old_spec.elements
    assert any("T66_DETECTED_YOUTH:AG0_13" in r.left.text for r in old_spec.rules)
    page = login("office_a").get(f"/bao-cao/so-lieu/{q3.pk}/").content.decode()
    assert "cell-T66_DETECTED_YOUTH-AG30P" in page and "cell-T66_BY_SEX-T" not in page
    old = consolidation.province_report(form=copy, period=parse("2026Q3"), province=province_a())
    totals = {(r.element.code, r.category): r.current.value for r in old.rows}
    assert totals[("T66_DETECTED_YOUTH", "")] == 7 and totals[("T66_DETECTED_YOUTH", "AG30P")] == 7
    assert ("T66_BY_SEX", "") not in totals

    # A new period opens under version 2; another unit's Q3 report keeps the period's version 1.
    q4 = open_sub(schedule, "2026Q4")
    assert q4.form_version.number == 2
    new_spec = entry.spec_for(q4)
    assert "T66_BY_SEX" in new_spec.elements and "T66_DETECTED_YOUTH" not in new_spec.elements
    assert versions.for_period(schedule, "2026Q3") == v1
    new = consolidation.province_report(form=copy, period=parse("2026Q4"), province=province_a())
    assert {r.element.code for r in new.rows} >= {"T66_BY_SEX"}
    assert "T66_DETECTED_YOUTH" not in {r.element.code for r in new.rows}


def test_a_retired_element_leaves_new_periods_only():
    from reporting.tests.builders_entry import submitted

    element = own_element()
    copy = own_form_with(element)
    schedule = schedule_of(copy)
    q3 = submitted(schedule, "2026Q3", T66_DETECTED_YOUTH_T="9")  # every band 1 (valid_input)
    design.retire_element(acting_user=office(), element=element)
    q3.refresh_from_db()
    assert "T66_DETECTED_YOUTH" in entry.spec_for(q3).elements
    q4 = open_sub(schedule, "2026Q4")
    assert "T66_DETECTED_YOUTH" not in entry.spec_for(q4).elements
    assert q4.form_version.number == 2 and q3.form_version.number == 1


def test_an_unchanged_form_keeps_its_version():
    copy = own_form_with(own_element())
    schedule = schedule_of(copy)
    q3 = open_sub(schedule, "2026Q4")
    element = DataElement.objects.get(code="T66_DETECTED_YOUTH")
    element.name = "Tên mới"  # a cosmetic edit: the structure is unchanged
    element.save()
    other = open_sub(schedule, "2026Q4", commune_unit("24175"))
    assert q3.form_version == other.form_version and q3.form_version.number == 1
    assert copy.versions.count() == 1


def test_a_combinations_options_are_fixed_once_data_exist_but_names_can_be_corrected(login):
    combo = design.create_combo(
        acting_user=office(),
        province=province_a(),
        code="T66_ETHNIC",
        name="Theo dân tộc",
        new_category=("T66_DAN_TOC", "Dân tộc", "_DT", design.parse_options("DT_KINH | Kinh\nDT_KHAC | Khác")),
    )
    category = combo.categories.get()
    # No data yet: an option may be added.
    client = login("office_a")
    response = client.post(
        f"/bao-cao/thiet-ke/phan-to/{combo.pk}/sua/",
        {
            "name": "Theo dân tộc (Kinh, Khmer, khác)",
            f"options-{category.pk}": "DT_KINH | Kinh\nDT_KHMER | Khmer\nDT_KHAC | Khác",
        },
    )
    assert response.status_code == 302
    combo.refresh_from_db()
    assert combo.codes == ("DT_KINH", "DT_KHMER", "DT_KHAC") and combo.name.endswith("khác)")
    element = own_element("T66_BY_ETHNIC", combo="T66_ETHNIC")
    assert element.categories == ("", "DT_KINH", "DT_KHMER", "DT_KHAC")
    schedule = schedule_of(own_form_with(element))
    save(open_sub(schedule, "2026Q4"), valid_input(schedule))
    # Data exist: the options stay; a name may still be corrected.
    refused = client.post(
        f"/bao-cao/thiet-ke/phan-to/{combo.pk}/sua/",
        {"name": "Theo dân tộc", f"options-{category.pk}": "DT_KINH | Kinh"},
    )
    assert "đã có số liệu" in refused.content.decode()
    assert CategoryCombo.objects.get(pk=combo.pk).codes == ("DT_KINH", "DT_KHMER", "DT_KHAC")
    design.edit_combo(
        acting_user=office(),
        combo=combo,
        name="Theo dân tộc",
        options={category.pk: design.parse_options("DT_KINH | Dân tộc Kinh\nDT_KHMER | Khmer\nDT_KHAC | Khác")},
    )
    assert CategoryCombo.objects.get(pk=combo.pk).labels["DT_KINH"] == "Dân tộc Kinh"
    # Another province's office cannot open it; a national combination is not editable by a province.
    assert login("office_b").get(f"/bao-cao/thiet-ke/phan-to/{combo.pk}/sua/").status_code == 404
    national = CategoryCombo.objects.get(code="age_bands")
    assert login("office_a").get(f"/bao-cao/thiet-ke/phan-to/{national.pk}/sua/").status_code == 404


def test_items_and_sections_move_and_a_new_period_takes_the_new_order(login):
    copy = own_form_with(own_element())
    schedule = schedule_of(copy)
    first = open_sub(schedule, "2026Q4")
    section = copy.sections.order_by("order", "id").first()
    items = list(section.items.order_by("order", "id"))
    client = login("office_a")
    client.post(f"/bao-cao/thiet-ke/bieu-mau/{copy.pk}/", {"action": "move_item", "item": items[1].pk, "dir": "up"})
    assert list(section.items.order_by("order", "id"))[:2] == [items[1], items[0]]
    sections = list(copy.sections.order_by("order", "id"))
    client.post(
        f"/bao-cao/thiet-ke/bieu-mau/{copy.pk}/", {"action": "move_section", "section": sections[0].pk, "dir": "down"}
    )
    assert list(copy.sections.order_by("order", "id"))[:2] == [sections[1], sections[0]]
    # The open period keeps the order it was opened with.
    assert [i.element for i in entry.spec_for(first).sections[0][1]][:2] == [items[0].element, items[1].element]
    assert (
        login("office_b")
        .post(f"/bao-cao/thiet-ke/bieu-mau/{copy.pk}/", {"action": "move_item", "item": items[1].pk, "dir": "up"})
        .status_code
        == 404
    )


def test_a_file_import_reads_the_periods_version_not_the_edited_form():
    from reporting.services import exchange

    element = own_element()
    copy = own_form_with(element)
    schedule = schedule_of(copy)
    save(open_sub(schedule, "2026Q4"), valid_input(schedule))  # the period's version 1 (with the element)
    design.remove_item(acting_user=office(), item=copy.sections.first().items.get(element=element))
    newer = own_element("T66_BY_SEX", combo="sex")
    design.add_item(acting_user=office(), section=copy.sections.first(), element=newer)

    def run(*lines):
        data = ("dataElement,period,orgUnit,categoryOptionCombo,value\n" + "\n".join(lines) + "\n").encode()
        rows, errors = exchange.read_csv(data)
        with time_machine.travel(at(TODAY), tick=False):
            return exchange.import_values(acting_user=office(), rows=rows, errors=errors, on=TODAY, status="draft")

    # Another commune's report of the same period: still the period's version, with the age bands.
    ok = run("T66_DETECTED_YOUTH,2026Q4,24175,default,3", "T66_DETECTED_YOUTH,2026Q4,24175,AG30P,3")
    assert ok.ok, ok.errors
    sub = Submission.objects.get(schedule=schedule, period="2026Q4", commune_id="24175")
    assert sub.form_version.number == 1
    assert dict(DataValue.objects.filter(submission=sub).values_list("category", "value")) == {"": 3, "AG30P": 3}
    # The element added after the period opened is not asked in it.
    refused = run("T66_BY_SEX,2026Q4,24175,default,2")
    assert not refused.ok


def test_the_form_page_names_each_breakdown_by_its_combination(login):
    page = login("commune_a").get("/bao-cao/bieu-mau/XA_QUY/").content.decode()
    assert "Theo giới tính và nhóm tuổi (dưới 18 / từ 18), từng nhóm riêng" in page and "Không phân tổ" in page
    # A province's own form is read by its province only.
    copy = own_form_with(own_element())
    assert login("commune_a").get(f"/bao-cao/bieu-mau/{copy.code}/").status_code == 200
    assert login("office_b").get(f"/bao-cao/bieu-mau/{copy.code}/").status_code == 404
