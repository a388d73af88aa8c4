"""Celery tasks of the client push (thin: the work is in apps.accounts.push)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils.translation import gettext as _

from apps.accounts import push
from apps.jobs.services import track_job
from apps.notifications.channels import TransientChannelError

MAX_RETRIES = 5


@shared_task(name="accounts.push_major_projects")
def push_major_projects() -> dict:
    """Scheduled: queue one push per active subscription."""
    with track_job(kind="push.major_projects", label=_("重大项目清单推送")) as job:
        job.result = push.queue_pushes()
    return job.result


@shared_task(
    bind=True,
    name="accounts.push_subscription",
    autoretry_for=(TransientChannelError,),
    retry_backoff=30,  # 30 s, 60 s, 120 s … (jittered), at most 10 minutes apart
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def push_subscription(self, subscription_id: int, until: str) -> str:
    """On a worker, Celery retries a failed attempt with backoff (autoretry_for). Without a
    broker (tasks run in-process) nobody retries later, so the attempts follow at once."""
    retries = self.request.retries
    while True:
        try:
            return push.push_once(
                subscription_id=subscription_id,
                until=dt.datetime.fromisoformat(until),
                attempt=retries + 1,
                final=retries >= MAX_RETRIES,
            )
        except TransientChannelError:
            if not self.request.is_eager:
                raise
            retries += 1
