"""Celery tasks of the notifications app: thin wrappers that take ids and call services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from apps.notifications import services
from apps.notifications.channels import TransientChannelError


def max_retries() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_RETRIES", 5))


def retry_countdown(retries: int) -> float:
    """Exponential backoff: base, 2×base, 4×base … capped (seconds; settings may change it)."""
    base = float(getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF", 60))
    cap = float(getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF_MAX", 3600))
    return min(cap, base * (2**retries))


@shared_task(bind=True, name="notifications.deliver", ignore_result=True)
def deliver_notification(self, notification_id: int, channel: str) -> None:
    """Deliver one notification through one channel; one task each, so channels are independent.

    On a worker a failed attempt is retried later with exponential backoff. Without a broker
    (the embedded default runs tasks in-process) there is nobody to retry later, so the
    attempts follow each other at once.
    """
    limit = max_retries()
    retries = self.request.retries
    while True:
        try:
            services.deliver(
                notification_id=notification_id,
                channel=channel,
                attempt=retries + 1,
                final=retries >= limit,
                task_id=self.request.id or "",
            )
            return
        except TransientChannelError as exc:
            if self.request.is_eager:
                retries += 1
                continue
            raise self.retry(
                exc=exc, countdown=retry_countdown(retries), max_retries=limit
            ) from exc
