"""DHIS2 identifiers for PCMT's objects: 11 characters, a letter then letters or digits, the same
every time for the same object (derived from its kind and code), so a DHIS2 instance that imported
PCMT's metadata once keeps matching it. DHIS2's own defaults keep their well-known ids."""

from __future__ import annotations

import hashlib
import re
import string

LETTERS = string.ascii_letters
ALPHANUMERIC = string.ascii_letters + string.digits
UID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")

# DHIS2's built-in "default" category model (the same ids in every DHIS2 instance).
DEFAULT_CATEGORY_COMBO = "bjDvmb4bfuf"
DEFAULT_CATEGORY = "GLevLNI9wkl"
DEFAULT_CATEGORY_OPTION = "xYerKDKCefk"
DEFAULT_COC = "HllvX50cXC0"


def uid(kind: str, key: str) -> str:
    """The stable DHIS2 uid of PCMT's object `key` of `kind` ("dataElement", "orgUnit", …)."""
    digest = hashlib.sha256(f"pcmt:{kind}:{key}".encode()).digest()
    return LETTERS[digest[0] % len(LETTERS)] + "".join(ALPHANUMERIC[b % len(ALPHANUMERIC)] for b in digest[1:11])


def is_uid(text: str) -> bool:
    return bool(UID_RE.match(text))
