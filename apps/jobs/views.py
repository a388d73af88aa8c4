"""The job pages: my jobs, one job's progress (polled by htmx), its file or its error report."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from apps.core.downloads import file_download
from apps.core.excel import workbook_bytes, xlsx_response
from apps.jobs.models import JobRun
from apps.jobs.selectors import visible_jobs

ERRORS_SHOWN = 200  # the page lists the first ones; the workbook has them all


def _job(request, pk: int) -> JobRun:
    return get_object_or_404(visible_jobs(request.user), pk=pk)


@login_required
def job_list(request):
    page = Paginator(visible_jobs(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})


@login_required
def job_detail(request, pk: int):
    job = _job(request, pk)
    return render(request, "jobs/detail.html", {"job": job, "errors_shown": ERRORS_SHOWN})


@login_required
def job_status(request, pk: int):
    """The progress card alone: htmx swaps it every second until the job has finished."""
    job = _job(request, pk)
    return render(request, "jobs/_status.html", {"job": job, "errors_shown": ERRORS_SHOWN})


@login_required
def download(request, pk: int):
    job = _job(request, pk)
    return file_download(job.result_file, filename=job.result_name)


@login_required
def error_report(request, pk: int):
    job = _job(request, pk)
    if not job.error_report:
        raise Http404
    rows = (
        (
            i.get("row"),
            i.get("column"),
            "错误" if i.get("level") == "error" else "提示",
            i.get("message"),
        )
        for i in job.error_report
    )
    content = workbook_bytes(
        ["行号", "列", "级别", "问题说明"],
        rows,
        title="错误报告",
        widths=[8, 20, 8, 80],
        caption=f"{job.label or job.kind} · 错误报告",
    )
    return xlsx_response(content, f"错误报告-{job.pk}.xlsx")
