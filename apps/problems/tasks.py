"""Celery tasks of problem coordination (thin: the service does the work)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils.translation import gettext as _

from apps.jobs.services import track_job
from apps.problems import services


@shared_task(name="problems.escalate_overdue")
def escalate_overdue_problems(today: str | None = None) -> dict:
    """Daily: tickets past their deadline and still unanswered go to the group's 组长."""
    day = dt.date.fromisoformat(today) if today else None
    with track_job(kind="problems.escalate", label=_("问题逾期升级")) as job:
        job.result = services.escalate_overdue_problems(today=day)
    return job.result
