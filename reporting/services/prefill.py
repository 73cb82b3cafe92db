"""Cells of a report another app fills, read-only on every path (issue 13 §2: the case registry).

Reporting knows no such app: an app that fills cells registers a provider at start-up
(`register`, from its `AppConfig.ready`; the case registry's is `cases.services.report_figures`)
and the grid, the gate, imports, review and consolidation ask `provider()`. Without one (no app
registered), nothing is pre-filled and every cell is typed.

A provider answers, for a report (`Submission`) and its form (`gate.FormSpec`):
- `sync(submission, spec)`: refresh the stored values while the report is not approved, and give
  the `Prefill` shown (None: the provider does not fill this report);
- `prefill_for(submission, spec)`: the same without writing;
- `prefill_reports({key: (province, commune or "", schedule, period id, spec)})` for a file's
  reports (some not created yet), and `sync_many(submissions)` after a file is written;
- `registry_cells(spec)`, `applies(submission)`: which cells, which reports (review notes);
- `refused_message(element, category, prefill)`: why a typed value is refused (Vietnamese);
- `differences(submission, prefill)`, `flagged(ids)`, `flagged_count(province_id=, form_id=,
  period_id=, kind=)`: approved reports the provider no longer agrees with.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Cell = tuple[str, str]
NOTE = "Tự động từ sổ quản lý hồ sơ (tính đến ngày {day})"


@dataclass
class Prefill:
    """The filled values of one report: {cell: value}, as of `day` (the period's closing day)."""

    day: datetime.date
    values: dict[Cell, Decimal]

    @property
    def note(self) -> str:
        return NOTE.format(day=self.day.strftime("%d/%m/%Y"))


class NoPrefill:
    """No app fills any cell: every cell is typed."""

    def sync(self, submission: Any, spec: Any = None) -> Prefill | None:
        return None

    def prefill_for(self, submission: Any, spec: Any = None) -> Prefill | None:
        return None

    def prefill_reports(self, reports: Mapping[Any, tuple[str, str, Any, str, Any]]) -> dict[Any, Prefill]:
        return {}

    def sync_many(self, submissions: list[Any]) -> None:
        return None

    def registry_cells(self, spec: Any) -> list[Cell]:
        return []

    def applies(self, submission: Any) -> bool:
        return False

    def refused_message(self, element: Any, category: str, prefill: Prefill) -> str:
        return ""

    def differences(self, submission: Any, prefill: Prefill | None = None) -> list[Any]:
        return []

    def flagged(self, submission_ids: Iterable[int]) -> set[int]:
        return set()

    def flagged_count(self, *, province_id: str, form_id: int, period_id: str, kind: str) -> int:
        return 0


_provider: Any = NoPrefill()


def register(provider: Any) -> None:
    """Install the app that fills cells (a module or object with the functions above)."""
    global _provider
    _provider = provider


def provider() -> Any:
    return _provider
