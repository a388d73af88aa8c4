"""Start, run and record background jobs.

``start_job`` is how a page hands a long import or export to Celery: it stores a ``JobRun``
(with the uploaded file) and queues the generic ``run_job`` task after commit. The task calls
the named service function with its keyword arguments, a ``progress(done, total, message)``
callback and, when the function takes them, ``user`` and ``file``; whatever the function
returns (an ``ImportReport``, workbook bytes, a ``(filename, bytes)`` pair, an
``HttpResponse`` or a dict of counts) becomes the job's outcome.

``track_job`` wraps the scheduled jobs (reminders, snapshots) so each run is recorded as well.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, connections, models, transaction
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.core.excel import ImportRejected, ImportReport
from apps.jobs.models import JobRun

logger = logging.getLogger("qhprojects.jobs")


def _allowed(path: str) -> bool:
    """Only our own service functions may be run by name (settings may add e.g. test helpers)."""
    from django.conf import settings

    prefixes = getattr(settings, "JOBS_ALLOWED_PREFIXES", ("apps.",))
    return any(path.startswith(p) for p in prefixes)


# --- references in job arguments (kwargs are stored as JSON) -----------------------------------


def model_ref(obj: models.Model) -> dict[str, Any]:
    """A model instance as a job argument: ``{"$model": "contracts.fair", "pk": 3}``."""
    return {"$model": obj._meta.label_lower, "pk": obj.pk}


def filterset_ref(filterset_class: type | str, data: QueryDict | dict | None) -> dict[str, Any]:
    """A filtered list as a job argument: rebuilt in the task through the same FilterSet, scoped
    to what the job's user may see (``policy.restrict``), so the export is what the page showed."""
    path = (
        filterset_class
        if isinstance(filterset_class, str)
        else f"{filterset_class.__module__}.{filterset_class.__qualname__}"
    )
    if isinstance(data, QueryDict):
        data = {key: data.getlist(key) for key in data}
    return {"$filterset": path, "data": dict(data or {})}


def _resolve(value: Any, job: JobRun) -> Any:
    if isinstance(value, dict):
        if "$model" in value:
            model = django_apps.get_model(value["$model"])
            return model._default_manager.get(pk=value["pk"])
        if "$filterset" in value:
            from apps.core import permissions as policy

            fs_class = import_string(value["$filterset"])
            queryset = policy.restrict(
                fs_class._meta.model._default_manager.all(), job.user, policy.Action.VIEW
            )
            data = QueryDict(mutable=True)
            for key, items in value.get("data", {}).items():
                data.setlist(key, items if isinstance(items, list) else [items])
            return fs_class(data, queryset=queryset).qs
        return {k: _resolve(v, job) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, job) for v in value]
    return value


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
    func_path: str,
    kwargs: dict[str, Any] | None = None,
    input_file: UploadedFile | None = None,
    label: str = "",
) -> JobRun:
    """Record a job and queue it once the current transaction commits; returns the JobRun.

    Redirect the user to ``job_url(job)``: the page shows progress and, at the end, the file
    or the error report. Without a broker the job runs in-process before the response.
    """
    if not _allowed(func_path):
        raise ValueError(f"不允许执行的函数：{func_path}")
    import_string(func_path)  # fail now, in the request, for a typo
    job = JobRun(
        kind=kind,
        label=label,
        user=user if getattr(user, "is_authenticated", False) else None,
        func_path=func_path,
        kwargs=kwargs or {},
    )
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "upload.xlsx"), input_file, save=False)
    job.full_clean(exclude=["input_file", "result_file"])
    job.save()
    transaction.on_commit(lambda: _queue(job.pk), robust=True)
    return job


def _queue(job_id: int) -> None:
    from apps.jobs.tasks import run_job

    try:
        result = run_job.delay(job_id)
    except Exception as exc:  # no broker: say so on the job page instead of failing silently
        logger.exception("could not queue job %s", job_id)
        JobRun.objects.filter(pk=job_id, status=JobRun.Status.QUEUED).update(
            status=JobRun.Status.FAILED,
            error=f"无法提交后台任务：{exc}",
            finished_at=timezone.now(),
        )
        return
    if result is not None and result.id:
        JobRun.objects.filter(pk=job_id, task_id="").update(task_id=result.id)


def job_url(job: JobRun) -> str:
    from django.urls import reverse

    return reverse("jobs:detail", args=[job.pk])


def execute(*, job_id: int, task_id: str = "") -> JobRun | None:
    """Run a queued job once (a duplicate delivery of the task finds it already taken)."""
    taken = JobRun.objects.filter(pk=job_id, status=JobRun.Status.QUEUED).update(
        status=JobRun.Status.RUNNING, started_at=timezone.now(), task_id=task_id or ""
    )
    if not taken:
        return None
    job = JobRun.objects.select_related("user").get(pk=job_id)
    reporter = ProgressReporter(job.pk)
    opened = None
    try:
        func = _function(job.func_path)
        kwargs = _resolve(job.kwargs, job)
        accepted = _accepted_params(func)
        if "progress" in accepted:
            kwargs.setdefault("progress", reporter)
        if "user" in accepted and "user" not in kwargs:
            kwargs["user"] = job.user
        if job.input_file and "file" in accepted:
            opened = job.input_file.open("rb")
            kwargs["file"] = opened
        outcome = func(**kwargs)
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
        if opened is not None:
            opened.close()
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


def _function(path: str) -> Callable[..., Any]:
    if not _allowed(path):
        raise ValueError(f"不允许执行的函数：{path}")
    return import_string(path)


def _accepted_params(func: Callable[..., Any]) -> set[str]:
    params = inspect.signature(func).parameters
    if any(p.kind == inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return {"progress", "user", "file"} | set(params)
    return set(params)


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
    if isinstance(outcome, HttpResponse):
        content = outcome.content
        disposition = outcome.get("Content-Disposition", "")
        if "filename*=UTF-8''" in disposition:
            name = unquote(disposition.split("filename*=UTF-8''", 1)[1].split(";")[0])
        elif "filename=" in disposition:
            name = disposition.split("filename=", 1)[1].strip('"; ')
    elif isinstance(outcome, bytes | bytearray):
        content = bytes(outcome)
    elif isinstance(outcome, tuple) and len(outcome) == 2 and isinstance(outcome[1], bytes):
        name, content = outcome
    elif isinstance(outcome, dict):
        job.result = outcome
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
    if job.user_id is None:
        return
    from apps.notifications.models import Kind
    from apps.notifications.services import notify

    ok = job.status == JobRun.Status.SUCCEEDED
    notify(
        recipients=[job.user],
        kind=Kind.JOB_FINISHED,
        title=f"{job.label or job.kind}{'已完成' if ok else '失败'}",
        body=job.message,
        url=job_url(job),
        channels=("inbox",),
    )


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
