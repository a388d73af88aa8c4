"""The nightly snapshot job (01:30 Asia/Shanghai, the day that has just ended)."""

import datetime as dt

from celery import shared_task
from django.utils.translation import gettext as _

from apps.dashboard import snapshots
from apps.jobs.services import track_job


@shared_task(name="dashboard.take_snapshots")
def take_snapshots(date: str | None = None) -> dict:
    with track_job(kind="snapshots.nightly", label=_("每日快照")) as job:
        job.result = snapshots.take_snapshots(day=dt.date.fromisoformat(date) if date else None)
    return job.result
