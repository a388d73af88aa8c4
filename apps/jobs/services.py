"""Start, run and record background jobs.

``start_job`` is how a page hands a long import or export to Celery: it stores a ``JobRun``
(with the uploaded file and plain JSON arguments: ids, the page's query) and queues, after
commit, the job's own task. Each kind of job is one small Celery task that takes the
JobRun's id and nothing else, declared with ``@job_task("<app>.<kind>")`` on a function
``work(job, progress)`` in the app's ``tasks.py``; the function rebuilds what it needs from the
job (``job.user``, ``job.kwargs``, ``job_query(job)``, ``job.input_file``) and calls the
service. Whatever it returns (an ``ImportReport``, workbook bytes, a ``(filename, bytes)`` or
``(filename, file)`` pair, or a dict of counts) becomes the job's outcome.

``track_job`` wraps the scheduled jobs (reminders, snapshots) so each run is recorded as well.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
import traceback
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from celery import Task, current_app, shared_task
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, connections, transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from apps.core.excel import ImportRejected, ImportReport
from apps.jobs.models import JobRun
from apps.jobs.signals import job_notice

logger = logging.getLogger(__name__)

# A job waiting for a worker: queued, or delayed because the broker was down.
WAITING = (JobRun.Status.QUEUED, JobRun.Status.DELAYED)
DELAYED_MESSAGE = "后台服务暂时不可用：作业已登记，恢复后将自动执行。"
INTERRUPTED_MESSAGE = "后台进程在运行中中断，作业未完成。请重新发起。"
RETRYING_MESSAGE = "后台进程在运行中中断，已自动重新排队（重试一次）。"
# Session advisory-lock namespace of running jobs (pg_try_advisory_lock(namespace, job id)).
JOB_LOCK_NAMESPACE = 4_815


# --- job kinds: one small Celery task each --------------------------------------------------------

#: ``work(job, progress)``: what one kind of job does, given its JobRun and the progress callback.
Work = Callable[[JobRun, "ProgressReporter"], Any]


def job_task(name: str) -> Callable[[Work], Task]:
    """Declare the Celery task of one kind of job, named ``name`` (e.g. ``"projects.export"``).

    The task takes the JobRun's id only; ``execute`` runs ``work`` once per job whatever the
    broker delivers (late acks, redelivery after a dead worker). The decorated name is the
    task: pass it to ``start_job(task=…)``.
    """

    def register(work: Work) -> Task:
        @shared_task(bind=True, name=name, ignore_result=True)
        def run(self, job_id: int) -> None:
            execute(job_id=job_id, task_id=self.request.id or "", work=work)

        run.work = work
        run.__doc__ = work.__doc__
        return run

    return register


def query_data(data: QueryDict | dict | None) -> dict[str, list[str]]:
    """A page's query (``request.GET``) as JSON for ``start_job(kwargs=…)``."""
    if isinstance(data, QueryDict):
        return {key: data.getlist(key) for key in data}
    return {k: v if isinstance(v, list) else [v] for k, v in (data or {}).items()}


def job_query(job: JobRun, key: str = "query") -> QueryDict:
    """The page's query stored by ``query_data``, for the FilterSet the page used."""
    data = QueryDict(mutable=True)
    for name, items in job.kwargs.get(key, {}).items():
        data.setlist(name, items if isinstance(items, list) else [items])
    return data


@contextlib.contextmanager
def input_file(job: JobRun) -> Iterator[File]:
    """The uploaded file of an import job, open for reading."""
    opened = job.input_file.open("rb")
    try:
        yield opened
    finally:
        opened.close()


# --- progress ------------------------------------------------------------------------------------


class ProgressReporter:
    """The ``progress(done, total=None, message="")`` callback handed to service functions.

    Import services run inside one transaction; progress written through that connection would
    stay invisible until the end. So inside a transaction the reporter writes through a second,
    autocommitting connection (PostgreSQL), throttled to a few writes a second.
    """

    def __init__(self, job_id: int, *, min_interval: float = 0.3) -> None:
        self.job_id = job_id
        self.min_interval = min_interval
        self._last = 0.0
        self._side = None
        self.state: dict[str, Any] = {}  # the latest values reported, written or not

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        values = {"progress_done": max(0, int(done)), "message": str(message)[:500]}
        if total is not None:
            values["progress_total"] = max(0, int(total))
        self.state.update(values)
        now = time.monotonic()
        if now - self._last < self.min_interval and not (total and done >= total):
            return
        self._last = now
        if not connection.in_atomic_block:
            JobRun.objects.filter(pk=self.job_id).update(**values)
        elif connection.vendor == "postgresql":
            self._write_side(values)
        # SQLite inside a transaction: one writer only; the final state is written at the end.

    def _write_side(self, values: dict[str, Any]) -> None:
        if self._side is None:
            self._side = connections.create_connection("default")
        columns = ", ".join(f"{connection.ops.quote_name(k)} = %s" for k in values)
        table = connection.ops.quote_name(JobRun._meta.db_table)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {columns} WHERE id = %s",  # our own column names only
                [*values.values(), self.job_id],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


# --- starting and running ------------------------------------------------------------------------


def start_job(
    *,
    kind: str,
    user: Any,
    task: Task,
    kwargs: dict[str, Any] | None = None,
    input_file: UploadedFile | None = None,
    label: str = "",
    retry_safe: bool = True,
) -> JobRun:
    """Record a job and queue its ``task`` (a ``@job_task``) once the current transaction
    commits; returns the JobRun. ``kwargs`` are plain JSON values (ids, ``query_data(…)``).

    Redirect the user to ``job_url(job)``: the page shows progress and, at the end, the file
    or the error report. Without a broker the job runs in-process before the response.
    ``retry_safe``: running the function again after an interruption cannot apply anything
    twice (true of our exports, and of imports, which run in one transaction); pass False
    otherwise, and an interrupted run is failed instead of retried.
    """
    registered = current_app.tasks.get(getattr(task, "name", None) or "")
    real = getattr(task, "_get_current_object", lambda: task)()  # shared_task gives a proxy
    if registered is None or registered is not real or getattr(real, "work", None) is None:
        raise ValueError(_("不是登记的作业任务：%(task)s") % {"task": task})
    job = JobRun(
        kind=kind,
        label=label,
        user=user if getattr(user, "is_authenticated", False) else None,
        task_name=task.name,
        kwargs=kwargs or {},
        retry_safe=retry_safe,
    )
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "upload.xlsx"), input_file, save=False)
    job.full_clean(exclude=["input_file", "result_file"])
    job.save()
    transaction.on_commit(partial(_queue, job.pk, job.task_name), robust=True)
    return job


def _queue(job_id: int, task_name: str) -> bool:
    """Send the job to its task; False when the broker is unreachable (the job waits)."""
    task = current_app.tasks.get(task_name)
    if task is None:  # e.g. a kind removed by a deployment while the job waited
        JobRun.objects.filter(pk=job_id, status__in=WAITING).update(
            status=JobRun.Status.FAILED,
            error=f"没有这种作业的任务：{task_name}",
            finished_at=timezone.now(),
        )
        return False
    try:
        result = task.delay(job_id)
    except BrokerUnavailable as exc:
        # Redis is down: the request goes on; the job waits as DELAYED and the reaper queues
        # it again when the broker is back. The job page says so.
        logger.warning("broker unavailable, job %s delayed: %s", job_id, exc)
        JobRun.objects.filter(pk=job_id, status__in=WAITING).update(
            status=JobRun.Status.DELAYED, message=DELAYED_MESSAGE
        )
        return False
    except Exception as exc:  # anything else (a bug, bad settings): say so on the job page
        logger.exception("could not queue job %s", job_id)
        JobRun.objects.filter(pk=job_id, status__in=WAITING).update(
            status=JobRun.Status.FAILED,
            error=f"无法提交后台任务：{exc}",
            finished_at=timezone.now(),
        )
        return False
    if result is not None and result.id:
        JobRun.objects.filter(pk=job_id, task_id="").update(task_id=result.id)
    return True


def job_url(job: JobRun) -> str:
    from django.urls import reverse

    return reverse("jobs:detail", args=[job.pk])


def execute(*, job_id: int, task_id: str = "", work: Work) -> JobRun | None:
    """Run a job once, whatever the broker delivers.

    Tasks are acknowledged late, so a job whose worker died is delivered again. A delivery
    takes the job only by one conditional UPDATE: a queued job, or a running one whose run is
    dead — on PostgreSQL nobody holds its advisory lock (every live run holds it), elsewhere
    it has run past its time limit. A dead run is re-run if the job is retry-safe and has
    attempts left, else failed. A duplicate delivery while the run is alive does nothing.
    """
    with _run_lock(job_id) as lock_held:
        if lock_held is False:
            return None  # a live run holds the job
        taken = _take(job_id, task_id, run_is_dead=lock_held is True)
        if not taken:
            return None
        return _run(job_id, work)


def _take(job_id: int, task_id: str, *, run_is_dead: bool) -> bool:
    now = timezone.now()
    dead = Q(status=JobRun.Status.RUNNING)
    if not run_is_dead:
        dead &= Q(started_at__lt=now - dt.timedelta(seconds=settings.JOBS_TIME_LIMIT))
    retryable = Q(retry_safe=True, attempts__lt=settings.JOBS_MAX_ATTEMPTS)
    take = {
        "status": JobRun.Status.RUNNING,
        "started_at": now,
        "task_id": task_id or "",
        "attempts": F("attempts") + 1,
    }
    if (
        JobRun.objects.filter(pk=job_id)
        .filter(Q(status__in=WAITING) | (dead & retryable))
        .update(**take)
    ):
        return True
    # A dead run that may not be retried: fail it (once — the UPDATE is conditional).
    failed = (
        JobRun.objects.filter(pk=job_id)
        .filter(dead)
        .update(
            status=JobRun.Status.FAILED,
            message=INTERRUPTED_MESSAGE,
            error="后台进程在运行中中断，作业不可安全重试或已重试过。",
            finished_at=now,
        )
    )
    if failed:
        _tell_user(JobRun.objects.select_related("user").get(pk=job_id))
    return False


@contextlib.contextmanager
def _run_lock(job_id: int) -> Iterator[bool | None]:
    """Hold the job's advisory lock while it runs (PostgreSQL): True if taken, False if a live
    run holds it; None where there are no advisory locks (SQLite: time decides instead).

    The lock belongs to the database session, so a worker that dies drops it with its
    connection: a held lock means a live run, a free one on a running job a dead run.
    """
    if connection.vendor != "postgresql":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [JOB_LOCK_NAMESPACE, job_id])
        held = cursor.fetchone()[0]
    if not held:
        yield False
        return
    try:
        yield True
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [JOB_LOCK_NAMESPACE, job_id])
        except Exception:  # the connection is gone, and the lock with it
            logger.warning("could not release the lock of job %s", job_id, exc_info=True)


def _run_is_alive(job_id: int) -> bool:
    """Whether a live run holds the job (PostgreSQL); elsewhere we cannot tell: False."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s AND objid = %s AND objsubid = 2"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))",
            [JOB_LOCK_NAMESPACE, job_id],
        )
        return cursor.fetchone()[0]


def _run(job_id: int, work: Work) -> JobRun:
    job = JobRun.objects.select_related("user").get(pk=job_id)
    reporter = ProgressReporter(job.pk)
    try:
        outcome = work(job, reporter)
    except ImportRejected as exc:
        _finish_report(job, exc.report, str(exc))
    except Exception as exc:
        job.status = JobRun.Status.FAILED
        job.error = f"{exc}\n\n{traceback.format_exc()}"
        job.message = f"失败：{exc}"[:500]
        logger.exception("job %s (%s) failed", job.pk, job.kind)
    else:
        _finish_outcome(job, outcome)
    finally:
        reporter.close()
    job.finished_at = timezone.now()
    # What the function last reported (the reporter may have throttled or deferred writing it).
    job.progress_done = reporter.state.get("progress_done", job.progress_done)
    job.progress_total = reporter.state.get("progress_total", job.progress_total)
    if job.status == JobRun.Status.SUCCEEDED and job.progress_total:
        job.progress_done = job.progress_total
    job.save()
    logger.info(
        "job %s (%s) %s in %ss: %s",
        job.pk,
        job.kind,
        job.status,
        round((job.finished_at - job.started_at).total_seconds(), 2) if job.started_at else "?",
        job.result or job.message,
    )
    _tell_user(job)
    return job


def _issues(report: ImportReport) -> list[dict[str, Any]]:
    return [
        {"row": i.row, "column": i.column, "message": i.message, "level": i.level}
        for i in report.issues
    ]


def _finish_report(job: JobRun, report: ImportReport, message: str = "") -> None:
    job.error_report = _issues(report)
    job.result = {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }
    if report.errors:
        job.status = JobRun.Status.FAILED
        job.message = (message or f"{len(report.errors)} 处错误，未导入任何数据")[:500]
    else:
        job.status = JobRun.Status.SUCCEEDED
        job.message = f"导入完成：新增 {report.created} 条，更新 {report.updated} 条" + (
            f"，{len(report.warnings)} 条提示" if report.warnings else ""
        )


def _finish_outcome(job: JobRun, outcome: Any) -> None:
    job.status = JobRun.Status.SUCCEEDED
    if isinstance(outcome, ImportReport):
        _finish_report(job, outcome)
        return
    name, content = None, None
    if isinstance(outcome, bytes | bytearray):
        content = bytes(outcome)
    elif isinstance(outcome, tuple) and len(outcome) == 2 and isinstance(outcome[1], bytes):
        name, content = outcome
    elif isinstance(outcome, dict):
        job.result = outcome
    elif isinstance(outcome, tuple) and len(outcome) == 2 and hasattr(outcome[1], "read"):
        # A file (e.g. excel.workbook_file): copied to storage in chunks, never read whole.
        name, handle = outcome
        with handle:
            job.result_name = name[:200]
            suffix = name.rsplit(".", 1)[-1] if "." in name else "bin"
            job.result_file.save(f"job-{job.pk}.{suffix}", File(handle), save=False)
            job.result = {**job.result, "bytes": job.result_file.size}
        job.message = "已生成文件，可以下载。"
        return
    if content is not None:
        name = name or f"{job.label or job.kind}-{timezone.localdate():%Y%m%d}.xlsx"
        job.result_name = name[:200]
        suffix = name.rsplit(".", 1)[-1] if "." in name else "bin"
        job.result_file.save(f"job-{job.pk}.{suffix}", ContentFile(content), save=False)
        job.result = {**job.result, "bytes": len(content)}
        job.message = "已生成文件，可以下载。"
    elif not job.message:
        job.message = "已完成。"


def _tell_user(job: JobRun) -> None:
    """The starter gets an inbox message when a job they started ends (they may have left)."""
    ok = job.status == JobRun.Status.SUCCEEDED
    _notify(job, title=f"{job.label or job.kind}{'已完成' if ok else '失败'}", body=job.message)


def _notify(job: JobRun, *, title: str, body: str) -> None:
    """Announce it (``signals.job_notice``); the notifications app writes the inbox note."""
    if job.user_id is None:
        return
    job_notice.send(sender=JobRun, job=job, title=title, body=body, url=job_url(job))


# --- the reaper ----------------------------------------------------------------------------------


def reap_jobs(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Recover jobs that background faults left behind; run by beat and by ``run_due_jobs``.

    * delayed (the broker was down when they were started): queued again;
    * queued long ago (longer than the broker's redelivery timeout: the message was lost, e.g.
      Redis restarted without its data): queued again — a duplicate delivery is harmless;
    * running past the time limit with no live run: queued again once if retry-safe,
      otherwise failed — the user who started it is told either way.
    """
    now = now or timezone.now()
    counts = {"requeued_delayed": 0, "requeued_lost": 0, "retried": 0, "failed": 0}
    limit = dt.timedelta(seconds=settings.JOBS_TIME_LIMIT + settings.JOBS_REAP_GRACE)
    lost_after = dt.timedelta(
        seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )

    delayed = JobRun.objects.filter(status=JobRun.Status.DELAYED)
    for job_id, task_name in delayed.values_list("pk", "task_name"):
        JobRun.objects.filter(pk=job_id, status=JobRun.Status.DELAYED).update(
            status=JobRun.Status.QUEUED, message=""
        )
        if _queue(job_id, task_name):
            counts["requeued_delayed"] += 1
    lost = JobRun.objects.filter(
        status=JobRun.Status.QUEUED, created_at__lt=now - lost_after
    ).exclude(task_name="")
    for job_id, task_name in lost.values_list("pk", "task_name"):
        if _queue(job_id, task_name):
            counts["requeued_lost"] += 1

    stuck = JobRun.objects.filter(status=JobRun.Status.RUNNING, started_at__lt=now - limit)
    for job in stuck.select_related("user"):
        if _run_is_alive(job.pk):
            continue
        still = JobRun.objects.filter(
            pk=job.pk, status=JobRun.Status.RUNNING, started_at=job.started_at
        )
        retry = job.retry_safe and job.task_name and job.attempts < settings.JOBS_MAX_ATTEMPTS
        if retry and still.update(status=JobRun.Status.QUEUED, message=RETRYING_MESSAGE):
            counts["retried"] += 1
            _notify(job, title=f"{job.label or job.kind}中断，正在重试", body=RETRYING_MESSAGE)
            transaction.on_commit(partial(_queue, job.pk, job.task_name), robust=True)
        elif not retry and still.update(
            status=JobRun.Status.FAILED,
            message=INTERRUPTED_MESSAGE,
            error=f"运行超过时限（{settings.JOBS_TIME_LIMIT // 60} 分钟）仍未结束：进程已中断。",
            finished_at=now,
        ):
            counts["failed"] += 1
            job.refresh_from_db()
            _tell_user(job)
    if any(counts.values()):
        logger.warning("reaper: %s", counts)
    return counts


# --- scheduled jobs ------------------------------------------------------------------------------


@contextlib.contextmanager
def track_job(*, kind: str, label: str = "", user: Any = None) -> Iterator[JobRun]:
    """Record a scheduled job's run: set ``job.result`` (counts) inside the block.

    A failure is recorded with its traceback and re-raised, so Celery sees it too.
    """
    job = JobRun.objects.create(
        kind=kind,
        label=label,
        status=JobRun.Status.RUNNING,
        started_at=timezone.now(),
        user=user,
    )
    try:
        yield job
    except Exception as exc:
        job.status = JobRun.Status.FAILED
        job.error = f"{exc}\n\n{traceback.format_exc()}"
        job.message = f"失败：{exc}"[:500]
        job.finished_at = timezone.now()
        job.save()
        logger.exception("%s failed", kind)
        raise
    job.status = JobRun.Status.SUCCEEDED
    job.finished_at = timezone.now()
    if not job.message:
        job.message = ", ".join(f"{k}={v}" for k, v in job.result.items())[:500]
    job.save()
    logger.info("%s: %s", kind, job.result)
