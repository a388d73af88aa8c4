"""Celery tasks of the project library: the client push (thin: the work is in
apps.projects.push) and the library's background jobs (export, import).

The push's task names keep their ``accounts.`` prefix: the beat schedule (apps.jobs.schedules) and
queued messages name them, and the push moved here from accounts (issue 10 point 4) only
because it publishes the project library; the subscriptions stay accounts' models."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils.translation import gettext as _

from apps.core.delivery import RetryingTask, TransientChannelError
from apps.jobs.services import input_file, job_query, job_task, track_job
from apps.projects import push

MAX_RETRIES = 5


@shared_task(name="accounts.push_major_projects")
def push_major_projects() -> dict:
    """Scheduled: queue one push per active subscription."""
    with track_job(kind="push.major_projects", label=_("重大项目清单推送")) as job:
        job.result = push.queue_pushes()
    return job.result


@shared_task(
    bind=True,
    base=RetryingTask,
    name="accounts.push_subscription",
    autoretry_for=(TransientChannelError,),
    retry_backoff=30,  # 30 s, 60 s, 120 s … (full jitter), at most 10 minutes apart
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def push_subscription(self, subscription_id: int, until: str) -> str:
    """One attempt; Celery retries a ``TransientChannelError`` with backoff (autoretry_for).
    In-process (no broker, the tests) Celery's eager retry runs the next attempt at once."""
    return push.push_once(
        subscription_id=subscription_id,
        until=dt.datetime.fromisoformat(until),
        attempt=self.request.retries + 1,
        final=self.request.retries >= MAX_RETRIES,
    )


# --- the library's background jobs (one task per kind, each taking the JobRun's id) ---------


@job_task("projects.export")
def export_projects(job, progress):
    """A large 重大项目清单 export: the page's filters, re-applied to what the starter may see."""
    from apps.projects import excel, selectors
    from apps.projects.filters import ProjectFilter

    visible = selectors.visible_projects(job.user)
    queryset = ProjectFilter(job_query(job) or None, queryset=visible).qs.select_related(
        "region", "sector", "infrastructure_domain", "responsible_unit", "supervising_department",
        "campaign",
    )  # fmt: skip
    return excel.export_projects_job(
        queryset=queryset, filters=job.kwargs.get("filters"), progress=progress
    )


@job_task("projects.import")
def import_projects(job, progress):
    """A large 建议表 import: validated and imported all or nothing, as the page does."""
    from apps.projects import excel

    with input_file(job) as file:
        return excel.import_projects(file=file, user=job.user, progress=progress)
