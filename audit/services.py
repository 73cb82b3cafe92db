"""Writing audit events. Call inside the transaction of the change it records.

The trail says what changed without copying protected values: a model lists its personal
fields in `AUDIT_PROTECTED` (the trail keeps only that they changed) and may name itself with
`audit_label()` instead of `str()` (so that a person's name is not the object's text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from audit.models import AuditEvent

if TYPE_CHECKING:
    from accounts.models import User

CHANGED = "(đã thay đổi)"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value differs, as {field: [old, new]}."""
    return {k: [_plain(old.get(k)), _plain(new.get(k))] for k in new if old.get(k) != new.get(k)}


def label(obj: models.Model) -> str:
    """The object's text in the trail: `audit_label()` when the model defines one."""
    named = getattr(obj, "audit_label", None)
    return str(named() if callable(named) else obj)[:255]


def _value(key: str, value: Any, protected: frozenset[str]) -> Any:
    if key in protected:
        return CHANGED
    return [_plain(x) for x in value] if isinstance(value, list) else _plain(value)


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    province_code: str = "",
) -> AuditEvent:
    """Append one audit event for `obj` (protected fields recorded as changed, without values)."""
    protected: frozenset[str] = getattr(type(obj), "AUDIT_PROTECTED", frozenset())
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=label(obj),
        province_code=province_code,
        changes={k: _value(k, v, protected) for k, v in (changes or {}).items()},
    )
