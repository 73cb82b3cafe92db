"""The agency-name matching service: one test per rule, with made-up printed names."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pytest

from agencies.catalogue import catalogue_for
from agencies.matching import AgencyMatcher, Match, normalize


@pytest.fixture(scope="module")
def matcher() -> AgencyMatcher:
    return AgencyMatcher.default()


# --- normalize ------------------------------------------------------------------------------


def test_normalize_is_nfc_insensitive():
    decomposed = unicodedata.normalize("NFD", "Sở Tài chính")
    assert normalize(decomposed) == normalize("Sở Tài chính") == "so tai chinh"


def test_normalize_ignores_case_and_diacritics_including_d_bar():
    assert normalize("ĐOÀN THANH NIÊN") == normalize("đoàn thanh niên") == "doan thanh nien"


def test_normalize_collapses_punctuation_and_spaces():
    assert normalize("Sở  Lao động -  Thương binh,\tXã hội") == "so lao dong thuong binh xa hoi"


def test_normalize_drops_command_words_and_markdown():
    assert normalize("**Đề nghị** Viện kiểm sát nhân dân tỉnh") == "vien kiem sat nhan dan tinh"
    assert normalize("Giao Sở Nội vụ") == "so noi vu"
    assert normalize("Chủ trì: Sở Công Thương") == "so cong thuong"
    assert normalize("### 3. Sở Xây dựng") == "so xay dung"


def test_normalize_reads_ampersand_as_and():
    assert normalize("Sở KH&CN") == "so kh va cn"


def test_normalize_empty():
    assert normalize("") == "" and normalize(None) == ""


# --- match ----------------------------------------------------------------------------------


def test_exact_canonical_name(matcher):
    m = matcher.match("Sở Nông nghiệp và Môi trường")
    assert m == Match(
        "Sở Nông nghiệp và Môi trường",
        "SNNMT",
        100.0,
        True,
        False,
        "Sở Nông nghiệp và Môi trường",
        False,
        False,
        "department",
    )


def test_alias_resolves_to_canonical(matcher):
    assert matcher.match("Sở GD&ĐT").name == "Sở Giáo dục và Đào tạo"
    assert matcher.match("Ủy ban nhân dân các xã, phường, đặc khu").name == "UBND cấp xã"


def test_abbreviation_and_full_form_are_equal(matcher):
    assert matcher.match("Hội đồng nhân dân tỉnh").name == "HĐND tỉnh"
    assert matcher.match("UBND tỉnh").name == matcher.match("Ủy ban nhân dân tỉnh").name


def test_old_and_new_tone_placement(matcher):
    assert matcher.match("Sở Văn hoá, Thể thao và Du lịch").code == "SVHTTDL"
    assert matcher.match("Uỷ ban nhân dân tỉnh").code == "UBNDT"


def test_explanatory_parts_are_ignored(matcher):
    assert matcher.match("Công an tỉnh (Cơ quan thường trực Chương trình)").name == "Công an tỉnh"
    assert matcher.match("Công an tỉnh - Cơ quan thường trực về phòng, chống ma túy").name == "Công an tỉnh"


def test_region_designator_is_kept(matcher):
    assert matcher.match("Chi cục Hải quan khu vực VII").name == "Chi cục Hải quan khu vực VII"
    assert matcher.match("Bộ Tư lệnh Vùng Cảnh sát biển 2").name == "Bộ Tư lệnh Vùng Cảnh sát biển 2"


def test_locative_qualifier_after_a_name(matcher):
    m = matcher.match("Chi cục Hải quan khu vực II địa bàn tỉnh Bắc Ninh")
    assert m.name == "Chi cục Hải quan khu vực II"


def test_province_in_the_name(matcher):
    assert matcher.match("Báo và PTTH Cà Mau").name == "Báo và Phát thanh, Truyền hình Cà Mau"
    assert matcher.match("Báo Kon Tum").name == "Báo Kon Tum"
    assert matcher.match("Báo Kon Tum").legacy


def test_legacy_body_is_recognised_and_flagged(matcher):
    m = matcher.match("Sở Lao động, Thương binh và Xã hội")
    assert m.code == "SLDTBXH" and m.legacy
    assert matcher.match("UBND các huyện, thị xã, thành phố").name == "UBND cấp huyện"


def test_requested_bodies_are_flagged(matcher):
    assert matcher.match("Tòa án nhân dân tỉnh").requested
    assert not matcher.match("Sở Y tế").requested


def test_small_misspelling_is_tolerated(matcher):
    m = matcher.match("Sở Giáo dụcc và Đào tạo")
    assert m is not None and m.name == "Sở Giáo dục và Đào tạo" and not m.exact


def test_word_order_is_tolerated(matcher):
    assert matcher.match("Ủy ban nhân dân các phường, xã").name == "UBND cấp xã"


@pytest.mark.parametrize(
    "printed",
    [
        "Chi cục Hải quan khu vực XIV",  # not khu vực IV
        "Sở Tư pháp",  # not Sở Y tế
    ],
)
def test_different_bodies_never_merge(printed):
    small = AgencyMatcher([("HQ4", "Chi cục Hải quan khu vực IV", ()), ("SYT", "Sở Y tế", ())])
    m = small.match(printed)
    assert m is None or m.name == printed


def test_different_levels_never_merge(matcher):
    assert matcher.match("Ủy ban nhân dân cấp huyện").code == "UBNDH"
    assert matcher.match("Ủy ban nhân dân cấp xã").code == "UBNDX"
    assert matcher.match("Sở Nông nghiệp và Phát triển nông thôn").code == "SNNPTNT"


def test_unknown_name_is_none(matcher):
    assert matcher.match("Ban Quản lý dự án đầu tư xây dựng tỉnh") is None
    assert matcher.match("") is None


# --- suggest --------------------------------------------------------------------------------


def test_suggest_ranks_the_closest_first(matcher):
    ranked = matcher.suggest("So Tu phap tinh", limit=3)
    assert ranked[0].name == "Sở Tư pháp"
    assert len(ranked) == 3
    assert ranked[0].score >= ranked[1].score >= ranked[2].score


def test_suggest_empty_text(matcher):
    assert matcher.suggest("  ") == []


# --- split ----------------------------------------------------------------------------------


def test_split_keeps_commas_inside_names(matcher):
    names = [m.name for m in matcher.split("Sở Văn hóa, Thể thao và Du lịch, Sở Tài chính")]
    assert names == ["Sở Văn hóa, Thể thao và Du lịch", "Sở Tài chính"]


def test_split_on_semicolons_and_va(matcher):
    names = [m.name for m in matcher.split("Sở Xây dựng; Thanh tra tỉnh và Sở Ngoại vụ")]
    assert names == ["Sở Xây dựng", "Thanh tra tỉnh", "Sở Ngoại vụ"]


def test_split_catch_all_group_with_commas(matcher):
    names = [m.name for m in matcher.split("Các sở, ban, ngành, đoàn thể và UBND các xã, phường, thị trấn")]
    assert names == ["Các sở, ban, ngành", "UBND cấp xã"]


def test_split_drops_leading_de_nghi(matcher):
    parts = matcher.split("Đề nghị Ủy ban MTTQ Việt Nam tỉnh và các tổ chức thành viên")
    assert [m.name for m in parts] == ["Ủy ban MTTQ Việt Nam tỉnh", "Các tổ chức thành viên MTTQ"]


def test_split_returns_unknown_parts_as_printed(matcher):
    parts = matcher.split("Sở Y tế, Trung tâm Y tế khu vực Hòa Vang và Bệnh viện Tâm thần tỉnh")
    assert [(m.name, m.unknown) for m in parts] == [
        ("Sở Y tế", False),
        ("Trung tâm Y tế khu vực Hòa Vang", True),
        ("Bệnh viện Tâm thần tỉnh", True),
    ]


def test_split_unknown_name_with_inner_comma(matcher):
    parts = matcher.split("Trung tâm Văn hóa, Thông tin và Thể thao huyện")
    assert [(m.name, m.unknown) for m in parts] == [("Trung tâm Văn hóa, Thông tin và Thể thao huyện", True)]


def test_parse_list_finds_where_the_sentence_goes_on(matcher):
    text = "Sở Y tế, Sở Tư pháp phối hợp tổ chức tập huấn"
    parsed = matcher.parse_list(text)
    assert [m.name for m in parsed.items] == ["Sở Y tế", "Sở Tư pháp"]
    assert text[parsed.end :].strip().startswith("phối hợp")


def test_parse_list_full_rejects_a_sentence(matcher):
    assert matcher.parse_list("Sở Y tế tổ chức tập huấn", full=True) is None
    assert matcher.parse_list("Tăng cường công tác tuyên truyền", allow_unknown=True, full=True) is None


def test_find_all_mentions(matcher):
    found = matcher.find_all("báo cáo Hội đồng nhân dân tỉnh và Chính phủ về kết quả")
    assert [m.name for m in found] == ["HĐND tỉnh", "Chính phủ"]


# --- catalogue sources ----------------------------------------------------------------------


def test_accepts_plain_tuples():
    small = AgencyMatcher([("X1", "Sở Du lịch", ["Sở DL"]), ("X2", "Sở Ngoại vụ", [])])
    assert small.match("Sở DL").code == "X1"
    assert [m.code for m in small.split("Sở DL, Sở Ngoại vụ")] == ["X1", "X2"]


def test_accepts_database_like_rows():
    @dataclass
    class Row:
        code: str
        name: str
        aliases: list

    small = AgencyMatcher([Row("BQL", "Ban Quản lý Khu kinh tế", ["BQL KKT"])])
    assert small.match("BQL KKT").name == "Ban Quản lý Khu kinh tế"


def test_accepts_a_rendered_provincial_catalogue():
    provincial = AgencyMatcher(catalogue_for("Gia Lai"))
    assert provincial.match("Báo và PTTH Gia Lai").name == "Báo và Phát thanh, Truyền hình Gia Lai"
