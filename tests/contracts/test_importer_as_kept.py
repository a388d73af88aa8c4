"""The ledger importer on files as units really keep them (issue 9, point 12).

Not the seed's layout: totals whose word sits in any column, amounts written with their unit,
merged cells. What the file says is read; what it does not say is an error at its row and cell.
"""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from apps.contracts.importers import import_ledger
from apps.contracts.models import Contract
from tests.contracts.factories import FairFactory
from tests.contracts.test_importer import HEADER

pytestmark = pytest.mark.django_db
D = Decimal


def xlsx(rows, merges=()) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def rows_with(total_line, *, unit_count=2, amounts=(2.5, 1.5)):
    """Title, header (row 2), a unit (row 3), two contracts (rows 4-5), then ``total_line``."""
    return [
        ["签约项目责任分工表"],
        HEADER,
        [f"责任单位：西宁市政府（{unit_count}项）"],
        [1, "锂电池项目", "大通县政府", "甲公司", amounts[0], "江苏", "杨小民", "魏成玉"],
        [2, "铝型材项目", "湟源县政府", "丙公司", amounts[1], "四川", "杨小民", "史超"],
        total_line,
    ]


def errors(report):
    return [(i.row, i.column, i.message) for i in report.errors]


@pytest.mark.parametrize(
    "line",
    [
        ["小计", None, None, None, 4],  # the word in 序号
        [None, "小计", None, None, 4],  # in 项目名称
        [None, None, "小 计：", None, 4],  # in 甲方, spaced, with a colon
        [None, None, None, "西宁市政府小计", "4.0亿元"],
        ["小计（亿元）", None, None, None, None, None, None, "4"],  # amount in another column
    ],
    ids=["seq-column", "name-column", "party-column", "named", "amount-elsewhere"],
)
def test_a_subtotal_is_recognised_whatever_column_holds_the_word(line):
    fair = FairFactory()
    report = import_ledger(fair=fair, file=xlsx(rows_with(line)))
    assert report.ok, errors(report)
    assert [(u.label, len(u.rows), u.subtotal) for u in report.units] == [
        ("西宁市政府", 2, D("4.0000"))
    ]
    assert fair.contracts.count() == 2


def test_a_subtotal_that_disagrees_with_its_rows_is_an_error_at_its_row_and_cell():
    fair = FairFactory()
    report = import_ledger(fair=fair, file=xlsx(rows_with([None, "小计", None, None, 4.1])))
    assert errors(report) == [
        (6, "小计(亿元)", "“西宁市政府”小计 4.1000 亿元（E6），与各行合计 4.0000 亿元不一致")
    ]
    assert not fair.contracts.exists()


def test_a_grand_total_is_checked_against_every_row_above():
    rows = rows_with([None, "合计", None, None, "5.2"])
    rows[-1:-1] = [
        ["责任单位：海东市政府（1项）"],
        [3, "物流园项目", "海东工业园区管委会", "丁公司", 1.2, "北京", "车军平", "祁宵云"],
    ]
    report = import_ledger(fair=FairFactory(), file=xlsx(rows))
    assert report.ok, errors(report)

    rows[-1] = [None, "合 计", None, None, "5.3"]
    report = import_ledger(fair=FairFactory(), file=xlsx(rows))
    assert errors(report) == [
        (8, "合计(亿元)", "合计 5.3000 亿元（E8），与以上各行合计 5.2000 亿元不一致")
    ]


def test_a_total_per_unit_written_as_heji_is_that_units_subtotal():
    rows = rows_with(["合计", None, None, None, 4])
    rows += [
        ["责任单位：海东市政府（1项）"],
        [3, "物流园项目", "海东工业园区管委会", "丁公司", 1.2, "北京", "车军平", "祁宵云"],
        ["合计", None, None, None, 1.2],  # not the 5.2 above it: this unit's rows
    ]
    report = import_ledger(fair=FairFactory(), file=xlsx(rows))
    assert report.ok, errors(report)
    assert (report.units[1].subtotal, report.units[1].subtotal_row) == (D("1.2000"), 9)


def test_a_total_line_without_an_amount_is_an_error():
    report = import_ledger(fair=FairFactory(), file=xlsx(rows_with(["小计"])))
    assert errors(report) == [(6, "小计(亿元)", "小计行没有金额（金额应填在“总投资额(亿元)”列）")]


def test_a_project_whose_name_merely_contains_the_word_is_a_project():
    rows = rows_with([None, "小计", None, None, 4])
    rows[4][1] = "综合计量中心项目"  # contains 合计; a total line must end with the word
    report = import_ledger(fair=FairFactory(), file=xlsx(rows))
    assert report.ok, errors(report)
    assert report.units[0].rows[1].name == "综合计量中心项目"


@pytest.mark.parametrize(
    "written, amount",
    [
        ("3.5亿元", D("3.5")),
        ("35000万元", D("3.5")),
        ("3.5 亿", D("3.5")),
        ("３．５", D("3.5")),
        ("1,234.5", D("1234.5")),
    ],
)
def test_amounts_written_with_units(written, amount):
    fair = FairFactory()
    rows = rows_with([None, "小计", None, None, str(amount + D("1.5"))], amounts=(written, 1.5))
    report = import_ledger(fair=fair, file=xlsx(rows))
    assert report.ok, errors(report)
    assert Contract.objects.get(fair=fair, seq=1).total_investment == amount


def test_merged_cells_read_the_value_of_their_range():
    """责任领导 merged over both rows, the unit line merged across A:D, the total's label across
    A:D: the file says those values, so they are read, and nothing is flagged as empty."""
    fair = FairFactory()
    rows = rows_with(["小计", None, None, None, 4])
    rows[4][6] = None  # covered by the merge G4:G5
    report = import_ledger(fair=fair, file=xlsx(rows, merges=["A1:H1", "A3:D3", "G4:G5", "A6:D6"]))
    assert report.ok and report.warnings == [], [str(i) for i in report.issues]
    assert Contract.objects.get(fair=fair, seq=2).responsible_leader == "杨小民"
    assert report.units[0].subtotal == D("4.0000")


def test_an_amount_merged_over_several_rows_is_an_error():
    fair = FairFactory()
    rows = rows_with(["小计", None, None, None, 4], amounts=(4, None))
    report = import_ledger(fair=fair, file=xlsx(rows, merges=["E4:E5"]))
    problems = errors(report)
    assert (
        4,
        "总投资额(亿元)",
        "金额单元格跨第4–5行合并，无法确定每个项目的金额，请分行填写",
    ) in problems
    assert (
        5,
        "总投资额(亿元)",
        "金额单元格跨第4–5行合并，无法确定每个项目的金额，请分行填写",
    ) in problems
    assert not fair.contracts.exists()
