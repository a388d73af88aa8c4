"""The job pages: my jobs, one job's progress (polled by htmx), its file or its error report."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.core.downloads import file_download
from apps.core.excel import workbook_bytes, xlsx_response
from apps.core.pages import policy_view
from apps.core.paging import paginate
from apps.jobs.models import JobRun
from apps.jobs.selectors import visible_jobs

ERRORS_SHOWN = 200  # the page lists the first ones; the workbook has them all


# A job is personal (policy scope): its user's, and any job for administrators; another
# user's job is a 404.
job_page = policy_view(model=JobRun, pass_as="job")


@policy_view()
def job_list(request):
    page = paginate(request, visible_jobs(request.user), choices=(20,))
    return render(request, "jobs/list.html", {"page": page})


@job_page
def job_detail(request, job: JobRun):
    return render(request, "jobs/detail.html", {"job": job, "errors_shown": ERRORS_SHOWN})


@job_page
def job_status(request, job: JobRun):
    """The progress card alone: htmx swaps it every second until the job has finished."""
    return render(request, "jobs/_status.html", {"job": job, "errors_shown": ERRORS_SHOWN})


@job_page
def download(request, job: JobRun):
    return file_download(job.result_file, filename=job.result_name)


@job_page
def error_report(request, job: JobRun):
    if not job.error_report:
        raise Http404
    rows = (
        (
            i.get("row"),
            i.get("column"),
            _("错误") if i.get("level") == "error" else _("提示"),
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
