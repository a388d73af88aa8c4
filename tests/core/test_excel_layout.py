"""Exports as a 台账 reader expects them (issue 16, point 2): the title row names the filters
and the time, the header is frozen and filtered, amounts carry the 亿元 format with 4 decimals,
a 合计 line holds computed sums (values, never formulas), and the page prints landscape, fitted
to the width, with the title and header rows on every page."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from apps.core.excel import AMOUNT_FORMAT, workbook_bytes
from apps.projects import excel as project_excel
from apps.projects.models import LibraryStatus, Project
from tests.projects.factories import make_project


@freeze_time("2026-12-01 12:30:00")  # 20:30 北京时间
def test_the_shared_writer_lays_out_a_ledger():
    content = workbook_bytes(
        ["单位", "项目数", "总投资(亿元)"],
        [["西宁市政府", 3, Decimal("1.2345")], ["海东市政府", 2, Decimal("2.0001")]],
        caption="示例台账",
        filters=[("层级", "省级"), ("地区", "西宁市"), ("行业", "")],
        amounts=[2],
        totals=[1, 2],
    )
    ws = load_workbook(BytesIO(content)).active
    assert ws["A1"].value == "示例台账（筛选：层级=省级；地区=西宁市 · 导出时间：2026-12-01 20:30）"
    assert [c.value for c in ws[2]] == ["单位", "项目数", "总投资(亿元)"]
    total = [c.value for c in ws[5]]
    assert total[:2] == ["合计", 5] and Decimal(str(total[2])) == Decimal("3.2346")
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws["C3"].number_format == AMOUNT_FORMAT == "#,##0.0000"
    assert ws["C5"].number_format == AMOUNT_FORMAT and ws["A5"].font.bold
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:C4"  # the 合计 line stays out of the filter and the sort
    assert ws["B5"].number_format == "#,##0"  # a count summed: no decimals
    assert ws.print_title_rows == "$1:$2"
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True


@freeze_time("2026-12-01 12:30:00")
def test_without_a_caption_the_header_is_the_first_row():
    ws = load_workbook(BytesIO(workbook_bytes(["名称"], [["甲"], ["乙"]]))).active
    assert (ws["A1"].value, ws.freeze_panes, ws.auto_filter.ref) == ("名称", "A2", "A1:A3")
    assert ws.print_title_rows == "$1:$1"


@pytest.mark.django_db
@freeze_time("2026-12-01 12:30:00")
def test_the_project_export_names_its_filters(client, leader, xining):
    # (Re-importing the new layout: tests/projects/test_excel.py's round trip.)
    make_project(
        xining, LibraryStatus.APPROVED, name="导出项目甲", total_investment=Decimal("12.5")
    )
    make_project(xining, name="导出项目乙", total_investment=Decimal("3"))
    client.force_login(leader)
    response = client.get(reverse("projects:export"), {"status": "approved"})
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert ws["A1"].value == (
        "青海省谋划攻坚重大项目建议表（金额单位：亿元）"
        "（筛选：入库状态=已入库 · 导出时间：2026-12-01 20:30）"
    )
    amount = project_excel.HEADERS.index("总投资(亿元)") + 1
    assert [c.value for c in ws[2]] == project_excel.HEADERS
    names = [r[2] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert names == ["导出项目甲", None]  # the project, then the 合计 line
    assert Decimal(str(ws.cell(row=3, column=amount).value)) == Decimal("12.5")
    assert ws.cell(row=3, column=amount).number_format == AMOUNT_FORMAT
    assert ws.cell(row=4, column=1).value == "合计"
    assert Decimal(str(ws.cell(row=4, column=amount).value)) == Decimal("12.5")
    assert (ws.freeze_panes, ws.print_title_rows) == ("A3", "$1:$2")
    assert (
        ws.auto_filter.ref
        == f"A2:{ws.cell(row=2, column=len(project_excel.HEADERS)).column_letter}3"
    )


@pytest.mark.django_db
def test_the_project_export_sums_every_amount_column_and_reimports(leader, xining, admin_user_):
    make_project(
        xining,
        name="合计项目甲",
        total_investment=Decimal("12.3456"),
        planned_investment_year=Decimal("1.5"),
        plan_year=2026,
    )
    make_project(
        xining,
        name="合计项目乙",
        total_investment=Decimal("0.6544"),
        planned_investment_year=Decimal("0.25"),
        plan_year=2026,
    )
    content = project_excel.export_projects(queryset=Project.objects.order_by("pk"))
    ws = load_workbook(BytesIO(content)).active
    total = {h: v for h, v in zip(project_excel.HEADERS, [c.value for c in ws[5]], strict=True)}
    assert total["序号"] == "合计" and total["项目名称"] is None
    assert Decimal(str(total["总投资(亿元)"])) == Decimal("13.0000")
    assert Decimal(str(total["年度计划投资(亿元)"])) == Decimal("1.75")
    assert all(c.data_type != "f" for c in ws[5])
    # Re-imported as it is: the 合计 checks out; after an edit it is stale, which the import
    # says (a warning on the 合计 line) without refusing the file.
    assert project_excel.import_projects(file=BytesIO(content), user=admin_user_).ok
    wb = load_workbook(BytesIO(content))
    amount = project_excel.HEADERS.index("总投资(亿元)")
    wb.active.cell(row=3, column=amount + 1).value = 20
    edited = BytesIO()
    wb.save(edited)
    report = project_excel.import_projects(file=BytesIO(edited.getvalue()), user=admin_user_)
    assert report.ok and report.updated == 2
    assert [(w.row, w.column) for w in report.warnings] == [(5, "总投资(亿元)")]
    assert "为导出时的数值" in report.warnings[0].message
    assert Project.objects.get(name="合计项目甲").total_investment == Decimal("20")
