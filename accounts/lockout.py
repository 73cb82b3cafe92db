"""Sign-in lockout on top of django-axes.

Axes locks what `AXES_LOCKOUT_PARAMETERS` names after `AXES_FAILURE_LIMIT` failures: the account
(from any address) and the (account, address) pair. A whole provincial office may sign in from one
NAT address, so the address alone is locked only at the much higher
`PCMT_LOCKOUT_ADDRESS_FAILURES` (password spraying across many accounts). Axes has one failure
limit for every parameter, hence this small handler.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(ip_address: str | None, since: Any) -> int:
    """Failed sign-ins from one address since `since`, whatever the account tried."""
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the per-address threshold.

    `get_failures` is what axes compares with `AXES_FAILURE_LIMIT`, both before a sign-in (is the
    client locked?) and after a failure (lock it now?): an address over its own threshold counts
    as reaching the limit. The request is marked so the locked page can say what is locked.
    """

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures >= limit:
            return failures
        since = get_cool_off_threshold(request)
        if address_failures(getattr(request, "axes_ip_address", None), since) >= settings.PCMT_LOCKOUT_ADDRESS_FAILURES:
            request.pcmt_address_locked = True
            return limit
        return failures
