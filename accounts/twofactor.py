"""Two-step sign-in with a time-based one-time code (TOTP, RFC 6238) through django-otp.

Optional for every account, required for case officers: they handle sensitive registry data.
A person whose account has a confirmed device signs in in two steps (password, then the 6-digit
code from an authenticator app); the device rate-limits wrong codes itself.
"""

from __future__ import annotations

import base64
from binascii import unhexlify
from typing import Any

import segno
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.roles import TWO_FACTOR_ROLES
from access.scope import get_scope
from audit.services import record

ISSUER = "PCMT"
PENDING_KEY = "pcmt_otp_pending_user"


def requires_two_factor(user: Any) -> bool:
    """Case officers must use a second factor (`access.roles.TWO_FACTOR_ROLES`)."""
    return get_scope(user).has_role(*TWO_FACTOR_ROLES)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up (a new secret each time the page is opened fresh)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(unhexlify(device.key)).decode().rstrip("=")


def qr_svg(device: TOTPDevice, username: str) -> str:
    """The otpauth:// URI as an inline SVG QR code (no image library needed)."""
    uri = f"otpauth://totp/{ISSUER}:{username}?secret={secret_base32(device)}&issuer={ISSUER}&digits=6&period=30"
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#222")


def _clean(token: str) -> str:
    return "".join(ch for ch in (token or "") if ch.isdigit())


@transaction.atomic
def confirm_device(*, user: Any, device: TOTPDevice, token: str) -> bool:
    """Confirm a new device with a first valid code; replaces any older device."""
    if device.user_id != user.pk or not device.verify_token(_clean(token)):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor=user, action="otp.enable", obj=user, province_code=user.province_id or "")
    return True


def verify(*, user: Any, token: str) -> TOTPDevice | None:
    device = confirmed_device(user)
    if device is not None and device.verify_token(_clean(token)):
        return device
    return None


@transaction.atomic
def disable(*, acting_user: Any, user: Any) -> None:
    """Remove a person's second factor (by themself, or by their Standing Office after a lost phone)."""
    if getattr(acting_user, "pk", None) != user.pk:
        from accounts.services import check_manages

        check_manages(acting_user, user)
    TOTPDevice.objects.filter(user=user).delete()
    record(actor=acting_user, action="otp.disable", obj=user, province_code=user.province_id or "")
