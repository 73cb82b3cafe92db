"""Pure edit operations on an import draft (no database): each one changes the dict, or raises
EditError with a Vietnamese message and changes nothing."""

import copy
from types import SimpleNamespace

import pytest

from agencies.catalogue import catalogue_for
from plans.services import drafts
from plans.services.drafts import EditError

CODES = ["DA1", "DA2", "DA3", "DA3.1", "DA6", "DA7", "DA7.2", "DA9"]


@pytest.fixture(scope="module")
def catalogue():
    rows = [
        SimpleNamespace(id=i, code=e.code, name=e.name, kind=e.kind, aliases=list(e.aliases), legacy=e.legacy)
        for i, e in enumerate(catalogue_for("Đắk Lắk"), start=1)
    ]
    return drafts.Catalogue(rows)


def ids(catalogue, *codes):
    by_code = {a.code: a.id for a in catalogue.agencies.values()}
    return [by_code[c] for c in codes]


EXTRACTION = {
    "schema": "plan-extract/1",
    "source": "kh.txt",
    "meta": {
        "number": "12/KH-UBND",
        "date": "2026-03-05",
        "place": "Đắk Lắk",
        "title": "Phòng, chống ma túy năm 2026",
        "period": {"start": 2026, "end": 2026},
    },
    "basis": [],
    "targets": [{"text": "ít nhất 50% số xã", "comparator": ">=", "value": 50, "unit": "%", "year": 2030}],
    "assignments": [
        {
            "agencies": ["Sở Y tế"],
            "requested": False,
            "section": "II.1",
            "tasks": [
                {
                    "text": "Chủ trì tham mưu triển khai Dự án 6. Tổ chức tập huấn cho cán bộ y tế.",
                    "role": "lead",
                    "projects": ["DA6"],
                    "deadline": None,
                    "condition": "sau khi Bộ Y tế có hướng dẫn thực hiện",
                },
                {
                    "text": "Phối hợp với Công an tỉnh kiểm tra cơ sở điều trị hằng quý.",
                    "role": "cooperate",
                    "projects": [],
                    "deadline": "2026-09-30",
                    "condition": None,
                },
            ],
        },
        {
            "agencies": ["Sở Tư pháp", "Sở Nội vụ"],
            "requested": False,
            "section": "II.2",
            "tasks": [
                {
                    "text": "Thực hiện tuyên truyền pháp luật thường xuyên, phối hợp với Tỉnh đoàn.",
                    "role": "perform",
                    "projects": [],
                    "deadline": None,
                    "condition": None,
                },
            ],
        },
        {
            "agencies": ["Hội Người cao tuổi tỉnh"],
            "requested": False,
            "section": "II.3",
            "tasks": [
                {
                    "text": "Phối hợp thực hiện các nhiệm vụ được giao.",
                    "role": "cooperate",
                    "projects": [],
                    "deadline": None,
                    "condition": None,
                },
            ],
        },
    ],
    "reporting": [{"frequency": "quarterly", "due": "15 of last month of quarter", "to": "Công an tỉnh"}],
}


@pytest.fixture
def data(catalogue):
    return drafts.prepare_draft(EXTRACTION, catalogue)


def task_values(**overrides):
    return {
        "text": "Nhiệm vụ mới",
        "role": "perform",
        "agency": "",
        "projects": "",
        "deadline": "",
        "condition": "",
        "recurrence": "",
        **overrides,
    }


def assert_unchanged(data, fn, *fields):
    before = copy.deepcopy(data)
    with pytest.raises(EditError) as exc:
        fn()
    assert data == before
    for f in fields:
        assert f in exc.value.errors
    return exc.value.errors


# --- preparing the draft ----------------------------------------------------------------------


def test_prepare_resolves_agencies_and_flags_unknown_names(data, catalogue):
    assert [s["agency_id"] for s in data["assignments"][0]["slots"]] == ids(catalogue, "SYT")
    assert [s["agency_id"] for s in data["assignments"][1]["slots"]] == ids(catalogue, "STP", "SNV")
    unknown = data["assignments"][2]["slots"][0]
    assert unknown == {"printed": "Hội Người cao tuổi tỉnh", "agency_id": None}
    assert data["reporting"][0]["to_agency_id"] == ids(catalogue, "CA")[0]
    assert data["review"] == {"duplicate_ack": False}


def test_prepare_prefills_the_lead_of_a_cooperate_task_and_detects_recurrence(data, catalogue):
    cooperate = data["assignments"][0]["tasks"][1]
    assert cooperate["agency_id"] == ids(catalogue, "CA")[0]
    assert cooperate["recurrence"] == "quarterly"
    assert data["assignments"][0]["tasks"][0]["agency_id"] is None
    assert data["assignments"][1]["tasks"][0]["recurrence"] == "continuous"


def test_prepare_does_not_change_the_extraction(catalogue):
    before = copy.deepcopy(EXTRACTION)
    drafts.prepare_draft(EXTRACTION, catalogue)
    assert before == EXTRACTION


# --- tasks ------------------------------------------------------------------------------------


def test_set_task_replaces_every_field(data, catalogue):
    syt, ca = ids(catalogue, "SYT", "CA")
    drafts.set_task(
        data,
        0,
        0,
        task_values(
            text="Triển khai Dự án 6",
            role="lead",
            agency=str(ca),
            projects="da6, DA7.2 DA6",
            deadline="30/6/2026",
            condition="",
            recurrence="annual",
        ),
        catalogue,
        CODES,
    )
    task = data["assignments"][0]["tasks"][0]
    assert task == {
        **task,
        "text": "Triển khai Dự án 6",
        "role": "lead",
        "agency_id": ca,
        "projects": ["DA6", "DA7.2"],
        "deadline": "2026-06-30",
        "condition": None,
        "recurrence": "annual",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("deadline", "31/02/2026", "Ngày 31/02/2026 không tồn tại."),
        ("deadline", "30/06/26", "dd/mm/yyyy"),
        ("deadline", "tháng 6", "dd/mm/yyyy"),
        ("projects", "DA1, DA10", "Không có dự án «DA10»"),
        ("text", "   ", "Nội dung nhiệm vụ không được để trống."),
        ("role", "boss", "Vai trò không hợp lệ."),
        ("agency", "999999", "không có trong danh mục"),
        ("agency", "abc", "không có trong danh mục"),
        ("recurrence", "weekly", "Định kỳ không hợp lệ."),
        ("condition", "x" * 501, "dài quá 500"),
    ],
)
def test_set_task_refuses_bad_input_and_changes_nothing(data, catalogue, field, value, message):
    errors = assert_unchanged(
        data, lambda: drafts.set_task(data, 0, 0, task_values(**{field: value}), catalogue, CODES), field
    )
    assert message in errors[field]


def test_several_bad_fields_are_all_reported(data, catalogue):
    errors = assert_unchanged(
        data,
        lambda: drafts.set_task(
            data, 0, 0, task_values(text="", deadline="32/01/2026", projects="DA99"), catalogue, CODES
        ),
    )
    assert set(errors) == {"text", "deadline", "projects"}


def test_a_missing_task_is_a_clear_error(data, catalogue):
    errors = assert_unchanged(data, lambda: drafts.set_task(data, 0, 9, task_values(), catalogue, CODES), "general")
    assert "tải lại trang" in errors["general"]
    assert_unchanged(data, lambda: drafts.delete_task(data, 7, 0), "general")


def test_add_task_appends_a_validated_task(data, catalogue):
    drafts.add_task(
        data, 1, task_values(text="Kiểm tra liên ngành", deadline="15/12/2026", projects="DA1"), catalogue, CODES
    )
    added = data["assignments"][1]["tasks"][-1]
    assert added["text"] == "Kiểm tra liên ngành" and added["deadline"] == "2026-12-15" and added["projects"] == ["DA1"]
    assert_unchanged(data, lambda: drafts.add_task(data, 1, task_values(text=""), catalogue, CODES), "text")


def test_delete_task(data):
    drafts.delete_task(data, 0, 0)
    assert [t["role"] for t in data["assignments"][0]["tasks"]] == ["cooperate"]


def test_split_cuts_at_the_sentence_nearest_the_middle_and_keeps_the_other_fields(data):
    drafts.split_task(data, 0, 0)
    first, second = data["assignments"][0]["tasks"][:2]
    assert first["text"] == "Chủ trì tham mưu triển khai Dự án 6."
    assert second["text"] == "Tổ chức tập huấn cho cán bộ y tế."
    assert first["condition"] == second["condition"] == "sau khi Bộ Y tế có hướng dẫn thực hiện"
    assert second["projects"] == ["DA6"] and second["projects"] is not first["projects"]
    assert len(data["assignments"][0]["tasks"]) == 3


def test_split_of_a_single_sentence_duplicates_it(data):
    drafts.split_task(data, 1, 0)
    first, second = data["assignments"][1]["tasks"]
    assert first["text"] == second["text"]


def test_merge_joins_the_next_task(data):
    drafts.merge_task(data, 0, 0)
    (merged,) = data["assignments"][0]["tasks"]
    assert merged["text"].startswith("Chủ trì tham mưu") and merged["text"].endswith("hằng quý.")
    assert merged["role"] == "lead" and merged["deadline"] == "2026-09-30" and merged["projects"] == ["DA6"]
    assert merged["condition"] == "sau khi Bộ Y tế có hướng dẫn thực hiện"


def test_merge_of_the_last_task_is_refused(data):
    errors = assert_unchanged(data, lambda: drafts.merge_task(data, 0, 1), "general")
    assert "nhiệm vụ cuối" in errors["general"]


# --- blocks -----------------------------------------------------------------------------------


def test_set_agency_of_an_unknown_name(data, catalogue):
    (tinh_doan,) = ids(catalogue, "TD")
    drafts.set_block(data, 2, {"slot_0": str(tinh_doan)}, catalogue)
    assert data["assignments"][2]["slots"] == [{"printed": "Hội Người cao tuổi tỉnh", "agency_id": tinh_doan}]
    assert data["assignments"][2]["skip"] is False


def test_set_block_removes_and_adds_agencies_and_sets_flags(data, catalogue):
    stp, ca = ids(catalogue, "STP", "CA")
    drafts.set_block(data, 1, {"slot_0": str(stp), "slot_1": "remove", "add": str(ca), "requested": "1"}, catalogue)
    block = data["assignments"][1]
    assert [s["agency_id"] for s in block["slots"]] == [stp, ca]
    assert block["requested"] is True and block["skip"] is False


def test_skip_keeps_an_unknown_agency_unassigned(data, catalogue):
    drafts.set_block(data, 2, {"slot_0": "", "skip": "on"}, catalogue)
    assert data["assignments"][2]["skip"] is True
    assert data["assignments"][2]["slots"][0]["agency_id"] is None


def test_set_block_refuses_an_agency_outside_the_catalogue_or_twice(data, catalogue):
    assert_unchanged(data, lambda: drafts.set_block(data, 0, {"slot_0": "424242"}, catalogue), "slot_0")
    (syt,) = ids(catalogue, "SYT")
    assert_unchanged(data, lambda: drafts.set_block(data, 0, {"add": str(syt)}, catalogue), "add")


def test_add_block(data, catalogue):
    (hnd,) = ids(catalogue, "HND")
    drafts.add_block(data, {"section": "II.4", "agency": str(hnd)}, catalogue)
    block = data["assignments"][-1]
    assert block["section"] == "II.4" and block["slots"][0]["agency_id"] == hnd and block["tasks"] == []
    assert_unchanged(data, lambda: drafts.add_block(data, {"section": "II.5", "agency": ""}, catalogue), "agency")


# --- meta, targets, reporting -------------------------------------------------------------------


def test_set_meta(data):
    drafts.set_meta(
        data,
        {
            "number": "12 / KH-UBND",
            "date": "05/03/2026",
            "place": "Đắk Lắk",
            "title": " Kế hoạch  mới ",
            "period_start": "2026",
            "period_end": "2030",
        },
    )
    assert data["meta"] == {
        "number": "12/KH-UBND",
        "date": "2026-03-05",
        "place": "Đắk Lắk",
        "title": "Kế hoạch mới",
        "period": {"start": 2026, "end": 2030},
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date", "31/02/2026"),
        ("title", ""),
        ("period_start", "20x6"),
        ("period_end", "2020"),
    ],
)
def test_set_meta_refuses_bad_input(data, field, value):
    values = {"number": "", "date": "", "place": "", "title": "Kế hoạch", "period_start": "2026", "period_end": "2030"}
    assert_unchanged(data, lambda: drafts.set_meta(data, {**values, field: value}), field)


def test_set_target_reads_vietnamese_numbers_and_refuses_letters(data):
    drafts.set_target(
        data, 0, {"text": "Trên 80% trạm y tế", "comparator": ">", "value": "80,5", "unit": "%", "year": "2030"}
    )
    assert data["targets"][0]["value"] == 80.5 and data["targets"][0]["comparator"] == ">"
    errors = assert_unchanged(
        data,
        lambda: drafts.set_target(data, 0, {"text": "x", "comparator": ">", "value": "80a", "unit": "%", "year": ""}),
        "value",
    )
    assert "«80a» không phải là số" in errors["value"]


def test_add_and_delete_target(data):
    drafts.add_target(data, {"text": "100% xã", "comparator": "=", "value": "100%", "unit": "%", "year": ""})
    assert data["targets"][-1]["value"] == 100
    drafts.delete_target(data, 0)
    assert [t["text"] for t in data["targets"]] == ["100% xã"]


def test_reporting_duties(data, catalogue):
    (ubnd,) = ids(catalogue, "UBNDT")
    drafts.set_duty(data, 0, {"frequency": "annual", "due": "15/12", "to_agency": str(ubnd)}, catalogue)
    assert data["reporting"][0] == {
        **data["reporting"][0],
        "frequency": "annual",
        "due": "--12-15",
        "to_agency_id": ubnd,
        "to": "UBND tỉnh",
    }
    drafts.add_duty(data, {"frequency": "quarterly", "due": "15", "to_agency": ""}, catalogue)
    assert data["reporting"][-1]["due"] == "15 of last month of quarter"
    assert_unchanged(
        data, lambda: drafts.set_duty(data, 0, {"frequency": "once", "due": "30/02/2026"}, catalogue), "due"
    )
    assert_unchanged(data, lambda: drafts.set_duty(data, 0, {"frequency": "quarterly", "due": "40"}, catalogue), "due")
    drafts.delete_duty(data, 0)
    assert len(data["reporting"]) == 1


@pytest.mark.parametrize(
    ("frequency", "due", "shown"),
    [
        ("quarterly", "15 of last month of quarter", "15"),
        ("annual", "--12-15", "15/12"),
        ("once", "2024-07-03", "03/07/2024"),
        ("final", None, ""),
    ],
)
def test_due_round_trips(frequency, due, shown):
    assert drafts.format_due(frequency, due) == shown
    assert drafts.parse_due(frequency, shown) == due


# --- who does what ----------------------------------------------------------------------------


def test_a_lead_task_of_a_two_agency_block_becomes_one_task_per_agency(data, catalogue):
    stp, snv, td = ids(catalogue, "STP", "SNV", "TD")
    block = data["assignments"][1]
    planned = drafts.planned_tasks(block, block["tasks"][0], catalogue)
    assert planned == [drafts.PlannedTask(stp, (td,)), drafts.PlannedTask(snv, (td,))]


def test_a_cooperate_task_is_led_by_the_agency_named_after_phoi_hop_voi(data, catalogue):
    syt, ca = ids(catalogue, "SYT", "CA")
    block = data["assignments"][0]
    assert drafts.planned_tasks(block, block["tasks"][1], catalogue) == [drafts.PlannedTask(ca, (syt,))]


def test_a_cooperate_point_without_a_partner_in_the_catalogue_keeps_its_lead(data, catalogue):
    """ "Tỉnh đoàn: - Phối hợp với các cơ quan báo chí …": the point is Tỉnh đoàn's own task."""
    (td,) = ids(catalogue, "TD")
    drafts.set_block(data, 2, {"slot_0": str(td)}, catalogue)
    block = data["assignments"][2]
    assert drafts.planned_tasks(block, block["tasks"][0], catalogue) == [drafts.PlannedTask(td, ())]
    assert drafts.planned_count(block, block["tasks"][0]) == 1


def test_a_chosen_lead_makes_one_task_and_the_block_cooperates(data, catalogue):
    stp, snv, td = ids(catalogue, "STP", "SNV", "TD")
    block = data["assignments"][1]
    block["tasks"][0]["agency_id"] = snv
    assert drafts.planned_tasks(block, block["tasks"][0], catalogue) == [drafts.PlannedTask(snv, (stp, td))]


def test_check_draft_lists_blocking_problems_and_warnings(data, catalogue):
    problems = drafts.check_draft(data, catalogue, CODES)
    blocking = [p.message for p in problems if p.blocking]
    assert blocking == [
        "Mục II.3: chưa chọn cơ quan trong danh mục cho «Hội Người cao tuổi tỉnh» "
        "(chọn cơ quan, bỏ tên này hoặc đánh dấu bỏ qua khối)."
    ]
    drafts.set_block(data, 2, {"skip": "1"}, catalogue)
    assert not [p for p in drafts.check_draft(data, catalogue, CODES) if p.blocking]
    data["assignments"][0]["tasks"] = []
    assert any("không còn nhiệm vụ" in p.message for p in drafts.check_draft(data, catalogue, CODES))


def test_confirmed_extraction_is_plain_plan_extract(data, catalogue):
    drafts.set_block(data, 2, {"skip": "1"}, catalogue)
    out = drafts.confirmed_extraction(data, catalogue)
    assert "review" not in out and len(out["assignments"]) == 2
    assert out["assignments"][1]["agencies"] == ["Sở Tư pháp", "Sở Nội vụ"]
    assert set(out["assignments"][0]["tasks"][0]) == {"text", "role", "projects", "deadline", "condition"}
