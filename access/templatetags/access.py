"""`{% load access %}{% if request.user|can:"task.manage" %}…{% endif %}`: templates read the
same feature table as views."""

from __future__ import annotations

from django import template

from access.policy import can as _can
from access.scope import ScopedUser

register = template.Library()


@register.filter
def can(user: ScopedUser | None, key: str) -> bool:
    return _can(user, key)
