"""Celery tasks of the notifications app: thin wrappers that take ids and call services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from apps.core.delivery import RetryingTask
from apps.jobs.services import track_job
from apps.notifications import reminders, services


class DeliveryTask(RetryingTask):
    """Retries are Celery's own (``RetryingTask``: ``autoretry_for`` a
    ``TransientChannelError``, exponential backoff, full jitter).

    Celery reads ``retry_backoff`` and ``retry_backoff_max`` once, when the task is registered
    (at worker start), in whole seconds (at least 1); the retry count is read at each attempt,
    so ``NOTIFICATIONS_MAX_RETRIES`` may change without a restart. Run in-process (no broker,
    and the unit tests), Celery runs the next attempt at once instead.
    """

    retry_backoff = settings.NOTIFICATIONS_RETRY_BACKOFF
    retry_backoff_max = settings.NOTIFICATIONS_RETRY_BACKOFF_MAX

    @property
    def max_retries(self) -> int:
        return settings.NOTIFICATIONS_MAX_RETRIES


@shared_task(bind=True, base=DeliveryTask, name="notifications.deliver", ignore_result=True)
def deliver_notification(self, notification_id: int, channel: str) -> None:
    """Deliver one notification through one channel; one task each, so channels are independent.

    ``services.deliver`` records every attempt; it raises ``TransientChannelError`` (and the
    task is retried) unless this is the last attempt allowed, which it records as given up.
    """
    services.deliver(
        notification_id=notification_id,
        channel=channel,
        attempt=self.request.retries + 1,
        final=self.request.retries >= self.max_retries,
        task_id=self.request.id or "",
    )


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


@shared_task(name="notifications.report_reminders")
def send_report_reminders(stage: str = "due", today: str | None = None) -> dict:
    """Scheduled on the 1st (stage "due") and the 4th (stage "last_call") at 09:00."""
    label = "月报提醒" if stage == "due" else "月报再次提醒"
    with track_job(kind=f"reminders.{stage}", label=label) as job:
        job.result = reminders.send_report_reminders(stage=stage, today=_date(today))
    return job.result


@shared_task(name="notifications.overdue_digests")
def send_overdue_digests(today: str | None = None) -> dict:
    """Scheduled on the 6th at 09:00: coordinators get the units still overdue."""
    with track_job(kind="reminders.overdue_digest", label=_("逾期未报单位清单")) as job:
        job.result = reminders.send_overdue_digests(today=_date(today))
    return job.result


@shared_task(name="notifications.escalate_overdue_tasks")
def escalate_overdue_tasks(today: str | None = None) -> dict:
    """Daily: units with overdue task assignments are chased (once a week each)."""
    with track_job(kind="reminders.task_overdue", label=_("逾期任务督办")) as job:
        job.result = reminders.escalate_overdue_tasks(today=_date(today))
    return job.result


@shared_task(name="notifications.campaign_reminders")
def send_campaign_reminders(today: str | None = None) -> dict:
    """Daily: units are reminded before each deadline of the current 谋划行动."""
    with track_job(kind="reminders.campaign", label=_("谋划行动节点提醒")) as job:
        job.result = reminders.send_campaign_reminders(today=_date(today))
    return job.result
