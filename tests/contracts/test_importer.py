"""The ledger importer: layout quirks handled, errors reject the file, warnings flag rows."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from apps.contracts.importers import import_ledger
from apps.contracts.models import Contract
from tests.contracts.factories import FairFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "项目名称",
    "甲方(青海)",
    "乙方(省外)",
    "总投资额(亿元)",
    "资金来源地",
    "责任领导",
    "责任人",
]
# How seed 002 spells the header on some pages.
SPACED_HEADER = [
    "序号",
    "项 目 名 称",
    "甲 方 (青 海)",
    "乙 方 (省 外)",
    "总投资额 (亿元)",
    "资 金 来 源 地",
    "责任领导",
    "责任人",
]
FULLWIDTH_HEADER = [
    "序号",
    "项目名称",
    "甲方（青海）",
    "乙方（省外）",
    "总投资额（亿元）",
    "资金来源地",
    "责任领导",
    "责任人",
]


def xlsx(rows) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def good_rows():
    return [
        ["某某洽谈会签约项目责任分工表"],
        [],
        HEADER,
        ["责任单位：西宁市政府（2项）"],
        [1, "锂电池项目", "大通县政府", "甲公司、乙公司", 2.5, "江苏 浙江", "杨小民", "魏成玉"],
        [],
        SPACED_HEADER,
        [2, "铝型材项目", "湟源县政府", "丙公司", 1.5, "四川", "杨小民", "史超 魏成玉"],
        ["责任单位: 海东工业园区管委会(1项)", None, None, None, 3],
        [3, "物流园项目", "海东工业园区管委会", "丁公司", 3, "北京", "车军平", "祁宵云"],
        FULLWIDTH_HEADER,
        ["责任单位：省水利厅（1项）"],
        [None, None, None, None, "0.80"],
        [4, "水资源项目", "省水利厅", "亚行贷款", "0.80", "亚行", "石建平", "星连文"],
    ]


def test_layout_quirks_are_handled(org):
    fair = FairFactory()
    report = import_ledger(fair=fair, file=xlsx(good_rows()))
    assert report.ok, [str(i) for i in report.issues]
    assert report.committed and report.created == 4 and report.warnings == []
    assert [(u.label, len(u.rows), u.subtotal) for u in report.units] == [
        ("西宁市政府", 2, None),
        ("海东工业园区管委会", 1, Decimal("3.0000")),
        ("省水利厅", 1, Decimal("0.8000")),
    ]
    one = Contract.objects.get(fair=fair, seq=1)
    assert one.party_b == ["甲公司", "乙公司"] and one.funding_source_places == ["江苏", "浙江"]
    assert one.responsible_unit == org("西宁市政府") and one.region.display_name == "大通县"
    assert Contract.objects.get(fair=fair, seq=2).responsible_persons == ["史超", "魏成玉"]
    assert Contract.objects.get(fair=fair, seq=4).total_investment == Decimal("0.8")
    assert Contract.history.filter(fair=fair).count() == 4


@pytest.mark.parametrize(
    "mutate, row, column, message",
    [
        (lambda r: r[4].__setitem__(4, "两亿"), 5, "总投资额(亿元)", "应为数字"),
        (lambda r: r[7].__setitem__(0, "二"), 8, "序号", "应为整数"),
        (
            lambda r: r[3].__setitem__(0, "责任单位：不存在的委员会（2项）"),
            4,
            "责任单位",
            "未知的责任单位",
        ),
        (lambda r: r[8].__setitem__(4, 4), 9, "小计(亿元)", "与各行合计 3.0000 亿元不一致"),
        (
            lambda r: r[3].__setitem__(0, "责任单位：西宁市政府（3项）"),
            4,
            "责任单位",
            "注明3项，实有2行",
        ),
        (lambda r: r[9].__setitem__(0, 1), 10, "序号", "与第5行重复"),
        (lambda r: r[4].__setitem__(1, None), 5, "项目名称", "不能为空"),
    ],
    ids=["amount-text", "seq-text", "unknown-unit", "subtotal", "count", "duplicate", "no-name"],
)
def test_errors_reject_the_whole_file(mutate, row, column, message):
    fair = FairFactory()
    rows = good_rows()
    mutate(rows)
    report = import_ledger(fair=fair, file=xlsx(rows))
    assert not report.ok and not report.committed
    assert any(
        i.row == row and i.column == column and message in i.message for i in report.errors
    ), [str(i) for i in report.issues]
    assert Contract.objects.filter(fair=fair).count() == 0


def test_empty_cells_are_imported_flagged(org):
    fair = FairFactory()
    rows = good_rows()
    rows[7][2] = None  # 甲方 of row 2 empty, as a merged cell leaves it
    rows[7][4] = None
    rows[3][0] = "责任单位：西宁市政府（2项）"
    report = import_ledger(fair=fair, file=xlsx(rows))
    assert report.ok and report.committed
    assert {(i.row, i.column) for i in report.warnings} == {
        (8, "甲方(青海)"),
        (8, "总投资额(亿元)"),
    }
    row = Contract.objects.get(fair=fair, seq=2)
    assert row.needs_correction and row.total_investment is None
    assert row.correction_note == "原表“甲方(青海)”、“总投资额(亿元)”为空，待核实补充。"
    # Falls back to the responsible unit's region when no Qinghai party is known.
    assert row.region.display_name == "西宁市"


def test_correction_column_flags_the_row():
    fair = FairFactory()
    rows = good_rows()
    rows[2] = [*HEADER, "更正说明"]
    rows[4] = [*rows[4], "原表右移一列，已还原"]
    report = import_ledger(fair=fair, file=xlsx(rows))
    assert report.ok
    row = Contract.objects.get(fair=fair, seq=1)
    assert row.needs_correction and "原表右移一列，已还原" in row.correction_note


def test_preview_saves_nothing_and_reimport_updates():
    fair = FairFactory()
    preview = import_ledger(fair=fair, file=xlsx(good_rows()), commit=False)
    assert preview.ok and preview.created == 4 and not preview.committed
    assert Contract.objects.filter(fair=fair).count() == 0

    import_ledger(fair=fair, file=xlsx(good_rows()))
    again = import_ledger(fair=fair, file=xlsx(good_rows()), commit=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)

    rows = good_rows()
    rows[4][4] = 2.6
    rows[8][4] = None
    changed = import_ledger(fair=fair, file=xlsx(rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 3)
    one = Contract.objects.get(fair=fair, seq=1)
    assert one.total_investment == Decimal("2.6") and one.version == 2


def test_not_an_excel_file():
    report = import_ledger(fair=FairFactory(), file=BytesIO(b"not a workbook"))
    assert not report.ok and "xlsx" in report.errors[0].message


def test_no_header():
    report = import_ledger(fair=FairFactory(), file=xlsx([["随便写的"], [1, 2, 3]]))
    assert not report.ok and "未找到表头" in report.errors[0].message


def test_unchanged_reimport_costs_no_query_per_row():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fair = FairFactory()
    import_ledger(fair=fair, file=xlsx(good_rows()))
    with CaptureQueriesContext(connection) as ctx:
        report = import_ledger(fair=fair, file=xlsx(good_rows()))
    assert report.unchanged == 4 and report.updated == 0
    assert len(ctx.captured_queries) <= 4
