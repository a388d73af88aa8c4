"""Faults (issue 9 §18): redelivered jobs run once, the reaper, the broker down.

Before this change a job whose worker died stayed "running" for ever: tasks were acknowledged
on receipt (no redelivery), ``execute`` skipped any job not "queued", and nothing looked for
stuck jobs; with Redis down a started job was simply marked failed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from apps.jobs import services
from apps.jobs.models import JobRun
from apps.jobs.schedules import due_tasks, setup_schedules
from apps.notifications.models import Notification
from tests.jobs import jobfuncs  # registers the test job kinds (tests.jobs.*)

pytestmark = pytest.mark.django_db

S = JobRun.Status


def stuck_job(user, *, started=None, attempts=1, retry_safe=True, func="slow", **extra):
    return JobRun.objects.create(
        kind=extra.pop("kind", "projects.export"),
        label="导出重大项目清单",
        user=user,
        status=S.RUNNING,
        started_at=started or timezone.now(),
        attempts=attempts,
        retry_safe=retry_safe,
        task_name=f"tests.jobs.{func}" if func else "",
        kwargs={"steps": 2, "delay": 0} if func else {},
        **extra,
    )


def inbox(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True)
    )


@contextlib.contextmanager
def live_run_holding(job_id: int):
    """Another database session holds the job's run lock, as a live worker does."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [services.JOB_LOCK_NAMESPACE, job_id])
        yield
    finally:
        other.close()


def test_tasks_are_acknowledged_late_and_redelivered_after_the_time_limit():
    from qhprojects.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_time_limit == settings.JOBS_TIME_LIMIT == 30 * 60
    assert app.conf.task_soft_time_limit == 25 * 60
    # Redis must not hand a job that is still running to a second worker.
    assert app.conf.broker_transport_options["visibility_timeout"] == 35 * 60
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


# --- redelivery ------------------------------------------------------------------------------


def test_a_redelivery_while_the_run_is_alive_does_nothing(staff_xining):
    job = stuck_job(staff_xining)
    with live_run_holding(job.pk):
        assert services.execute(job_id=job.pk, task_id="again", work=jobfuncs.slow.work) is None
    job.refresh_from_db()
    assert (job.status, job.attempts, job.task_id) == (S.RUNNING, 1, "")
    assert inbox(staff_xining) == []


def test_a_redelivery_after_the_worker_died_reruns_it_once(staff_xining):
    job = stuck_job(staff_xining)  # "running", but no live run holds it: its worker died
    services.execute(job_id=job.pk, task_id="redelivered", work=jobfuncs.slow.work)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (S.SUCCEEDED, 2, {"steps": 2})
    # A further delivery of the same message finds it finished: never twice to completion.
    assert services.execute(job_id=job.pk, task_id="third", work=jobfuncs.slow.work) is None
    job.refresh_from_db()
    assert (job.status, job.attempts, job.task_id) == (S.SUCCEEDED, 2, "redelivered")
    assert inbox(staff_xining) == ["导出重大项目清单已完成"]


@pytest.mark.parametrize(
    ("retry_safe", "attempts"), [(False, 1), (True, 2)], ids=["not-retry-safe", "retried-once"]
)
def test_a_dead_run_that_may_not_run_again_fails_cleanly(staff_xining, retry_safe, attempts):
    job = stuck_job(staff_xining, retry_safe=retry_safe, attempts=attempts)
    assert services.execute(job_id=job.pk, task_id="redelivered", work=jobfuncs.slow.work) is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == (S.FAILED, attempts)
    assert job.message == services.INTERRUPTED_MESSAGE and job.finished_at is not None
    assert inbox(staff_xining) == ["导出重大项目清单失败"]


def test_without_advisory_locks_a_running_job_counts_as_dead_only_past_its_time_limit(
    staff_xining,
):
    """SQLite has no advisory locks: the time limit decides (the worker kills a run there)."""
    with freeze_time("2026-12-01 09:00:00"):
        job = stuck_job(staff_xining)
    with freeze_time("2026-12-01 09:29:59"):
        assert services._take(job.pk, "t", run_is_dead=False) is False
        job.refresh_from_db()
        assert job.status == S.RUNNING  # alive as far as anyone can tell: left alone
    with freeze_time("2026-12-01 09:30:01"):
        assert services._take(job.pk, "t", run_is_dead=False) is True
    job.refresh_from_db()
    assert (job.status, job.attempts) == (S.RUNNING, 2)


# --- the reaper --------------------------------------------------------------------------------


def test_the_reaper_retries_a_stuck_job_once_and_tells_its_user(
    staff_xining, django_capture_on_commit_callbacks
):
    with freeze_time("2026-12-01 09:00:00"):
        job = stuck_job(staff_xining)
    # Time limit 30 min + 60 s grace.
    with freeze_time("2026-12-01 09:30:59"):
        assert services.reap_jobs() == {
            "requeued_delayed": 0, "requeued_lost": 0, "retried": 0, "failed": 0
        }  # fmt: skip
    job.refresh_from_db()
    assert job.status == S.RUNNING
    with freeze_time("2026-12-01 09:31:01"), django_capture_on_commit_callbacks(execute=True):
        assert services.reap_jobs()["retried"] == 1
    job.refresh_from_db()
    # Queued again and (no broker here) run at once: the second and last attempt.
    assert (job.status, job.attempts) == (S.SUCCEEDED, 2)
    assert inbox(staff_xining) == ["导出重大项目清单中断，正在重试", "导出重大项目清单已完成"]


def test_the_reaper_fails_what_it_may_not_retry(staff_xining, reviewer):
    with freeze_time("2026-12-01 09:00:00"):
        second = stuck_job(staff_xining, attempts=2)
        unsafe = stuck_job(staff_xining, retry_safe=False)
        scheduled = stuck_job(reviewer, func="", retry_safe=False, kind="snapshots.nightly")
    with freeze_time("2026-12-01 10:00:00"):
        assert services.reap_jobs()["failed"] == 3
    for job in (second, unsafe, scheduled):
        job.refresh_from_db()
        assert job.status == S.FAILED and job.message == services.INTERRUPTED_MESSAGE
        assert "运行超过时限（30 分钟）" in job.error
        assert job.finished_at == dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    assert inbox(staff_xining) == ["导出重大项目清单失败", "导出重大项目清单失败"]
    assert inbox(reviewer) == ["导出重大项目清单失败"]


def test_the_reaper_leaves_a_live_run_alone(staff_xining):
    with freeze_time("2026-12-01 09:00:00"):
        job = stuck_job(staff_xining)
    with freeze_time("2026-12-01 10:00:00"), live_run_holding(job.pk):
        assert services.reap_jobs()["failed"] == services.reap_jobs()["retried"] == 0
    job.refresh_from_db()
    assert job.status == S.RUNNING


def test_beat_and_run_due_jobs_run_the_reaper(staff_xining, django_capture_on_commit_callbacks):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    setup_schedules()
    task = PeriodicTask.objects.get(name="恢复中断的后台作业")
    assert (task.task, task.crontab.minute, task.crontab.hour) == ("jobs.reap", "*/5", "*")
    with freeze_time("2026-12-01 09:00:00"):
        job = stuck_job(staff_xining, retry_safe=False)
    PeriodicTask.objects.filter(pk=task.pk).update(
        last_run_at=dt.datetime(2026, 12, 1, 9, 55, tzinfo=dt.UTC)
    )
    with freeze_time("2026-12-01 10:00:30"):
        assert task in due_tasks()
        call_command("run_due_jobs", job=["reap-jobs"], stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == S.FAILED


# --- the broker down -----------------------------------------------------------------------------


@contextlib.contextmanager
def broker_at(url: str):
    """Queue to the broker at ``url`` for real (no eager execution) inside the block."""
    from qhprojects.celery import app
    from tests.jobs.worker import _reset_pools

    keys = {"CELERY_BROKER_URL": url, "CELERY_TASK_ALWAYS_EAGER": False}
    saved = {key: app.conf.get(key) for key in keys}
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url  # Celery prefers the environment's broker URL
    app.conf.update(keys)
    _reset_pools(app)
    try:
        yield
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        app.conf.update(saved)
        _reset_pools(app)


def test_redis_down_pages_work_and_say_the_work_is_delayed(
    client, reviewer, monkeypatch, django_capture_on_commit_callbacks, settings
):
    settings.MEDIA_ROOT = settings.MEDIA_ROOT  # (job_settings already points it at tmp)
    monkeypatch.setattr("apps.projects.views.EXPORT_IN_BACKGROUND", -1)  # always a job
    client.force_login(reviewer)
    with broker_at("redis://127.0.0.1:8149/0"):  # nothing listens there
        with django_capture_on_commit_callbacks(execute=True):
            started = client.get(reverse("projects:export"))
        assert started.status_code == 302
        job = JobRun.objects.get(kind="projects.export")
        assert (job.status, job.message) == (S.DELAYED, services.DELAYED_MESSAGE)
        page = client.get(started["Location"])
        assert page.status_code == 200
        assert "等待后台服务" in page.content.decode()
        assert "后台服务暂时不可用：作业已登记，恢复后将自动执行。" in page.content.decode()
        for path in ["/", "/projects/", reverse("jobs:list")]:
            assert client.get(path).status_code == 200
        # The reaper runs while Redis is still down: the job keeps waiting.
        services.reap_jobs()
        job.refresh_from_db()
        assert job.status == S.DELAYED
    # The broker is back (here: in-process execution): the reaper queues it and it runs.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reap_jobs()["requeued_delayed"] == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (S.SUCCEEDED, 1)
    assert job.result_file
