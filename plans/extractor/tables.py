"""Tables in plans, as lines the outline reader understands.

A two-column table at the top is the letterhead ("ỦY BAN NHÂN DÂN … | CỘNG HÒA …", "Số: … | …,
ngày …"): its cells are read column by column. A task table (columns "Nội dung", "Cơ quan chủ
trì", "Cơ quan phối hợp", "Thời gian hoàn thành") becomes one list item per row that names its
lead and time the way running text does: "- Nội dung (Cơ quan chủ trì: X; Thời gian hoàn thành: Y)".
Other tables become one line per row, cells separated by " | ".
"""

from __future__ import annotations

import re

# Marks the part of a line made from a task table's other columns: read for the lead and the
# deadline, left out of the task's text.
META = "\u2063"
_CONTENT = re.compile(r"nội\s+dung|nhiệm\s+vụ|công\s+việc|hoạt\s+động", re.IGNORECASE)
_LEAD = re.compile(r"chủ\s+trì", re.IGNORECASE)
_PARTNER = re.compile(r"phối\s+hợp", re.IGNORECASE)
_TIME = re.compile(r"thời\s+(?:gian|hạn)|tiến\s+độ", re.IGNORECASE)
_MD_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def table_lines(rows: list[list[str]]) -> list[str]:
    """The lines that stand for a table (rows of cell texts; a cell may hold several lines)."""
    rows = [[c.strip() for c in r] for r in rows if any(c.strip() for c in r)]
    if not rows:
        return []
    n_cols = max(len(r) for r in rows)
    if n_cols <= 2 and len(rows) <= 4:
        out: list[str] = []
        for col in range(n_cols):
            for row in rows:
                if col < len(row) and row[col]:
                    out.extend(ln for ln in row[col].split("\n") if ln.strip())
        return out
    header = rows[0]
    content = _column(header, _CONTENT)
    lead = _column(header, _LEAD)
    if content is not None and lead is not None and content != lead:
        partner = _column(header, _PARTNER, exclude={lead})
        time = _column(header, _TIME)
        return [line for row in rows[1:] if (line := _task_line(row, content, lead, partner, time))]
    return [" | ".join(" ".join(c.split()) for c in row) for row in rows]


def _column(header: list[str], pattern: re.Pattern[str], exclude: set[int] | None = None) -> int | None:
    for i, cell in enumerate(header):
        if pattern.search(cell) and i not in (exclude or set()):
            return i
    return None


def _cell(row: list[str], i: int | None) -> str:
    return " ".join(row[i].split()) if i is not None and i < len(row) else ""


def _task_line(row: list[str], content: int, lead: int, partner: int | None, time: int | None) -> str:
    text = _cell(row, content)
    if not text:
        return ""
    who = _cell(row, lead)
    if not who:
        return text  # a group row ("I | Công tác tuyên truyền")
    parts = [f"Cơ quan chủ trì: {who.replace(';', ',')}"]
    if _cell(row, partner):
        parts.append(f"cơ quan phối hợp: {_cell(row, partner)}")
    if _cell(row, time):
        parts.append(f"thời gian hoàn thành: {_cell(row, time)}")
    return f"- {text.rstrip('.;')} {META}({'; '.join(parts)})"


def markdown_tables(lines: list[str]) -> list[str]:
    """Markdown pipe tables in ``lines`` replaced by `table_lines`."""
    if not any("|" in ln for ln in lines):
        return lines
    out: list[str] = []
    i = 0
    while i < len(lines):
        if _MD_ROW.match(lines[i]):
            block = []
            while i < len(lines) and _MD_ROW.match(lines[i]):
                if not _MD_RULE.match(lines[i]):
                    block.append([c for c in lines[i].strip().strip("|").split("|")])
                i += 1
            out.extend(table_lines(block))
            continue
        out.append(lines[i])
        i += 1
    return out
