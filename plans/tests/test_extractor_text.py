"""Text clean-up, paragraph joining, list markers and the outline tree (no database)."""

from __future__ import annotations

from plans.extractor.structure import build_tree, split_document
from plans.extractor.text import clean_line, marker_of, normalise_source, paragraphs


def _paras(text: str):
    return paragraphs(normalise_source(text))


# --- markdown and odd characters ---------------------------------------------------------


def test_markdown_marks_are_formatting_only():
    assert clean_line("## **3. Sở Xây dựng**") == "3. Sở Xây dựng"
    assert clean_line("> *Hoàn thành trong tháng 5/2025*") == "Hoàn thành trong tháng 5/2025"
    assert clean_line("* Tổ chức tập huấn") == "- Tổ chức tập huấn"
    assert clean_line("Kế hoạch số 12\\-KH") == "Kế hoạch số 12-KH"


def test_zero_width_and_non_breaking_spaces_are_removed():
    assert clean_line("Sở\u00a0Y\u200b tế") == "Sở Y tế"


def test_source_is_nfc_with_unified_line_ends():
    lines = normalise_source("Sơ\u0309 Y tê\u0301\r\nb")
    assert lines == ["Sở Y tế", "b"]


# --- markers --------------------------------------------------------------------------------


def test_markers_of_each_level():
    assert marker_of("III. NHIỆM VỤ")[:2] == ("R", "III")
    assert marker_of("2. Sở Y tế")[:2] == ("N", "2")
    assert marker_of("2) Sở Y tế")[:2] == ("N", "2")
    assert marker_of("1.2. Công tác tuyên truyền")[:2] == ("N2", "1.2")
    assert marker_of("đ) Hội Nông dân tỉnh")[:2] == ("L", "đ")
    assert marker_of("(3) Tổ chức hội thi")[:2] == ("P", "3")
    assert marker_of("- Chủ trì")[0] == "B-"
    assert marker_of("+ Rà soát")[0] == "B+"
    assert marker_of("• Rà soát")[0] == "B*"


def test_numbers_that_are_not_markers():
    assert marker_of("2.000 người nghiện được quản lý")[0] == "T"
    assert marker_of("26/6 là Ngày toàn dân phòng, chống ma túy")[0] == "T"
    assert marker_of("2025 là năm bản lề")[0] == "T"


def test_numbered_item_may_start_with_a_number():
    kind, label, body = marker_of("2. 100% cơ sở cai nghiện đủ điều kiện")
    assert (kind, label, body) == ("N", "2", "100% cơ sở cai nghiện đủ điều kiện")


# --- joining broken lines -------------------------------------------------------------------


def test_page_break_inside_a_sentence_is_joined():
    paras = _paras("- Tổ chức rà soát người nghiện trên địa\n\nbàn các xã biên giới.")
    assert [p.body for p in paras] == ["Tổ chức rà soát người nghiện trên địa bàn các xã biên giới."]


def test_a_clause_ending_in_a_function_word_continues():
    paras = _paras("Phối hợp với\nCông an tỉnh triển khai.")
    assert len(paras) == 1 and paras[0].body == "Phối hợp với Công an tỉnh triển khai."


def test_parenthesis_after_a_break_continues():
    paras = _paras("Báo cáo 6 tháng\n\n(trước ngày 20/6).")
    assert [p.body for p in paras] == ["Báo cáo 6 tháng (trước ngày 20/6)."]


def test_a_new_marker_always_starts_a_paragraph():
    paras = _paras("Thực hiện các nội dung sau\na) Tuyên truyền\nb) Kiểm tra")
    assert [p.kind for p in paras] == ["T", "L", "L"]


def test_hard_wrapped_text_is_rejoined():
    sentence = " ".join(["Tăng cường công tác tuyên truyền phòng chống ma túy tại cộng đồng dân cư"] * 6) + "."
    # Wrap at ~70 characters as a PDF text layer does, with some lines starting in capitals.
    lines, line = [], ""
    for w in sentence.split():
        if len(line) + len(w) + 1 > 70:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    text = "\n".join(["1. Công an tỉnh", "- " + lines[0], *lines[1:], "- Chủ trì tổ chức tập huấn."] * 3)
    paras = _paras(text)
    bullets = [p for p in paras if p.kind == "B-"]
    assert len(bullets) == 6
    assert bullets[0].body == sentence


def test_heading_is_not_joined_to_the_paragraph_under_it_in_wrapped_text():
    filler = "Tổ chức các hoạt động tuyên truyền phòng chống ma túy trong trường học và"
    text = "\n".join(
        [filler] * 14
        + [
            "gia đình.",
            "3. Hội Nông dân tỉnh, Hội Cựu chiến binh tỉnh, Tỉnh đoàn",
            "Tuyên truyền, vận động hội viên tố giác tội phạm.",
        ]
    )
    paras = _paras(text)
    assert paras[-2].body == "Hội Nông dân tỉnh, Hội Cựu chiến binh tỉnh, Tỉnh đoàn"
    assert paras[-1].body == "Tuyên truyền, vận động hội viên tố giác tội phạm."


# --- outline --------------------------------------------------------------------------------


def test_outline_sections_follow_the_numbering():
    text = "\n".join(
        [
            "I. NHIỆM VỤ",
            "1. Tuyên truyền",
            "a) Sở Y tế",
            "- Tổ chức tập huấn",
            "+ Tập huấn cho cán bộ",
            "b) Sở Tư pháp",
            "2. Kiểm tra",
            "- Kiểm tra tiền chất",
            "II. TỔ CHỨC THỰC HIỆN",
            "1. Giao Công an tỉnh",
        ]
    )
    root = build_tree(_paras(text))
    sections = [(n.kind, n.section()) for n in root.walk() if n.kind != "root"]
    assert sections == [
        ("R", "I"),
        ("N", "I.1"),
        ("L", "I.1.a"),
        ("B-", "I.1.a"),
        ("B+", "I.1.a"),
        ("L", "I.1.b"),
        ("N", "I.2"),
        ("B-", "I.2"),
        ("R", "II"),
        ("N", "II.1"),
    ]


def test_lettered_item_after_bullets_is_their_sibling_level():
    root = build_tree(_paras("1. Tuyên truyền\n- chung\na) Sở Y tế\n- riêng"))
    heading = root.children[0]
    assert [c.kind for c in heading.children] == ["B-", "L"]
    assert heading.children[1].children[0].text == "riêng"


def test_multilevel_numbers_keep_only_their_own_part():
    root = build_tree(_paras("II. NHIỆM VỤ\n1. Chung\n1.2. Công an tỉnh"))
    node = root.children[0].children[0].children[0]
    assert node.section() == "II.1.2"


def test_lead_in_takes_the_items_that_follow():
    root = build_tree(_paras("1. Tổ chức\nCăn cứ Kế hoạch, các sở:\n- Xây dựng kế hoạch\n- Báo cáo kết quả\nKết thúc."))
    heading = root.children[0]
    assert [c.kind for c in heading.children] == ["T", "T"]
    assert [g.text for g in heading.children[0].children] == ["Xây dựng kế hoạch", "Báo cáo kết quả"]


def test_document_parts():
    text = "\n".join(
        [
            "Số: 12/KH-UBND",
            "KẾ HOẠCH",
            "Phòng, chống ma túy năm 2025",
            "Căn cứ Quyết định số 1/QĐ-UBND ngày 02/01/2025, UBND tỉnh ban hành Kế hoạch:",
            "I. MỤC ĐÍCH",
            "1. Nâng cao nhận thức.",
            "Nơi nhận:",
            "- Lưu: VT.",
        ]
    )
    doc = split_document(_paras(text))
    assert [p.body for p in doc.title_paras] == ["Phòng, chống ma túy năm 2025"]
    assert len(doc.preamble) == 1 and doc.preamble[0].body.startswith("Căn cứ")
    assert [p.body for p in doc.body] == ["MỤC ĐÍCH", "Nâng cao nhận thức."]
    assert doc.tail[0].body == "Nơi nhận:"
