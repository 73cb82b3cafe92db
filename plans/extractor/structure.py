"""The outline of a plan: header, title, preamble, and the numbered body as a tree.

Vietnamese administrative documents number their parts I. / 1. / 1.1. / a) / (1) and mark
items with "-" and "+". Numbered levels have a fixed rank; bullets nest in the order they
appear under their numbered parent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from plans.extractor.text import Para

RANK = {"A": -1, "R": 0, "N": 1, "N2": 2, "L": 3, "P": 4}
NUMBERED = set(RANK)
BULLETS = {"B-", "B+", "B*"}

_TITLE_WORD = re.compile(r"^(KẾ\s*HOẠCH|CHƯƠNG\s+TRÌNH|ĐỀ\s+ÁN|PHƯƠNG\s+ÁN)\b[\s:]*(?P<rest>.*)$")
_PREAMBLE_CUE = re.compile(  # how a preamble opens
    r"^(Căn cứ|Thực hiện (Nghị quyết|Quyết định|Kế hoạch|Chỉ thị|Kết luận|Công văn|Văn bản|Chương trình|"
    r"Thông báo|Công điện|ý kiến|sự chỉ đạo)|Hưởng ứng|Nhằm|Để triển khai|Để|Trên cơ sở|Theo đề nghị|"
    r"Ủy ban nhân dân tỉnh|Uỷ ban nhân dân tỉnh|UBND tỉnh)",
    re.I,
)
_END = re.compile(r"^(Nơi nhận|TM\.|T/M\.|KT\.|K/T\.|Q\. ?CHỦ TỊCH|CHỦ TỊCH$|PHÓ CHỦ TỊCH$)")


@dataclass
class Node:
    """One numbered part, list item or plain paragraph of the body."""

    kind: str
    label: str
    text: str
    index: int
    heading: bool = False
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    @property
    def numbered(self) -> bool:
        return self.kind in NUMBERED

    def ancestors(self) -> list[Node]:
        out = []
        node = self.parent
        while node is not None and node.kind != "root":
            out.append(node)
            node = node.parent
        return out[::-1]

    def section(self) -> str:
        """The heading numbers from the top, joined by dots ("IV.2", "II.5.a")."""
        labels: list[str] = []
        for n in [*self.ancestors(), self]:
            if not n.numbered:
                continue
            label = n.label
            # "1.2." under "1." is printed with its parent's number: keep only the new part.
            if n.kind == "N2" and labels and label.startswith(labels[-1] + "."):
                label = label[len(labels[-1]) + 1 :]
            labels.append(label)
        return ".".join(labels)

    def flat_text(self) -> str:
        """This node's text followed by all its descendants', as one string."""
        parts = [self.text]
        for child in self.children:
            parts.append(child.flat_text())
        return " ".join(p for p in parts if p)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Document:
    """A plan split into its parts."""

    paras: list[Para]
    title_paras: list[Para]
    header_end: int  # index (in paras) of the title word paragraph, or 0
    preamble: list[Para]
    body: list[Para]
    root: Node
    tail: list[Para]


def is_heading(kind: str, text: str) -> bool:
    """Whether a numbered paragraph is a heading (short, no closing full stop) or running text."""
    if kind in ("R", "A"):
        return True
    t = text.rstrip()
    if not t:
        return False
    if t.isupper() and len(t) < 300:
        return True
    if len(t) > 160:
        return False
    return t[-1] not in ".;!?…" or t.endswith("...")


def split_document(paras: list[Para], names_only: Callable[[str], bool] | None = None) -> Document:
    """Find the title, preamble, body and closing part of a plan.

    ``names_only(text)`` tells whether a line is only agency names; such an unnumbered line heads
    the paragraphs after it.
    """
    title_idx = None
    for i, p in enumerate(paras[:80]):
        raw = p.body if p.kind == "T" else f"{p.label} {p.body}"
        if _TITLE_WORD.match(raw.strip()) and (len(raw) < 400):
            title_idx = i
            break
    title_paras: list[Para] = []
    start = 0
    if title_idx is not None:
        first = paras[title_idx]
        rest = _TITLE_WORD.match(first.body.strip()).group("rest") if first.kind == "T" else ""
        if rest:
            title_paras.append(Para("T", "", rest, first.line))
        j = title_idx + 1
        while j < len(paras) and len(title_paras) < 4:
            p = paras[j]
            if p.kind != "T" or len(p.body) > 250 or p.body.endswith(":"):
                break
            if (
                _PREAMBLE_CUE.match(p.body)
                and not p.body.isupper()
                and (len(p.body) > 150 or re.search(r"\bsố\s*\d|\d+/[A-ZĐ]", p.body))
            ):
                break
            if (
                title_paras
                and sum(len(t.body) for t in title_paras) > 120
                and p.body[:1].isupper()
                and not p.body.isupper()
            ):
                break
            title_paras.append(p)
            j += 1
        start = j
    body_start = None
    for i in range(start, len(paras)):
        if paras[i].kind in ("R", "A"):
            body_start = i
            break
    if body_start is None:
        for i in range(start, len(paras)):
            if paras[i].kind == "N" and paras[i].label == "1":
                body_start = i
                break
    if body_start is None:
        body_start = start
    preamble = paras[start:body_start]
    end = len(paras)
    for i in range(body_start, len(paras)):
        if _END.match(paras[i].body) and paras[i].kind == "T":
            end = i
            break
    body = paras[body_start:end]
    return Document(paras, title_paras, title_idx or 0, preamble, body, build_tree(body, names_only), paras[end:])


def _unnumbered_heading(paras: list[Para], idx: int, names_only: Callable[[str], bool] | None) -> bool:
    """A plain line that heads what follows: short, no closing punctuation, and followed by list
    items (or, when it is only agency names, by any paragraph)."""
    body = paras[idx].body.rstrip()
    if len(body) > 110 or not body or body[-1] in ".;,!?…" or not body[0].isupper():
        return False
    nxt = paras[idx + 1] if idx + 1 < len(paras) else None
    if nxt is None or nxt.kind in NUMBERED:
        return False
    if body.endswith(":"):
        return bool(names_only and names_only(body))
    return nxt.kind in BULLETS or bool(names_only and nxt.kind == "T" and names_only(body))


def build_tree(paras: list[Para], names_only: Callable[[str], bool] | None = None) -> Node:
    """The outline of the body paragraphs."""
    root = Node("root", "", "", -1, heading=True)
    stack: list[Node] = [root]
    for idx, p in enumerate(paras):
        kind = p.kind
        if kind == "T":
            if _unnumbered_heading(paras, idx, names_only):
                # A short unpunctuated line over list items ("Công an tỉnh" in bold, no number):
                # a heading for the items that follow.
                while len(stack) > 1 and (stack[-1].kind == "T" or stack[-1].kind in BULLETS):
                    stack.pop()
                node = Node("T", "", p.body, idx, heading=True, parent=stack[-1])
                stack[-1].children.append(node)
                stack.append(node)
                continue
            # Running text belongs to the nearest heading (or lead-in ending in ":"); a lead-in
            # of its own ("… như sau:") takes the items that follow it.
            while len(stack) > 1 and not (
                (stack[-1].kind in NUMBERED and (stack[-1].heading or stack[-1].text.endswith(":")))
                or (stack[-1].kind == "T" and stack[-1].heading)
            ):
                stack.pop()
            node = Node("T", "", p.body, idx, parent=stack[-1])
            stack[-1].children.append(node)
            if p.body.rstrip().endswith(":"):
                stack.append(node)
            continue
        node = Node(kind, p.label, p.body, idx)
        if kind in NUMBERED:
            rank = RANK[kind]
            while len(stack) > 1 and (
                stack[-1].kind in BULLETS or stack[-1].kind == "T" or RANK.get(stack[-1].kind, 99) >= rank
            ):
                stack.pop()
            node.heading = is_heading(kind, p.body)
        else:
            # A bullet: sibling of the same symbol under the same numbered parent, else nested.
            pos = None
            for k in range(len(stack) - 1, 0, -1):
                if stack[k].kind not in BULLETS:
                    break
                if stack[k].kind == kind:
                    pos = k
                    break
            if pos is not None:
                del stack[pos:]
            node.heading = False
        node.parent = stack[-1]
        stack[-1].children.append(node)
        stack.append(node)
    return root
