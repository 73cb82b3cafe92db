"""The access log of named data (issue 13 §3): every read appended, chained by hashes.

Each row stores the hash of the row before it and its own hash over (previous hash + content):
changing, inserting or removing a row breaks the chain, which `verify_chain` finds. The database
itself refuses UPDATE and DELETE on the table (triggers, migration 0002).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from access.roles import Role
from access.scope import get_scope
from cases import crypto
from cases.models import FEATURE, AccessLog

if TYPE_CHECKING:
    from accounts.models import User

GENESIS = "0" * 64
_LOCK_ID = 1_301_301  # PostgreSQL advisory lock serialising appends to the chain


def _scope_text(user: User | None) -> str:
    r = get_scope(user).reach(FEATURE)
    parts = [f"tỉnh {c}" for c in sorted(r.provinces)]
    parts += [f"xã {c}" for c in sorted(r.communes)]
    parts += [f"cơ sở {a}" for a in sorted(r.agencies)]
    return ", ".join(parts) or "ngoài phạm vi"


def _role_text(user: User | None) -> str:
    roles = sorted(get_scope(user).roles)
    return Role.CASE_OFFICER if Role.CASE_OFFICER in roles else ",".join(roles)[:32]


def row_hash(prev: str, content: str) -> str:
    return hashlib.sha256(f"{prev}\n{content}".encode()).hexdigest()


@transaction.atomic
def log_read(
    *,
    actor: User | None,
    action: str,
    persons: Iterable[Any] = (),
    term: str | None = None,
    result_count: int | None = None,
    reason: str = "",
    break_glass: bool = False,
    province_code: str = "",
) -> AccessLog:
    """Append one read to the log (the search term only as a keyed hash)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
        else:
            # SQLite: take the database's write lock before reading the chain's last hash (a
            # statement that changes no row still starts the write transaction), so two appends
            # never chain to the same row; the same number of statements on both databases.
            cur.execute(f'UPDATE "{AccessLog._meta.db_table}" SET id = id WHERE 0')  # noqa: S608 - table name from the model
    if not province_code:
        provinces = get_scope(actor).reach(FEATURE).all_provinces
        province_code = next(iter(provinces)) if len(provinces) == 1 else ""
    last = AccessLog.objects.order_by("-pk").values_list("row_hash", flat=True).first()
    entry = AccessLog(
        actor_id=getattr(actor, "pk", None),
        actor_username=getattr(actor, "username", "") or "",
        role=_role_text(actor),
        scope=_scope_text(actor)[:255],
        action=action,
        person_ids=sorted({p if isinstance(p, int) else p.pk for p in persons}),
        province_code=province_code,
        term_hash=crypto.term_hash(term) if term else "",
        result_count=result_count,
        reason=reason,
        break_glass=break_glass,
        prev_hash=last or GENESIS,
    )
    entry.row_hash = row_hash(entry.prev_hash, entry.content())
    entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows: int
    first_bad: int | None = None  # pk of the first row that does not match


def verify_chain() -> ChainReport:
    """Walk the log in order: each row must point to the previous one and hash to itself."""
    prev = GENESIS
    n = 0
    for entry in AccessLog.objects.order_by("pk").iterator(chunk_size=2000):
        n += 1
        if entry.prev_hash != prev or entry.row_hash != row_hash(prev, entry.content()):
            return ChainReport(False, n, entry.pk)
        prev = entry.row_hash
    return ChainReport(True, n)
