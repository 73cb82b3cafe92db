import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
PLAN = """UỶ BAN NHÂN DÂN TỈNH THỬ NGHIỆM
Số: 12/KH-UBND
Thử Nghiệm, ngày 3 tháng 2 năm 2026
KẾ HOẠCH
Phòng, chống ma túy năm 2026
I. NHIỆM VỤ
1. Sở Y tế
- Chủ trì triển khai Dự án 6 (hoàn thành trong Quý III/2026).
"""


def test_the_command_prints_plan_extract_json(tmp_path):
    f = tmp_path / "kh.txt"
    f.write_text(PLAN, encoding="utf-8")
    out = StringIO()
    call_command("plan_extract", str(f), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["schema"] == "plan-extract/1" and data["meta"]["number"] == "12/KH-UBND"
    block = data["assignments"][0]
    assert block["agencies"] == ["Sở Y tế"] and block["tasks"][0]["deadline"] == "2026-09-30"


def test_an_unreadable_file_fails_with_a_vietnamese_message(tmp_path):
    f = tmp_path / "hong.docx"
    f.write_bytes(b"not a zip")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("plan_extract", str(f), "--json", stdout=StringIO(), stderr=err)
    assert "không phải tệp Word" in err.getvalue()


def test_the_console_script_entry_point(tmp_path):
    f = tmp_path / "kh.txt"
    f.write_text(PLAN, encoding="utf-8")
    code = "import sys; from pcmt.cli import main; sys.exit(main(['plan', 'extract', sys.argv[1], '--json']))"
    result = subprocess.run([sys.executable, "-c", code, str(f)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and json.loads(result.stdout)["meta"]["date"] == "2026-02-03"
    bad = subprocess.run(
        [sys.executable, "-c", "import sys; from pcmt.cli import main; sys.exit(main(['x']))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "Cách dùng" in bad.stderr
