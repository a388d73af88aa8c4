"""The staged import flow shared by the project and contract imports."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.contracts import tasks as contract_tasks
from apps.jobs.imports import ImportFlow
from apps.jobs.models import JobRun

pytestmark = pytest.mark.django_db

FLOW = ImportFlow(
    kind="contracts.import_ledger",
    task=contract_tasks.import_ledger,
    upload_dir="contracts/imports",
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload():
    return SimpleUploadedFile("台账.xlsx", b"PK-content")


def test_stage_then_confirm_once(staff_xining):
    session = {}
    token = FLOW.stage(session, _upload(), scope={"fair": 7})
    assert session == {f"contracts.import_ledger-{token}": {"fair": 7, "name": "台账.xlsx"}}
    assert default_storage.exists(f"contracts/imports/{token}.xlsx")
    job = FLOW.confirm(
        session, token, scope={"fair": 7}, user=staff_xining, label=lambda name: f"导入{name}"
    )
    assert (job.kind, job.label, job.task_name) == (
        "contracts.import_ledger",
        "导入台账.xlsx",
        "contracts.import_ledger",
    )
    assert job.input_file.open("rb").read() == b"PK-content"
    # The token is spent and the staged file gone: a second confirm imports nothing.
    assert session == {} and not default_storage.exists(f"contracts/imports/{token}.xlsx")
    assert FLOW.confirm(session, token, scope={"fair": 7}, user=staff_xining, label=str) is None
    assert JobRun.objects.count() == 1


def test_confirm_refuses_another_scope_or_an_unknown_token(staff_xining):
    session = {}
    token = FLOW.stage(session, _upload(), scope={"fair": 7})
    assert FLOW.confirm(session, token, scope={"fair": 8}, user=staff_xining, label=str) is None
    assert FLOW.confirm(session, "", scope={"fair": 7}, user=staff_xining, label=str) is None
    assert not JobRun.objects.exists()


def test_start_imports_in_a_job_now(staff_xining):
    job = FLOW.start(user=staff_xining, file=_upload(), label="导入", kwargs={"x": 1})
    assert (job.kind, job.label, job.kwargs) == ("contracts.import_ledger", "导入", {"x": 1})
