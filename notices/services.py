"""Sending notifications: in-app always, by e-mail when the person has an address and mail is set up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from notices.models import Notification

if TYPE_CHECKING:
    from accounts.models import User


def notify(*, users: Iterable[User], key: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Send one notification per user for the event `key`; a user already notified is skipped.

    Returns the notifications created now (empty when every user had it already).
    """
    created = []
    for user in users:
        if not user.is_active:
            continue
        try:
            with transaction.atomic():
                created.append(Notification.objects.create(user=user, key=key, title=title, body=body, url=url))
        except IntegrityError:
            continue  # sent before: never twice for the same event
    for n in created:
        if n.user.email and settings.PCMT_EMAIL_NOTIFICATIONS:
            try:
                send_mail(n.title, f"{n.body}\n\n{n.url}".strip(), settings.DEFAULT_FROM_EMAIL, [n.user.email])
            except OSError:
                continue  # the in-app notice stands; mail is best effort
            Notification.objects.filter(pk=n.pk).update(emailed=True)
    return created


def mark_read(*, user: User, notification: Notification) -> None:
    if notification.user_id != user.pk:
        raise PermissionError
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def unread_count(user: User) -> int:
    return Notification.objects.for_user(user).filter(read_at__isnull=True).count()
