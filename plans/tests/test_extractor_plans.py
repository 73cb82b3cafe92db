"""Whole plans scored with the shared scorer: the three sample plans and our own test plans
(theme-centred .txt and generated .docx, agency-centred .md and its hard-wrapped text)."""

from __future__ import annotations

import importlib.util
import json
import re
import textwrap
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from plans.extractor import extract_file, extract_text

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ("000_dcdec21097959a90", "002_37e417791590e446", "003_af0c3ed2e79035b9")
# Levels reached when these tests were written; the extractor must not fall below them.
SAMPLE_FLOOR = {"000_dcdec21097959a90": 1.0, "002_37e417791590e446": 1.0, "003_af0c3ed2e79035b9": 1.0}
OWN_FLOOR = 1.0


def _scorer():
    path = SHARED / "tools" / "score_plan_extract.py"
    if not path.exists():
        pytest.skip("shared/ (samples, gold, scorer) not available")
    spec = importlib.util.spec_from_file_location("score_plan_extract", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    aliases = json.loads((SHARED / "eval" / "agencies.json").read_text(encoding="utf-8"))
    return module, module.Agencies(aliases)


def _score(gold: dict, pred: dict) -> dict:
    module, agencies = _scorer()
    return module.score(gold, pred, agencies)


def _figures(result: dict) -> dict:
    return {k: round(list(v.values())[-1], 3) for k, v in result.items()}


# --- sample plans ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_plan_scores(name):
    if not (SHARED / "samples" / f"{name}.txt").exists():
        pytest.skip("shared samples not available")
    gold = json.loads((SHARED / "eval" / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    pred = extract_file(SHARED / "samples" / f"{name}.txt")
    result = _score(gold, pred)
    assert result["overall"]["score"] >= SAMPLE_FLOOR[name] - 1e-9, _figures(result)
    for measure in ("blocks", "tasks", "deadlines", "reporting"):
        assert result[measure]["f"] >= 0.9, _figures(result)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_plans_survive_hard_wrapping(name):
    """The same plans as a PDF text layer gives them: lines wrapped at 80 characters."""
    path = SHARED / "samples" / f"{name}.txt"
    if not path.exists():
        pytest.skip("shared samples not available")
    wrapped = _wrap(path.read_text(encoding="utf-8"), 80)
    gold = json.loads((SHARED / "eval" / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    result = _score(gold, extract_text(wrapped, source=path.name))
    assert result["overall"]["score"] >= 0.97, _figures(result)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_plans_as_docx(name, tmp_path):
    path = SHARED / "samples" / f"{name}.txt"
    if not path.exists():
        pytest.skip("shared samples not available")
    target = tmp_path / f"{name}.docx"
    text_plan_to_docx(path.read_text(encoding="utf-8"), target)
    gold = json.loads((SHARED / "eval" / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    result = _score(gold, extract_file(target))
    assert result["overall"]["score"] >= 0.98, _figures(result)


# --- our own plans --------------------------------------------------------------------------


def _gold(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.gold.json").read_text(encoding="utf-8"))


def test_own_theme_plan_txt():
    result = _score(_gold("theme_plan"), extract_file(FIXTURES / "theme_plan.txt"))
    assert result["overall"]["score"] >= OWN_FLOOR - 1e-9, _figures(result)


def test_own_theme_plan_docx(tmp_path):
    target = tmp_path / "theme_plan.docx"
    text_plan_to_docx((FIXTURES / "theme_plan.txt").read_text(encoding="utf-8"), target)
    result = _score(_gold("theme_plan"), extract_file(target))
    assert result["overall"]["score"] >= OWN_FLOOR - 1e-9, _figures(result)


def test_own_agency_plan_md():
    result = _score(_gold("agency_plan"), extract_file(FIXTURES / "agency_plan.md"))
    assert result["overall"]["score"] >= OWN_FLOOR - 1e-9, _figures(result)


def test_own_agency_plan_hard_wrapped():
    text = _wrap((FIXTURES / "agency_plan.md").read_text(encoding="utf-8"), 90)
    result = _score(_gold("agency_plan"), extract_text(text, source="agency_plan.md"))
    assert result["overall"]["score"] >= OWN_FLOOR - 1e-9, _figures(result)


def test_theme_plan_structure_without_the_scorer():
    """Key expectations checked directly, so they hold even where shared/ is missing."""
    out = extract_file(FIXTURES / "theme_plan.txt")
    assert out["schema"] == "plan-extract/1" and out["source"] == "theme_plan.txt"
    assert out["meta"]["number"] == "58/KH-UBND" and out["meta"]["date"] == "2025-02-14"
    by_section = {b["section"]: b for b in out["assignments"]}
    assert by_section["III.1.b"]["agencies"] == ["Sở Giáo dục và Đào tạo", "Tỉnh đoàn"]
    assert by_section["III.1.a"]["tasks"][0]["deadline"] == "2025-06-30"  # from the theme heading
    assert by_section["III.2.b"]["agencies"] == ["Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Chi cục Hải quan khu vực VIII"]
    assert by_section["III.2.c"]["agencies"] == ["Tòa án nhân dân tỉnh"]
    assert by_section["III.3.c"]["agencies"] == ["Các sở, ban, ngành", "UBND cấp xã"]
    assert by_section["III.4.b"]["agencies"] == ["Trung tâm Kiểm soát bệnh tật tỉnh"]  # not in the catalogue
    assert by_section["IV.2"]["requested"] is True
    assert "III.4" not in by_section  # a theme, not an addressee
    assert by_section["III.2.a"]["tasks"][0]["projects"] == ["DA1", "DA2", "DA4", "DA5", "DA9"]
    assert {(r["frequency"], r["due"]) for r in out["reporting"]} == {
        ("quarterly", "20 of last month of quarter"),
        ("semiannual", "--06-20"),
        ("annual", "--11-20"),
        ("midterm", None),
        ("final", None),
    }


# --- helpers: hard wrapping and .docx generation --------------------------------------------


def _wrap(text: str, width: int) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        line = line.replace("**", "").replace("*", "").lstrip("# ").strip()
        out.extend(textwrap.wrap(line, width) or [""])
    return "\n".join(out)


def _letter_numbering(document):
    """Word numbering "a)", "b)" …; returns a function giving a fresh (restarting) list id."""
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="singleLevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
            '<w:lvlText w:val="%1)"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
        ),
    )
    counter = [200]

    def new_list() -> int:
        counter[0] += 1
        numbering.append(
            parse_xml(f'<w:num {nsdecls("w")} w:numId="{counter[0]}"><w:abstractNumId w:val="90"/></w:num>')
        )
        return counter[0]

    return new_list


def text_plan_to_docx(text: str, path: Path) -> None:
    """A .docx as an office would type it: header in a two-column table, bold headings, the
    title broken over lines, "a)" points and "-" items as Word's automatic lists."""
    document = docx.Document()
    new_list = _letter_numbering(document)
    lines = text.split("\n")
    header = []
    while lines and re.search(r"\S\s{3,}\S", lines[0]):
        header.append(re.split(r"\s{3,}", lines.pop(0).strip(), maxsplit=1))
    if header:
        table = document.add_table(rows=len(header), cols=2)
        for r, cells in enumerate(header):
            for c, value in enumerate(cells):
                table.cell(r, c).text = value
    letter_list = None
    title = None
    in_title = False
    for line in lines:
        s = line.strip()
        if not s:
            in_title = False
            continue
        if s.replace("*", "").strip() == "KẾ HOẠCH":
            document.add_paragraph().add_run("KẾ HOẠCH").bold = True
            in_title, title = True, None
            continue
        if in_title:
            if title is None:
                title = document.add_paragraph()
            else:
                title.add_run().add_break()
            title.add_run(s).bold = True
            continue
        m = re.match(r"^([a-zđ])\)\s+(.*)$", s)
        if m:
            if m.group(1) == "a" or letter_list is None:
                letter_list = new_list()
            p = document.add_paragraph(m.group(2))
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{letter_list}"/></w:numPr>')
            )
            continue
        m = re.match(r"^-\s+(.*)$", s)
        if m:
            document.add_paragraph(m.group(1), style="List Bullet")
            continue
        p = document.add_paragraph()
        p.add_run(s).bold = bool(re.match(r"^[IVX]+\.\s", s))
    document.save(path)


def test_word_multilevel_numbering_and_task_table(tmp_path):
    """A plan typed with Word's own outline numbering (I. / 1. / a) / -) and a task table."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:multiLevelType w:val="multilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>'
            '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="300"><w:abstractNumId w:val="77"/></w:num>'))

    def para(text, level=None):
        p = document.add_paragraph(text)
        if level is not None:
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="300"/></w:numPr>')
            )

    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH TÂY NINH"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header.cell(1, 0).text = "Số: 402/KH-UBND"
    header.cell(1, 1).text = "Tây Ninh, ngày 18 tháng 8 năm 2025"
    para("KẾ HOẠCH")
    para("Phòng, chống ma túy trên địa bàn tỉnh năm 2025")
    para("Căn cứ Quyết định số 7619/QĐ-BCA ngày 08/9/2025 của Bộ Công an, UBND tỉnh ban hành Kế hoạch:")
    para("MỤC ĐÍCH, YÊU CẦU", 0)
    para("Triển khai đồng bộ các dự án của Chương trình.", 1)
    para("NHIỆM VỤ, GIẢI PHÁP", 0)
    para("Công tác phòng ngừa", 1)
    para("Công an tỉnh", 2)
    para("Chủ trì triển khai Dự án 4 và Tiểu dự án 2 thuộc Dự án 7 (hoàn thành trong Quý IV/2025).", 3)
    para("Phối hợp với Bộ Chỉ huy Bộ đội Biên phòng tỉnh kiểm soát địa bàn biên giới.", 3)
    para("Sở Y tế, Sở Nội vụ", 2)
    para("Phối hợp triển khai Dự án 6 sau khi Bộ Y tế có hướng dẫn thực hiện.", 3)
    para("Các hoạt động hưởng ứng", 1)
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate(
        [
            ("Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"),
            (
                "Mít tinh hưởng ứng Ngày toàn dân phòng, chống ma túy",
                "Sở Văn hóa, Thể thao và Du lịch",
                "Công an tỉnh",
                "Tháng 6/2025",
            ),
            ("Hội thi tìm hiểu pháp luật", "Tỉnh đoàn", "", "Quý III/2025"),
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    para("TỔ CHỨC THỰC HIỆN", 0)
    para(
        "Các sở, ban, ngành báo cáo kết quả về Công an tỉnh định kỳ 6 tháng (trước ngày 15/6) và hằng năm "
        "(trước ngày 15/12).",
        1,
    )
    para("Nơi nhận:")
    path = tmp_path / "word.docx"
    document.save(path)

    out = extract_file(path)
    assert out["meta"] == {
        "number": "402/KH-UBND",
        "date": "2025-08-18",
        "place": "Tây Ninh",
        "title": "Phòng, chống ma túy trên địa bàn tỉnh năm 2025",
        "period": {"start": 2025, "end": 2025},
    }
    got = [
        (
            b["section"],
            b["agencies"],
            [(t["role"], sorted(t["projects"]), t["deadline"], t["condition"]) for t in b["tasks"]],
        )
        for b in out["assignments"]
    ]
    assert got == [
        ("II.1.a", ["Công an tỉnh"], [("lead", ["DA4", "DA7.2"], "2025-12-31", None), ("cooperate", [], None, None)]),
        ("II.1.b", ["Sở Y tế", "Sở Nội vụ"], [("cooperate", ["DA6"], None, "sau khi Bộ Y tế có hướng dẫn thực hiện")]),
        ("II.2", ["Sở Văn hóa, Thể thao và Du lịch"], [("lead", [], "2025-06-30", None)]),
        ("II.2", ["Tỉnh đoàn"], [("lead", [], "2025-09-30", None)]),
        ("III.1", ["Các sở, ban, ngành"], [("perform", [], None, None)]),
    ]
    assert [(r["frequency"], r["due"], r["to"]) for r in out["reporting"]] == [
        ("semiannual", "--06-15", "Công an tỉnh"),
        ("annual", "--12-15", "Công an tỉnh"),
    ]


# --- unseen shapes: headings carrying deadlines, several subjects per paragraph, long titles ---

NEW_SHAPES = (
    ("month_theme_plan", "month_theme_plan.txt"),
    ("mixed_program_plan", "mixed_program_plan.md"),
    ("campaign_plan", "campaign_plan.txt"),
    # Points several agencies lead together, in four wordings (parenthesis "giao A, B chủ trì",
    # subject "A và B chủ trì", a "Cơ quan chủ trì: A, B" line, "Giao A, B chủ trì …").
    ("joint_lead_plan", "joint_lead_plan.txt"),
)


@pytest.mark.parametrize("name,filename", NEW_SHAPES)
def test_new_shape_plans_score(name, filename):
    result = _score(_gold(name), extract_file(FIXTURES / filename))
    assert result["overall"]["score"] >= 0.95, _figures(result)


def test_joint_lead_plan_hard_wrapped():
    text = _wrap((FIXTURES / "joint_lead_plan.txt").read_text(encoding="utf-8"), 80)
    result = _score(_gold("joint_lead_plan"), extract_text(text, source="joint_lead_plan.txt"))
    assert result["overall"]["score"] >= 0.95, _figures(result)


def test_month_theme_plan_hard_wrapped():
    """As a PDF text layer gives it (tables in the .md plan would not survive wrapping)."""
    text = _wrap((FIXTURES / "month_theme_plan.txt").read_text(encoding="utf-8"), 85)
    result = _score(_gold("month_theme_plan"), extract_text(text, source="month_theme_plan.txt"))
    assert result["overall"]["score"] >= 0.95, _figures(result)


def test_month_theme_plan_as_docx(tmp_path):
    target = tmp_path / "month_theme_plan.docx"
    text_plan_to_docx((FIXTURES / "month_theme_plan.txt").read_text(encoding="utf-8"), target)
    result = _score(_gold("month_theme_plan"), extract_file(target))
    assert result["overall"]["score"] >= 0.95, _figures(result)


def test_paragraph_with_several_subjects_gives_one_block_each():
    out = extract_file(FIXTURES / "month_theme_plan.txt")
    theme2 = [
        (b["agencies"], [t["deadline"] for t in b["tasks"]]) for b in out["assignments"] if b["section"] == "III.2"
    ]
    # The theme heading "(Hoàn thành trong tháng 5/2025)" gives every sentence's task its deadline.
    assert theme2 == [
        (["Công an tỉnh"], ["2025-05-31"]),
        (["Sở Y tế"], ["2025-05-31"]),
        (["UBND cấp xã"], ["2025-05-31"]),
    ]
    theme3 = [b["agencies"] for b in out["assignments"] if b["section"] == "III.3"]
    assert theme3 == [
        ["Công an tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"],
        ["Viện kiểm sát nhân dân tỉnh"],
        ["Tòa án nhân dân tỉnh"],
    ]
    # The title runs over three lines after KẾ HOẠCH.
    assert out["meta"]["title"].endswith("NGÀY TOÀN DÂN PHÒNG, CHỐNG MA TÚY NĂM 2025")
    # A reporting clause naming its receiver, and one naming two.
    assert {(r["frequency"], r["due"], r["to"]) for r in out["reporting"]} == {
        ("once", "2025-07-02", "Công an tỉnh"),
        ("once", "2025-07-10", "UBND tỉnh"),
        ("once", "2025-07-10", "Bộ Công an"),
    }
    # The condition stops before the task's own time frame.
    sy_te = next(b for b in out["assignments"] if b["section"] == "III.4.a")
    assert sy_te["tasks"][0]["condition"] == "sau khi Bộ Y tế ban hành hướng dẫn"


def test_a_sentence_without_its_own_subject_stays_with_the_one_before():
    text = (
        "KẾ HOẠCH\nPhòng, chống ma túy năm 2025\n\nIII. NHIỆM VỤ\n"
        "1. Quản lý người nghiện (Hoàn thành trong Quý III/2025)\n"
        "Sở Y tế chủ trì tổ chức điều trị nghiện. Báo cáo kết quả thực hiện về Công an tỉnh. "
        "Các cơ sở y tế tham gia thường xuyên.\n"
    )
    blocks = extract_text(text)["assignments"]
    assert [b["agencies"] for b in blocks] == [["Sở Y tế"]]
    assert blocks[0]["tasks"][0]["text"].endswith("Các cơ sở y tế tham gia thường xuyên.")


def test_points_worded_phoi_hop_keep_the_heading_agency_as_lead():
    out = extract_file(FIXTURES / "mixed_program_plan.md")
    police = next(b for b in out["assignments"] if b["section"] == "II.1.1")
    assert police["agencies"] == ["Công an tỉnh"]
    assert [t["role"] for t in police["tasks"]] == ["lead", "cooperate", "cooperate"]
    assert all(t["deadline"] == "2026-06-30" for t in police["tasks"])
    table = [(b["agencies"], b["tasks"][0]["deadline"]) for b in out["assignments"] if b["section"] == "II.3"]
    assert table == [(["Công an tỉnh"], "2026-03-31"), (["Sở Y tế"], "2026-09-30"), (["Tỉnh đoàn"], "2026-12-31")]
    assert [t["year"] for t in out["targets"]] == [2026, 2026]  # from the lead-in "Chỉ tiêu năm 2026:"


def test_campaign_plan_hard_wrapped_and_its_count_target():
    text = _wrap((FIXTURES / "campaign_plan.txt").read_text(encoding="utf-8"), 80)
    out = extract_text(text, source="campaign_plan.txt")
    result = _score(_gold("campaign_plan"), out)
    assert result["overall"]["score"] >= 0.95, _figures(result)
    assert (out["targets"][0]["comparator"], out["targets"][0]["value"], out["targets"][0]["unit"]) == (
        ">=",
        15,
        "đường dây",
    )
