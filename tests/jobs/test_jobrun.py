"""Tracked jobs: start_job → the kind's task → the file or the error report, and the progress
page."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.accounts.models import Role
from apps.jobs.models import JobRun
from apps.jobs.services import query_data, start_job, track_job
from apps.notifications.models import Kind, Notification
from apps.reference.models import Organization
from tests.jobs import jobfuncs

pytestmark = pytest.mark.django_db


def run(django_capture_on_commit_callbacks, **kwargs) -> JobRun:
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(**kwargs)
    job.refresh_from_db()
    return job


def xlsx_upload(rows, name="导入.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(["名称", "金额"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def test_an_export_ends_with_a_downloadable_file(
    client, staff_xining, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks,
        kind="projects.export",
        label="导出项目清单",
        user=staff_xining,
        task=jobfuncs.export_rows,
        kwargs={"count": 25},
    )
    assert job.status == JobRun.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.percent) == (25, 25, 100)
    assert job.result_name == "项目清单.xlsx"

    client.force_login(staff_xining)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "已完成" in page and "下载 项目清单.xlsx" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: the page stops polling
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''%E9%A1%B9%E7%9B%AE" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws.max_row == 26 and ws["B26"].value == "项目25"

    # The starter is told in their inbox (not by email: they may still be on the page).
    note = Notification.objects.get(recipient=staff_xining, kind=Kind.JOB_FINISHED)
    assert note.title == "导出项目清单已完成" and note.url == f"/jobs/{job.pk}/"
    assert list(note.deliveries.values_list("channel", flat=True)) == ["inbox"]


def test_bytes_result_gets_a_default_name(staff_xining, django_capture_on_commit_callbacks):
    job = run(
        django_capture_on_commit_callbacks,
        kind="x.export",
        label="导出",
        user=staff_xining,
        task=jobfuncs.export_bytes,
        kwargs={},
    )
    assert job.result_name.startswith("导出-") and job.result_name.endswith(".xlsx")
    assert job.result_file.name.endswith(f"job-{job.pk}.xlsx")


def test_an_import_with_errors_ends_with_the_error_report(
    client, staff_xining, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks,
        kind="x.import",
        label="导入测试",
        user=staff_xining,
        task=jobfuncs.import_rows,
        kwargs={},
        input_file=xlsx_upload([["甲", 1], ["乙", -2], ["丙", None]]),
    )
    assert job.status == JobRun.Status.FAILED
    assert job.error_report == [
        {"row": 3, "column": "金额", "message": "应为非负数，实为“-2”", "level": "error"},
        {"row": 4, "column": "金额", "message": "应为非负数，实为“None”", "level": "error"},
    ]
    assert job.message == "2 处错误，未导入任何数据"
    assert job.input_name == "导入.xlsx"

    client.force_login(staff_xining)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "错误报告（2 条）" in page and "应为非负数，实为“-2”" in page
    report = client.get(reverse("jobs:error-report", args=[job.pk]))
    ws = load_workbook(io.BytesIO(report.content)).active
    assert " · 错误报告（导出时间：" in ws["A1"].value  # no filters: the job and the time
    assert [c.value for c in ws[2]] == ["行号", "列", "级别", "问题说明"]
    assert [c.value for c in ws[3]] == [3, "金额", "错误", "应为非负数，实为“-2”"]
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_clean_import_reports_its_counts(staff_xining, django_capture_on_commit_callbacks):
    job = run(
        django_capture_on_commit_callbacks,
        kind="x.import",
        user=staff_xining,
        task=jobfuncs.import_rows,
        kwargs={},
        input_file=xlsx_upload([["甲", 1], ["乙", 2]]),
    )
    assert job.status == JobRun.Status.SUCCEEDED
    assert job.result == {"rows": 2, "created": 2, "updated": 0, "errors": 0, "warnings": 0}
    assert job.message == "导入完成：新增 2 条，更新 0 条"


def test_a_crash_is_recorded_with_its_traceback_and_listed_in_admin(
    client, staff_xining, admin_user_, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks,
        kind="x.export",
        user=staff_xining,
        task=jobfuncs.boom,
        kwargs={},
    )
    assert job.status == JobRun.Status.FAILED
    assert job.error.startswith("数据源不可用") and "Traceback" in job.error
    client.force_login(staff_xining)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "作业失败" in page and "Traceback" not in page  # details are for administrators

    client.force_login(admin_user_)
    listing = client.get("/admin/jobs/jobrun/?status__exact=failed").content.decode()
    assert f"/admin/jobs/jobrun/{job.pk}/change/" in listing


def test_jobs_are_private_to_their_starter(
    client, staff_xining, staff_haidong, admin_user_, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks,
        kind="x.export",
        user=staff_xining,
        task=jobfuncs.export_bytes,
        kwargs={},
    )
    client.force_login(staff_haidong)
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert f"/jobs/{job.pk}/" not in client.get(reverse("jobs:list")).content.decode()
    client.force_login(admin_user_)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200


def test_a_running_job_keeps_polling(client, staff_xining):
    job = JobRun.objects.create(
        kind="x",
        user=staff_xining,
        status=JobRun.Status.RUNNING,
        progress_done=40,
        progress_total=160,
        message="已处理 40 行",
    )
    client.force_login(staff_xining)
    body = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert f'hx-get="/jobs/{job.pk}/status/"' in body and 'hx-trigger="every 1s"' in body
    assert "w-pct-25" in body and "40 / 160" in body and "已处理 40 行" in body


def test_the_page_query_is_rebuilt_by_the_task_and_scoped(
    staff_xining, xining, django_capture_on_commit_callbacks
):
    from tests.projects.factories import make_project

    make_project(xining, name="西宁的项目")
    make_project(Organization.objects.get(name="海东市政府"), name="海东的项目")

    kwargs = {"query": query_data(QueryDict("tier=province"))}
    assert kwargs == {"query": {"tier": ["province"]}}  # plain JSON: no model or class paths
    job = run(
        django_capture_on_commit_callbacks,
        kind="x.export",
        user=staff_xining,
        task=jobfuncs.export_projects_by_tier,
        kwargs=kwargs,
    )
    # A 填报员 sees only their own unit, whatever the filter would match for others.
    ws = load_workbook(job.result_file.open("rb")).active
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == ["西宁的项目"]


def test_only_job_tasks_run(staff_xining):
    """A job names its kind's Celery task; any other callable or task is refused."""
    from apps.jobs.tasks import reap_jobs

    for not_a_job in (os.system, reap_jobs):
        with pytest.raises(ValueError, match="不是登记的作业任务"):
            start_job(kind="x", user=staff_xining, task=not_a_job, kwargs={})
    assert not JobRun.objects.exists()


def test_a_job_runs_once_even_if_its_task_is_delivered_twice(
    staff_xining, django_capture_on_commit_callbacks
):
    job = run(
        django_capture_on_commit_callbacks,
        kind="x",
        user=staff_xining,
        task=jobfuncs.slow,
        kwargs={"steps": 1, "delay": 0},
    )
    finished = job.finished_at
    jobfuncs.slow.delay(job.pk)  # the same job's task, delivered again
    job.refresh_from_db()
    assert job.finished_at == finished
    assert Notification.objects.filter(kind=Kind.JOB_FINISHED).count() == 1


def test_track_job_records_success_and_failure():
    with track_job(kind="reminders.test", label="测试") as job:
        job.result = {"sent": 3}
    job.refresh_from_db()
    assert (job.status, job.message) == (JobRun.Status.SUCCEEDED, "sent=3")

    with pytest.raises(RuntimeError), track_job(kind="reminders.test") as failing:
        raise RuntimeError("Redis 不可用")
    failing.refresh_from_db()
    assert failing.status == JobRun.Status.FAILED and "Redis 不可用" in failing.error


def test_progress_inside_an_import_transaction_is_visible_to_the_page(committed_db, staff_xining):
    """The reporter writes through its own connection, so polling sees it before commit."""
    job = start_job(
        kind="x", user=staff_xining, task=jobfuncs.progress_inside_transaction, kwargs={}
    )
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED
    assert job.result == {"outside": [3, 10, "第3行"]}


def test_job_list_for_admin_nav(client, admin_user_, staff_xining):
    client.force_login(admin_user_)
    assert 'href="/jobs/"' in client.get("/").content.decode()
    client.force_login(staff_xining)
    assert 'href="/jobs/"' not in client.get("/").content.decode()
    assert client.get(reverse("jobs:list")).status_code == 200


def test_role_is_irrelevant_to_own_jobs(client, make_user, django_capture_on_commit_callbacks):
    leader = make_user(Role.LEADER, None, username="t_job_leader")
    job = run(
        django_capture_on_commit_callbacks,
        kind="x",
        user=leader,
        task=jobfuncs.export_bytes,
        kwargs={},
    )
    client.force_login(leader)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200
