"""Personal access tokens for machine clients of the API, as DHIS2 issues them.

A person creates a token for a program that calls the API in their name (a script that sends a
province's figures, a DHIS2 sync). The token is a random secret shown once; PCMT keeps only its
SHA-256 digest. The token acts exactly as its owner: the same roles and scope, read at each
request, so a revoked role or a deactivated account ends its reach at once. It is refused when
expired or revoked, from an address outside its allowlist, for an account that must change its
password, and for a case officer's account without a confirmed second factor.

Clients send it as `Authorization: ApiToken pcmt_…` (DHIS2's header) or `Authorization: Bearer pcmt_…`.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import twofactor
from accounts.models import ApiToken
from audit.services import record

if TYPE_CHECKING:
    from accounts.models import User

PREFIX = "pcmt_"
LIFETIMES = (30, 90, 180, 365)  # days a token may live, as offered on the page
MAX_ACTIVE = 10
SCHEMES = ("apitoken", "bearer")
# Writing `last_used_at` at most once a minute keeps a busy client from writing on every call.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_allowed_ips(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Addresses or networks separated by commas, spaces or new lines; a wrong one is refused."""
    networks = []
    for part in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValidationError(
                f"Địa chỉ IP không hợp lệ: {part} (ví dụ đúng: 10.0.0.5 hoặc 10.0.0.0/24).", code="ip"
            ) from None
    return networks


def create_token(
    *, acting_user: User, name: str, days: int, password: str, allowed_ips: str = ""
) -> tuple[ApiToken, str]:
    """Create a token for the acting user; return it with its secret (the only time it exists)."""
    if not acting_user.check_password(password):
        raise ValidationError({"password": "Mật khẩu không đúng."})
    if days not in LIFETIMES:
        raise ValidationError({"days": "Thời hạn phải là 30, 90, 180 hoặc 365 ngày."})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Đặt một tên gợi nhớ cho mã (ví dụ: Đồng bộ DHIS2)."})
    networks = parse_allowed_ips(allowed_ips)
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(
            user=acting_user, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        if len(active) >= MAX_ACTIVE:
            raise ValidationError(
                f"Mỗi tài khoản có tối đa {MAX_ACTIVE} mã còn hiệu lực: thu hồi một mã không dùng nữa trước."
            )
        secret = PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=acting_user,
            name=name[:100],
            prefix=secret[: len(PREFIX) + 6],
            digest=digest(secret),
            allowed_ips=" ".join(str(n) for n in networks),
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        record(
            actor=acting_user,
            action="api_token.create",
            obj=token,
            changes={"name": [None, token.name], "days": [None, days], "allowed_ips": [None, token.allowed_ips]},
            province_code=acting_user.province_id or "",
        )
    return token, secret


def revoke_token(*, acting_user: User, token: ApiToken) -> ApiToken:
    """Revoke one of the acting user's own tokens (revoking twice changes nothing)."""
    if token.user_id != acting_user.pk:
        raise PermissionDenied("Chỉ người tạo mã mới thu hồi được mã này.")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            record(
                actor=acting_user,
                action="api_token.revoke",
                obj=locked,
                province_code=acting_user.province_id or "",
            )
    return locked


def secret_from_header(header: str) -> str | None:
    """The token of an `Authorization` header, or None when the header carries no token scheme."""
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() not in SCHEMES:
        return None
    return value.strip()


def authenticate(secret: str, address: str | None) -> User | None:
    """The owner of a valid token used from an allowed address, or None."""
    if not secret.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    if token is None or not token.is_active:
        return None
    if token.allowed_ips:
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return None
        if not any(ip in network for network in parse_allowed_ips(token.allowed_ips)):
            return None
    user = token.user
    if not user.is_active or user.must_change_password:
        return None
    if twofactor.requires_two_factor(user) and twofactor.confirmed_device(user) is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
