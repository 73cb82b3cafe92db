"""Reporting duties: "Báo cáo Quý (trước ngày 15 tháng cuối quý)", "6 tháng (trước 15/6)",
"hằng năm (trước 15/12)", one-off "trước ngày 03/7/2024", sơ kết / tổng kết."""

from __future__ import annotations

import re

from agencies.matching import AgencyMatcher
from plans.extractor.dates import safe_date
from plans.extractor.structure import Node

_QUARTERLY = re.compile(
    r"(?:báo\s+cáo|định\s+kỳ)\s+(?:định\s+kỳ\s+)?(?:hằng\s+|hàng\s+|mỗi\s+|theo\s+)?quý\b|"
    r"(?:hằng|hàng|mỗi)\s+quý\b|quý\s+một\s+lần|theo\s+quý\b",
    re.IGNORECASE,
)
_SEMIANNUAL = re.compile(
    r"(?:báo\s+cáo|định\s+kỳ)\s+(?:sơ\s+kết\s+)?(?:06|6|sáu)\s+tháng\b|(?:06|6|sáu)\s+tháng\s+(?:một\s+lần|đầu\s+năm)",
    re.IGNORECASE,
)
_ANNUAL = re.compile(r"báo\s+cáo\s+(?:tổng\s+kết\s+)?(?:hằng\s+năm|hàng\s+năm|cả\s+năm|năm)\b(?!\s+(?:19|20)\d\d)",
                     re.IGNORECASE)
_YEARLY_WORD = re.compile(r"(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+năm\b", re.IGNORECASE)
_REPORT = re.compile(r"báo\s+cáo", re.IGNORECASE)
_MIDTERM = re.compile(r"\bsơ\s+kết\b", re.IGNORECASE)
_FINAL = re.compile(r"\btổng\s+kết\b", re.IGNORECASE)
_QUARTER_DAY = re.compile(r"ngày\s+(\d{1,2})\s+(?:của\s+)?tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+|hằng\s+|hàng\s+)?quý",
                          re.IGNORECASE)
_QUARTER_DATES = re.compile(r"(\d{1,2})\s*/\s*(3|03)\s*[,;]\s*(\d{1,2})\s*/\s*(6|06)\s*[,;]\s*(\d{1,2})\s*/\s*(9|09)"
                            r"\s*(?:[,;]|và)\s*(\d{1,2})\s*/\s*12")
_DAY_MONTH = re.compile(r"(?:trước|chậm\s+nhất|trước\s+ngày|ngày)\s*(?:ngày\s+)?(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\b",
                        re.IGNORECASE)
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
            if top.kind == "R" and _PAST_SECTION.match(top.text):
                continue
            for node in top.walk():
                if node.text:
                    duties.extend(self._from_text(node.text))
        return _dedupe(duties)

    def _recipients(self, sentence: str) -> list[str]:
        mentions = []
        for m in self._mentions(sentence):
            mentions.append(m)
        out: list[str] = []
        for i, (start, end, name) in enumerate(mentions):
            before = sentence[max(0, start - 30):start]
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
        if not re.search(r"báo\s+cáo|sơ\s+kết|tổng\s+kết|gửi", text, re.IGNORECASE):
            return []
        duties: list[dict] = []
        for sentence in _sentences(text):
            has_report = bool(_REPORT.search(sentence))
            recipients = self._recipients(sentence) if has_report or "gửi" in sentence.lower() else []
            to_list: list[str | None] = recipients or [None]
            periodic_spans: list[tuple[int, int]] = []
            if has_report:
                for m in _QUARTERLY.finditer(sentence):
                    tail = sentence[m.end():m.end() + 120]
                    qd = _QUARTER_DAY.search(tail)
                    qs = _QUARTER_DATES.search(tail)
                    due = None
                    if qd:
                        due = f"{int(qd.group(1))} of last month of quarter"
                    elif qs and len({qs.group(1), qs.group(3), qs.group(5), qs.group(7)}) == 1:
                        due = f"{int(qs.group(1))} of last month of quarter"
                    duties.extend({"frequency": "quarterly", "due": due, "to": t} for t in to_list)
                    periodic_spans.append((m.start(), m.end() + 120))
                    break
                for m in _SEMIANNUAL.finditer(sentence):
                    due = self._day_month(sentence[m.end():m.end() + 60])
                    duties.extend({"frequency": "semiannual", "due": due, "to": t} for t in to_list)
                    periodic_spans.append((m.start(), m.end() + (60 if due else 0)))
                    break
                annual = _ANNUAL.search(sentence)
                if annual is None:
                    for ym in _YEARLY_WORD.finditer(sentence):
                        if self._near_report(sentence, ym.start(), ym.end()):
                            annual = ym
                            break
                if annual is not None:
                    due = self._day_month(sentence[annual.end():annual.end() + 60])
                    duties.extend({"frequency": "annual", "due": due, "to": t} for t in to_list)
                    periodic_spans.append((annual.start(), annual.end() + (60 if due else 0)))
            for cs, ce in _clauses(sentence):
                clause = sentence[cs:ce]
                if not re.search(r"báo\s+cáo|gửi", clause, re.IGNORECASE):
                    continue
                for om in _ONCE.finditer(clause):
                    at = cs + om.start()
                    if any(a <= at < b for a, b in periodic_spans):
                        continue
                    before = clause[:om.start()]
                    if not re.search(r"báo\s+cáo|gửi", before, re.IGNORECASE):
                        continue
                    if om.group(3):
                        d = safe_date(int(om.group(3)), int(om.group(2)), int(om.group(1)))
                    else:
                        d = safe_date(int(om.group(6)), int(om.group(5)), int(om.group(4)))
                    if d:
                        clause_to = self._recipients(clause) or recipients
                        duties.extend({"frequency": "once", "due": d.isoformat(), "to": t}
                                      for t in (clause_to or [None]))
                    break
            if _MIDTERM.search(sentence):
                duties.append({"frequency": "midterm", "due": None, "to": None})
            if _FINAL.search(sentence):
                duties.append({"frequency": "final", "due": None, "to": None})
        return duties

    @staticmethod
    def _near_report(sentence: str, start: int, end: int) -> bool:
        """Whether "hằng năm" qualifies a "báo cáo" a few words away, in the same phrase."""
        window_after = sentence[end:end + 60]
        m = re.search(r"báo\s+cáo", window_after, re.IGNORECASE)
        if m and not re.search(r"[,;:.]", window_after[:m.start()]) and len(window_after[:m.start()].split()) <= 6:
            return True
        window_before = sentence[max(0, start - 40):start]
        m = list(re.finditer(r"báo\s+cáo", window_before, re.IGNORECASE))
        if m and not re.search(r"[,;:.]", window_before[m[-1].end():]) and \
                len(window_before[m[-1].end():].split()) <= 4:
            return True
        return False

    @staticmethod
    def _day_month(text: str) -> str | None:
        """The first "(trước) ngày D/M" in text, as a yearly day "--MM-DD"."""
        cut = re.search(r";|\bbáo\s+cáo\b", text, re.IGNORECASE)
        if cut:
            text = text[:cut.start()]
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
