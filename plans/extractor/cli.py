"""`pcmt plan extract FILE [--json]`: extract a plan file and print the result.

With ``--json`` the `plan-extract/1` dict is printed as UTF-8 JSON (indent 2); without it, a short
Vietnamese summary. An unreadable file prints its Vietnamese message to stderr and returns 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from plans.extractor.core import extract_file
from plans.extractor.errors import ExtractError

_FREQUENCY = {
    "quarterly": "hằng quý",
    "semiannual": "6 tháng",
    "annual": "hằng năm",
    "once": "một lần",
    "midterm": "sơ kết",
    "final": "tổng kết",
}
_ROLE = {"lead": "chủ trì", "cooperate": "phối hợp", "perform": "thực hiện"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pcmt plan extract",
        description="Trích xuất kế hoạch (.txt, .md, .docx, .pdf có lớp văn bản) sang dạng plan-extract/1.",
    )
    parser.add_argument("file", metavar="FILE", help="tệp kế hoạch cần trích xuất")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON (UTF-8)")
    return parser


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command; returns the exit status (0 success, 2 unreadable input)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    # Accept the full "plan extract FILE" form as well as "FILE".
    if args_list[:2] == ["plan", "extract"]:
        args_list = args_list[2:]
    args = build_parser().parse_args(args_list)
    try:
        result = extract_file(args.file)
    except ExtractError as exc:
        _write(err, f"Lỗi: {exc.message}\n")
        return 2
    if args.json:
        _write(out, json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        _write(out, summary(result))
    return 0


def _write(stream: TextIO, text: str) -> None:
    """Write UTF-8 text even where the console's own encoding cannot show Vietnamese."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    buffer = getattr(stream, "buffer", None)
    if encoding != "utf8" and buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text)


def summary(result: dict) -> str:
    """A short Vietnamese description of an extraction."""
    meta = result.get("meta") or {}
    lines: list[str] = []
    head = "Kế hoạch"
    if meta.get("number"):
        head += f" số {meta['number']}"
    where = []
    if meta.get("place"):
        where.append(meta["place"])
    if meta.get("date"):
        y, m, d = meta["date"].split("-")
        where.append(f"ngày {int(d)}/{int(m)}/{y}")
    if where:
        head += " — " + ", ".join(where)
    lines.append(head)
    if meta.get("title"):
        lines.append(f"Trích yếu: {meta['title']}")
    period = meta.get("period") or {}
    if period.get("start") or period.get("end"):
        start, end = period.get("start"), period.get("end")
        lines.append(
            f"Thời gian thực hiện: {start}" if start == end else f"Thời gian thực hiện: {start or '?'}–{end or '?'}"
        )
    lines.append(f"Văn bản căn cứ: {len(result.get('basis') or [])}")
    lines.append(f"Chỉ tiêu: {len(result.get('targets') or [])}")
    blocks = result.get("assignments") or []
    tasks = [t for b in blocks for t in b.get("tasks", [])]
    with_deadline = sum(1 for t in tasks if t.get("deadline"))
    agencies = {a for b in blocks for a in b.get("agencies", [])}
    lines.append(
        f"Phân công: {len(blocks)} mục, {len(tasks)} nhiệm vụ ({with_deadline} có thời hạn), {len(agencies)} cơ quan"
    )
    for block in blocks:
        roles: dict[str, int] = {}
        for t in block.get("tasks", []):
            roles[t.get("role", "perform")] = roles.get(t.get("role", "perform"), 0) + 1
        role_text = ", ".join(f"{n} {_ROLE.get(r, r)}" for r, n in roles.items())
        prefix = "Đề nghị " if block.get("requested") else ""
        section = block.get("section") or "-"
        lines.append(f"  {section}  {prefix}{'; '.join(block.get('agencies', []))}: {role_text}")
    reporting = result.get("reporting") or []
    if reporting:
        lines.append("Chế độ báo cáo:")
        for r in reporting:
            text = f"  - {_FREQUENCY.get(r.get('frequency'), r.get('frequency'))}"
            if r.get("due"):
                text += f", hạn {_due_text(r['due'])}"
            if r.get("to"):
                text += f", gửi {r['to']}"
            lines.append(text)
    else:
        lines.append("Chế độ báo cáo: không thấy")
    return "\n".join(lines) + "\n"


def _due_text(due: str) -> str:
    if due.startswith("--"):
        month, day = due[2:].split("-")
        return f"ngày {int(day)}/{int(month)} hằng năm"
    if "of last month of quarter" in due:
        return f"ngày {due.split()[0]} tháng cuối quý"
    if len(due) == 10:
        y, m, d = due.split("-")
        return f"{int(d)}/{int(m)}/{y}"
    return due


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
