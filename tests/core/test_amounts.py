"""One amount parser for every workbook (issue 9, points 12 and 13).

Units write amounts as they like — 3.5亿元, 35000万元, full-width digits, thousands separators —
and all of it becomes Decimal 亿元 with 4 places; anything the parser cannot read exactly,
including 1e30, 1e999, NaN and inf, is an error naming the text, never a 500.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from apps.contracts.importers import import_ledger
from apps.core.excel import AmountError, ImportReport, amount_from, parse_amount
from apps.projects import excel as projects_excel
from apps.projects.models import Project
from tests.contracts.factories import FairFactory

D = Decimal


@pytest.mark.parametrize(
    "value, expected",
    [
        (3.5, D("3.5000")),
        (180.33, D("180.3300")),  # the float a numeric cell holds, not its binary expansion
        (2, D("2.0000")),
        (D("0.80"), D("0.8000")),
        ("3.5", D("3.5000")),
        ("3.5亿元", D("3.5000")),
        ("3.5亿", D("3.5000")),
        ("3.5 亿", D("3.5000")),
        ("3.5 亿元", D("3.5000")),
        ("35000万元", D("3.5000")),
        ("35000万", D("3.5000")),
        ("35,000 万元", D("3.5000")),
        ("350000000元", D("3.5000")),
        ("1.2万亿元", D("12000.0000")),
        ("３．５", D("3.5000")),
        ("３．５亿元", D("3.5000")),
        ("３５０００万元", D("3.5000")),
        ("1,234.5", D("1234.5000")),
        ("1，234.5", D("1234.5000")),  # a full-width comma is still a thousands separator
        ("12,345,678", D("12345678.0000")),
        ("0.00005", D("0.0001")),  # rounded half up to 4 places (1 万元)
        ("0.00004", D("0.0000")),
        ("1.5e2", D("150.0000")),
        ("¥3.5亿元", D("3.5000")),
        ("-0", D("0.0000")),
        ("", None),
        ("  ", None),
        (None, None),
        ("—", None),  # how tables print "no amount"
        ("-", None),
    ],
)
def test_amounts_as_units_write_them(value, expected):
    assert amount_from(value) == expected


@pytest.mark.parametrize(
    "value, message",
    [
        ("1e30", "金额过大：“1e30”超过 10,000,000,000 亿元"),
        ("1e999", "金额过大：“1e999”超过 10,000,000,000 亿元"),
        (1e30, "金额过大：“1e+30”超过 10,000,000,000 亿元"),
        ("1e10", "金额过大"),
        ("100000000000000万元", "金额过大"),
        ("NaN", "应为数字（亿元，可写作 3.5、3.5亿元、35000万元），实为“NaN”"),
        ("nan", "实为“nan”"),
        ("inf", "实为“inf”"),
        ("-inf", "实为“-inf”"),
        ("Infinity", "实为“Infinity”"),
        (float("nan"), "应为数字（亿元），实为“nan”"),
        (float("inf"), "应为数字（亿元），实为“inf”"),
        ("-3.5", "金额不能为负数，实为“-3.5”"),
        (-1, "金额不能为负数"),
        ("两亿", "实为“两亿”"),
        ("约3.5亿元", "实为“约3.5亿元”"),
        ("3.5亿元（含配套）", "实为“3.5亿元（含配套）”"),
        ("1,5", "实为“1,5”"),  # a decimal comma is not guessed
        ("1,23,456", "实为“1,23,456”"),
        ("3.5.1", "实为“3.5.1”"),
        ("3.5%", "实为“3.5%”"),
        (True, "应为数字（亿元），实为“True”"),
    ],
)
def test_amounts_that_cannot_be_read_exactly_are_errors(value, message):
    with pytest.raises(AmountError) as caught:
        amount_from(value)
    assert message in str(caught.value)


def test_an_importer_gets_the_error_at_its_row_and_column():
    report = ImportReport()
    assert parse_amount("1e999", report=report, row=7, column="总投资(亿元)") is None
    assert parse_amount("", report=report, row=8, column="总投资(亿元)", required=True) is None
    assert [str(i) for i in report.errors] == [
        "第7行“总投资(亿元)”列：金额过大：“1e999”超过 10,000,000,000 亿元，请核对单位和数值",
        "第8行“总投资(亿元)”列：不能为空",
    ]


# --- through the importers: a row/column error, nothing saved, no 500 --------------------------

BAD_AMOUNTS = ["1e30", "1e999", "NaN", "inf", 1e30, "-inf"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_AMOUNTS)
def test_project_import_reports_a_bad_amount_at_its_cell(bad, staff_xining):
    headers = projects_excel.HEADERS
    row = {
        "项目名称": "湟中区供水工程",
        "项目层级": "市州级",
        "所在地区": "西宁市",
        "行业领域": "水利",
        "总投资(亿元)": bad,
    }
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    ws.append([row.get(h) for h in headers])
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    report = projects_excel.import_projects(file=buf, user=staff_xining)
    assert not report.ok
    assert [(i.row, i.column) for i in report.errors] == [(2, "总投资(亿元)")]
    assert not Project.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_AMOUNTS)
def test_ledger_import_reports_a_bad_amount_at_its_cell(bad):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "项目名称", "甲方(青海)", "乙方(省外)", "总投资额(亿元)", "资金来源地"])
    ws.append(["责任单位：西宁市政府（1项）"])
    ws.append([1, "锂电池项目", "大通县政府", "甲公司", bad, "江苏"])
    ws.append(["责任领导", "责任人"])  # not a header: the file must still not 500
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    fair = FairFactory()
    report = import_ledger(fair=fair, file=buf)
    assert not report.ok
    assert (3, "总投资额(亿元)") in [(i.row, i.column) for i in report.errors]
    assert not fair.contracts.exists()
