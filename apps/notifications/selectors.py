"""Reads of the notifications app."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core import permissions as policy
from apps.notifications.models import Notification


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """A user's own notifications, newest first (nobody reads another user's inbox)."""
    # The policy scopes notifications to their recipient; the inbox is the user's own even for
    # an administrator.
    qs = (
        policy.restrict(Notification.objects.all(), user, policy.Action.VIEW)
        .for_user(user)
        .only("id", "kind", "title", "body", "url", "created_at", "read_at", "recipient_id")
    )
    return qs.unread() if unread_only else qs


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()
