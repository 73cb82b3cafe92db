"""One task's attributes: role, programme projects, condition, deadline."""

from __future__ import annotations

import bisect
import re
from datetime import date

from plans.extractor.dates import find_deadline
from plans.extractor.tables import META

_FOLD_ROLE = re.compile(r"\s+")

# Openers that frame the task before its verb ("Theo chức năng, nhiệm vụ chủ trì …").
_FRAME = re.compile(
    r"^(?:theo|căn\s+cứ(?:\s+vào)?|trên\s+cơ\s+sở)\s+(?:chức\s+năng|nhiệm\s+vụ)"
    r"(?:\s*,\s*|\s+và\s+|\s+)?(?:nhiệm\s+vụ|chức\s+năng)?(?:\s+được\s+giao)?(?:\s*,\s*|\s+)",
    re.IGNORECASE,
)
_OPENER = re.compile(
    r"^(?:căn\s+cứ|trên\s+cơ\s+sở|trong\s+phạm\s+vi|tùy\s+theo|tuỳ\s+theo|thông\s+qua|để)\b", re.IGNORECASE
)
_VERBS_BEFORE = re.compile(
    r"\b(?:chủ\s+động|tổ\s+chức|xây\s+dựng|triển\s+khai|thực\s+hiện|chỉ\s+đạo|tham\s+mưu|tăng\s+cường|"
    r"hướng\s+dẫn|kiểm\s+tra)\b",
    re.IGNORECASE,
)
_GIVEN = re.compile(r"^giao\s+[^,;:.()]{2,120}?\s(chủ\s+trì|phối\s+hợp)\b", re.IGNORECASE)
_COMMAND = re.compile(r"^(?:giao|đề\s+nghị|yêu\s+cầu)\s+", re.IGNORECASE)

_PROJECT = re.compile(r"(?P<kind>tiểu\s+dự\s+án|dự\s+án)\s+(?:số\s+)?(?P<n>\d{1,2})\b(?!\s*[/%]|\.\d)", re.IGNORECASE)
_MORE = re.compile(r"\s*(?:,|;|và|&)\s*(?P<n>\d{1,2})\b(?!\s*[/%]|\.\d)")
_PLURAL_TDA = re.compile(r"các\s+tiểu\s+dự\s+án\s+(?:thành\s+phần\s+)?thuộc\s+dự\s+án\s+(?P<n>\d)\b", re.IGNORECASE)
_CONDITION = re.compile(r"\b(sau\s+khi\s+[^.;()]{5,200})", re.IGNORECASE)
_CONDITION_END = re.compile(
    r",\s*(?:hoàn\s+thành|trước\s+ngày|chậm\s+nhất|xong\s+trước|thời\s+(?:gian|hạn))\b", re.IGNORECASE
)


def role_of(text: str) -> str:
    """lead ("Chủ trì …"), cooperate ("Phối hợp …") or perform, from how the task opens."""
    t = text.strip().lstrip("-+•*:").strip()
    given = _GIVEN.match(t)
    if given:  # "Giao Sở Nội vụ chủ trì, …"
        return "lead" if given.group(1).lower().startswith("chủ") else "cooperate"
    t = _COMMAND.sub("", t)
    t = _FRAME.sub("", t)
    if _OPENER.match(t):
        clause = re.split(r"[.;]", t, maxsplit=1)[0]
        m = re.search(r",\s*(chủ\s+trì|phối\s+hợp)\b", clause, re.IGNORECASE)
        if m and not _VERBS_BEFORE.search(clause[: m.start()]):
            t = clause[m.start() + 1 :].strip()
    low = t.lower()
    if re.match(r"(?:là\s+cơ\s+quan\s+)?chủ\s+trì\b|giao\s+.{0,120}?\bchủ\s+trì\b", low):
        return "lead"
    if re.match(r"(?:chủ\s+động\s+)?phối\s+hợp\b", low):
        return "cooperate"
    return "perform"


def projects_of(text: str) -> list[str]:
    """The programme projects a task names: DA1 … DA9, DA7.2 for "Tiểu dự án 2 thuộc Dự án 7"."""
    if "dự án" not in text.lower():
        return []
    mentions: list[tuple[int, str, list[int], int]] = []  # (start, kind, numbers, end)
    for m in _PROJECT.finditer(text):
        kind = "TDA" if m.group("kind").lower().startswith("tiểu") else "DA"
        numbers = [int(m.group("n"))]
        end = m.end()
        while True:  # "Dự án 1, 2, 4, 5 và 9"
            more = _MORE.match(text, end)
            if not more:
                break
            numbers.append(int(more.group("n")))
            end = more.end()
        mentions.append((m.start(), kind, numbers, end))
    contexts = [(m.start(), int(m.group("n"))) for m in _PLURAL_TDA.finditer(text)]
    context_starts = [s for s, _ in contexts]
    out: list[str] = []
    used_parents: set[int] = set()
    for idx, (start, kind, numbers, end) in enumerate(mentions):
        if kind != "TDA":
            continue
        parent = None
        # "Tiểu dự án 2 thuộc Dự án 7", possibly with the sub-project's title in between.
        for j in range(idx + 1, len(mentions)):
            s2, k2, n2, _ = mentions[j]
            if k2 == "TDA":
                break
            between = text[end:s2]
            if re.search(r"thuộc\s*$", between, re.IGNORECASE) and s2 - end < 400:
                parent = n2[0]
                used_parents.add(j)
            break
        if parent is None:
            k = bisect.bisect_left(context_starts, start)
            if k:
                parent = contexts[k - 1][1]
        if parent is None:
            continue
        for k in numbers:
            if 1 <= parent <= 9 and 1 <= k <= 9:
                out.append(f"DA{parent}.{k}")
    context_parents = {n for _, n in contexts} if any(k == "TDA" for _, k, _, _ in mentions) else set()
    for idx, (start, kind, numbers, _) in enumerate(mentions):
        if kind != "DA" or idx in used_parents:
            continue
        k = bisect.bisect_right(context_starts, start)
        if numbers[0] in context_parents and k and start < context_starts[k - 1] + 80:
            continue
        for n in numbers:
            if 1 <= n <= 9:
                out.append(f"DA{n}")
    return list(dict.fromkeys(out))


def condition_of(text: str) -> str | None:
    """A stated precondition ("sau khi Bộ Y tế có hướng dẫn thực hiện"), or None."""
    m = _CONDITION.search(text)
    if not m:
        return None
    cond = m.group(1)
    # The clause may go on with the task's own time frame: "sau khi … có hướng dẫn, hoàn thành trong …".
    cut = _CONDITION_END.search(cond)
    if cut:
        cond = cond[: cut.start()]
    cond = cond.strip().rstrip(",: ")
    return " ".join(cond.split())


def make_task(
    text: str,
    *,
    role_text: str | None = None,
    default_year: int | None = None,
    inherited_deadline: date | None = None,
    role: str | None = None,
) -> dict:
    """A task dict in the plan-extract/1 shape."""
    text = " ".join(text.split())
    # Dates are read from the predicate when the subject was stripped: "Các sở … báo cáo kết quả
    # về Công an tỉnh trước ngày …" is a report's due date, not a deadline.
    deadline = find_deadline(role_text if role_text else text, default_year) or inherited_deadline
    if META in text:
        text = " ".join(part.split(")", 1)[-1] if i else part for i, part in enumerate(text.split(META))).strip()
        text = " ".join(text.split())
    return {
        "text": text,
        "role": role or role_of(role_text if role_text is not None else text),
        "projects": projects_of(text),
        "deadline": deadline.isoformat() if deadline else None,
        "condition": condition_of(text),
    }
