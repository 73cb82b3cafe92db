"""End-to-end tests of the JSON Lines contract (areas.jsonl.run_jsonl and classify_areas)."""

from __future__ import annotations

import io
import json
import os

import pytest

from areas.jsonl import run_jsonl

COMMUNE = {
    "population": 10_000,
    "users_with_records": 62,
    "points": 2,
    "arrested": 7,
    "plants": 0,
    "area_m2": 0,
    "on_route": True,
    "residents_using": 1,
    "residents_violating": 0,
    "fugitives": 0,
}

PROVINCE = {
    "level": "province",
    "population": 100_000,
    "users_with_records": 200,
    "points": 5,
    "arrested": 49,
    "communes_type_I_II": 3,
    "communes_total": 100,
    "plants": 100,
    "area_m2": 2000.5,
    "on_interprovincial_route": False,
}

CRITERION_KEYS = {"value", "threshold", "met", "explanation"}


def run(lines, literal_bands=False):
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    out = io.StringIO()
    errors = run_jsonl(io.StringIO(text), out, literal_bands=literal_bands)
    raw = out.getvalue()
    answers = [json.loads(line) for line in raw.splitlines()]
    return errors, answers, raw


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False)


def test_good_commune_line():
    errors, [answer], raw = run([dumps(COMMUNE)])
    assert errors == 0
    assert answer["class"] == "I"  # I.a, I.b and I.đ (a, b, c at type II level, on a route)
    assert answer["label"] == "Địa bàn trọng điểm phức tạp về ma túy loại I"
    assert answer["line"] == 1
    crit = answer["criteria"]
    assert set(crit) >= {"I.a", "I.b", "I.c", "I.d", "I.đ", "II.a", "II.đ", "III.a", "drug_free.1"}
    for value in crit.values():
        assert set(value) >= CRITERION_KEYS
        assert isinstance(value["met"], bool)
    assert crit["I.a"]["explanation"] == "Tỷ lệ người có hồ sơ quản lý 0,62% ≥ 0,5% — đạt"
    assert crit["I.đ"]["met"] is True
    # UTF-8 text, not \u escapes.
    assert "Địa bàn" in raw and "\\u" not in raw


@pytest.mark.parametrize(
    "patch,expected",
    [
        ({}, "I"),
        ({"on_route": False}, "II"),
        ({"users_with_records": 1, "points": 0, "arrested": 0, "residents_using": 0}, "drug_free"),
        ({"users_with_records": 1, "points": 0, "arrested": 0, "on_route": False}, "III"),
        ({"users_with_records": 0, "points": 0, "arrested": 0, "fugitives": 1}, "unclassified"),
    ],
)
def test_each_class_through_jsonl(patch, expected):
    errors, [answer], _ = run([dumps({**COMMUNE, **patch})])
    assert errors == 0
    assert answer["class"] == expected


def test_literal_bands_flag():
    line = dumps({**COMMUNE, "on_route": False, "residents_using": 5})
    _, [cumulative], _ = run([line])
    _, [literal], _ = run([line], literal_bands=True)
    assert cumulative["class"] == "II"
    assert literal["class"] == "III"
    assert literal["literal_bands"] is True


def test_province_line():
    errors, [answer], _ = run([dumps(PROVINCE)])
    assert errors == 0
    assert answer["key_area"] is True
    assert answer["criteria_met"] == 4
    assert list(answer["criteria"]) == [f"province.{i}" for i in range(1, 7)]
    assert answer["criteria"]["province.3"]["met"] is False
    assert answer["criteria"]["province.5"]["value"] == {"plants": 100, "area_m2": 2000.5}
    for value in answer["criteria"].values():
        assert set(value) >= CRITERION_KEYS
    errors, [answer], _ = run([dumps({**PROVINCE, "communes_type_I_II": 2})])
    assert (answer["key_area"], answer["criteria_met"]) == (False, 3)


@pytest.mark.parametrize(
    "line,field,fragment",
    [
        ("{not json", None, "không phải JSON hợp lệ"),
        ('{"population": NaN}', None, "không phải JSON hợp lệ"),
        ("[1, 2]", None, "đối tượng JSON"),
        ('"text"', None, "đối tượng JSON"),
        (dumps({**COMMUNE, "population": 0}), "population", "nhân khẩu hiện đang cư trú"),
        (dumps({k: v for k, v in COMMUNE.items() if k != "population"}), "population", "bị thiếu"),
        (dumps({**COMMUNE, "population": None}), "population", "thiếu"),
        (dumps({**COMMUNE, "arrested": -1}), "arrested", "âm"),
        (dumps({**COMMUNE, "users_with_records": "62"}), "users_with_records", "chuỗi ký tự"),
        (dumps({**COMMUNE, "area_m2": "12,5"}), "area_m2", "chuỗi ký tự"),
        (dumps({**COMMUNE, "on_route": "có"}), "on_route", "true hoặc false"),
        (dumps({**COMMUNE, "level": "district"}), "level", "province"),
        (dumps({**PROVINCE, "communes_total": 0}), "communes_total", "tổng số xã"),
        (dumps({**PROVINCE, "population": "1e5"}), "population", "chuỗi ký tự"),
    ],
)
def test_bad_lines(line, field, fragment):
    errors, [answer], _ = run([line])
    assert errors == 1
    assert set(answer) <= {"error", "field", "line", "id"}
    assert fragment in answer["error"]
    assert answer.get("field") == field
    if field:
        assert f"'{field}'" in answer["error"]


def test_mixed_lines_keep_order_skip_blanks_and_continue_after_errors():
    lines = [
        dumps({**COMMUNE, "id": "xa-1"}),
        "",
        "   ",
        "not json at all",
        dumps({**COMMUNE, "population": 0, "id": "xa-2"}),
        dumps(PROVINCE),
        dumps({**COMMUNE, "points": -3}),
        dumps({**COMMUNE, "on_route": False, "id": 7}),
    ]
    errors, answers, _ = run(lines)
    assert errors == 3
    assert len(answers) == 6  # blank lines produce nothing
    assert [a["line"] for a in answers] == [1, 4, 5, 6, 7, 8]
    assert answers[0]["class"] == "I" and answers[0]["id"] == "xa-1"
    assert "error" in answers[1]
    assert answers[2]["field"] == "population" and answers[2]["id"] == "xa-2"
    assert answers[3]["key_area"] is True
    assert answers[4]["field"] == "points"
    assert answers[5]["class"] == "II" and answers[5]["id"] == 7


def test_crlf_bom_and_bytes_input():
    text = "\ufeff" + dumps(COMMUNE) + "\r\n\r\n" + dumps(PROVINCE) + "\r\n"
    out = io.StringIO()
    assert run_jsonl(io.StringIO(text), out) == 0
    answers = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [a.get("class", a.get("key_area")) for a in answers] == ["I", True]
    out = io.StringIO()
    data = (dumps(COMMUNE) + "\n").encode("utf-8") + b"\xff\xfe bad\n"
    assert run_jsonl(io.BytesIO(data), out) == 1
    first, second = [json.loads(x) for x in out.getvalue().splitlines()]
    assert first["class"] == "I"
    assert "UTF-8" in second["error"]


def test_exact_decimal_area_from_json():
    # 749.9999999999999999 must not be rounded up to 750 by float parsing.
    line = dumps({**COMMUNE, "area_m2": 0}).replace('"area_m2": 0', '"area_m2": 749.9999999999999999')
    _, [answer], _ = run([line])
    assert answer["criteria"]["I.d"]["met"] is False
    assert answer["criteria"]["II.d"]["met"] is True


def test_empty_input():
    errors, answers, raw = run([])
    assert (errors, answers, raw) == (0, [], "")


# ---------------------------------------------------------------------------------------------
# Through Django's management command
# ---------------------------------------------------------------------------------------------


def _django_ready() -> bool:
    try:
        import django
        from django.conf import settings

        if not settings.configured:
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcmt.settings")
        django.setup()
        from django.apps import apps

        return apps.is_installed("areas")
    except Exception:  # noqa: BLE001 - any setup failure means "skip"
        return False


def test_management_command_jsonl():
    if not _django_ready():
        pytest.skip("Django settings (pcmt.settings with 'areas' installed) are not available")
    from django.core.management import call_command

    stdin = io.StringIO("\n".join([dumps({**COMMUNE, "on_route": False}), "{oops", dumps(PROVINCE)]) + "\n")
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("classify_areas", "--jsonl", stdin=stdin, stdout=stdout, stderr=stderr)
    answers = [json.loads(x) for x in stdout.getvalue().splitlines()]
    assert answers[0]["class"] == "II"
    assert "error" in answers[1]
    assert answers[2]["key_area"] is True
    assert "1 dòng lỗi" in stderr.getvalue()

    stdin = io.StringIO(dumps({**COMMUNE, "on_route": False, "residents_using": 5}) + "\n")
    stdout = io.StringIO()
    call_command("classify_areas", "--jsonl", "--literal-bands", stdin=stdin, stdout=stdout)
    assert json.loads(stdout.getvalue())["class"] == "III"


def test_management_command_requires_jsonl_flag():
    if not _django_ready():
        pytest.skip("Django settings (pcmt.settings with 'areas' installed) are not available")
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--jsonl"):
        call_command("classify_areas", stdin=io.StringIO(""), stdout=io.StringIO())
