"""Service functions the job tests run by name (the shape import/export services have)."""

from __future__ import annotations

import time

from django.db import connections, transaction

from apps.core.excel import ImportRejected, ImportReport, read_sheet, workbook_bytes
from apps.jobs.models import JobRun


def export_rows(*, count: int, progress=None) -> tuple[str, bytes]:
    rows = []
    for i in range(count):
        rows.append([i + 1, f"项目{i + 1}"])
        if progress:
            progress(i + 1, count, f"已导出 {i + 1} 行")
    return "项目清单.xlsx", workbook_bytes(["序号", "名称"], rows)


def export_bytes(*, progress=None) -> bytes:
    return workbook_bytes(["a"], [[1]])


def export_queryset(*, queryset, progress=None) -> bytes:
    rows = list(queryset.order_by("name").values_list("name"))
    return workbook_bytes(["名称"], rows)


def import_rows(*, file, user, progress=None) -> ImportReport:
    """Rows of (name, amount): a negative amount is an error; nothing saved if any."""
    report = ImportReport()
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


def boom(*, progress=None) -> None:
    raise ValueError("数据源不可用")


def progress_inside_transaction(*, progress) -> dict:
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


def slow(*, steps: int = 5, delay: float = 0.05, progress=None) -> dict:
    for i in range(steps):
        time.sleep(delay)
        if progress:
            progress(i + 1, steps)
    return {"steps": steps}


def slow_marked(*, steps: int, delay: float, marker: str, progress=None) -> dict:
    """A slow job that appends a line to ``marker`` when it completes (count completions)."""
    for i in range(steps):
        time.sleep(delay)
        if progress:
            progress(i + 1, steps)
    with open(marker, "a", encoding="utf-8") as f:
        f.write("completed\n")
    return {"steps": steps}
