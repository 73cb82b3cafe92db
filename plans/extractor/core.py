"""`extract_text` / `extract_file`: a plan document to its `plan-extract/1` dict."""

from __future__ import annotations

from pathlib import Path

from agencies.matching import AgencyMatcher
from plans.extractor.assignments import Assigner
from plans.extractor.errors import ExtractError
from plans.extractor.meta import extract_basis, extract_meta
from plans.extractor.readers import read_file
from plans.extractor.reporting import ReportingFinder
from plans.extractor.structure import split_document
from plans.extractor.targets import extract_targets
from plans.extractor.text import normalise_source, paragraphs

SCHEMA = "plan-extract/1"


def extract_file(path: str | Path, *, matcher: AgencyMatcher | None = None) -> dict:
    """Read a .txt, .md, .docx or text-layer .pdf plan and extract it; raises ExtractError."""
    p = Path(path)
    return extract_text(read_file(p), source=p.name, matcher=matcher)


def extract_text(text: str, source: str | None = None, *, matcher: AgencyMatcher | None = None) -> dict:
    """Extract a plan given as text; raises ExtractError when there is nothing to read."""
    if not isinstance(text, str):
        raise ExtractError("Nội dung kế hoạch phải là văn bản (chuỗi ký tự).")
    if not text.strip():
        raise ExtractError("Văn bản rỗng: không có nội dung để trích xuất.")
    lines = normalise_source(text)
    paras = paragraphs(lines)
    if not paras:
        raise ExtractError("Văn bản không có nội dung để trích xuất.")
    matcher = matcher or AgencyMatcher.default()
    doc = split_document(paras, names_only=lambda t: Assigner(matcher).heading_names(t) is not None)
    meta = extract_meta(lines, doc)
    period = meta.get("period") or {}
    default_year = None
    if period.get("start") and period.get("start") == period.get("end"):
        default_year = period["start"]
    elif meta.get("date"):
        default_year = int(meta["date"][:4])
    return {
        "schema": SCHEMA,
        "source": source,
        "meta": meta,
        "basis": extract_basis(doc),
        "targets": extract_targets(doc.root),
        "assignments": Assigner(matcher, default_year).run(doc.root),
        "reporting": ReportingFinder(matcher).run(doc.root),
    }
