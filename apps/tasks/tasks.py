"""Celery tasks of the tasks app (thin: they call a service and record the run)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils.translation import gettext as _

from apps.jobs.services import track_job


@shared_task(name="tasks.advance_periods")
def advance_periods(today: str | None = None) -> dict:
    """Daily: documents past their period, and ledgers past their reporting window, move to
    总结评估 — their work leaves the live boards, counts and reminders."""
    from apps.contracts.services import advance_fair_windows
    from apps.tasks.services import advance_document_periods

    day = dt.date.fromisoformat(today) if today else None
    with track_job(kind="lifecycle.advance", label=_("文件执行期推进")) as job:
        job.result = {
            "documents": advance_document_periods(today=day),
            "fairs": advance_fair_windows(today=day),
        }
    return job.result
