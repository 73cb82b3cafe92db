"""Blocks of work addressed to agencies, from the outline of a plan.

A block is found where an agency is named as the addressee of a part of the plan:

- heading: a numbered or lettered heading that is only agency names ("2. Sở Y tế",
  "b) Sở Tư pháp, Sở Nội vụ", "14. Đề nghị Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh");
  its tasks are the items under it;
- colon: names, a colon, then the task ("4. Sở Tư pháp: Chủ trì …");
- subject: names as the subject of the paragraph ("c) Tòa án nhân dân tỉnh tham mưu …",
  "Giao Công an tỉnh chủ trì …", "Căn cứ Kế hoạch này, các sở, ban, ngành … xây dựng kế hoạch");
  a subject-only lead-in ending in ":" heads the items under it;
- assigned: an item that hands the work to a lead inside it ("… (giao Công an tỉnh chủ trì,
  phối hợp …)", "Cơ quan chủ trì: Sở Y tế").
Inside a block, items are tasks and are not searched for further blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from agencies.matching import AgencyMatcher, ListParse, Match, normalize
from plans.extractor.dates import find_deadline
from plans.extractor.structure import BULLETS, Node
from plans.extractor.tasks import make_task

_COMMAND = re.compile(r"^\s*(giao|đề\s+nghị|yêu\s+cầu)\s+", re.IGNORECASE)
_HEADING_PREFIX = re.compile(
    r"^\s*(?:(?:trách\s+nhiệm|nhiệm\s+vụ)(?:\s+cụ\s+thể)?(?:\s+của)?|đối\s+với|phân\s+công\s+cho)\s+", re.IGNORECASE
)
_LABEL = re.compile(r"^([^:;.,()]{2,60}):\s+")
_OPENER = re.compile(
    r"^(?:căn\s+cứ|trên\s+cơ\s+sở|theo|thực\s+hiện|để|nhằm|năm\s+\d{4}|hằng\s+năm|hàng\s+năm|định\s+kỳ|"
    r"trong\s+(?:năm|quý|tháng|thời\s+gian)|trước\s+ngày|sau\s+khi|khi|ngay\s+sau\s+khi)\b",
    re.IGNORECASE,
)
_NON_TASK_SECTION = re.compile(
    r"^(?:MỤC\s+ĐÍCH|MỤC\s+TIÊU|CHỈ\s+TIÊU|TÌNH\s+HÌNH|KẾT\s+QUẢ|ĐÁNH\s+GIÁ|CĂN\s+CỨ|QUAN\s+ĐIỂM|"
    r"PHẠM\s+VI|ĐỐI\s+TƯỢNG|YÊU\s+CẦU)",
    re.IGNORECASE,
)
_TASK_SECTION_WORDS = re.compile(r"NHIỆM\s+VỤ|PHÂN\s+CÔNG|TRÁCH\s+NHIỆM|GIẢI\s+PHÁP|TỔ\s+CHỨC", re.IGNORECASE)
_NOT_SUBJECT_NEXT = re.compile(r"^(?:của|với|đã|tại|thuộc|cùng\s+cấp|năm\s+\d|là\s+\d|về\s+việc)\b", re.IGNORECASE)
_WEAK = {"dia phuong", "cac dia phuong"}
_COLLECTIVE_NEXT = re.compile(r"^(?:các|cấp|xã|huyện|phường|thị)\b", re.IGNORECASE)
_LEAD_LINE = re.compile(
    r"(?:^|[;.]\s*|\(\s*)(?:-\s*)?(?:cơ\s+quan|đơn\s+vị)\s+(?:chủ\s+trì|thực\s+hiện)(?:\s+thực\s+hiện)?\s*:\s*"
    r"(?P<names>[^;.()\n]+)",
    re.IGNORECASE,
)
_LEAD_LABEL = re.compile(r"^\s*(?:cơ\s+quan|đơn\s+vị)\s+(?:chủ\s+trì|thực\s+hiện)\b", re.IGNORECASE)
_GIAO_LEAD = re.compile(r"\b(?:giao|\()\s*", re.IGNORECASE)
# Where a paragraph may pass to another subject: a sentence end before a capital, or a ";".
_SEGMENT_BREAK = re.compile(r"(?:(?<=[.!?])|;)\s+(?=\S)")
_TIME_LINE = re.compile(r"^(?:-\s*)?thời\s+(?:gian|hạn)(?:\s+(?:hoàn\s+thành|thực\s+hiện))?\s*:", re.IGNORECASE)


@dataclass
class Subject:
    """Agency names found as the subject at the start of a paragraph."""

    items: list[Match]
    requested: bool
    end: int  # offset just after the names

    def rest(self, text: str) -> str:
        return text[self.end :].strip()


class Assigner:
    """Finds the assignment blocks of a plan body."""

    def __init__(self, matcher: AgencyMatcher, default_year: int | None = None) -> None:
        self.matcher = matcher
        self.default_year = default_year
        self.blocks: list[dict] = []
        self._heading_deadlines: dict[int, date | None] = {}

    def run(self, root: Node) -> list[dict]:
        self.blocks = []
        self._visit(root, skip=False)
        return self.blocks

    # --- walking ----------------------------------------------------------------------

    def _visit(self, node: Node, skip: bool) -> None:
        for child in node.children:
            if child.kind in ("R", "A"):
                title = child.text
                child_skip = bool(_NON_TASK_SECTION.match(title)) and not _TASK_SECTION_WORDS.search(title)
                self._visit(child, child_skip)
                continue
            if skip:
                continue
            if self._detect(child):
                continue
            self._visit(child, skip)

    def _detect(self, node: Node) -> bool:
        text = node.text
        if not text:
            return False
        # 1. A heading made only of agency names.
        if node.heading or (node.kind in BULLETS and len(text) < 150 and text[-1:] not in ".;"):
            parsed = self.heading_names(text)
            if parsed is not None and self._is_container(node):
                return False  # its numbered items are the blocks
            if parsed is not None and node.children:
                self._emit(node, parsed.items, parsed.requested, self._tasks_from_children(node.children, node))
                return True
        # 2./3. Names as the subject, with or without a colon.
        subject = self.find_subject(text)
        if subject is not None:
            rest = subject.rest(text)
            if rest.startswith(":") or not rest:
                after = rest[1:].strip() if rest else ""
                if not after:
                    if not node.children:
                        return False
                    tasks = self._tasks_from_children(node.children, node)
                else:
                    tasks = self._inline_tasks(after, node)
                self._emit(node, subject.items, subject.requested, tasks)
                return True
            if node.heading and node.children and node.kind != "T" and len(text) < 160:
                # "3. Sở Y tế chủ trì, phối hợp với Sở Tài chính" over its items: a heading.
                tasks = self._tasks_from_children(node.children, node)
            else:
                segments = [] if node.children else self._subject_segments(text, subject)
                if len(segments) > 1:
                    # A paragraph giving work to several bodies in turn, one sentence (or ";"
                    # clause) each: "Công an tỉnh chủ trì …. Sở Y tế chỉ đạo …; UBND các xã …".
                    for seg_text, seg_subject in segments:
                        seg_tasks = self._inline_tasks(seg_text, node, role_text=seg_subject.rest(seg_text))
                        self._emit(node, seg_subject.items, seg_subject.requested, seg_tasks)
                    return True
                tasks = self._inline_tasks(text, node, role_text=rest)
            self._emit(node, subject.items, subject.requested, tasks)
            return True
        # 4. An item that names its lead inside (unless the agencies have points of their own).
        if any(self._names_an_agency(c) for c in node.children):
            return False
        lead, leads = self._assigned_lead(node)
        if lead:
            task = make_task(
                node.flat_text(),
                default_year=self.default_year,
                inherited_deadline=self._inherited_deadline(node),
                role="lead" if leads else None,
            )
            self._emit(node, lead, False, [task])
            return True
        return False

    def _subject_segments(self, text: str, first: Subject) -> list[tuple[str, Subject]]:
        """``text`` cut where a sentence or ";" clause opens with a body of its own as subject;
        a part without one stays with the part before it."""
        segments: list[tuple[str, Subject]] = []
        start, subject = 0, first
        for m in _SEGMENT_BREAK.finditer(text):
            cut = m.end()
            nxt = self.find_subject(text[cut:])
            if nxt is None or nxt.items[0].unknown or text[cut:].startswith(("(", '"')):
                continue
            rest = nxt.rest(text[cut:])
            if not rest or rest.startswith(":"):
                continue
            segments.append((text[start : m.start() + 1].strip(), subject))
            start, subject = cut, nxt
        segments.append((text[start:].strip(), subject))
        return [(t.rstrip(";").strip(), subj) for t, subj in segments if t.strip(" ;.")]

    def _names_an_agency(self, node: Node) -> bool:
        """Whether an item is addressed to an agency (its heading or its subject)."""
        if node.kind == "T" and not node.heading:
            return False
        return self.heading_names(node.text) is not None or self.find_subject(node.text) is not None

    def _is_container(self, node: Node) -> bool:
        """A heading whose numbered items are themselves agency headings ("1. Các sở, ngành" over
        "1.1. Sở Y tế", "1.2. Sở Tư pháp"): the items are the blocks."""
        numbered = [c for c in node.children if c.numbered and c.heading]
        return len(numbered) >= 2 and sum(1 for c in numbered if self.heading_names(c.text)) >= 2

    # --- names ------------------------------------------------------------------------

    def heading_names(self, text: str) -> ListParse | None:
        t = _HEADING_PREFIX.sub("", text.strip())
        requested = bool(re.match(r"^\s*đề\s+nghị\b", t, re.IGNORECASE))
        t = _COMMAND.sub("", t)
        t = re.sub(r"\s*\((?:hoàn\s+thành|thời\s+gian|thực\s+hiện)[^)]*\)\s*", " ", t, flags=re.IGNORECASE)
        t = t.strip().rstrip(":").strip()
        if not t or len(t) > 300:
            return None
        parsed = self.matcher.parse_list(t, allow_unknown=True, full=True)
        if parsed is None:
            return None
        parsed.requested = parsed.requested or requested
        return parsed

    def find_subject(self, text: str) -> Subject | None:
        """Agency names that are the subject at the start of ``text`` (after "Giao", "Đề nghị",
        a short label ending in ":", or an opening "Căn cứ …," clause)."""
        starts: list[tuple[int, bool]] = []
        m = _COMMAND.match(text)
        base = m.end() if m else 0
        base_req = bool(m and m.group(1).lower().startswith("đề"))
        starts.append((base, base_req))
        lab = _LABEL.match(text[base:])
        if lab and not self.matcher.parse_list(lab.group(1)):
            starts.append((base + lab.end(), base_req))
        if _OPENER.match(text[base:]):
            stop = len(text)
            for ch in ".;:":
                pos = text.find(ch, base)
                if pos != -1:
                    stop = min(stop, pos)
            for cm in re.finditer(r",\s+", text[base : min(stop, base + 300)]):
                s = base + cm.end()
                cmd = _COMMAND.match(text[s:])
                if cmd:
                    starts.append((s + cmd.end(), cmd.group(1).lower().startswith("đề")))
                else:
                    starts.append((s, False))
        for s, req in starts:
            subject = self._subject_at(text, s, req)
            if subject is not None:
                return subject
        return None

    def _subject_at(self, text: str, start: int, requested: bool) -> Subject | None:
        parsed = self.matcher.parse_list(text, allow_unknown=True, full=False, start=start)
        if parsed is None or not parsed.items:
            return None
        first = parsed.items[0]
        if normalize(first.text) in _WEAK:
            return None
        rest = text[parsed.end :].lstrip()
        if first.code and normalize(first.text) == "cong an" and _COLLECTIVE_NEXT.match(rest):
            return None
        if not rest or rest.startswith(":"):
            return Subject(parsed.items, requested or parsed.requested, parsed.end)
        if _NOT_SUBJECT_NEXT.match(rest):
            return None
        first_char = rest[0]
        if first_char.isalpha() and (first_char.islower() or re.match(r"(?:Chủ\s+trì|Phối\s+hợp)\b", rest)):
            return Subject(parsed.items, requested or parsed.requested, parsed.end)
        return None

    def _assigned_lead(self, node: Node) -> tuple[list[Match], bool]:
        """The body named inside an item ("(giao X chủ trì, …)", "Cơ quan chủ trì: X") and
        whether it leads (rather than just performs) the work."""
        # The item's own text, or a line under it that only names the lead ("- Cơ quan chủ trì: X").
        texts = [node.text] + [c.text for c in node.children if _LEAD_LABEL.match(c.text)]
        for t in texts:
            m = _LEAD_LINE.search(t)
            if m:
                names = self.matcher.split(m.group("names"))
                found = [x for x in names if not x.unknown or len(x.name) < 80]
                if found:
                    return found, "chủ trì" in m.group(0).lower()
        text = node.text
        for m in _GIAO_LEAD.finditer(text):
            # After "giao", names outside the catalogue too (a list of communes: "giao UBND xã A,
            # UBND phường B chủ trì"): "chủ trì" must follow them.
            given = m.group(0).lower().startswith("giao")
            parsed = self.matcher.parse_list(text, allow_unknown=given, full=False, start=m.end())
            if parsed is None:
                continue
            rest = text[parsed.end :].lstrip(" ,")
            if re.match(r"chủ\s+trì\b", rest, re.IGNORECASE):
                return parsed.items, True
        return [], False

    # --- tasks ------------------------------------------------------------------------

    def _inherited_deadline(self, node: Node, include_self: bool = False) -> date | None:
        chain = node.ancestors()[::-1]
        if include_self:
            chain = [node, *chain]
        for anc in chain:
            if anc.heading:
                key = id(anc)
                if key not in self._heading_deadlines:
                    self._heading_deadlines[key] = find_deadline(anc.text, self.default_year)
                d = self._heading_deadlines[key]
                if d:
                    return d
        return None

    def _inline_tasks(self, text: str, node: Node, role_text: str | None = None) -> list[dict]:
        """Tasks of a block whose own paragraph carries the task (colon and subject forms)."""
        inherited = self._inherited_deadline(node)
        children = [c for c in node.children]
        if not children:
            return [make_task(text, role_text=role_text, default_year=self.default_year, inherited_deadline=inherited)]
        if text.rstrip().endswith(":"):
            merged = " ".join([text] + [c.flat_text() for c in children])
            return [
                make_task(merged, role_text=role_text, default_year=self.default_year, inherited_deadline=inherited)
            ]
        tasks = [make_task(text, role_text=role_text, default_year=self.default_year, inherited_deadline=inherited)]
        tasks.extend(self._tasks_from_children(children, node))
        return tasks

    def _tasks_from_children(self, children: list[Node], node: Node) -> list[dict]:
        """One task per item under a block heading; a lead-in ending in ":" takes its items."""
        inherited = self._inherited_deadline(node, include_self=True)
        for c in children:
            if _TIME_LINE.match(c.text):
                inherited = find_deadline(c.text, self.default_year) or inherited
        texts: list[str] = []
        marked = [c for c in children if c.kind != "T"]
        if not marked:
            joined = " ".join(c.flat_text() for c in children)
            if joined.strip():
                texts.append(joined)
        else:
            i = 0
            while i < len(children):
                c = children[i]
                if (
                    c.kind == "T"
                    and c.text.rstrip().endswith(":")
                    and i + 1 < len(children)
                    and children[i + 1].kind != "T"
                ):
                    parts = [c.text]
                    j = i + 1
                    while j < len(children) and children[j].kind != "T":
                        parts.append(children[j].flat_text())
                        j += 1
                    texts.append(" ".join(parts))
                    i = j
                    continue
                if (
                    c.kind != "T"
                    and c.heading
                    and c.children
                    and not c.text.rstrip().endswith(":")
                    and all(g.kind != "T" for g in c.children)
                ):
                    # A sub-theme heading inside the block: its items are the tasks.
                    texts.extend(g.flat_text() for g in c.children)
                else:
                    texts.append(c.flat_text())
                i += 1
        tasks = []
        for t in texts:
            if _TIME_LINE.match(t) or not t.strip():
                continue
            tasks.append(make_task(t, default_year=self.default_year, inherited_deadline=inherited))
        return tasks

    def _emit(self, node: Node, items: list[Match], requested: bool, tasks: list[dict]) -> None:
        tasks = [t for t in tasks if t["text"]]
        if not tasks:
            return
        names: list[str] = []
        for item in items:
            if item.name and item.name not in names:
                names.append(item.name)
        if not names:
            return
        self.blocks.append(
            {
                "agencies": names,
                "requested": bool(requested),
                "section": node.section(),
                "tasks": tasks,
            }
        )
