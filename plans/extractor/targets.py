"""Numeric targets (chỉ tiêu): "ít nhất 50% số xã, phường không có ma túy" by 2030, "01 mô hình"."""

from __future__ import annotations

import re

from core.vn import parse_number
from plans.extractor.structure import Node

_NUMBER_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_PERCENT = re.compile(r"(?<![\d/.,])(?P<num>\d{1,3}(?:[.,]\d{1,2})?)\s*(?:%|phần\s+trăm)", re.IGNORECASE)
_COUNT_UNITS = (
    "mô hình",
    "lớp",
    "cuộc",
    "buổi",
    "đợt",
    "lượt",
    "hội nghị",
    "hội thi",
    "chuyên đề",
    "chuyên mục",
    "phóng sự",
    "tin bài",
    "tin, bài",
    "bài viết",
    "câu lạc bộ",
    "điểm",
    "đội",
    "trạm",
    "cơ sở",
    "xã",
    "phường",
    "học viên",
    "tình nguyện viên",
    "đoàn kiểm tra",
    "tiểu phẩm",
    "pano",
    "tờ rơi",
    "phiên tòa",
    "phiên toà",
    "lớp tập huấn",
    "hội nghị",
    "buổi",
    "cuộc thi",
    "đợt cao điểm",
    "đường dây",
    "chuyên án",
    "tụ điểm",
    "ổ nhóm",
)
_COUNT = re.compile(
    r"(?<![\w/.,])(?P<num>\d{1,4}|"
    + "|".join(_NUMBER_WORDS)
    + r")\s+(?P<unit>"
    + "|".join(re.escape(u) for u in sorted(_COUNT_UNITS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_COMPARATORS = (
    (re.compile(r"tăng(?:\s+thêm)?(?:\s+(?:từ|ít\s+nhất|tối\s+thiểu|trên|tối\s+đa))?\s*$", re.I), "increase"),
    (re.compile(r"giảm(?:\s+thêm)?(?:\s+(?:từ|ít\s+nhất|tối\s+thiểu|trên|tối\s+đa))?\s*$", re.I), "decrease"),
    (
        re.compile(
            r"(?:ít\s+nhất|tối\s+thiểu|không\s+dưới|không\s+thấp\s+hơn|đạt\s+(?:ít\s+nhất|tối\s+thiểu))\s*$", re.I
        ),
        ">=",
    ),
    (re.compile(r"(?:trên|hơn|vượt|đạt\s+trên)\s*$", re.I), ">"),
    (re.compile(r"(?:tối\s+đa|không\s+quá|không\s+vượt\s+quá|không\s+vượt)\s*$", re.I), "<="),
    (re.compile(r"(?:dưới|thấp\s+hơn)\s*$", re.I), "<"),
    (re.compile(r"tăng(?:\s+thêm)?(?:\s+(?:từ|ít\s+nhất|tối\s+thiểu|trên))?\s*$", re.I), "increase"),
    (re.compile(r"giảm(?:\s+thêm)?(?:\s+(?:từ|ít\s+nhất|tối\s+thiểu|trên))?\s*$", re.I), "decrease"),
    (re.compile(r"đạt\s*$", re.I), ">="),
)
_BUILD_VERB = re.compile(
    r"(?:xây\s+dựng|thí\s+điểm|tổ\s+chức|thành\s+lập|mở|duy\s+trì|vận\s+hành|ra\s+mắt|phát\s+hành|"
    r"sản\s+xuất|nhân\s+rộng|triển\s+khai)(?:\s+\w+){0,2}\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"(?<!Luật )(?<!so với )(?<!so với cùng kỳ )(?:(?:trong|đến|vào|cuối|hết|đến\s+cuối|đến\s+hết|của)\s+)?năm\s+((?:19|20)\d{2})\b",
    re.I,
)
_PAST = re.compile(r"so\s+với\s+cùng\s+kỳ|đã\s+(?:phát\s+hiện|bắt|xử\s+lý|tổ\s+chức|đạt)|\bchiếm\b|ước\s+đạt", re.I)
_PAST_SECTION = re.compile(r"^(?:TÌNH\s+HÌNH|KẾT\s+QUẢ|ĐÁNH\s+GIÁ|THỰC\s+TRẠNG)", re.IGNORECASE)
# "phấn đấu … tăng ít nhất 10% so với cùng kỳ": a change aimed at, not a past figure.
_AIMED_CHANGE = re.compile(r"phấn\s+đấu[^;]*\b(?:tăng|giảm)\b[^;]*so\s+với\s+cùng\s+kỳ", re.I)
_WORD = re.compile(r"\w+")
_ORDINAL = re.compile(r"(?:số|điều|khoản|loại|nhóm|cấp|tháng|ngày|mục|phụ\s+lục|dự\s+án)\s*$", re.I)
_ANY_NUMBER = re.compile(r"\d|một|hai|ba|bốn|sáu|bảy|tám|chín|mười", re.I)
_AIM = re.compile(r"(?:phấn\s+đấu|đảm\s+bảo|bảo\s+đảm)[^;]*$", re.I)
_QUALIFIER = re.compile(
    r"(?:ít\s+nhất|tối\s+thiểu|không\s+dưới|không\s+quá|tối\s+đa|trên|dưới|"
    r"tăng(?:\s+thêm)?(?:\s+từ)?|giảm(?:\s+thêm)?(?:\s+từ)?|đạt)\s*$",
    re.I,
)


def _comparator(before: str) -> str:
    for pattern, comp in _COMPARATORS:
        if pattern.search(before):
            return comp
    return "="


def _segments(text: str) -> list[tuple[int, int]]:
    """Clause spans (split on ";" and sentence ends)."""
    spans = []
    start = 0
    for m in re.finditer(r";|\.\s+(?=[A-ZĐÀ-Ỹ])|\.$", text):
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _heading_year(node: Node) -> int | None:
    for anc in [node, *node.ancestors()[::-1]]:
        # A heading ("II. CHỈ TIÊU NĂM 2025") or a numbered lead-in ("2. Chỉ tiêu năm 2026:").
        if anc.kind != "T" and (anc.heading or anc.text.rstrip().endswith(":")):
            m = re.search(
                r"(?:đến|trong|cuối)\s+năm\s+((?:19|20)\d{2})|năm\s+((?:19|20)\d{2})\s*:?\s*$", anc.text, re.I
            )
            if m:
                return int(m.group(1) or m.group(2))
    return None


def _object_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)][:8]


def _same_object(a: str, b: str) -> bool:
    wa, wb = _object_words(a), _object_words(b)
    if not wa or not wb:
        return False
    common = sum(1 for w in set(wa) if w in wb)
    return common / min(len(set(wa)), len(set(wb))) >= 0.6


def extract_targets(root: Node) -> list[dict]:
    found: list[tuple[dict, str, str]] = []  # (target, object text, top section label)
    for top in root.children:
        if top.kind in ("R", "A") and _PAST_SECTION.match(top.text):
            continue
        top_label = top.label if top.kind == "R" else ""
        for node in top.walk():
            if not node.text or not _ANY_NUMBER.search(node.text):
                continue
            for target, obj in _node_targets(node):
                found.append((target, obj, top_label))
    # A target restated in a later part of the plan (a task repeating the chỉ tiêu) counts once.
    out: list[dict] = []
    kept: dict[tuple, list[tuple[str, str]]] = {}
    for target, obj, section in found:
        key = (target["comparator"], target["value"], target["unit"])
        bucket = kept.setdefault(key, [])
        if any(other_section != section and _same_object(obj, other_obj) for other_obj, other_section in bucket[:50]):
            continue
        bucket.append((obj, section))
        out.append(target)
    return out


def _node_targets(node: Node) -> list[tuple[dict, str]]:
    text = node.text
    results: list[tuple[dict, str]] = []
    for s, e in _segments(text):
        clause = text[s:e]
        if _PAST.search(clause) and not _AIMED_CHANGE.search(clause):
            continue
        hits: list[tuple[int, int, float, str, str]] = []  # start, end, value, unit, comparator
        for m in _PERCENT.finditer(clause):
            before = clause[max(0, m.start() - 30) : m.start()]
            value = float(parse_number(m.group("num")) or 0)  # "12,5" and "12.5": both 12.5
            hits.append((m.start(), m.end(), value, "%", _comparator(before)))
        for m in _COUNT.finditer(clause):
            before = clause[max(0, m.start() - 40) : m.start()]
            if _ORDINAL.search(before):
                continue
            raw = m.group("num").lower()
            comp = _comparator(before)
            if raw.isdigit():
                if not (comp != "=" or raw.startswith("0") or _BUILD_VERB.search(before)):
                    continue
                value = float(raw)
            else:
                if comp == "=":
                    continue
                value = float(_NUMBER_WORDS[raw])
            unit = " ".join(m.group("unit").lower().split())
            hits.append((m.start(), m.end(), value, unit, comp))
        hits.sort()
        for i, (start, end, value, unit, comp) in enumerate(hits):
            nxt = hits[i + 1][0] if i + 1 < len(hits) else len(clause)
            prev_end = hits[i - 1][1] if i else 0
            year = None
            after = clause[end:nxt]
            ym = _YEAR.search(after)
            if ym:
                year = int(ym.group(1))
            else:
                years = list(_YEAR.finditer(clause[prev_end:start]))
                if years:
                    year = int(years[-1].group(1))
            if year is None:
                year = _heading_year(node)
            # The target's words: from a leading "phấn đấu"/comparator to the next target.
            lead = clause[prev_end:start]
            lm = _AIM.search(lead)
            cm = _QUALIFIER.search(lead)
            t_start = prev_end + (lm.start() if lm else cm.start() if cm else len(lead))
            t_text = clause[t_start:nxt].strip(" ,;.")
            t_text = re.sub(r"\s+và$", "", t_text)
            value_out: float | int = int(value) if value == int(value) else value
            results.append(
                (
                    {
                        "text": " ".join(t_text.split()),
                        "comparator": comp,
                        "value": value_out,
                        "unit": unit,
                        "year": year,
                    },
                    clause[end:nxt],
                )
            )
    return results
