"""Celery tasks of the notifications app: thin wrappers that take ids and call services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from apps.jobs.services import track_job
from apps.notifications import reminders, services
from apps.notifications.channels import TransientChannelError


def max_retries() -> int:
    return settings.NOTIFICATIONS_MAX_RETRIES


def retry_countdown(retries: int) -> int:
    """Exponential backoff: base, 2×base, 4×base … capped (seconds; settings may change it)."""
    base = settings.NOTIFICATIONS_RETRY_BACKOFF
    return min(settings.NOTIFICATIONS_RETRY_BACKOFF_MAX, base * (2**retries))


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
