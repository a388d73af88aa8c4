"""Writes of the notifications app: send a notification, record deliveries, mark read."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from apps.accounts.models import User
from apps.core import permissions as policy
from apps.notifications.channels import (
    CHANNELS,
    PermanentChannelError,
    TransientChannelError,
    get_channel,
)
from apps.notifications.models import (
    MUTABLE_CHANNELS,
    Delivery,
    Kind,
    Mute,
    Notification,
    ReminderRecord,
    category_of,
)
from apps.reference.models import Organization

logger = logging.getLogger(__name__)


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    kind: str = Kind.GENERAL,
    title: Text,
    body: Text = "",
    url: str = "",
    organization: Organization | None = None,
    reminder: ReminderRecord | None = None,
    group: bool = False,
    channels: Iterable[str] | None = None,
    event_key: str | None = None,
) -> list[Notification]:
    """Create one notification per recipient (plus one for the unit's group robot if ``group``).

    Inline channels (the inbox) are recorded at once; every other channel that applies gets
    its own Celery task after commit, so a slow or failing channel never holds up the others
    and nothing is sent for a transaction that rolls back. ``channels`` limits the channels
    (e.g. ``("inbox",)`` for a note that needs no email).

    ``event_key`` names the event (e.g. ``project_review_event:12``): each recipient gets it
    at most once — a unique key per event and recipient, so a repeated or racing call sends
    nothing more. What a user muted for the kind's category is honoured: no e-mail, and an
    inbox item that arrives already read (kept for the record, no alert).

    ``title`` and ``body`` are text, or a function of no arguments returning it (built with
    gettext): that is called in each recipient's language (``User.language``) — the group
    robot's in the platform's default language — so each gets the message in their own.
    """
    users = list(recipients)
    category = category_of(kind)
    muted = muted_channels(users, category)
    fields = {"kind": kind, "url": url, "organization": organization, "reminder": reminder}
    rendered: dict[str, dict[str, str]] = {}

    def texts(language: str) -> dict[str, str]:
        if language not in rendered:
            rendered[language] = {
                "title": render_text(title, language)[:200],
                "body": render_text(body, language),
            }
        return rendered[language]

    now = timezone.now()
    notifications = []
    for user in users:
        off = muted.get(user.pk, set())
        if {"inbox", "email"} <= off:
            continue
        language = getattr(user, "language", "") or settings.LANGUAGE_CODE
        n = Notification(recipient=user, **fields, **texts(language))
        if "inbox" in off:
            n.read_at = now
        n._muted = off
        notifications.append(n)
    if group and organization is not None and organization.webhook_url:
        n = Notification(recipient=None, **fields, **texts(settings.LANGUAGE_CODE))
        n._muted = set()
        notifications.append(n)
    if event_key:
        for n in notifications:
            who = f"u{n.recipient.pk}" if n.recipient is not None else f"org{organization.pk}"
            n.dedupe_key = f"{event_key}|{who}"[:120]
    for n in notifications:
        n.full_clean(exclude=["recipient", "organization", "reminder", "dedupe_key"])
    notifications = _insert_once(notifications)

    inline, queued = [], []
    for n in notifications:
        for channel in CHANNELS.values():
            if channels is not None and channel.name not in channels:
                continue
            if channel.name in n._muted or not channel.applies(n):
                continue
            if channel.inline:
                inline.append(
                    Delivery(
                        notification=n,
                        channel=channel.name,
                        attempt=1,
                        status=Delivery.Status.SENT,
                        target=channel.target(n),
                    )
                )
            else:
                queued.append((n.pk, channel.name))
    Delivery.objects.bulk_create(inline)
    if queued:
        # robust: a broker that is down must not break the request that sent the notification.
        transaction.on_commit(partial(_queue_deliveries, queued), robust=True)
    return notifications


Text = str | Promise | Callable[[], str]


def render_text(value: Text, language: str) -> str:
    """A notification's text in ``language``: a function is called, a lazy text resolved,
    with that language active."""
    if isinstance(value, str):
        return value
    with translation.override(language):
        return str(value() if callable(value) else value)


def _insert_once(notifications: list[Notification]) -> list[Notification]:
    """Insert the notifications whose dedupe key is new; a concurrent sender that got there
    first (unique violation) wins and ours are dropped."""
    keys = [n.dedupe_key for n in notifications if n.dedupe_key]
    if keys:
        sent = set(
            Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
        notifications = [n for n in notifications if n.dedupe_key not in sent]
    if not notifications:
        return []
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(notifications)
    except IntegrityError:
        if not keys:
            raise
        logger.info("event notification already sent by a concurrent run: %s", keys[0])
        return []
    return notifications


def muted_channels(users: list[User], category: str) -> dict[int, set[str]]:
    """user id → the channels that user muted for ``category`` (one query)."""
    out: dict[int, set[str]] = {}
    if not users:
        return out
    for user_id, channel in Mute.objects.filter(
        user__in={u.pk for u in users}, category=category
    ).values_list("user_id", "channel"):
        out.setdefault(user_id, set()).add(channel)
    return out


@transaction.atomic
def set_mutes(*, user: User, muted: Iterable[tuple[str, str]]) -> int:
    """Replace the user's mutes with ``muted`` ((category, channel) pairs the rules allow)."""
    wanted = {
        (category, channel)
        for category, channel in muted
        if channel in MUTABLE_CHANNELS.get(category, ())
    }
    Mute.objects.filter(user=user).delete()
    Mute.objects.bulk_create([Mute(user=user, category=c, channel=ch) for c, ch in sorted(wanted)])
    return len(wanted)


def _queue_deliveries(queued: list[tuple[int, str]]) -> None:
    from apps.notifications.tasks import deliver_notification

    for notification_id, channel in queued:
        try:
            deliver_notification.delay(notification_id, channel)
        except Exception:  # broker unreachable: log it, keep queuing the others
            logger.exception("could not queue delivery %s/%s", channel, notification_id)


def unit_recipients(organization: Organization):
    """Who receives a unit's reminders: its active 填报员 (staff) users."""
    from apps.accounts.models import Role

    return User.objects.filter(organization=organization, role=Role.STAFF, is_active=True)


def notify_unit(
    *,
    organization: Organization,
    kind: str,
    title: Text,
    body: Text = "",
    url: str = "",
    reminder: ReminderRecord | None = None,
    event_key: str | None = None,
) -> list[Notification]:
    """A unit's staff get it in their inbox and by email; the unit's group robot too."""
    return notify(
        event_key=event_key,
        recipients=list(unit_recipients(organization)),
        kind=kind,
        title=title,
        body=body,
        url=url,
        organization=organization,
        reminder=reminder,
        group=True,
    )


def deliver(
    *, notification_id: int, channel: str, attempt: int, final: bool, task_id: str = ""
) -> Delivery | None:
    """Try one channel once and record the attempt, whatever its outcome.

    Raises ``TransientChannelError`` when the attempt failed and another is allowed (the task
    retries with backoff); a final or permanent failure is recorded as given up.
    """
    notification = (
        Notification.objects.select_related("recipient", "organization")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return None
    if Delivery.objects.filter(
        notification=notification, channel=channel, status=Delivery.Status.SENT
    ).exists():
        return None  # a duplicate task: it already went out
    record = Delivery(
        notification=notification,
        channel=channel,
        attempt=attempt,
        task_id=task_id or "",
        at=timezone.now(),
    )
    try:
        handler = get_channel(channel)
        record.target = handler.target(notification)[:255]
        handler.send(notification)
    except PermanentChannelError as exc:
        record.status, record.error = Delivery.Status.GAVE_UP, str(exc)
    except TransientChannelError as exc:
        record.status = Delivery.Status.GAVE_UP if final else Delivery.Status.FAILED
        record.error = str(exc)
        if not final:
            record.save()
            logger.info(
                "delivery %s/%s attempt %s failed: %s", channel, notification_id, attempt, exc
            )
            raise
    else:
        record.status = Delivery.Status.SENT
    record.save()
    if record.status == Delivery.Status.GAVE_UP:
        logger.warning(
            "delivery %s/%s gave up after attempt %s: %s",
            channel,
            notification_id,
            attempt,
            record.error,
        )
    return record


def mark_read(*, user: User, notification_id: int) -> Notification:
    # Only the recipient marks their notification read (policy: personal records).
    notification = policy.restrict(Notification.objects.all(), user, policy.Action.CHANGE).get(
        pk=notification_id, recipient=user
    )
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
