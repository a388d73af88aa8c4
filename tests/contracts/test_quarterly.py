"""The quarterly report to the province: compiled from the monthly reports, its figures are
the rates endpoint's, in the ledger layout, exportable."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apps.contracts import selectors
from apps.contracts.models import ContractReport
from tests.notifications import scenario

pytestmark = pytest.mark.django_db
KEYS = ("contracts", "reported", "performing", "started", "total_investment", "funds_arrived",
        "fulfillment_rate", "start_rate", "funding_rate")  # fmt: skip


@pytest.fixture
def province(db):
    built = scenario.build()
    ContractReport.objects.filter(contract=built.contracts["h2"], period=scenario.OCTOBER).update(
        problems="配套电网未接入"
    )
    return built


def same(api_row: dict, row: dict) -> None:
    for key in KEYS:
        api = api_row[key]
        assert (Decimal(api) if api is not None else None) == row[key], key


def test_figures_equal_the_rates_endpoint(client, province):
    fair = province.fair
    report = selectors.quarterly_report(fair=fair, quarter_start=scenario.OCTOBER)
    assert report["as_of"].isoformat() == "2026-12-01"
    client.force_login(province.coordinator)
    base = f"/api/v1/fairs/{fair.pk}/rates/?month=2026-12"
    same(client.get(base).json()["result"], report["overall"])
    api_units = client.get(base + "&by=unit").json()["results"]
    assert [r["unit_name"] for r in api_units] == [r["unit_name"] for r in report["by_unit"]]
    for api_row, row in zip(api_units, report["by_unit"], strict=True):
        same(api_row, row)
    api_regions = client.get(base + "&by=region").json()["results"]
    for api_row, row in zip(api_regions, report["by_region"], strict=True):
        same(api_row, row)
    # Known values: 6 contracts, 海东's two started and performing as of October.
    overall = report["overall"]
    assert (overall["contracts"], overall["started"]) == (6, 4)
    assert [m["reported"] for m in report["monthly"]] == [2, 0, 0]
    h2 = next(c for c in report["contracts"] if c.seq == 5)
    assert (h2.q_reports, h2.q_problems, h2.state_funds) == (1, "配套电网未接入", Decimal("12"))


def test_page_and_export(client, province):
    client.force_login(province.coordinator)
    url = f"/contracts/quarterly/?fair={province.fair.pk}&quarter=2026-Q4"
    page = client.get(url).content.decode()
    assert "2026年第4季度" in page and "配套电网未接入" in page and "print.css" in page
    r = client.get(f"/contracts/quarterly/export/?fair={province.fair.pk}&quarter=2026-Q4")
    wb = load_workbook(io.BytesIO(r.content))
    summary = list(wb["汇总"].iter_rows(values_only=True))
    report = selectors.quarterly_report(fair=province.fair, quarter_start=scenario.OCTOBER)
    assert (
        "签约项目推进情况季度报告（2026年第4季度）（金额单位：亿元）（筛选：全部 · 导出时间："
        in (summary[0][0])
    )
    assert summary[1][:2] == ("汇总口径", "签约项目(个)")
    overall = summary[2]  # 合计 first, as a statistics table has it: the SQL aggregate
    assert overall[0] == "合计" and overall[1] == report["overall"]["contracts"] == 6
    assert Decimal(str(overall[7])) == (report["overall"]["fulfillment_rate"] * 100).quantize(
        Decimal("0.01")
    )
    detail = list(wb["进展情况"].iter_rows(values_only=True))
    assert detail[1][:5] == ("序号", "项目名称", "甲方(青海)", "乙方(省外)", "总投资额(亿元)")
    assert detail[2][0] == "责任单位：西宁市政府"
    total = detail[-1]
    assert total[0] == "合计"
    # 10+20+30+40+50+60 signed; funds as last reported: 2 (x1) + 6 (x3) + 8 (h1) + 12 (h2).
    assert Decimal(str(total[4])) == Decimal("210") == report["overall"]["total_investment"]
    assert Decimal(str(total[9])) == Decimal("28")
    assert any(row[12] == "配套电网未接入" for row in detail)
    assert client.get(url.replace("2026-Q4", "2026-Q9")).status_code == 200  # default, warned
