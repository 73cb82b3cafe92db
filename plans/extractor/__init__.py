"""Plan extractor: reads a provincial plan (.txt, .md, .docx, text-layer .pdf) and returns its
structured form `plan-extract/1` (see ../shared/eval/PLAN_EXTRACT_FORMAT.md). Pure Python: no
Django, no database.

    from plans.extractor import extract_file, extract_text, ExtractError
"""

from plans.extractor.core import SCHEMA, extract_file, extract_text
from plans.extractor.errors import ExtractError

__all__ = ["SCHEMA", "ExtractError", "extract_file", "extract_text"]
