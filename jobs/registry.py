"""Job kinds: each app registers its slow functions here from its own `jobs.py`.

A job function takes a `Context` (the job, its parameters, `progress()`, `output()`, `link()`) and returns a
Vietnamese summary. It raises `JobError("…")` with a Vietnamese reason when the work cannot be done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

Runner = Callable[["Context"], str]


class JobError(Exception):
    """A failure the user can act on; its message (Vietnamese) is shown as is."""


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    run: Runner


KINDS: dict[str, Kind] = {}


def register(key: str, label: str) -> Callable[[Runner], Runner]:
    def decorator(fn: Runner) -> Runner:
        KINDS[key] = Kind(key, label, fn)
        return fn

    return decorator


def get(key: str) -> Kind:
    return KINDS[key]


class Context:
    """What a job function sees. `output(name)` opens the result file (spooled on disk)."""

    def __init__(self, job: Any, report: Callable[[int, str], None], open_output: Callable[[str], IO[bytes]]):
        self.job = job
        self.params: dict[str, Any] = dict(job.params)
        self.user = job.owner
        self._report = report
        self._open_output = open_output
        self.result_url = ""

    def link(self, url: str) -> None:
        """Where the result lives in PCMT (e.g. the review page of an imported draft)."""
        self.result_url = url[:300]

    def progress(self, percent: int, message: str = "") -> None:
        self._report(max(0, min(100, int(percent))), message)

    def output(self, filename: str) -> IO[bytes]:
        return self._open_output(filename)
