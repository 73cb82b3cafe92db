"""One test per extraction rule, on short made-up plan fragments (no database)."""

from __future__ import annotations

import pytest

from plans.extractor import extract_text
from plans.extractor.dates import find_deadline
from plans.extractor.tasks import condition_of, projects_of, role_of

HEADER = "Số: 31/KH-UBND\nPhú Yên, ngày 09 tháng 01 năm 2025\nKẾ HOẠCH\nPhòng, chống ma túy năm 2025\n"


def plan(body: str) -> dict:
    return extract_text(HEADER + body, source="t.txt")


def blocks(body: str) -> list[tuple]:
    return [
        (b["section"], tuple(b["agencies"]), b["requested"], [t["text"] for t in b["tasks"]])
        for b in plan(body)["assignments"]
    ]


# --- deadlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rà soát cơ sở cai nghiện (Hoàn thành trong Quý IV/2025).", "2025-12-31"),
        ("Tổ chức tập huấn trong Quý 2/2026.", "2026-06-30"),
        ("Thời gian thực hiện: Quý I năm 2026.", "2026-03-31"),
        ("Ban hành quy chế trong tháng 2/2024.", "2024-02-29"),
        ("Khảo sát thực trạng, hoàn thành tháng 04/2026.", "2026-04-30"),
        ("Tổng hợp danh sách (tháng 7/2025).", "2025-07-31"),
        ("Nộp hồ sơ trước ngày 15/3/2026.", "2026-03-15"),
        ("Gửi dự toán trước 20/8/2025.", "2025-08-20"),
        ("Duy trì hoạt động đến hết ngày 31/10/2025.", "2025-10-31"),
        ("Hoàn thiện hồ sơ chậm nhất ngày 05/5/2025.", "2025-05-05"),
        ("Phê duyệt đề án trước ngày 15 tháng 9 năm 2025.", "2025-09-15"),
        ("Xây dựng mô hình, hoàn thành trong năm 2025.", "2025-12-31"),
        ("Sơ kết mô hình, hoàn thành trong 6 tháng đầu năm 2025.", "2025-06-30"),
        ("Ra quân cao điểm từ ngày 01/6/2025 đến ngày 30/6/2025.", "2025-06-30"),
    ],
)
def test_deadline_phrases(text, expected):
    assert str(find_deadline(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2025 của UBND tỉnh.",
        "Tuyên truyền hưởng ứng Ngày toàn dân phòng, chống ma túy (ngày 26/6).",
        "Phấn đấu đến năm 2030 không còn xã trọng điểm.",
        "Bắt đầu thực hiện từ ngày 01/7/2025.",
        "Tổng hợp tình hình. Báo cáo kết quả về Sở Y tế trước ngày 10/12/2025.",
    ],
)
def test_dates_that_are_not_deadlines(text):
    assert find_deadline(text) is None


def test_day_and_month_without_year_use_the_plan_year():
    assert str(find_deadline("Hoàn thành trước ngày 15/6.", default_year=2025)) == "2025-06-15"
    assert find_deadline("Hoàn thành trước ngày 15/6.") is None


def test_deadline_of_a_heading_applies_to_the_blocks_under_it():
    out = plan(
        "III. NHIỆM VỤ\n1. Tuyên truyền (hoàn thành trong Quý III/2025)\na) Sở Y tế\n- In tờ rơi.\n"
        "- Tập huấn, hoàn thành trong tháng 5/2025.\nb) Sở Tư pháp\nPhổ biến pháp luật.\n"
    )
    deadlines = [[t["deadline"] for t in b["tasks"]] for b in out["assignments"]]
    assert deadlines == [["2025-09-30", "2025-05-31"], ["2025-09-30"]]


# --- projects -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chủ trì triển khai Dự án 3 của Chương trình.", ["DA3"]),
        ("Thực hiện Tiểu dự án 4 thuộc Dự án 7.", ["DA7.4"]),
        ("Tổ chức thực hiện Dự án 2, 5 và 8.", ["DA2", "DA5", "DA8"]),
        ("Gồm Dự án 1, Dự án 6 và Tiểu dự án 3 thuộc Dự án 7.", ["DA7.3", "DA1", "DA6"]),
        ("Tiểu dự án 1: “Truyền thông về phòng, chống ma túy” thuộc Dự án 7 của Chương trình.", ["DA7.1"]),
        ("Các Tiểu dự án thuộc Dự án 3 (Tiểu dự án 1: Biên phòng; Tiểu dự án 2: Cảnh sát biển).", ["DA3.1", "DA3.2"]),
        ("Lập dự án đầu tư xây dựng cơ sở cai nghiện.", []),
        ("Dự án 10 không thuộc Chương trình.", []),
    ],
)
def test_projects(text, expected):
    assert sorted(projects_of(text)) == sorted(expected)


# --- roles and conditions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chủ trì, phối hợp với Sở Tài chính bố trí kinh phí.", "lead"),
        ("Chủ trì tham mưu xây dựng đề án.", "lead"),
        ("Phối hợp với Công an tỉnh rà soát đối tượng.", "cooperate"),
        ("Phối hợp chặt chẽ với các đơn vị liên quan.", "cooperate"),
        ("Tăng cường phối hợp với các lực lượng chức năng.", "perform"),
        ("Tổ chức tập huấn cho cán bộ.", "perform"),
        ("Theo chức năng, nhiệm vụ, chủ trì tổ chức kiểm tra.", "lead"),
        ("Căn cứ tình hình thực tế tại địa phương, phối hợp với Sở Y tế triển khai.", "cooperate"),
        ("Căn cứ chức năng, nhiệm vụ, địa bàn phụ trách chủ động triển khai; phối hợp với các sở.", "perform"),
        ("Giao Sở Nội vụ chủ trì, hướng dẫn thi đua.", "lead"),
        ("Giao Sở Nội vụ phối hợp hướng dẫn thi đua.", "cooperate"),
    ],
)
def test_roles(text, expected):
    assert role_of(text) == expected


def test_condition_after_guidance():
    text = "Triển khai Dự án 8 (sau khi Bộ Tư pháp ban hành hướng dẫn); phối hợp thực hiện."
    assert condition_of(text) == "sau khi Bộ Tư pháp ban hành hướng dẫn"
    assert condition_of("Kiện toàn Ban Chỉ đạo (nếu cần thiết).") is None


# --- targets ------------------------------------------------------------------------------


def _targets(body: str) -> list[tuple]:
    return [(t["comparator"], t["value"], t["unit"], t["year"]) for t in plan(body)["targets"]]


def test_target_comparators():
    body = (
        "II. CHỈ TIÊU NĂM 2025\n1. Ít nhất 40% xã đạt tiêu chí; trên 85% người nghiện được điều trị.\n"
        "2. Tỷ lệ tái nghiện dưới 2%; tối đa 5% cơ sở vi phạm.\n"
        "3. 100% trường học được tuyên truyền.\n"
        "4. Số vụ phát hiện tăng từ 10% so với năm trước; số người nghiện giảm 3% so với năm trước.\n"
    )
    assert _targets(body) == [
        (">=", 40, "%", 2025),
        (">", 85, "%", 2025),
        ("<", 2, "%", 2025),
        ("<=", 5, "%", 2025),
        ("=", 100, "%", 2025),
        ("increase", 10, "%", 2025),
        ("decrease", 3, "%", 2025),
    ]


def test_target_year_is_the_one_stated_nearest():
    body = (
        "I. MỤC TIÊU\n1. Xây dựng 25% xã không ma túy trong năm 2026 và ít nhất 60% xã không ma túy "
        "đến năm 2030.\n2. Đến cuối năm 2027 có trên 90% trạm y tế đủ điều kiện.\n"
        "3. Giảm 5% số người nghiện so với năm 2024.\n4. Bảo đảm 100% học viên được khám sức khỏe.\n"
    )
    assert _targets(body) == [
        ("=", 25, "%", 2026),
        (">=", 60, "%", 2030),
        (">", 90, "%", 2027),
        ("decrease", 5, "%", None),
        ("=", 100, "%", None),
    ]


def test_target_year_from_a_heading():
    assert _targets("II. CHỈ TIÊU ĐẾN NĂM 2030\n1. Trên 70% xã có điểm tư vấn cai nghiện.\n") == [(">", 70, "%", 2030)]


def test_count_targets():
    body = (
        "II. NHIỆM VỤ\n1. Xây dựng 02 mô hình tự quản; tổ chức ít nhất ba hội nghị chuyên đề.\n"
        "2. Cơ sở cai nghiện ma túy số 2 tiếp nhận học viên theo Dự án 5.\n"
    )
    assert _targets(body) == [("=", 2, "mô hình", None), (">=", 3, "hội nghị", None)]


def test_a_target_restated_in_a_task_counts_once():
    body = (
        "II. CHỈ TIÊU\n1. Phấn đấu ít nhất 45% xã, phường không có ma túy.\n"
        "III. NHIỆM VỤ\n1. Công an tỉnh\n- Tham mưu xây dựng ít nhất 45% xã, phường không ma túy.\n"
    )
    assert _targets(body) == [(">=", 45, "%", None)]


def test_past_figures_are_not_targets():
    body = "I. TÌNH HÌNH\nNăm 2024 phát hiện 120 vụ, tăng 15% so với cùng kỳ.\nII. NHIỆM VỤ\n1. Tuyên truyền.\n"
    assert _targets(body) == []


# --- reporting ----------------------------------------------------------------------------


def _reporting(body: str) -> list[tuple]:
    return [(r["frequency"], r["due"], r["to"]) for r in plan(body)["reporting"]]


def test_periodic_reports_with_days():
    body = (
        "IV. TỔ CHỨC THỰC HIỆN\n1. Các sở, ban, ngành báo cáo kết quả về Công an tỉnh: báo cáo quý trước ngày "
        "18 tháng cuối quý; báo cáo 6 tháng trước ngày 18/6 và báo cáo năm trước ngày 18/11.\n"
    )
    assert _reporting(body) == [
        ("quarterly", "18 of last month of quarter", "Công an tỉnh"),
        ("semiannual", "--06-18", "Công an tỉnh"),
        ("annual", "--11-18", "Công an tỉnh"),
    ]


def test_one_off_report():
    body = "IV. TỔ CHỨC THỰC HIỆN\n1. Các địa phương báo cáo kết quả về Sở Y tế trước ngày 10/8/2025.\n"
    assert _reporting(body) == [("once", "2025-08-10", "Sở Y tế")]


def test_period_list_and_several_recipients():
    body = (
        "IV. TỔ CHỨC THỰC HIỆN\n1. Thực hiện chế độ báo cáo định kỳ quý, 6 tháng, năm về UBND tỉnh và Công an tỉnh.\n"
    )
    got = _reporting(body)
    assert ("quarterly", None, "UBND tỉnh") in got and ("quarterly", None, "Công an tỉnh") in got
    assert {f for f, _, _ in got} == {"quarterly", "semiannual", "annual"}


def test_midterm_and_final_reviews():
    body = "IV. TỔ CHỨC THỰC HIỆN\n1. Năm 2027 tổ chức sơ kết; năm 2030 tổng kết thực hiện Kế hoạch.\n"
    assert _reporting(body) == [("midterm", None, None), ("final", None, None)]


def test_yearly_spending_is_not_a_yearly_report():
    body = (
        "III. NHIỆM VỤ\n1. UBND các xã, phường\nHằng năm bố trí kinh phí cho công tác cai nghiện, "
        "báo cáo Hội đồng nhân dân cùng cấp phê duyệt.\n"
    )
    assert _reporting(body) == []


# --- meta and basis -----------------------------------------------------------------------


def test_meta_fields():
    out = extract_text(
        "UBND TỈNH PHÚ YÊN   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 31 /KH-UBND      Phú Yên, ngày 09 tháng 01 năm 2025\n"
        "KẾ HOẠCH\nThực hiện công tác phòng, chống ma túy\ngiai đoạn 2025 - 2027\n"
        "Căn cứ Nghị quyết số 12/NQ-HĐND ngày 10/12/2024, UBND tỉnh ban hành Kế hoạch:\nI. MỤC ĐÍCH\n"
    )
    assert out["meta"] == {
        "number": "31/KH-UBND",
        "date": "2025-01-09",
        "place": "Phú Yên",
        "title": "Thực hiện công tác phòng, chống ma túy giai đoạn 2025 - 2027",
        "period": {"start": 2025, "end": 2027},
    }


def test_blank_number_and_day_are_null():
    out = extract_text(
        "Số:      /KH-UBND\nBình Định, ngày    tháng 7 năm 2025\nKẾ HOẠCH\nPhòng, chống ma túy năm 2025\nI. MỤC ĐÍCH\n"
    )
    assert out["meta"]["number"] is None and out["meta"]["date"] is None
    assert out["meta"]["place"] == "Bình Định" and out["meta"]["period"] == {"start": 2025, "end": 2025}


def test_period_from_the_scope_section():
    out = extract_text(
        "KẾ HOẠCH\nThực hiện Chương trình đến năm 2030\nI. PHẠM VI\n1. Thời gian thực hiện: từ năm 2026 đến năm 2030.\n"
    )
    assert out["meta"]["period"] == {"start": 2026, "end": 2030}


def test_basis_is_the_preamble_citations_once_each():
    out = extract_text(
        HEADER + "Căn cứ Luật Phòng, chống ma túy năm 2021; Nghị quyết số 98/2023/QH-15 ngày "
        "24/6/2023 của Quốc hội; Chỉ thị số 36-CT/TW ngày 16/8/2019; Nghị quyết số "
        "98/2023/QH15 (đã nêu); Kết luận số 132-KL/TW, UBND tỉnh ban hành Kế hoạch:\n"
        "I. MỤC ĐÍCH\n1. Thực hiện Quyết định số 5/QĐ-UBND ngày 01/02/2025.\n"
    )
    assert [(b["kind"], b["number"], b["date"]) for b in out["basis"]] == [
        ("Nghị quyết", "98/2023/QH15", "2023-06-24"),
        ("Chỉ thị", "36-CT/TW", "2019-08-16"),
        ("Kết luận", "132-KL/TW", None),
    ]


# --- blocks -------------------------------------------------------------------------------


def test_agency_heading_with_bullets():
    assert blocks("III. NHIỆM VỤ\n1. Sở Công Thương\n- Kiểm tra tiền chất.\n- Phối hợp kiểm tra.\n") == [
        ("III.1", ("Sở Công Thương",), False, ["Kiểm tra tiền chất.", "Phối hợp kiểm tra."]),
    ]


def test_agency_heading_with_prose_is_one_task():
    got = blocks("III. NHIỆM VỤ\n2. Thanh tra tỉnh\nThanh tra việc quản lý kinh phí.\nKiến nghị xử lý sai phạm.\n")
    assert got == [
        ("III.2", ("Thanh tra tỉnh",), False, ["Thanh tra việc quản lý kinh phí. Kiến nghị xử lý sai phạm."])
    ]


def test_heading_naming_several_agencies_and_requested():
    got = blocks(
        "III. NHIỆM VỤ\n5. Đề nghị Viện kiểm sát nhân dân tỉnh; Tòa án nhân dân tỉnh\n- Xét xử nghiêm.\n"
        "6. Sở Văn hoá, Thể thao và Du lịch, Sở Giáo dục và Đào tạo\n- Tuyên truyền.\n"
    )
    assert got == [
        ("III.5", ("Viện kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"), True, ["Xét xử nghiêm."]),
        ("III.6", ("Sở Văn hóa, Thể thao và Du lịch", "Sở Giáo dục và Đào tạo"), False, ["Tuyên truyền."]),
    ]


def test_colon_form_puts_the_task_after_the_colon():
    got = blocks("III. NHIỆM VỤ\n7. Sở Ngoại vụ: Phối hợp trao đổi thông tin với nước bạn.\n")
    assert got == [("III.7", ("Sở Ngoại vụ",), False, ["Phối hợp trao đổi thông tin với nước bạn."])]


def test_lettered_point_naming_its_agency_inline():
    out = plan("III. NHIỆM VỤ\n2. Xét xử các vụ án\nc) Tòa án nhân dân tỉnh tham mưu tổ chức phiên tòa lưu động.\n")
    block = out["assignments"][0]
    assert (block["section"], block["agencies"]) == ("III.2.c", ["Tòa án nhân dân tỉnh"])
    assert block["tasks"][0]["text"] == "Tòa án nhân dân tỉnh tham mưu tổ chức phiên tòa lưu động."


def test_theme_heading_and_its_prose_are_not_blocks():
    got = blocks(
        "III. NHIỆM VỤ\n1. Tăng cường kiểm soát tiền chất\nRà soát doanh nghiệp sử dụng tiền chất.\n"
        "a) Sở Công Thương\nKiểm tra định kỳ.\n"
    )
    assert got == [("III.1.a", ("Sở Công Thương",), False, ["Kiểm tra định kỳ."])]


def test_purpose_section_has_no_blocks():
    assert blocks("I. MỤC ĐÍCH, YÊU CẦU\n1. Công an tỉnh là lực lượng nòng cốt.\n") == []


def test_subject_after_giao_and_after_a_can_cu_clause():
    got = blocks(
        "IV. TỔ CHỨC THỰC HIỆN\n1. Giao Sở Tài chính bố trí kinh phí.\n"
        "2. Căn cứ Kế hoạch này, các sở, ban, ngành và UBND các xã, phường xây dựng kế hoạch.\n"
    )
    assert [(s, a) for s, a, _, _ in got] == [
        ("IV.1", ("Sở Tài chính",)),
        ("IV.2", ("Các sở, ban, ngành", "UBND cấp xã")),
    ]


def test_lead_in_naming_agencies_heads_the_items_under_it():
    got = blocks(
        "IV. TỔ CHỨC THỰC HIỆN\n1. Triển khai\nCăn cứ Kế hoạch này, Thủ trưởng các sở, ban, ngành:\n"
        "- Quán triệt nội dung Kế hoạch.\n- Xây dựng kế hoạch của đơn vị.\n"
    )
    assert got == [
        ("IV.1", ("Các sở, ban, ngành",), False, ["Quán triệt nội dung Kế hoạch.", "Xây dựng kế hoạch của đơn vị."])
    ]


def test_lead_named_inside_an_item():
    out = plan(
        "III. NHIỆM VỤ\n1. Các dự án\n- Dự án 6: Đáp ứng y tế (giao Sở Y tế chủ trì, phối hợp Công an tỉnh).\n"
        "2. Hội thi tìm hiểu pháp luật\n- Cơ quan chủ trì: Sở Tư pháp.\n- Thời gian: Quý III/2025.\n"
    )
    got = [
        (b["section"], b["agencies"], b["tasks"][0]["role"], b["tasks"][0]["projects"], b["tasks"][0]["deadline"])
        for b in out["assignments"]
    ]
    assert got == [("III.1", ["Sở Y tế"], "lead", ["DA6"], None), ("III.2", ["Sở Tư pháp"], "lead", [], "2025-09-30")]


def test_lead_in_item_and_its_sub_items_are_one_task():
    got = blocks(
        "III. NHIỆM VỤ\n1. Sở Y tế\n- Chỉ đạo các cơ sở y tế:\n+ Cấp phát thuốc.\n+ Quản lý hồ sơ.\n"
        "- Kiểm tra thuốc gây nghiện.\n"
    )
    assert got[0][3] == ["Chỉ đạo các cơ sở y tế: Cấp phát thuốc. Quản lý hồ sơ.", "Kiểm tra thuốc gây nghiện."]


def test_unknown_agency_is_returned_as_printed():
    got = blocks("III. NHIỆM VỤ\n9. Trung tâm Pháp y tỉnh\n- Giám định chất ma túy.\n")
    assert got == [("III.9", ("Trung tâm Pháp y tỉnh",), False, ["Giám định chất ma túy."])]


def test_legacy_bodies_of_older_plans_are_kept():
    got = blocks(
        "III. NHIỆM VỤ\n3. Sở Lao động - Thương binh và Xã hội; UBND các huyện, thị xã, thành phố\n"
        "- Quản lý sau cai nghiện.\n"
    )
    assert got[0][1] == ("Sở Lao động - Thương binh và Xã hội", "UBND cấp huyện")


def test_unnumbered_agency_line_heads_what_follows():
    got = blocks(
        "III. NHIỆM VỤ\n1. Tuyên truyền\nSở Tư pháp\nPhổ biến pháp luật tại cơ sở.\nSở Y tế:\n- Tập huấn cán bộ y tế.\n"
    )
    assert got == [
        ("III.1", ("Sở Tư pháp",), False, ["Phổ biến pháp luật tại cơ sở."]),
        ("III.1", ("Sở Y tế",), False, ["Tập huấn cán bộ y tế."]),
    ]


def test_heading_over_agency_headings_is_a_container():
    got = blocks(
        "III. NHIỆM VỤ\n1. Các sở, ban, ngành\n1.1. Sở Y tế\n- Điều trị Methadone.\n"
        "1.2. Sở Tư pháp\n- Trợ giúp pháp lý.\n"
    )
    assert [(s, a) for s, a, _, _ in got] == [("III.1.1", ("Sở Y tế",)), ("III.1.2", ("Sở Tư pháp",))]


def test_task_table_rows_become_blocks():
    out = plan(
        "III. NHIỆM VỤ\n1. Hoạt động\n\n"
        "| TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |\n"
        "|---|---|---|---|---|\n"
        "| 1 | Tổ chức mít tinh | Công an tỉnh | Sở Y tế | Tháng 6/2025 |\n"
        "| 2 | Hội thi tìm hiểu pháp luật | Sở Tư pháp; Tỉnh đoàn | | Quý III/2025 |\n"
    )
    got = [
        (b["agencies"], b["tasks"][0]["text"], b["tasks"][0]["role"], b["tasks"][0]["deadline"])
        for b in out["assignments"]
    ]
    assert got == [
        (["Công an tỉnh"], "Tổ chức mít tinh", "lead", "2025-06-30"),
        (["Sở Tư pháp", "Tỉnh đoàn"], "Hội thi tìm hiểu pháp luật", "lead", "2025-09-30"),
    ]


def test_parts_lettered_above_roman_sections():
    got = blocks(
        "A. CĂN CỨ XÂY DỰNG KẾ HOẠCH\nI. Căn cứ pháp lý\n- Luật Phòng, chống ma túy.\n"
        "B. NỘI DUNG\nI. NHIỆM VỤ\n1. Sở Y tế\n- Tập huấn.\n"
    )
    assert got == [("B.I.1", ("Sở Y tế",), False, ["Tập huấn."])]


def test_lead_named_in_a_theme_heading_does_not_swallow_agency_points():
    got = blocks(
        "III. NHIỆM VỤ\n2. Tuyên truyền (Sở Tư pháp chủ trì)\na) Sở Y tế\n- In tờ rơi.\n"
        "b) Sở Tư pháp chủ trì tổ chức hội thi.\n"
    )
    assert [(s, a) for s, a, _, _ in got] == [("III.2.a", ("Sở Y tế",)), ("III.2.b", ("Sở Tư pháp",))]


def test_report_due_date_is_not_the_reporters_deadline():
    out = plan(
        "IV. TỔ CHỨC THỰC HIỆN\n1. Các sở, ban, ngành báo cáo kết quả về Công an tỉnh trước ngày 10/12/2025.\n"
        "2. Sở Nội vụ xây dựng quy chế thi đua, gửi về Công an tỉnh trước ngày 30/6/2025.\n"
    )
    assert [b["tasks"][0]["deadline"] for b in out["assignments"]] == [None, "2025-06-30"]
    assert ("once", "2025-12-10", "Công an tỉnh") in [(r["frequency"], r["due"], r["to"]) for r in out["reporting"]]
