"""The ledger pages as users meet them: scoped, grouped, constant in queries, safe to write."""

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from apps.contracts.importers import import_ledger
from apps.contracts.models import Contract, ContractReport
from apps.contracts.seed import LEDGER
from tests.contracts.factories import ContractReportFactory, FairFactory

pytestmark = pytest.mark.django_db

OCT = dt.date(2017, 10, 1)


def rows_of(response) -> int:
    return len(re.findall(r'href="/contracts/\d+/"', response.content.decode()))


def test_ledger_grouped_with_subtotals(client, seed_fair, leader):
    client.force_login(leader)
    response = client.get(reverse("contracts:ledger"), {"page_size": 500})
    html = response.content.decode()
    assert response.status_code == 200 and rows_of(response) == 346
    assert "责任单位：西宁经济技术开发区管委会（23项）" in html
    assert ">230.00<" in html and ">225.17<" in html and ">1,668.86<" in html
    assert "现为省文化和旅游厅" in html  # 省旅游发展委 / 省文化新闻出版厅 since 2018
    # Flagged rows are visibly marked, with what the source had.
    assert html.count('class="table-warning"') == 5
    assert "右移2列" in html


def test_ledger_filters_share_the_filterset(client, seed_fair, leader):
    client.force_login(leader)
    response = client.get(reverse("contracts:ledger"), {"flagged": "true", "page_size": 500})
    assert rows_of(response) == 5
    haixi_beijing = Contract.objects.filter(
        Q(region__code="632800") | Q(region__parent__code="632800"),
        fair=seed_fair,
        funding_source_places__icontains="北京",
    )
    response = client.get(reverse("contracts:ledger"), {"region": "632800", "place": "北京"})
    assert rows_of(response) == haixi_beijing.count() == 20


def test_ledger_query_count_is_constant(client, seed_fair, leader):
    client.force_login(leader)
    client.get(reverse("contracts:ledger"))  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("contracts:ledger"), {"page_size": 50})
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("contracts:ledger"), {"page_size": 500})
    assert len(small) == len(large)


def test_staff_see_only_their_unit(client, seed_fair, staff_xining, staff_haidong):
    client.force_login(staff_xining)
    response = client.get(reverse("contracts:ledger"), {"page_size": 500})
    assert rows_of(response) == 35
    other = Contract.objects.get(fair=seed_fair, seq=59)  # 海东市政府
    assert client.get(reverse("contracts:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("contracts:correct", args=[other.pk])).status_code == 404
    status = client.get(reverse("contracts:status"), {"month": "2017-10"})
    assert [(r["unit_name"], r["contracts"]) for r in status.context["rows"]] == [
        ("西宁市政府", 35)
    ]


@freeze_time("2017-11-03")
class TestMonthlyForm:
    def post_data(self, response, **changes):
        """What the browser would send back for the form as rendered, with some changes."""
        formset = response.context["formset"]
        data = {"fair": response.context["fair"].pk, "month": "2017-10"}
        data.update(
            {
                f"r-{k}": v
                for k, v in {
                    "TOTAL_FORMS": formset.total_form_count(),
                    "INITIAL_FORMS": formset.initial_form_count(),
                }.items()
            }
        )
        for i, form in enumerate(formset.forms):
            for name, value in form.initial.items():
                if isinstance(value, bool):
                    if value:
                        data[f"r-{i}-{name}"] = "on"
                elif value is not None:
                    data[f"r-{i}-{name}"] = str(value)
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return data

    def test_whole_unit_on_one_page_prefilled_from_last_month(
        self, client, seed_fair, staff_xining
    ):
        first = Contract.objects.get(fair=seed_fair, seq=1)
        ContractReportFactory(
            contract=first,
            period=dt.date(2017, 9, 1),
            is_started=True,
            started_on=dt.date(2017, 9, 9),
            funds_arrived_to_date=Decimal("20"),
            progress="九月进展",
        )
        client.force_login(staff_xining)
        url = reverse("contracts:report")
        page = client.get(url, {"month": "2017-10"})
        assert len(page.context["rows"]) == 35
        assert page.context["rows"][0]["state"] == "carried"
        assert "沿用2017年9月" in page.content.decode()  # the month with its year
        assert page.context["formset"].forms[0].initial["progress"] == "九月进展"
        data = self.post_data(
            page, **{"r-0-funds_arrived_to_date": "25", "r-1-is_performing": "on"}
        )
        saved = client.post(url, data)
        assert saved.status_code == 302
        october = ContractReport.objects.filter(period=OCT, contract__fair=seed_fair)
        assert october.count() == 35
        one = october.get(contract=first)
        assert one.funds_arrived_to_date == Decimal("25") and one.progress == "九月进展"
        assert one.reported_by == staff_xining and one.is_started
        assert october.get(contract__seq=2).is_performing
        assert ContractReport.history.filter(period=OCT).count() == 35

    def test_stale_version_saves_nothing(self, client, seed_fair, staff_xining):
        client.force_login(staff_xining)
        url = reverse("contracts:report")
        client.post(url, self.post_data(client.get(url, {"month": "2017-10"})))
        page = client.get(url, {"month": "2017-10"})
        # A colleague saves row 1 meanwhile.
        report = ContractReport.objects.get(period=OCT, contract__seq=1, contract__fair=seed_fair)
        report.version += 1
        report.save()
        response = client.post(
            url, self.post_data(page, **{"r-0-progress": "覆盖", "r-5-progress": "也改了"})
        )
        assert response.status_code == 200
        assert "其他用户修改" in response.content.decode()
        assert not ContractReport.objects.filter(progress__in=["覆盖", "也改了"]).exists()

    def test_cannot_report_another_units_contract(self, client, seed_fair, staff_xining):
        client.force_login(staff_xining)
        url = reverse("contracts:report")
        page = client.get(url, {"month": "2017-10"})
        other = Contract.objects.get(fair=seed_fair, seq=59)  # 海东市政府
        forged = self.post_data(page, **{"r-0-contract": str(other.pk)})
        assert client.post(url, forged).status_code == 403
        assert ContractReport.objects.count() == 0
        # ?unit= is ignored for unit staff: they only ever get their own unit's form.
        page = client.get(url, {"month": "2017-10", "unit": other.responsible_unit_id})
        assert page.context["unit"] == staff_xining.organization

    def test_read_only_roles_have_no_form(self, client, seed_fair, leader):
        client.force_login(leader)
        assert client.get(reverse("contracts:report")).status_code == 403

    def test_validation_errors_shown_by_row(self, client, seed_fair, staff_xining):
        client.force_login(staff_xining)
        url = reverse("contracts:report")
        page = client.get(url, {"month": "2017-10"})
        response = client.post(url, self.post_data(page, **{"r-2-is_started": "on"}))
        assert response.status_code == 200
        assert "已开工的项目请填写开工日期" in response.content.decode()
        assert ContractReport.objects.count() == 0


@freeze_time("2017-11-10")
def test_status_and_rates_pages(client, seed_fair, coordinator):
    for contract in Contract.objects.filter(fair=seed_fair, responsible_unit_label="省水利厅"):
        ContractReportFactory(contract=contract, period=OCT, funds_arrived_to_date=Decimal("0.3"))
    client.force_login(coordinator)
    status = client.get(reverse("contracts:status"), {"month": "2017-10"})
    summary = status.context["summary"]
    assert (summary["units"], summary["complete"], summary["none"]) == (31, 1, 30)
    assert summary["reported"] == 2 and "逾期" in status.content.decode()
    rates = client.get(reverse("contracts:rates"))
    assert rates.context["period"] == OCT  # the latest month reported on
    overall = rates.context["overall"]
    assert overall["performing"] == 2 and overall["funds_arrived"] == Decimal("0.6")
    html = rates.content.decode()
    assert "目标 70%" in html and 'id="rates-data"' in html


def test_ledger_export_reimports_unchanged(client, seed_fair, leader):
    client.force_login(leader)
    response = client.get(reverse("contracts:ledger-export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A3"].value == "责任单位：西宁市政府（35项）"
    assert "（筛选：全部 · 导出时间：" in sheet["A1"].value
    assert [c.value for c in sheet[2]][:5] == ["序号", "项目名称", "甲方(青海)", "乙方(省外)",
                                               "总投资额(亿元)"]  # fmt: skip
    # The 合计 line: the ledger's sum (seed 002's 346 rows, test_seed_ledger), a value.
    last = [c for c in sheet[sheet.max_row]]
    assert last[0].value == "合计" and Decimal(str(last[4].value)) == Decimal("1668.86")
    assert last[4].data_type == "n" and last[4].number_format == "#,##0.0000"
    report = import_ledger(fair=seed_fair, file=BytesIO(response.content), commit=False)
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 346)
    # The same file into a new fair gives the same ledger, flags and notes included.
    fresh = FairFactory(short_name="测试会-roundtrip")
    import_ledger(fair=fresh, file=BytesIO(response.content))
    assert Contract.objects.filter(fair=fresh).flagged().count() == 5
    note = Contract.objects.get(fair=fresh, seq=282).correction_note
    assert note == Contract.objects.get(fair=seed_fair, seq=282).correction_note


def test_filtered_export_and_month_reports(client, seed_fair, leader):
    contract = Contract.objects.get(fair=seed_fair, seq=297)
    ContractReportFactory(
        contract=contract, period=OCT, progress="已开工", funds_arrived_to_date=Decimal("0.35")
    )
    client.force_login(leader)
    ledger = client.get(reverse("contracts:ledger-export"), {"unit": contract.responsible_unit_id})
    ws = load_workbook(BytesIO(ledger.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][0] == "责任单位：省水利厅（2项）" and Decimal(str(rows[2][4])) == Decimal("1.2")
    assert len(rows) == 6
    assert rows[5][0] == "合计" and Decimal(str(rows[5][4])) == Decimal("1.2")
    # The 台账 layout every export shares: filters and time in the title, frozen filtered
    # header (the 合计 line outside the filter), print setup.
    assert rows[0][0].startswith(
        "第十八届青洽会签约项目责任分工表（金额单位：亿元）（筛选：责任单位=省水利厅 · 导出时间："
    )
    assert (ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows) == ("A3", "A2:I5", "$1:$2")
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth) == ("landscape", 1)
    month = client.get(reverse("contracts:reports-export"), {"month": "2017-10"})
    sheet = list(load_workbook(BytesIO(month.content)).active.iter_rows(values_only=True))
    assert sheet[0][0].startswith(
        "第十八届青洽会签约项目进展情况（2017年10月）（金额单位：亿元）"
        "（筛选：月份=2017年10月 · 导出时间："
    )
    assert sheet[1][9:14] == ("报送状态", "是否履约", "是否开工", "开工日期", "累计到位资金(亿元)")
    filed = next(r for r in sheet if r[0] == 297)
    assert filed[9:11] == ("已报", "是") and filed[14] == "已开工"
    assert next(r for r in sheet if r[0] == 298)[9] == "未报"
    # 合计: the whole ledger's investment, and the funds the one October report gave.
    assert sheet[-1][0] == "合计" and Decimal(str(sheet[-1][4])) == Decimal("1668.86")
    assert Decimal(str(sheet[-1][13])) == Decimal("0.35")


class TestImportPage:
    def test_only_the_coordinator_imports(self, client, seed_fair, staff_xining):
        client.force_login(staff_xining)
        assert client.get(reverse("contracts:import")).status_code == 403

    def test_preview_then_confirm(
        self, client, coordinator, org, django_capture_on_commit_callbacks
    ):
        capture_on_commit = django_capture_on_commit_callbacks
        fair = FairFactory(short_name="测试会-import", coordinating_unit=org("省经济和信息化委"))
        client.force_login(coordinator)
        url = reverse("contracts:import") + f"?fair={fair.pk}"
        with LEDGER.open("rb") as fh:
            preview = client.post(url, {"fair": fair.pk, "file": fh})
        assert preview.status_code == 200
        report = preview.context["report"]
        assert report.ok and report.created == 346 and len(report.warnings) == 23
        assert Contract.objects.filter(fair=fair).count() == 0  # nothing saved yet
        html = preview.content.decode()
        assert "确认导入" in html and "原表为空" in html
        token = preview.context["token"]
        with capture_on_commit(execute=True):
            done = client.post(
                reverse("contracts:import-confirm"), {"fair": fair.pk, "token": token}
            )
        assert done.status_code == 302 and "/jobs/" in done["Location"]
        assert Contract.objects.filter(fair=fair).count() == 346
        # The token is single-use.
        again = client.post(reverse("contracts:import-confirm"), {"fair": fair.pk, "token": token})
        assert again.status_code == 302 and Contract.objects.filter(fair=fair).count() == 346

    def test_bad_file_lists_errors_and_saves_nothing(self, client, coordinator, org):
        fair = FairFactory(short_name="测试会-bad", coordinating_unit=org("省经济和信息化委"))
        wb = load_workbook(LEDGER)
        ws = wb.active
        ws["E5"] = "一百八十"  # row 1's amount as text
        ws["A44"] = "责任单位：西宁经济技术开发区管委会（24项）"  # count that disagrees
        buf = BytesIO()
        wb.save(buf)
        buf.seek(0)
        buf.name = "bad.xlsx"
        client.force_login(coordinator)
        response = client.post(reverse("contracts:import") + f"?fair={fair.pk}", {"file": buf})
        report = response.context["report"]
        assert not report.ok and response.context["token"] is None
        assert {(i.row, i.column) for i in report.errors} >= {
            (5, "总投资额(亿元)"),
            (44, "责任单位"),
        }
        assert "整个文件不会导入" in response.content.decode()
        assert Contract.objects.filter(fair=fair).count() == 0


class TestCorrection:
    def test_unit_corrects_a_flagged_row(self, client, seed_fair, make_user, org):
        from apps.accounts.models import Role

        staff = make_user(Role.STAFF, org("省自然资源厅"), username="t_staff_land")
        row = Contract.objects.get(fair=seed_fair, seq=279)
        client.force_login(staff)
        url = reverse("contracts:correct", args=[row.pk])
        page = client.get(url)
        assert page.status_code == 200
        response = client.post(
            url,
            {
                "version": row.version,
                "name": row.name,
                "party_a": "省第三地质矿产勘查院",
                "party_b": "易扬集团",
                "total_investment": "0.2",
                "funding_source_places": "北京",
                "responsible_leader": "王景雄",
                "responsible_persons": "赵成祥",
                "note": "与签约方核实，同第277行",
                "resolved": "on",
            },
        )
        assert response.status_code == 302
        row.refresh_from_db()
        assert not row.needs_correction and row.total_investment == Decimal("0.2")
        assert row.party_a == ["省第三地质矿产勘查院"] and row.version == 2
        assert row.correction_note.startswith("原表“甲方(青海)”")  # what the source had stays
        assert "与签约方核实，同第277行" in row.correction_note
        # A second, stale submission is refused.
        stale = client.post(url, {"version": 1, "name": "x"})
        assert stale.status_code == 200 and "其他用户修改" in stale.content.decode()


@freeze_time("2017-11-03")
def test_home_widgets(client, seed_fair, staff_xining, leader):
    client.force_login(staff_xining)
    widgets = {w["title"]: w for w in client.get("/").context["widgets"]}
    mine = widgets["第十八届青洽会2017年10月月报待报"]
    assert (mine["value"], mine["unit"]) == (35, "/ 35 项")
    client.force_login(leader)
    widgets = {w["title"]: w for w in client.get("/").context["widgets"]}
    rate = widgets["第十八届青洽会履约率（2017年10月）"]
    assert rate["value"] == "0.0" and rate["note"].startswith("目标 70%")


def test_report_form_with_a_malformed_unit_is_not_an_error(client, seed_fair, admin_user_):
    client.force_login(admin_user_)
    response = client.get("/contracts/report/", {"unit": "abc"})
    assert response.status_code == 200
