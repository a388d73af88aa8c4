"""Job kinds of the job tests: each a ``@job_task`` (one Celery task taking the JobRun's id),
doing what import/export services do. Registered with Celery when this module is imported (the
tests import it; the worker-kill test's worker is started with ``--include`` it)."""

from __future__ import annotations

import time

import django_filters
from django.db import connections, transaction

from apps.core import permissions as policy
from apps.core.excel import ImportRejected, ImportReport, read_sheet, workbook_bytes
from apps.jobs.models import JobRun
from apps.jobs.services import input_file, job_query, job_task
from apps.projects.models import Project


@job_task("tests.jobs.export_rows")
def export_rows(job, progress) -> tuple[str, bytes]:
    count = job.kwargs["count"]
    rows = []
    for i in range(count):
        rows.append([i + 1, f"项目{i + 1}"])
        if progress:
            progress(i + 1, count, f"已导出 {i + 1} 行")
    return "项目清单.xlsx", workbook_bytes(["序号", "名称"], rows)


@job_task("tests.jobs.export_bytes")
def export_bytes(job, progress) -> bytes:
    return workbook_bytes(["a"], [[1]])


class TierFilter(django_filters.FilterSet):
    class Meta:
        model = Project
        fields = ["tier"]


@job_task("tests.jobs.export_projects_by_tier")
def export_projects_by_tier(job, progress) -> bytes:
    """A filtered list rebuilt from the page's query, scoped to what the starter may see."""
    visible = policy.restrict(Project.objects.all(), job.user, policy.Action.VIEW)
    queryset = TierFilter(job_query(job), queryset=visible).qs
    rows = list(queryset.order_by("name").values_list("name"))
    return workbook_bytes(["名称"], rows)


@job_task("tests.jobs.import_rows")
def import_rows(job, progress) -> ImportReport:
    """Rows of (name, amount): a negative amount is an error; nothing saved if any."""
    report = ImportReport()
    with input_file(job) as file:
        rows = read_sheet(file).rows[1:]
    with transaction.atomic():
        for n, (number, (_name, amount)) in enumerate(rows, start=1):
            report.rows += 1
            if amount is None or amount < 0:
                report.error(number, "金额", f"应为非负数，实为“{amount}”")
            else:
                report.created += 1
            if progress:
                progress(n, len(rows))
        if report.errors:
            raise ImportRejected(report)
    return report


@job_task("tests.jobs.boom")
def boom(job, progress) -> None:
    raise ValueError("数据源不可用")


@job_task("tests.jobs.progress_inside_transaction")
def progress_inside_transaction(job, progress) -> dict:
    """Report progress inside a transaction and look from another connection: it must show."""
    seen = {}
    with transaction.atomic():
        progress(3, 10, "第3行")
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    f"SELECT progress_done, progress_total, message FROM {JobRun._meta.db_table}"
                    " WHERE id = %s",
                    [progress.job_id],
                )
                seen["outside"] = list(cursor.fetchone())
        finally:
            other.close()
    return seen


@job_task("tests.jobs.slow")
def slow(job, progress) -> dict:
    steps, delay = job.kwargs.get("steps", 5), job.kwargs.get("delay", 0.05)
    for i in range(steps):
        time.sleep(delay)
        if progress:
            progress(i + 1, steps)
    return {"steps": steps}


@job_task("tests.jobs.slow_marked")
def slow_marked(job, progress) -> dict:
    """A slow job that appends a line to ``marker`` when it completes (count completions)."""
    steps, delay, marker = job.kwargs["steps"], job.kwargs["delay"], job.kwargs["marker"]
    for i in range(steps):
        time.sleep(delay)
        if progress:
            progress(i + 1, steps)
    with open(marker, "a", encoding="utf-8") as f:
        f.write("completed\n")
    return {"steps": steps}
