"""The plan's identity (number, date, place, title, period) and the documents its preamble cites."""

from __future__ import annotations

import re

from plans.extractor.dates import safe_date
from plans.extractor.structure import Document
from plans.extractor.text import clean_line

_NUMBER = re.compile(r"(?<![\w])Số\s*[:.]?\s*(?P<num>[0-9A-Za-z.\-]*\s*/\s*[0-9A-Za-zĐđ&\-/.]+)", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"(?P<place>[^\n,;]{2,60}?)\s*,\s*ngày\s*(?P<d>[0-9]{0,2})[\s.…_]*tháng\s*(?P<m>[0-9]{0,2})[\s.…_]*"
    r"năm\s*(?P<y>(?:19|20)\d{2})",
    re.IGNORECASE,
)
_TITLE_YEAR_RANGE = re.compile(r"(?:giai\s+đoạn|năm)\s+((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})", re.IGNORECASE)
_TITLE_SINGLE_YEAR = re.compile(r"(?<!đến )(?<!đến hết )năm\s+((?:19|20)\d{2})\s*$", re.IGNORECASE)
_SCOPE_RANGE = re.compile(
    r"(?:từ\s+(?:năm\s+)?|giai\s+đoạn\s+)((?:19|20)\d{2})\s*(?:[-–—]|đến(?:\s+hết)?(?:\s+năm)?)\s*((?:19|20)\d{2})",
    re.IGNORECASE,
)
_UNTIL_YEAR = re.compile(r"đến\s+(?:hết\s+)?năm\s+((?:19|20)\d{2})", re.IGNORECASE)

_KINDS = (
    "Nghị quyết liên tịch",
    "Nghị quyết",
    "Quyết định",
    "Kế hoạch liên tịch",
    "Kế hoạch",
    "Chỉ thị",
    "Kết luận",
    "Văn bản",
    "Công văn",
    "Công điện",
    "Chương trình hành động",
    "Chương trình phối hợp",
    "Chương trình",
    "Thông tư liên tịch",
    "Thông tư",
    "Nghị định",
    "Hướng dẫn",
    "Thông báo",
    "Đề án",
    "Luật",
    "Quy chế",
    "Quy định",
    "Điện",
)
_KIND_RE = "|".join(re.escape(k) for k in _KINDS)
_CITATION = re.compile(
    rf"(?P<kind>{_KIND_RE})\s+(?:số\s*:?\s*)?(?P<num>\d+[0-9A-Za-zĐđ\-–.]*\s*/\s*[0-9A-Za-zĐđ&\-–/.]*[0-9A-Za-zĐđ])"
    rf"(?:\s*,?\s*ngày\s+(?:(?P<d>\d{{1,2}})\s*[/\-.]\s*(?P<m>\d{{1,2}})\s*[/\-.]\s*(?P<y>(?:19|20)\d{{2}})|"
    rf"(?P<d2>\d{{1,2}})\s+tháng\s+(?P<m2>\d{{1,2}})\s+năm\s+(?P<y2>(?:19|20)\d{{2}})))?",
    re.IGNORECASE,
)
_KIND_CANON = {"công văn": "Văn bản", "điện": "Công điện"}


def normalise_number(num: str) -> str:
    """A document number as printed, spaces removed, with "QH-15" style typos mended."""
    n = re.sub(r"\s+", "", num).strip(".,;:-–")
    n = n.replace("–", "-")
    return re.sub(r"(/[A-ZĐ]+)-(\d+)$", r"\1\2", n)


def extract_meta(lines: list[str], doc: Document) -> dict:
    header = [clean_line(ln[:400]) for ln in lines[: _header_end(lines, doc)]]
    header_text = "\n".join(header)
    number = None
    m = _NUMBER.search(header_text)
    if m:
        num = normalise_number(m.group("num"))
        if num and num[0].isalnum() and not num.startswith("/"):
            number = num
    date_iso = None
    place = None
    for line in header:
        dm = _DATE_LINE.search(line)
        if dm:
            place = _clean_place(dm.group("place"))
            if dm.group("d") and dm.group("m"):
                d = safe_date(int(dm.group("y")), int(dm.group("m")), int(dm.group("d")))
                date_iso = d.isoformat() if d else None
            break
    title = " ".join(" ".join(p.body.split()) for p in doc.title_paras).strip() or None
    if title:
        title = title.strip(" *")
    return {
        "number": number,
        "date": date_iso,
        "place": place,
        "title": title,
        "period": _period(title or "", doc, date_iso),
    }


def _header_end(lines: list[str], doc: Document) -> int:
    if doc.title_paras or doc.header_end:
        first_line = doc.paras[doc.header_end].line if doc.paras else 0
        return max(first_line + 1, 1)
    return min(len(lines), 20)


def _clean_place(raw: str) -> str | None:
    place = re.split(r"\s{2,}|\t|\|", raw.strip())[-1]
    place = re.sub(r"^.*?(?:KH-UBND|-UBND|UBND)\S*\s*", "", place).strip(" ,.:;*")
    place = re.sub(r"^(?:Số\s*:?\s*\S*\s+)", "", place).strip()
    if not place or len(place) > 40 or re.search(r"\d", place):
        return None
    return place


def _period(title: str, doc: Document, date_iso: str | None) -> dict | None:
    m = _TITLE_YEAR_RANGE.search(title)
    if m:
        return {"start": int(m.group(1)), "end": int(m.group(2))}
    m = _TITLE_SINGLE_YEAR.search(title.rstrip(" .*"))
    if m:
        y = int(m.group(1))
        return {"start": y, "end": y}
    scope_text = (
        " ".join(p.body for p in doc.preamble)
        + " "
        + " ".join(p.body for p in doc.body[:400] if re.search(r"thời\s+gian|phạm\s+vi|giai\s+đoạn", p.body, re.I))
    )
    for p in doc.body[:400]:
        if re.match(r"(?:thời\s+gian(?:\s+thực\s+hiện)?)\s*:", p.body, re.IGNORECASE) or re.search(
            r"thời\s+gian\s+thực\s+hiện\s*:", p.body, re.IGNORECASE
        ):
            m = _SCOPE_RANGE.search(p.body)
            if m:
                return {"start": int(m.group(1)), "end": int(m.group(2))}
            years = re.findall(r"năm\s+((?:19|20)\d{2})", p.body)
            if len(years) == 1:
                return {"start": int(years[0]), "end": int(years[0])}
    m = _UNTIL_YEAR.search(title)
    if m:
        end = int(m.group(1))
        start = int(date_iso[:4]) if date_iso else None
        if start is None:
            sm = _SCOPE_RANGE.search(scope_text)
            if sm and int(sm.group(2)) == end:
                start = int(sm.group(1))
        if start is not None and start <= end:
            return {"start": start, "end": end}
        return {"start": None, "end": end}
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", title)]
    if len(years) == 1:
        return {"start": years[0], "end": years[0]}
    return None


def extract_basis(doc: Document) -> list[dict]:
    """Every numbered document cited in the preamble."""
    text = " ".join(p.body for p in doc.preamble)
    out: list[dict] = []
    seen: set[str] = set()
    for m in _CITATION.finditer(text):
        num = normalise_number(m.group("num"))
        if "/" not in num:
            continue
        key = num.casefold()
        if key in seen:
            continue
        seen.add(key)
        kind = m.group("kind")
        kind = _KIND_CANON.get(kind.lower(), kind[:1].upper() + kind[1:])
        d = None
        if m.group("y"):
            d = safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        elif m.group("y2"):
            d = safe_date(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
        out.append({"kind": kind, "number": num, "date": d.isoformat() if d else None})
    return out
