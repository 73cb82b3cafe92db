"""JSON Lines front end of the classification rules engine (stable command-line contract).

Input: one JSON object per line. Blank lines are skipped.

* commune line (no "level", or "level": "commune"): population, users_with_records, points,
  arrested, plants, area_m2, on_route, residents_using, residents_violating, fugitives
  → {"level": "commune", "class": ..., "label": ..., "explanation": ..., "criteria": {...}, ...}
* province line ("level": "province"): population, users_with_records, points, arrested,
  communes_type_I_II, communes_total, plants, area_m2, on_interprovincial_route
  → {"level": "province", "key_area": bool, "criteria_met": n, "criteria": {...}, ...}

Every criterion is {"value", "threshold", "met", "explanation", ...}. A bad line answers
{"error": "<Vietnamese message naming the field>", "field": ..., "line": n} and the other lines
still run. Every answer carries "line" (1-based input line number) and echoes "id" when the input
has one. Output order = input order; UTF-8 with ensure_ascii=False.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from areas.rules import (
    CommuneInput,
    ProvinceInput,
    RulesInputError,
    classify_commune,
    classify_province,
)

__all__ = ["process_record", "run_jsonl"]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"giá trị {name} không được phép trong JSON")


def _loads(line: str) -> Any:
    # Floats are parsed as Decimal so that areas keep their exact written value.
    return json.loads(line, parse_float=Decimal, parse_constant=_reject_constant)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def process_record(record: Any, *, literal_bands: bool = False) -> dict[str, Any]:
    """Classify one parsed JSON value; raise RulesInputError on bad input."""
    if not isinstance(record, dict):
        raise RulesInputError("Mỗi dòng phải là một đối tượng JSON ({...}).")
    level = record.get("level", "commune")
    if level == "province":
        out: dict[str, Any] = {"level": "province"}
        out.update(classify_province(ProvinceInput.from_mapping(record)).to_dict())
        return out
    if level in ("commune", None):
        out = {"level": "commune"}
        out.update(classify_commune(CommuneInput.from_mapping(record), literal_bands=literal_bands).to_dict())
        return out
    raise RulesInputError(
        "Trường 'level' (cấp địa bàn) chỉ nhận \"commune\" (xã, phường, đặc khu) hoặc "
        f'"province" (tỉnh), nhận được: {json.dumps(_jsonable(level), ensure_ascii=False)}.',
        field="level",
    )


def _answer(line: str, lineno: int, literal_bands: bool) -> tuple[dict[str, Any], bool]:
    try:
        record = _loads(line)
    except (ValueError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return {"error": f"Dòng {lineno} không phải JSON hợp lệ ({detail}).", "line": lineno}, False
    ident = record.get("id") if isinstance(record, dict) else None
    try:
        out = process_record(record, literal_bands=literal_bands)
        ok = True
    except RulesInputError as exc:
        out = {"error": exc.message}
        if exc.field:
            out["field"] = exc.field
        ok = False
    except Exception as exc:  # noqa: BLE001 - never let one line stop the others
        out = {"error": f"Lỗi không xác định khi xử lý dòng {lineno}: {type(exc).__name__}."}
        ok = False
    out["line"] = lineno
    if ident is not None:
        out["id"] = _jsonable(ident)
    return out, ok


def run_jsonl(
    in_stream: Iterable[str] | IO[str] | IO[bytes],
    out_stream: IO[str] | Any,
    literal_bands: bool = False,
) -> int:
    """Read JSON lines from ``in_stream``, write one JSON answer line per non-blank input line
    to ``out_stream``. Returns the number of lines answered with an error (0 = all good)."""
    errors = 0
    for lineno, raw in enumerate(in_stream, start=1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                out: dict[str, Any] = {
                    "error": f"Dòng {lineno} không phải văn bản UTF-8 hợp lệ.",
                    "line": lineno,
                }
                out_stream.write(json.dumps(out, ensure_ascii=False) + "\n")
                errors += 1
                continue
        if lineno == 1:
            raw = raw.lstrip("\ufeff")  # byte order mark from some Windows editors
        line = raw.strip()
        if not line:
            continue
        answer, ok = _answer(line, lineno, literal_bands)
        if not ok:
            errors += 1
        out_stream.write(json.dumps(answer, ensure_ascii=False) + "\n")
    flush = getattr(out_stream, "flush", None)
    if callable(flush):
        flush()
    return errors
