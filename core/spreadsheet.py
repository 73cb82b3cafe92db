"""Keeping user-typed text inert in the spreadsheets PCMT produces (formula injection).

A commune officer's note or a plan's task text that starts with "=" would become a live formula
in XLSX, and "=", "+", "-", "@" would in a CSV opened by Excel. Exports pass through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def text_only(workbook: Any) -> Any:
    """Store every cell openpyxl took for a formula as plain text (PCMT writes no formulas)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return workbook


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text one line at a time (memory stays flat for any size), every cell `csv_safe`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_safe(cell) for cell in row])
        yield buffer.getvalue()


def csv_safe(value: Any) -> Any:
    """A CSV field that Excel will not evaluate: text starting with a trigger gets a leading quote.

    Numbers (including negative ones) are left alone: only text is neutralised.
    """
    if not isinstance(value, str) or not value.startswith(_CSV_TRIGGERS):
        return value
    try:
        float(value.replace(",", "."))
    except ValueError:
        return "'" + value
    return value
