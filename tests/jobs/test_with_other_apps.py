"""The job runner with the other apps' real import/export services."""

import time

import pytest
from django.core.files import File
from django.http import QueryDict
from openpyxl import load_workbook

from apps.contracts import tasks as contract_tasks
from apps.contracts.models import Contract, Fair
from apps.jobs.models import JobRun
from apps.jobs.services import query_data, start_job
from apps.projects import tasks as project_tasks
from tests.jobs.worker import wait_for
from tests.notifications import scenario

LEDGER = "fixtures/contracts/第十八届青洽会签约项目责任分工表.xlsx"


@pytest.mark.celery_worker
def test_the_346_row_ledger_imports_on_the_worker_with_progress(
    committed_db, celery_worker, client, admin_user_
):
    coordinating = scenario.resolve("省经济和信息化委")
    fair = Fair.objects.create(
        name="导入测试洽谈会", short_name="导入测试", coordinating_unit=coordinating
    )
    started = time.monotonic()
    with open(LEDGER, "rb") as fh:
        job = start_job(
            kind="contracts.import_ledger",
            user=admin_user_,
            task=contract_tasks.import_ledger,
            kwargs={"fair": fair.pk},
            input_file=File(fh, name="第十八届青洽会签约项目责任分工表.xlsx"),
            label="导入台账",
        )
    client.force_login(admin_user_)
    seen = set()

    def finished():
        """the import finished"""
        job.refresh_from_db()
        seen.add((job.status, job.progress_done, job.progress_total))
        return job.finished

    wait_for(finished, timeout=60, interval=0.05)
    elapsed = time.monotonic() - started
    body = client.get(f"/jobs/{job.pk}/status/").content.decode()
    print(f"346-row ledger import as a job: {elapsed:.2f}s")
    assert job.status == JobRun.Status.SUCCEEDED, job.error or job.error_report[:3]
    assert Contract.objects.filter(fair=fair).count() == 346
    assert job.result["created"] == 346 and job.result["errors"] == 0
    # The rows the importer flags (merged or shifted cells in the source) come back as notes.
    assert job.result["warnings"] == len(job.error_report) > 0
    assert "提示" in body and "hx-trigger" not in body
    assert ("succeeded", 346, 346) in seen


def test_projects_export_through_the_shared_filterset(
    db, staff_xining, django_capture_on_commit_callbacks
):
    scenario.build()
    data = QueryDict("sector=" + str(scenario.Sector.objects.get(name="交通运输").pk))
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(
            kind="projects.export",
            user=staff_xining,
            # What the export page starts: the workbook goes to storage from a temporary
            # file, in chunks, never whole in memory.
            task=project_tasks.export_projects,
            kwargs={"query": query_data(data)},
            label="导出项目",
        )
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED, job.error
    assert job.result_name.startswith("重大项目清单-") and job.result_name.endswith(".xlsx")
    assert job.result["bytes"] == job.result_file.size > 0
    ws = load_workbook(job.result_file.open("rb")).worksheets[0]
    names = [c.value for row in ws.iter_rows() for c in row if c.value == "西宁快速路"]
    assert names == ["西宁快速路"]  # 西宁's transport project; not 湟水治理 (水利)
