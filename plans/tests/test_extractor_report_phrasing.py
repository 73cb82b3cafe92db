"""Reporting duties phrased with words between "báo cáo" and the period."""

import pytest

from plans.extractor import extract_text

HEAD = (
    "UBND TỈNH THỬ\nSố: 1/KH-UBND\nThử, ngày 1 tháng 2 năm 2026\nKẾ HOẠCH\nPhòng, chống ma túy\nI. TỔ CHỨC THỰC HIỆN\n"
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Các sở, ngành báo cáo kết quả 6 tháng (trước ngày 15/6) và năm (trước ngày 15/12) về Công an tỉnh.",
            [("semiannual", "--06-15"), ("annual", "--12-15")],
        ),
        (
            "Các sở, ngành báo cáo kết quả thực hiện hằng quý (trước ngày 10 tháng cuối quý) về Công an tỉnh.",
            [("quarterly", "10 of last month of quarter")],
        ),
        (
            "UBND các xã, phường báo cáo tình hình thực hiện 6 tháng trước ngày 20/6 về Công an tỉnh.",
            [("semiannual", "--06-20")],
        ),
    ],
)
def test_filler_words_do_not_hide_the_period(sentence, expected):
    duties = extract_text(HEAD + sentence + "\n")["reporting"]
    assert [(d["frequency"], d["due"]) for d in duties] == expected
