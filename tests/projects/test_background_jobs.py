"""Large project exports and imports run as tracked jobs (issue 6 §5) from the library pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.jobs.models import JobRun
from apps.projects import views
from apps.projects.models import LibraryStatus, Project
from tests.projects.factories import make_project
from tests.projects.test_excel import good_row, workbook

pytestmark = pytest.mark.django_db


def test_a_large_export_becomes_a_job_with_the_file(
    client, staff_xining, xining, haidong, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(views, "EXPORT_IN_BACKGROUND", 1)
    mine = [make_project(xining, LibraryStatus.APPROVED) for _ in range(2)]
    make_project(haidong, LibraryStatus.APPROVED)  # another unit's: not in the file
    client.force_login(staff_xining)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("projects:export"), {"status": "approved"})
    job = JobRun.objects.get(kind="projects.export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED, job.error
    ws = load_workbook(job.result_file.open("rb")).worksheets[0]
    exported = {c.value for row in ws.iter_rows() for c in row}
    assert {p.name for p in mine} <= exported
    assert not ({p.name for p in Project.objects.filter(responsible_unit=haidong)} & exported)


def test_a_large_bad_import_becomes_a_job_that_reports_rows_and_imports_nothing(
    client, staff_xining, campaign, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(views, "IMPORT_IN_BACKGROUND_BYTES", 0)
    upload = SimpleUploadedFile(
        "建议表.xlsx",
        workbook([good_row(1), good_row(2, **{"总投资(亿元)": "三亿"})]).getvalue(),
    )
    client.force_login(staff_xining)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("projects:import"), {"file": upload})
    job = JobRun.objects.get(kind="projects.import")
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.result["errors"] == 1 and job.result.get("created", 0) == 0
    assert any(
        issue["row"] == 4 and issue["column"] == "总投资(亿元)" for issue in job.error_report
    ), job.error_report
    assert not Project.objects.exists()
    assert "总投资(亿元)" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_a_large_good_import_becomes_a_job_that_imports_every_row(
    client, staff_xining, campaign, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(views, "IMPORT_IN_BACKGROUND_BYTES", 0)
    upload = SimpleUploadedFile(
        "建议表.xlsx", workbook([good_row(n) for n in range(1, 4)]).getvalue()
    )
    client.force_login(staff_xining)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:import"), {"file": upload})
    job = JobRun.objects.get(kind="projects.import")
    assert job.status == JobRun.Status.SUCCEEDED, job.error_report
    assert job.result["created"] == 3 and job.progress_done == job.progress_total
    assert Project.objects.filter(responsible_unit=staff_xining.organization).count() == 3
