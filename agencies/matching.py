"""Matching printed agency names against a catalogue: pure Python, no Django, no database.

Plans print the same body in many ways ("UBND các xã, phường", "Ủy ban nhân dân cấp xã",
"Sở Văn hoá, Thể thao và Du lịch"), and a heading may name several bodies at once with commas
that also occur inside names ("Sở Văn hóa, Thể thao và Du lịch; Tỉnh đoàn"). This module turns
such text into canonical catalogue names:

- `normalize(text)`: the comparison form (NFC, case- and diacritics-insensitive, no punctuation,
  no leading "Đề nghị"/"Giao"/"Chủ trì" or markdown marks).
- `AgencyMatcher`: built from catalogue entries (`CatalogueEntry`, database rows with
  ``code``/``name``/``aliases`` attributes, or plain ``(code, name, aliases)`` tuples);
  `match()`, `suggest()`, `split()`, plus the lower-level `parse_list()` and `find_all()` the
  plan extractor uses.

Matching is exact on the normalised word sequence first (longest alias wins), then tolerant
(rapidfuzz) for small spelling differences, guarded so that different bodies never merge:
numbers and roman numerals must agree ("khu vực IV" is not "khu vực XIV"), and so must the
administrative level (tỉnh / huyện / xã). A name the catalogue lacks comes back as printed,
flagged ``unknown``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

__all__ = ["PROVINCES", "AgencyMatcher", "ListParse", "Match", "normalize"]

# Provincial units before and after the 2025 merger (names as printed in plans), used to
# expand catalogue names that embed the province ("Báo {province}").
PROVINCES: tuple[str, ...] = (
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Huế",
    "Tiền Giang",
    "Hồ Chí Minh",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
)

# Abbreviations expanded before comparison, so "UBND tỉnh" equals "Ủy ban nhân dân tỉnh".
_ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "mttqvn": "mat tran to quoc viet nam",
    "ubmttq": "uy ban mat tran to quoc",
    "ubmttqvn": "uy ban mat tran to quoc viet nam",
    "tand": "toa an nhan dan",
    "vksnd": "vien kiem sat nhan dan",
    "bdbp": "bo doi bien phong",
    "ldld": "lien doan lao dong",
    "bhxh": "bao hiem xa hoi",
    "nhcsxh": "ngan hang chinh sach xa hoi",
    "ptth": "phat thanh truyen hinh",
    "ptnt": "phat trien nong thon",
    "tp": "thanh pho",
    "tw": "trung uong",
}

# Words that open a command rather than a name: "Đề nghị Viện kiểm sát …", "Giao Công an tỉnh …".
_LEADING_WORDS = (
    ("de", "nghi"),
    ("giao",),
    ("chu", "tri"),
    ("phoi", "hop", "voi"),
    ("phoi", "hop"),
    ("yeu", "cau"),
    ("kinh", "gui"),
    ("gui",),
)

# Separators between names in a list; "và" and "," are ambiguous (they occur inside names), so
# the parser only splits on them where the catalogue cannot extend the current name.
_HARD = {";", ":"}
_SOFT_PUNCT = {",", "-", "–", "(", ")", ".", "/", '"', "“", "”", "'", "’", "‘", "&", "*"}

# First words of a body's name, for names the catalogue lacks ("Trung tâm Y tế huyện X"), as
# printed (lower case, with diacritics: "Sở" is a body, "Số liệu" is not). Ambiguous first words
# ("Ban hành", "Hội nghị", "Phòng, chống") need a capitalised second word.
_STARTERS_FREE = {
    ("sở",),
    ("công", "an"),
    ("ủy", "ban"),
    ("viện",),
    ("tòa", "án"),
    ("báo",),
    ("đài",),
    ("văn", "phòng"),
    ("thanh", "tra"),
    ("kho", "bạc"),
    ("ngân", "hàng"),
    ("bệnh", "viện"),
    ("bảo", "hiểm"),
    ("bộ", "chỉ", "huy"),
    ("ban", "chỉ", "huy"),
    ("bộ", "tư", "lệnh"),
    ("bộ", "đội"),
    ("cảnh", "sát"),
    ("hải", "quan"),
    ("chi", "cục"),
    ("chi", "nhánh"),
    ("liên", "đoàn"),
    ("liên", "minh"),
    ("tỉnh", "đoàn"),
    ("thành", "đoàn"),
    ("tỉnh", "ủy"),
    ("trung", "tâm"),
    ("các", "sở"),
    ("các", "cơ", "quan"),
    ("các", "đơn", "vị"),
    ("giám", "đốc"),
    ("thủ", "trưởng"),
    ("chủ", "tịch"),
    ("tổng", "công", "ty"),
    ("công", "ty"),
    ("đảng", "ủy"),
    ("mặt", "trận"),
    ("hội", "đồng", "nhân", "dân"),
    ("cục",),
    ("ubnd",),
    ("hđnd",),
    ("ủy", "ban"),
}
_STARTERS_CAPITALISED = {("ban",), ("hội",), ("phòng",), ("đoàn",), ("trường",), ("đội",), ("bộ",)}
_NOT_NAMES = {
    ("ban", "hành"),
    ("hội", "nghị"),
    ("hội", "thi"),
    ("hội", "thảo"),
    ("phòng", "chống"),
    ("phòng", "ngừa"),
    ("phòng", "tránh"),
    ("đoàn", "kiểm", "tra"),
    ("cảnh", "sát", "điều", "tra"),
    ("chủ", "tịch", "nước"),
    ("đài", "truyền", "thanh", "cơ", "sở"),
}

_ADMIN_LEVELS = {"tinh", "huyen", "xa", "phuong", "thi tran", "trung uong", "thanh pho"}
_ROMAN = re.compile(r"^(?=[IVXLC]+$)M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_MARKDOWN = re.compile(r"\*\*|__|`|^\s*#+\s*|^\s*>+\s*|(?<!\w)\*|\*(?!\w)")
_LIST_MARKER = re.compile(r"^\s*(?:[-+•–*·]\s+|\d+(?:\.\d+)*[.)]\s*|[a-zđ][.)]\s+|[IVXLC]+[.)]\s+)")


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """One word without case or diacritics ("Đắk" -> "dak")."""
    word = word.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


def _strip_leading(words: list[str]) -> list[str]:
    changed = True
    while changed and words:
        changed = False
        for lead in _LEADING_WORDS:
            n = len(lead)
            if tuple(words[:n]) == lead and len(words) > n:
                words = words[n:]
                changed = True
                break
    return words


def normalize(text: str | None) -> str:
    """The comparison form of a name: NFC, casefolded, without diacritics or punctuation.

    Leading list markers, markdown marks and command words ("Đề nghị", "Giao", "Chủ trì") are
    dropped: ``normalize("**Đề nghị** Sở Văn hoá, Thể thao và Du lịch")`` is
    ``"so van hoa the thao va du lich"``.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _MARKDOWN.sub(" ", text)
    text = _LIST_MARKER.sub("", text)
    words = [_fold(t) if t != "&" else "va" for t in _TOKEN.findall(text)]
    words = [w for w in words if w.isalnum() or w == "va"]
    return " ".join(_strip_leading(words))


def _key_words(text: str) -> tuple[str, ...]:
    """`normalize` plus abbreviation expansion, as a tuple of words."""
    out: list[str] = []
    for w in normalize(text).split():
        out.extend(_ABBREVIATIONS.get(w, w).split())
    return tuple(out)


@dataclass(frozen=True)
class Match:
    """One agency found in text: canonical name (or the printed name when unknown)."""

    name: str
    code: str | None
    score: float
    exact: bool
    unknown: bool = False
    text: str = ""
    requested: bool = False
    legacy: bool = False
    kind: str = ""


@dataclass(frozen=True)
class _Entry:
    code: str
    name: str
    kind: str
    requested: bool
    legacy: bool
    numbered: bool  # takes a region designator: "Chi cục Hải quan khu vực XIV"


@dataclass(slots=True)
class _Word:
    fold: str
    start: int
    end: int
    raw: str
    hard_before: bool = False  # a ";" or ":" between this word and the previous one
    punct_before: str = ""


@dataclass
class ListParse:
    """The agencies named at the start of a text and where the rest of the text begins."""

    items: list[Match] = field(default_factory=list)
    end: int = 0  # offset in the text just after the last name (and any qualifier)
    requested: bool = False  # the list (or one of its items) is introduced by "đề nghị"


@lru_cache(maxsize=65536)
def _expand(tok: str) -> tuple[str, ...]:
    if tok == "&":
        return ("va",)
    folded = _fold(tok)
    return tuple(_ABBREVIATIONS.get(folded, folded).split())


def _tokenize(text: str) -> list[_Word]:
    words: list[_Word] = []
    hard = False
    punct = ""
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok[0].isalnum() or tok == "&" or tok[0] == "_":
            folded = _expand(tok)
            for i, f in enumerate(folded):
                words.append(_Word(f, m.start(), m.end(), tok, hard if i == 0 else False, punct if i == 0 else ""))
            hard = False
            punct = ""
        else:
            if tok in _HARD:
                hard = True
            punct += tok
    return words


def _entry_fields(obj: Any) -> tuple[str, str, tuple[str, ...], str, bool, bool]:
    if isinstance(obj, (tuple, list)):
        code, name, aliases = obj[0], obj[1], obj[2] if len(obj) > 2 else ()
        return str(code), str(name), tuple(aliases or ()), "", False, False
    return (
        str(obj.code),
        str(obj.name),
        tuple(getattr(obj, "aliases", ()) or ()),
        str(getattr(obj, "kind", "") or ""),
        bool(getattr(obj, "requested", False)),
        bool(getattr(obj, "legacy", False)),
    )


class AgencyMatcher:
    """Resolves printed agency names against a catalogue.

    ``entries``: catalogue entries — `CatalogueEntry` objects (names may still contain
    ``{province}``; they are then expanded for every province), database rows with ``code``,
    ``name`` and ``aliases`` attributes, or ``(code, name, aliases)`` tuples. Without entries the
    standard catalogue is used.
    """

    def __init__(
        self, entries: Iterable[Any] | None = None, *, fuzzy_cutoff: float = 90.0, provinces: Iterable[str] = PROVINCES
    ) -> None:
        if entries is None:
            from agencies.catalogue import STANDARD_AGENCIES

            entries = STANDARD_AGENCIES
        self.fuzzy_cutoff = fuzzy_cutoff
        self._provinces = tuple(provinces)
        self._keys: dict[tuple[str, ...], tuple[_Entry, str]] = {}
        self._province_keys = {_key_words(p) for p in self._provinces}
        for obj in entries:
            code, name, aliases, kind, requested, legacy = _entry_fields(obj)
            numbered = bool(re.search(r"khu vực$|Vùng", name))
            # A name that embeds the province ("Báo {province}") stands for each province's one.
            if "{province}" in name or any("{province}" in a for a in aliases):
                variants: list[str | None] = ["tỉnh", *self._provinces]
            else:
                variants = [None]
            for province in variants:
                canon = name.format(province=province) if province else name
                entry = _Entry(code, canon, kind, requested, legacy, numbered)
                for form in (name, *aliases):
                    printed = form.format(province=province) if province else form
                    self._add(printed, entry)
        # A word trie over all names for the longest-match scan.
        self._trie: dict = {}
        for key, (entry, _printed) in self._keys.items():
            node = self._trie
            for w in key:
                node = node.setdefault(w, {})
            node[_END] = entry
        self._fuzzy_keys = list({" ".join(k) for k in self._keys})

    @classmethod
    def default(cls) -> AgencyMatcher:
        """The matcher over the standard catalogue (shared instance)."""
        global _DEFAULT
        if _DEFAULT is None:
            _DEFAULT = cls()
        return _DEFAULT

    def _add(self, printed: str, entry: _Entry) -> None:
        key = _key_words(printed)
        if not key:
            return
        if key in self._keys:
            # The first definition wins, except that a canonical name beats another's alias.
            old_entry, _ = self._keys[key]
            if _key_words(old_entry.name) == key or _key_words(entry.name) != key:
                return
        self._keys[key] = (entry, printed)

    # --- single names -----------------------------------------------------------------

    def match(self, text: str) -> Match | None:
        """The catalogue body a printed name denotes, or None when nothing is close enough."""
        cleaned = _clean_name(text)
        if not cleaned:
            return None
        key = _key_words(cleaned)
        if not key:
            return None
        hit = self._exact(key, cleaned)
        if hit:
            return hit
        # Without explanatory parts: "Công an tỉnh (Cơ quan Thường trực)", "… - Cơ quan thường trực".
        for variant in _variants(cleaned):
            hit = self._exact(_key_words(variant), variant)
            if hit:
                return Match(hit.name, hit.code, 99.0, False, False, cleaned, hit.requested, hit.legacy, hit.kind)
        words = _tokenize(cleaned)
        parsed = self._longest(words, 0)
        if parsed is not None:
            n, entry, designator = parsed
            rest = words[n + (1 if designator else 0) :]
            if not rest or self._is_qualifier(rest):
                name = f"{entry.name} {designator}" if designator else entry.name
                return Match(name, entry.code, 98.0, False, False, cleaned, entry.requested, entry.legacy, entry.kind)
        return self._fuzzy(key, cleaned)

    def _exact(self, key: tuple[str, ...], printed: str) -> Match | None:
        found = self._keys.get(key)
        if not found:
            return None
        entry, _ = found
        return Match(entry.name, entry.code, 100.0, True, False, printed, entry.requested, entry.legacy, entry.kind)

    def _fuzzy(self, key: tuple[str, ...], printed: str) -> Match | None:
        query = " ".join(key)
        best = process.extract(query, self._fuzzy_keys, scorer=fuzz.ratio, limit=5, score_cutoff=self.fuzzy_cutoff)
        for candidate, score, _ in best:
            entry, alias = self._keys[tuple(candidate.split())]
            if _compatible(query, candidate, printed, alias):
                return Match(
                    entry.name,
                    entry.code,
                    float(score),
                    False,
                    False,
                    printed,
                    entry.requested,
                    entry.legacy,
                    entry.kind,
                )
        return None

    def suggest(self, text: str, limit: int = 5) -> list[Match]:
        """Ranked catalogue candidates for a printed name (for the review screen)."""
        cleaned = _clean_name(text)
        query = " ".join(_key_words(cleaned))
        if not query:
            return []
        seen: dict[str, Match] = {}
        exact = self.match(cleaned)
        if exact and not exact.unknown:
            seen[exact.name] = exact
        for candidate, score, _ in process.extract(query, self._fuzzy_keys, scorer=fuzz.WRatio, limit=limit * 4):
            entry, alias = self._keys[tuple(candidate.split())]
            if entry.name in seen:
                continue
            if not _compatible(query, candidate, cleaned, alias):
                score *= 0.8
            seen[entry.name] = Match(
                entry.name, entry.code, float(score), False, False, cleaned, entry.requested, entry.legacy, entry.kind
            )
        ranked = sorted(seen.values(), key=lambda m: (-m.exact, -m.score))
        return ranked[:limit]

    # --- lists of names ---------------------------------------------------------------

    def split(self, heading: str) -> list[Match]:
        """The bodies a heading names, in order ("Sở Tư pháp, Sở Nội vụ" -> two matches).

        Commas and "và" split only where they do not belong to a catalogue name; a part the
        catalogue lacks is returned as printed with ``unknown=True``.
        """
        text = _clean_heading(heading)
        parsed = self.parse_list(text, allow_unknown=True, full=True)
        if parsed is not None:
            return parsed.items
        # Not a clean list: fall back to splitting on ";" and matching each part.
        out: list[Match] = []
        for part in re.split(r"\s*;\s*", text):
            part = part.strip(" ,.:")
            if not part:
                continue
            hit = self.match(part)
            out.append(hit or Match(_clean_name(part), None, 0.0, False, True, part))
        return out

    def parse_list(
        self, text: str, *, allow_unknown: bool = False, full: bool = False, start: int = 0
    ) -> ListParse | None:
        """Parse a list of agency names at the start of ``text``.

        ``full``: the whole text must be names (a heading). Otherwise the list must be followed by
        more text (a sentence whose subject it is); `ListParse.end` says where that text begins.
        Returns None when the text does not start with an agency name.
        """
        if not self._may_start(text, start, allow_unknown):
            return None  # cannot start a name: the common case, decided without tokenizing
        # Names and the first words after them are all a subject test needs: a bounded window
        # keeps this linear on long paragraphs.
        window = text[start:] if full else text[start : start + 260]
        words = _tokenize(window)
        if not words:
            return None
        for w in words:
            w.start += start
            w.end += start
        result = ListParse()
        i = 0
        n_words = len(words)
        while i < n_words:
            j = i
            # Separators and "đề nghị" between items.
            if result.items:
                if words[j].fold == "va" and not words[j].hard_before:
                    j += 1
                elif not (words[j].punct_before.strip(" ") and set(words[j].punct_before) & {",", ";"}):
                    break
            if j + 1 < n_words and words[j].fold == "de" and words[j + 1].fold == "nghi":
                result.requested = True
                j += 2
            if j >= n_words:
                break
            parsed = self._longest(words, j)
            if parsed is not None:
                n, entry, designator = parsed
                k = j + n + (1 if designator else 0)
                k, end = self._skip_qualifiers(words, k, text)
                name = f"{entry.name} {designator}" if designator else entry.name
                end = max(words[k - 1].end, end)
                printed = text[words[j].start : end]
                if printed.count("(") > printed.count(")"):
                    close = text.find(")", end)
                    if close != -1 and not text[end:close].strip():
                        end = close + 1
                        printed = text[words[j].start : end]
                result.items.append(
                    Match(name, entry.code, 100.0, True, False, printed, entry.requested, entry.legacy, entry.kind)
                )
                result.end = end
                i = k
                continue
            if allow_unknown and self._starts_name(words, j):
                k = self._unknown_end(words, j, full)
                if k > j:
                    printed = _clean_name(text[words[j].start : words[k - 1].end])
                    # A near spelling of a catalogue name ("Chủ tịch UBND các xã") is that name.
                    close = self._fuzzy(_key_words(printed), printed)
                    result.items.append(close or Match(printed, None, 0.0, False, True, printed))
                    result.end = words[k - 1].end
                    i = k
                    continue
            break
        if not result.items:
            return None
        if full:
            tail = text[result.end :].strip(" .:;,-–")
            if tail and not self._is_qualifier(_tokenize(tail)):
                return None
        return result

    def _may_start(self, text: str, start: int, allow_unknown: bool) -> bool:
        """Cheap test on the first two words: can a name (or "đề nghị" + name) start here?"""
        head_words = _FIRST_WORD.findall(text, start, start + 60)[:2]
        if not head_words:
            return False
        folds: list[str] = []
        for w in head_words:
            folds.extend(_expand(w))
        if folds[0] == "de":
            return True
        node = self._trie.get(folds[0])
        if node is not None and (len(folds) == 1 or folds[1] in node or _END in node):
            return True
        if allow_unknown:
            raw = tuple(_raw_lower(w) for w in head_words)
            if raw[:1] in _STARTERS_FREE or raw[:2] in _STARTER_PREFIXES or raw[:1] in _STARTERS_CAPITALISED:
                return True
        return False

    def find_all(self, text: str) -> list[Match]:
        """Every catalogue body mentioned anywhere in ``text``, in order (longest match wins)."""
        return [m for _, _, m in self.find_spans(text)]

    def find_spans(self, text: str) -> list[tuple[int, int, Match]]:
        """Like `find_all`, with the (start, end) offsets of each mention."""
        words = _tokenize(text)
        out: list[tuple[int, int, Match]] = []
        i = 0
        while i < len(words):
            parsed = self._longest(words, i)
            if parsed is None:
                i += 1
                continue
            n, entry, designator = parsed
            k = i + n + (1 if designator else 0)
            name = f"{entry.name} {designator}" if designator else entry.name
            start, end = words[i].start, words[k - 1].end
            out.append(
                (
                    start,
                    end,
                    Match(
                        name, entry.code, 100.0, True, False, text[start:end], entry.requested, entry.legacy, entry.kind
                    ),
                )
            )
            i = k
        return out

    # --- helpers ----------------------------------------------------------------------

    def _longest(self, words: list[_Word], i: int) -> tuple[int, _Entry, str] | None:
        """Longest catalogue name starting at word i: (length, entry, region designator)."""
        node = self._trie.get(words[i].fold)
        if node is None:
            return None
        best: tuple[int, _Entry] | None = None
        n_words = len(words)
        k = i + 1
        while True:
            entry = node.get(_END)
            if entry is not None:
                best = (k - i, entry)
            if k >= n_words or words[k].hard_before:
                break
            node = node.get(words[k].fold)
            if node is None:
                break
            k += 1
        if best is None:
            return None
        n, entry = best
        designator = ""
        if entry.numbered and i + n < n_words:
            nxt = words[i + n]
            if not nxt.hard_before and (_ROMAN.match(nxt.raw) or nxt.raw.isdigit()):
                designator = nxt.raw
        return n, entry, designator

    def _skip_qualifiers(self, words: list[_Word], k: int, text: str) -> tuple[int, int]:
        """Skip "(Cơ quan Thường trực)", "tỉnh Hưng Yên", "địa bàn tỉnh X" after a name.

        Returns the index of the first word after the name and the text offset where the name
        (with a closing parenthesis) ends, or 0 when that is the end of word k-1.
        """
        n_words = len(words)
        end = 0
        while k < n_words:
            w = words[k]
            if "(" in w.punct_before:
                close = text.find(")", w.start)
                if close == -1 or close - w.start > 160:
                    return k, end
                inner = normalize(text[w.start : close])
                if not any(
                    inner.startswith(p)
                    for p in (
                        "co quan",
                        "thuong truc",
                        "sau day",
                        "goi tat",
                        "viet tat",
                        "ca ",
                        "gom",
                        "bao gom",
                        "qua ",
                        "ke ca",
                        "don vi",
                    )
                ):
                    return k, end
                while k < n_words and words[k].start < close:
                    k += 1
                end = close + 1
                continue
            if w.hard_before or w.punct_before.strip():
                if (
                    w.punct_before.strip() in {"-", "–"}
                    and w.fold == "co"
                    and k + 1 < n_words
                    and words[k + 1].fold == "quan"
                ):
                    # "Công an tỉnh - Cơ quan thường trực …" up to the next separator.
                    k += 2
                    while (
                        k < n_words
                        and not words[k].hard_before
                        and not (set(words[k].punct_before) & {",", "(", ")"})
                        and (words[k].raw[0].isupper() or words[k].fold in _QUAL_WORDS)
                    ):
                        k += 1
                    end = 0
                    continue
                return k, end
            span = self._province_at(words, k)
            if span:
                k += span
                end = 0
                continue
            span = self._trailing_at(words, k)
            if span:
                k += span
                end = 0
                continue
            if w.fold in {"dia"} and k + 1 < n_words and words[k + 1].fold == "ban":
                m = k + 2
                if m < n_words and words[m].fold == "tinh":
                    m += 1
                span = self._province_at(words, m) if m < n_words else 0
                if span:
                    k = m + span
                    end = 0
                    continue
            return k, end
        return k, end

    @staticmethod
    def _trailing_at(words: list[_Word], k: int) -> int:
        """Length of a generic qualifier after a name ("cấp tỉnh", "có liên quan", "khác")."""
        for phrase in _TRAILING:
            n = len(phrase)
            if (
                k + n <= len(words)
                and tuple(w.fold for w in words[k : k + n]) == phrase
                and all(w.raw[:1].islower() for w in words[k : k + n])
                and not any(w.punct_before.strip() for w in words[k + 1 : k + n])
            ):
                return n
        return 0

    def _province_at(self, words: list[_Word], k: int) -> int:
        for length in (3, 2, 1):
            if (
                k + length <= len(words)
                and words[k].raw[:1].isupper()
                and tuple(w.fold for w in words[k : k + length]) in self._province_keys
            ):
                return length
        return 0

    def _is_qualifier(self, rest: list[_Word]) -> bool:
        folds = [w.fold for w in rest]
        if not folds:
            return True
        if folds[:2] == ["dia", "ban"] or folds[:3] == ["tren", "dia", "ban"]:
            return True
        if folds[:2] in (["co", "quan"],) or folds[:1] == ["khac"] or folds == ["con", "lai"]:
            return True
        return self._province_at(rest, 0) == len(rest)

    def _starts_name(self, words: list[_Word], j: int) -> int:
        """Length of the body-type words a name the catalogue lacks starts with (0: none)."""
        folds = tuple(_raw_lower(w.raw) for w in words[j : j + 4])
        for n in (4, 3, 2):
            if folds[:n] in _NOT_NAMES:
                return 0
        for n in (4, 3, 2, 1):
            if folds[:n] in _STARTERS_FREE:
                return n
        if folds[:1] in _STARTERS_CAPITALISED and len(words) > j + 1 and words[j + 1].raw[:1].isupper():
            return 1
        return 0

    def _unknown_end(self, words: list[_Word], j: int, full: bool) -> int:
        """End (exclusive) of a name the catalogue lacks, starting at word j."""
        k = j + max(1, self._starts_name(words, j))
        n_words = len(words)
        while k < n_words and k - j < 14:
            w = words[k]
            if w.hard_before:
                break
            if "(" in w.punct_before:
                break
            split_here = ("," in w.punct_before) or w.fold == "va"
            if split_here:
                m = k + 1 if w.fold == "va" else k
                if m < n_words and (
                    self._longest(words, m) is not None
                    or self._starts_name(words, m)
                    or (words[m].fold == "de" and m + 1 < n_words and words[m + 1].fold == "nghi")
                ):
                    break
                if w.fold == "va" and not full:
                    break
            if not full and w.fold in _PREDICATE_STARTS and not w.raw[:1].isupper():
                break
            k += 1
        if not full and (k >= n_words or k - j >= 14):
            return j  # no predicate found: not a subject
        return k


def _raw_lower(word: str) -> str:
    """A printed word in lower case with the old/new tone placement unified ("uỷ" -> "ủy")."""
    w = unicodedata.normalize("NFC", word).lower()
    for old, new in (("uỷ", "ủy"), ("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oạ", "ọa"), ("oã", "õa")):
        w = w.replace(old, new)
    return w


_FIRST_WORD = re.compile(r"\w+")
_STARTER_PREFIXES = {t[:2] for t in _STARTERS_FREE}
_END = object()  # marks a complete name in the word trie

_TRAILING = (
    ("tren", "dia", "ban", "tinh"),
    ("co", "lien", "quan"),
    ("cap", "tinh"),
    ("lien", "quan"),
    ("thuoc", "tinh"),
    ("cac", "cap"),
    ("con", "lai"),
    ("khac",),
    ("tinh",),
)

_QUAL_WORDS = {
    "thuong",
    "truc",
    "ban",
    "chi",
    "dao",
    "cua",
    "tinh",
    "va",
    "phong",
    "chong",
    "toi",
    "pham",
    "te",
    "nan",
    "xa",
    "hoi",
    "xay",
    "dung",
    "trao",
    "toan",
    "dan",
    "bao",
    "ve",
    "an",
    "ninh",
    "to",
    "quoc",
    "chuong",
    "trinh",
}

# Words that begin a predicate after a subject ("Sở Y tế chủ trì …").
_PREDICATE_STARTS = {
    "chu",
    "phoi",
    "tham",
    "chi",
    "to",
    "trien",
    "thuc",
    "xay",
    "tang",
    "day",
    "huong",
    "chiu",
    "co",
    "can",
    "theo",
    "ra",
    "kiem",
    "tiep",
    "quan",
    "bo",
    "dam",
    "bao",
    "nghien",
    "duy",
    "phat",
    "tuyen",
    "thuong",
    "lap",
    "giam",
    "tong",
    "de",
    "lam",
    "ban",
    "dinh",
    "trong",
    "tren",
    "khan",
    "nam",
    "rut",
    "dong",
    "cung",
    "hoan",
    "nang",
    "van",
    "ho",
    "uu",
    "tap",
}


def _numerals(printed: str) -> set[str]:
    return {t for t in re.findall(r"\w+", printed) if t.isdigit() or _ROMAN.match(t)}


def _compatible(a: str, b: str, a_printed: str, b_printed: str) -> bool:
    """Whether two names may denote the same body (guards for fuzzy matches).

    ``a``/``b`` are normalised; the printed forms decide numbers and (upper-case) roman numerals.
    """
    wa, wb = a.split(), b.split()
    if _numerals(a_printed) != _numerals(b_printed):
        return False
    levels_a = {lv for lv in _ADMIN_LEVELS if f" {lv} " in f" {a} "}
    levels_b = {lv for lv in _ADMIN_LEVELS if f" {lv} " in f" {b} "}
    if levels_a and levels_b and levels_a != levels_b:
        return False
    # The body type (first two words) must agree: "sở y tế" is never "sở tư pháp", and "sở" is
    # never "chi cục".
    if wa[:1] != wb[:1]:
        return False
    # Words that differ must be near-identical spellings, not different words.
    diff_a = [w for w in wa if w not in wb]
    diff_b = [w for w in wb if w not in wa]
    if len(diff_a) > 2 or len(diff_b) > 2:
        return False
    return all(any(fuzz.ratio(x, y) >= 60 for y in diff_b) for x in diff_a)


def _clean_name(text: str) -> str:
    """A printed name without markdown, list marker, command words or trailing punctuation."""
    text = unicodedata.normalize("NFC", text or "")
    text = _MARKDOWN.sub("", text)
    text = _LIST_MARKER.sub("", text)
    text = re.sub(r"^\s*(?:đề nghị|giao|yêu cầu)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+", " ", text)
    return text.strip(" \t.,;:-–")


def _clean_heading(text: str) -> str:
    return _clean_name(text)


def _variants(name: str) -> list[str]:
    out = []
    no_paren = re.sub(r"\s*\([^)]*\)\s*", " ", name).strip()
    if no_paren != name:
        out.append(no_paren)
    dash = re.split(r"\s+[-–]\s+", no_paren, maxsplit=1)
    if len(dash) == 2:
        out.append(dash[0])
    return out


_DEFAULT: AgencyMatcher | None = None
