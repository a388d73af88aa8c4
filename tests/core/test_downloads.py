"""Uploaded and generated files: only through policy-checked views, never a static URL."""

import datetime as dt
import importlib
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.core.downloads import content_disposition, safe_filename
from apps.jobs.models import JobRun
from apps.tasks import services as task_services
from tests.tasks.factories import TaskFactory, make_assignments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def job(staff_xining):
    job = JobRun.objects.create(
        kind="projects.export",
        status=JobRun.Status.SUCCEEDED,
        user=staff_xining,
        result_name="项目库导出 2026-12.xlsx",
    )
    job.result_file.save(f"job-{job.pk}.xlsx", ContentFile(b"PK-result"), save=True)
    return job


@pytest.fixture
def report(xining, haidong, staff_xining):
    task = TaskFactory(lead=[xining], participating=[haidong], due_date=dt.date(2026, 12, 31))
    lead = make_assignments(task)[xining.pk]
    return task_services.report_progress(
        assignment=lead,
        user=staff_xining,
        text="调研完成",
        attachment=SimpleUploadedFile("调研报告.pdf", b"%PDF-1.4 report", "application/pdf"),
    )


@pytest.fixture
def outsider(make_user, org):
    return make_user(Role.STAFF, org("省交通运输厅"), username="t_dl_outsider")


class TestJobResult:
    def test_owner_gets_the_file_with_its_chinese_name(self, client, job, staff_xining):
        client.force_login(staff_xining)
        response = client.get(reverse("jobs:download", args=[job.pk]))
        assert response.status_code == 200
        assert _body(response) == b"PK-result"
        assert response["Content-Disposition"] == (
            "attachment; filename=\"download.xlsx\"; filename*=utf-8''"
            + quote("项目库导出 2026-12.xlsx", safe="")
        )
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_another_unit_and_anonymous_get_nothing(self, client, job, staff_haidong, outsider):
        url = reverse("jobs:download", args=[job.pk])
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
        for user in (staff_haidong, outsider):
            client.force_login(user)
            assert client.get(url).status_code == 404

    def test_admin_may_download(self, client, job, admin_user_):
        client.force_login(admin_user_)
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200

    def test_a_file_gone_from_disk_is_404_not_500(self, client, job, staff_xining):
        job.result_file.storage.delete(job.result_file.name)
        client.force_login(staff_xining)
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


class TestProgressReportAttachment:
    def test_the_reporting_unit_gets_it(self, client, report, staff_xining):
        client.force_login(staff_xining)
        response = client.get(reverse("tasks:attachment", args=[report.pk]))
        assert response.status_code == 200
        assert _body(response) == b"%PDF-1.4 report"
        assert response["Content-Type"] == "application/pdf"
        assert "filename*=utf-8''" + quote("调研报告.pdf") in response["Content-Disposition"]

    def test_other_units_and_anonymous_get_nothing(self, client, report, staff_haidong, outsider):
        url = reverse("tasks:attachment", args=[report.pk])
        assert client.get(url)["Location"].startswith(reverse("login"))
        for user in (staff_haidong, outsider):  # a participating unit of the task, a stranger
            client.force_login(user)
            assert client.get(url).status_code == 404

    def test_api_download_follows_the_same_rule(self, report, staff_xining, outsider):
        url = f"/api/v1/progress-reports/{report.pk}/attachment/"
        assert APIClient().get(url).status_code in (401, 403)
        api = APIClient()
        api.force_authenticate(outsider)
        assert api.get(url).status_code == 404
        api.force_authenticate(staff_xining)
        assert _body(api.get(url)) == b"%PDF-1.4 report"


class TestNoStaticMediaRoute:
    @pytest.fixture
    def debug_urlconf(self, settings):
        # The old urls.py added /media/ serving when DEBUG was on (the demo set-up): build the
        # URL configuration as a DEBUG process would.
        import qhprojects.urls

        settings.DEBUG = True
        importlib.reload(qhprojects.urls)
        clear_url_caches()
        yield
        settings.DEBUG = False
        importlib.reload(qhprojects.urls)
        clear_url_caches()

    def test_old_media_urls_are_404_even_in_debug(self, debug_urlconf, job, report):
        client = Client()
        for name in (job.result_file.name, report.attachment.name):
            assert client.get(f"/media/{name}").status_code == 404

    def test_admin_links_go_through_the_download_views(self, client, admin_user_, job, report):
        client.force_login(admin_user_)
        page = client.get(reverse("admin:jobs_jobrun_change", args=[job.pk])).content.decode()
        assert reverse("jobs:download", args=[job.pk]) in page and "/media/" not in page
        page = client.get(
            reverse("admin:tasks_progressreport_change", args=[report.pk])
        ).content.decode()
        assert reverse("tasks:attachment", args=[report.pk]) in page and "/media/" not in page


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("jobs/results/2026/12/job-7.xlsx", "job-7.xlsx"),
        ("..\\..\\etc\\passwd", "passwd"),
        ('报告"\r\nSet-Cookie: x=1.pdf', "报告_Set-Cookie_ x=1.pdf"),
        ("", "download"),
        ("...", "download"),
    ],
)
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


def test_content_disposition_ascii_name_is_kept():
    assert content_disposition("report-7.xlsx") == (
        "attachment; filename=\"report-7.xlsx\"; filename*=utf-8''report-7.xlsx"
    )


def test_every_file_download_goes_through_the_one_helper():
    """A new FileField download must use apps/core/downloads.py, and no template links .url."""
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offenders = [
        str(p.relative_to(root))
        for p in (root / "apps").rglob("*.py")
        if "FileResponse(" in p.read_text() and p != root / "apps" / "core" / "downloads.py"
    ]
    file_url = re.compile(r"\.(attachment|result_file|input_file|file|photo|document)\.url\b")
    offenders += [
        str(p.relative_to(root))
        for p in (root / "templates").rglob("*.html")
        if file_url.search(p.read_text())
    ]
    assert offenders == []
