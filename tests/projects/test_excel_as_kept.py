"""The 建议表 import on files as units keep them (issue 9, point 12): amounts with their unit,
小计/合计 lines checked against the rows above, merged cells read from their range."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from apps.projects import excel
from apps.projects.models import Project
from tests.projects.test_excel import good_row

pytestmark = pytest.mark.django_db
D = Decimal
H = excel.HEADERS
TOTAL = H.index("总投资(亿元)")
YEAR_PLAN = H.index("年度计划投资(亿元)")


def book(lines, merges=()) -> BytesIO:
    """Caption (row 1), header (row 2), then ``lines``: dicts are project rows, lists raw."""
    wb = Workbook()
    ws = wb.active
    ws.append(["青海省谋划攻坚重大项目建议表"])
    ws.append(H)
    for line in lines:
        ws.append([line.get(h) for h in H] if isinstance(line, dict) else line)
    for rng in merges:
        ws.merge_cells(rng)
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def total_line(word: str, column: int, total, plan=None) -> list:
    line = [None] * len(H)
    line[column] = word
    line[TOTAL] = total
    line[YEAR_PLAN] = plan
    return line


def problems(report):
    return [(i.row, i.column, i.message) for i in report.errors]


@pytest.mark.parametrize("written", ["3.25亿元", "32500万元", "３．２５", "3.25 亿"])
def test_amounts_written_with_units(staff_xining, campaign, written):
    report = excel.import_projects(
        file=book([good_row(1, **{"总投资(亿元)": written})]), user=staff_xining
    )
    assert report.ok, problems(report)
    assert Project.objects.get().total_investment == D("3.2500")


@pytest.mark.parametrize("column", [0, H.index("项目名称"), H.index("实施主体")])
def test_a_total_line_is_checked_and_not_imported(staff_xining, campaign, column):
    lines = [good_row(1), good_row(2), total_line("合 计", column, "6.5亿元", 2.4)]
    report = excel.import_projects(file=book(lines), user=staff_xining)
    assert report.ok, problems(report)
    assert (report.rows, report.created) == (2, 2)


def test_a_total_that_disagrees_is_an_error_at_its_row_and_column(staff_xining, campaign):
    lines = [good_row(1), good_row(2), total_line("合计", 0, 6.6, "2.4")]
    report = excel.import_projects(file=book(lines), user=staff_xining)
    assert problems(report) == [
        (5, "总投资(亿元)", "合计 6.6000 亿元，与以上2个项目之和 6.5000 亿元不一致")
    ]
    assert not Project.objects.exists()


def test_subtotals_sum_their_block_and_the_total_sums_all(staff_xining, campaign):
    lines = [
        good_row(1),
        good_row(2),
        total_line("小计", 0, 6.5),
        good_row(3, **{"总投资(亿元)": 10}),
        total_line("小计", 0, 10),
        total_line("总计", 0, 16.5),
    ]
    report = excel.import_projects(file=book(lines), user=staff_xining)
    assert report.ok, problems(report)
    assert report.created == 3

    lines[4] = total_line("小计", 0, 16.5)  # the second block's subtotal, written cumulatively
    report = excel.import_projects(file=book(lines), user=staff_xining)
    assert problems(report) == [
        (7, "总投资(亿元)", "小计 16.5000 亿元，与以上1个项目之和 10.0000 亿元不一致")
    ]


def test_merged_cells_read_the_value_of_their_range(staff_xining, campaign):
    region, sector = H.index("所在地区"), H.index("行业领域")
    second = good_row(2, **{"所在地区": None, "行业领域": None})
    col = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    merges = [f"{col[region]}3:{col[region]}4", f"{col[sector]}3:{col[sector]}4"]
    report = excel.import_projects(file=book([good_row(1), second], merges), user=staff_xining)
    assert report.ok, problems(report)
    p = Project.objects.get(name="湟中区城乡供水一体化工程2")
    assert (p.region.short_name, p.sector.name) == ("湟中区", "水利")


def test_an_amount_merged_over_several_rows_is_an_error(staff_xining, campaign):
    col = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[TOTAL]
    lines = [good_row(1), good_row(2, **{"总投资(亿元)": None})]
    report = excel.import_projects(file=book(lines, [f"{col}3:{col}4"]), user=staff_xining)
    message = "金额单元格跨第3–4行合并，无法确定每个项目的金额，请分行填写"
    assert (3, "总投资(亿元)", message) in problems(report)
    assert (4, "总投资(亿元)", message) in problems(report)
    assert not Project.objects.exists()
