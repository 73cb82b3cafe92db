"""Reporting duties: "Báo cáo Quý (trước ngày 15 tháng cuối quý)", "6 tháng (trước 15/6)",
"hằng năm (trước 15/12)", one-off "trước ngày 03/7/2024", sơ kết / tổng kết."""

from __future__ import annotations

import re

from agencies.matching import AgencyMatcher
from plans.extractor.dates import safe_date
from plans.extractor.structure import Node

# Words that may stand between "báo cáo" and the period: "báo cáo kết quả (thực hiện) 6 tháng".
_FILLER = r"(?:(?:kết\s+quả|tình\s+hình)(?:\s+thực\s+hiện)?\s+)?"
_QUARTERLY = re.compile(
    r"(?:báo\s+cáo|định\s+kỳ)\s+" + _FILLER + r"(?:định\s+kỳ\s+)?(?:hằng\s+|hàng\s+|mỗi\s+|theo\s+)?quý\b|"
    r"(?:hằng|hàng|mỗi)\s+quý\b|quý\s+một\s+lần|theo\s+quý\b",
    re.IGNORECASE,
)
_SEMIANNUAL = re.compile(
    r"(?:báo\s+cáo|định\s+kỳ)\s+"
    + _FILLER
    + r"(?:sơ\s+kết\s+)?(?:06|6|sáu)\s+tháng\b|(?:06|6|sáu)\s+tháng\s+(?:một\s+lần|đầu\s+năm)",
    re.IGNORECASE,
)
_ANNUAL = re.compile(
    r"báo\s+cáo\s+" + _FILLER + r"(?:tổng\s+kết\s+)?(?:hằng\s+năm|hàng\s+năm|cả\s+năm|năm)\b(?!\s+(?:19|20)\d\d)",
    re.IGNORECASE,
)
_DAY_EVERY_YEAR = re.compile(
    r"(?:trước|chậm\s+nhất|vào)\s*(?:ngày\s*)?(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s+(?:của\s+)?(?:hằng|hàng|mỗi)\s+năm\b",
    re.IGNORECASE,
)
_YEARLY_WORD = re.compile(r"(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+năm\b", re.IGNORECASE)
_REPORT = re.compile(r"báo\s+cáo", re.IGNORECASE)
_ANY_DUTY = re.compile(r"báo\s+cáo|sơ\s+kết|tổng\s+kết|gửi", re.IGNORECASE)
_PERIOD = (
    r"(?:hằng\s+|hàng\s+)?(?:quý|06\s+tháng|6\s+tháng|sáu\s+tháng|năm)(?!\s+(?:19|20)\d\d)"
    r"(?:\s*\([^()]{0,60}\))?"
)
# "báo cáo định kỳ quý, 6 tháng, năm", "định kỳ 6 tháng (trước ngày 10/6) và hằng năm (trước ngày 10/12)"
_PERIOD_LIST = re.compile(
    rf"(?:báo\s+cáo|định\s+kỳ)(?:\s+(?:kết\s+quả|tình\s+hình)(?:\s+thực\s+hiện)?)?(?:\s+định\s+kỳ)?\s*(?:\(\s*)?(?:(?:hằng\s+|hàng\s+)?tháng\s*,\s*)?(?P<items>{_PERIOD}"
    rf"(?:\s*(?:,|;|/|và|hoặc)\s*{_PERIOD})+)",
    re.IGNORECASE,
)
_PERIOD_ITEM = re.compile(_PERIOD, re.IGNORECASE)
_MIDTERM = re.compile(r"\bsơ\s+kết\b", re.IGNORECASE)
_FINAL = re.compile(r"\btổng\s+kết\b", re.IGNORECASE)
_QUARTER_DAY = re.compile(
    r"ngày\s+(\d{1,2})\s+(?:của\s+)?tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+|hằng\s+|hàng\s+)?quý", re.IGNORECASE
)
_QUARTER_DATES = re.compile(
    r"(\d{1,2})\s*/\s*(3|03)\s*[,;]\s*(\d{1,2})\s*/\s*(6|06)\s*[,;]\s*(\d{1,2})\s*/\s*(9|09)"
    r"\s*(?:[,;]|và)\s*(\d{1,2})\s*/\s*12"
)
_DAY_MONTH = re.compile(
    r"(?:trước|chậm\s+nhất|trước\s+ngày|ngày)\s*(?:ngày\s+)?(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\b", re.IGNORECASE
)
_ONCE = re.compile(
    r"(?:trước|chậm\s+nhất(?:\s+(?:là|vào))?|đến\s+hết|hạn\s+chót)\s*(?:ngày\s*)?(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*"
    r"((?:19|20)\d{2})|(?:trước|chậm\s+nhất)\s+ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})",
    re.IGNORECASE,
)
_RECIPIENT_CUE = re.compile(r"(?:về|báo\s+cáo|gửi|trình|lên|cho)\s*(?:\(\s*)?$", re.IGNORECASE)
_PAST_SECTION = re.compile(r"^(?:TÌNH\s+HÌNH|KẾT\s+QUẢ|ĐÁNH\s+GIÁ|THỰC\s+TRẠNG)", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", text)
    return [p for p in parts if p.strip()]


def _clause_ends(sentence: str):
    """A function giving the end of the clause (next ";") from a position."""
    stops = [m.start() for m in re.finditer(r";", sentence)] + [len(sentence)]

    def end_from(pos: int) -> int:
        for s in stops:
            if s >= pos:
                return s
        return len(sentence)

    return end_from


def _clauses(sentence: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in re.finditer(r";", sentence):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(sentence)))
    return spans


class ReportingFinder:
    def __init__(self, matcher: AgencyMatcher) -> None:
        self.matcher = matcher

    def run(self, root: Node) -> list[dict]:
        duties: list[dict] = []
        for top in root.children:
            if top.kind in ("R", "A") and _PAST_SECTION.match(top.text):
                continue
            for node in top.walk():
                if node.text:
                    duties.extend(self._from_text(node.text))
        return _dedupe(duties)

    def _recipients(self, sentence: str) -> list[str]:
        """Who a sentence reports to: the body after "về", "báo cáo", "gửi" …, and any joined to
        it by "và" or a comma ("báo cáo HĐND tỉnh tại kỳ họp cuối năm và Chính phủ")."""
        out: list[str] = []
        last_end = 0
        for start, end, name in self._mentions(sentence):
            before = sentence[max(0, start - 30) : start]
            if not out:
                if _RECIPIENT_CUE.search(before):
                    out.append(name)
                    last_end = end
                continue
            gap = sentence[last_end:start]
            if re.search(r"[;.]", gap):
                break
            if re.search(r"(?:^|\s)(?:và|,)\s*$", gap) or re.match(r"^\s*,\s*$", gap):
                if name not in out:
                    out.append(name)
                last_end = end
            elif re.search(r"\bvề\s+kết\s+quả|\bvề\s+tình\s+hình", gap):
                break
        return out

    def _mentions(self, text: str) -> list[tuple[int, int, str]]:
        return [(start, end, m.name) for start, end, m in self.matcher.find_spans(text)]

    def _from_text(self, text: str) -> list[dict]:
        if not _ANY_DUTY.search(text):
            return []
        duties: list[dict] = []
        for sentence in _sentences(text):
            has_report = bool(_REPORT.search(sentence))
            periodic: list[tuple[str, str | None]] = []  # (frequency, due) before recipients
            periodic_spans: list[tuple[int, int]] = []
            clause_end = _clause_ends(sentence)
            if has_report:
                for lm in _PERIOD_LIST.finditer(sentence):
                    for im in _PERIOD_ITEM.finditer(lm.group("items")):
                        item = im.group(0)
                        word = item.split("(")[0].lower()
                        freq = "quarterly" if "quý" in word else "semiannual" if "tháng" in word else "annual"
                        due = None
                        if "(" in item:
                            inner = item[item.index("(") :]
                            if freq == "quarterly":
                                qd = _QUARTER_DAY.search(inner)
                                due = f"{int(qd.group(1))} of last month of quarter" if qd else None
                            else:
                                due = self._day_month(inner)
                        periodic.append((freq, due))
                    periodic_spans.append((lm.start(), lm.end()))
                for m in _QUARTERLY.finditer(sentence):
                    tail = sentence[m.end() : m.end() + 120]
                    qd = _QUARTER_DAY.search(tail)
                    qs = _QUARTER_DATES.search(tail)
                    due = None
                    if qd:
                        due = f"{int(qd.group(1))} of last month of quarter"
                    elif qs and len({qs.group(1), qs.group(3), qs.group(5), qs.group(7)}) == 1:
                        due = f"{int(qs.group(1))} of last month of quarter"
                    periodic.append(("quarterly", due))
                    periodic_spans.append((m.start(), min(m.end() + 120, clause_end(m.end()))))
                    break
                for m in _SEMIANNUAL.finditer(sentence):
                    due = self._day_month(sentence[m.end() : m.end() + 60])
                    periodic.append(("semiannual", due))
                    periodic_spans.append((m.start(), m.end() + (60 if due else 0)))
                    break
                annual = _ANNUAL.search(sentence)
                every = _DAY_EVERY_YEAR.search(sentence)
                if annual is None and every is not None:
                    day, month = int(every.group(1)), int(every.group(2))
                    if 1 <= month <= 12 and 1 <= day <= 31:
                        periodic.append(("annual", f"--{month:02d}-{day:02d}"))
                        periodic_spans.append((every.start(), every.end()))
                        annual = every
                elif annual is None:
                    for ym in _YEARLY_WORD.finditer(sentence):
                        if self._near_report(sentence, ym.start(), ym.end()):
                            annual = ym
                            break
                if annual is not None and annual is not every:
                    due = self._day_month(sentence[annual.end() : annual.end() + 60])
                    periodic.append(("annual", due))
                    periodic_spans.append((annual.start(), annual.end() + (60 if due else 0)))
            recipients: list[str] | None = None
            if periodic:
                recipients = self._recipients(sentence)
                for freq, due in periodic:
                    duties.extend({"frequency": freq, "due": due, "to": t} for t in (recipients or [None]))
            for cs, ce in _clauses(sentence):
                clause = sentence[cs:ce]
                if not re.search(r"báo\s+cáo|gửi", clause, re.IGNORECASE):
                    continue
                for om in _ONCE.finditer(clause):
                    at = cs + om.start()
                    if any(a <= at < b for a, b in periodic_spans):
                        continue
                    before = clause[: om.start()]
                    if not re.search(r"báo\s+cáo|gửi", before, re.IGNORECASE):
                        continue
                    if om.group(3):
                        d = safe_date(int(om.group(3)), int(om.group(2)), int(om.group(1)))
                    else:
                        d = safe_date(int(om.group(6)), int(om.group(5)), int(om.group(4)))
                    if d:
                        if recipients is None:
                            recipients = self._recipients(sentence)
                        clause_to = self._recipients(clause) or recipients
                        duties.extend(
                            {"frequency": "once", "due": d.isoformat(), "to": t} for t in (clause_to or [None])
                        )
                    break
            if _MIDTERM.search(sentence):
                duties.append({"frequency": "midterm", "due": None, "to": None})
            if _FINAL.search(sentence):
                duties.append({"frequency": "final", "due": None, "to": None})
        return duties

    @staticmethod
    def _near_report(sentence: str, start: int, end: int) -> bool:
        """Whether "hằng năm" qualifies a "báo cáo" a few words away, in the same phrase."""
        window_after = sentence[end : end + 60]
        m = re.search(r"báo\s+cáo", window_after, re.IGNORECASE)
        if m and not re.search(r"[,;:.]", window_after[: m.start()]) and len(window_after[: m.start()].split()) <= 6:
            return True
        window_before = sentence[max(0, start - 40) : start]
        m = list(re.finditer(r"báo\s+cáo", window_before, re.IGNORECASE))
        return bool(
            m
            and not re.search(r"[,;:.]", window_before[m[-1].end() :])
            and len(window_before[m[-1].end() :].split()) <= 4
        )

    @staticmethod
    def _day_month(text: str) -> str | None:
        """The first "(trước) ngày D/M" in text, as a yearly day "--MM-DD"."""
        cut = re.search(r";|\bbáo\s+cáo\b", text, re.IGNORECASE)
        if cut:
            text = text[: cut.start()]
        m = _DAY_MONTH.search(text)
        if not m:
            return None
        day, month = int(m.group(1)), int(m.group(2))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return f"--{month:02d}-{day:02d}"


def _dedupe(duties: list[dict]) -> list[dict]:
    dated = {(d["frequency"], d["to"]) for d in duties if d["due"]}
    duties = [d for d in duties if d["due"] or (d["frequency"], d["to"]) not in dated]
    out: list[dict] = []
    seen: set[tuple] = set()
    once_per_kind = {"midterm", "final"}
    for d in duties:
        key = (d["frequency"],) if d["frequency"] in once_per_kind else (d["frequency"], d["due"], d["to"])
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
    return out
