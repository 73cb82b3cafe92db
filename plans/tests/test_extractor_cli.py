"""`pcmt plan extract FILE [--json]` through `plans.extractor.cli.main` (no database)."""

from __future__ import annotations

import json
from pathlib import Path

from plans.extractor.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_json_output_is_utf8_and_indented(capsys):
    assert main([str(FIXTURES / "theme_plan.txt"), "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["schema"] == "plan-extract/1"
    assert "Quảng Trị" in out  # not \\u escapes
    assert out.startswith('{\n  "schema"')


def test_human_summary_is_vietnamese(capsys):
    assert main([str(FIXTURES / "agency_plan.md")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Kế hoạch số 215/KH-UBND — Nghệ An, ngày 5/3/2024")
    assert "Phân công:" in out and "Chế độ báo cáo:" in out
    assert "hằng quý, hạn ngày 15 tháng cuối quý, gửi Công an tỉnh" in out


def test_full_command_form_is_accepted(capsys):
    assert main(["plan", "extract", str(FIXTURES / "theme_plan.txt")]) == 0
    assert "Kế hoạch số 58/KH-UBND" in capsys.readouterr().out


def test_unreadable_file_prints_the_message_and_returns_2(tmp_path, capsys):
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"not a zip")
    assert main([str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "không phải tệp Word .docx hợp lệ" in captured.err
