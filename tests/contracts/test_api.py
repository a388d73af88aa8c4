"""REST API: fairs with rates, the ledger with its filters, monthly reports scoped by unit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.contracts.models import Contract, ContractReport
from tests.contracts.factories import ContractFactory, ContractReportFactory, FairFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def leader_api(leader):
    return client_for(leader)


def test_fairs_list_with_targets(seed_fair, leader_api):
    data = leader_api.get("/api/v1/fairs/").json()
    fair = data["results"][0]
    assert fair["short_name"] == "第十八届青洽会" and fair["contract_count"] == 346
    assert fair["coordinating_unit"] == "省工业和信息化厅"
    assert fair["targets"] == [
        {"due_on": "2017-12-31", "fulfillment": "0.7000", "start": "0.5000", "funding": "0.1500"},
        {"due_on": "2018-05-31", "fulfillment": "0.9000", "start": "0.8000", "funding": "0.3000"},
    ]


@pytest.mark.parametrize(
    "params, count",
    [
        ({}, 346),
        ({"place": "北京"}, 81),  # 80 printed in the column + row 282 once realigned
        ({"region": "630100"}, 62),
        ({"region": "632800"}, 85),
        ({"investment_min": "10", "investment_max": "50"}, 41),
        ({"q": "锂"}, 13),
        ({"flagged": "true"}, 5),
        ({"q": "格尔木", "region": "632800"}, 34),
    ],
)
def test_contract_filters(seed_fair, leader_api, params, count):
    response = leader_api.get("/api/v1/contracts/", {"fair": seed_fair.pk, **params})
    assert response.status_code == 200, response.content
    assert response.json()["count"] == count


def test_contract_unit_filter_and_staff_scope(seed_fair, leader_api, org, make_user):
    unit = org("海东工业园区管委会")
    assert leader_api.get("/api/v1/contracts/", {"unit": unit.pk}).json()["count"] == 24
    staff = make_user(Role.STAFF, unit, username="t_staff_hdpark")
    mine = client_for(staff).get("/api/v1/contracts/", {"page_size": 100}).json()
    assert mine["count"] == 24
    assert {r["responsible_unit_label"] for r in mine["results"]} == {"海东工业园区管委会"}
    row = mine["results"][0]
    assert row["seq"] == 97 and row["total_investment"] == "50.0000"
    assert row["region"] == "630200" and row["region_name"] == "海东市"


def test_contract_list_query_count_is_constant(seed_fair, leader_api):
    with CaptureQueriesContext(connection) as ten:
        leader_api.get("/api/v1/contracts/", {"page_size": 10})
    with CaptureQueriesContext(connection) as hundred:
        leader_api.get("/api/v1/contracts/", {"page_size": 100})
    assert len(ten) == len(hundred)


def test_contracts_are_read_only(seed_fair, staff_xining):
    contract = Contract.objects.filter(responsible_unit=staff_xining.organization).first()
    response = client_for(staff_xining).patch(
        f"/api/v1/contracts/{contract.pk}/", {"name": "x"}, format="json"
    )
    assert response.status_code == 405


@freeze_time("2017-11-03")
class TestReports:
    @pytest.fixture
    def contracts(self, xining, haidong):
        fair = FairFactory(short_name="测试会-api")
        return (
            ContractFactory(fair=fair, responsible_unit=xining),
            ContractFactory(fair=fair, responsible_unit=haidong),
        )

    def payload(self, contract, **extra):
        return {
            "contract": contract.pk,
            "period": "2017-10",
            "is_performing": True,
            "is_started": True,
            "started_on": "2017-10-20",
            "funds_arrived_to_date": "1.5",
            "progress": "已开工建设",
            **extra,
        }

    def test_staff_report_own_unit_only(self, contracts, staff_xining):
        own, other = contracts
        api = client_for(staff_xining)
        created = api.post("/api/v1/contract-reports/", self.payload(own), format="json")
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["period"] == "2017-10-01" and body["version"] == 1
        assert body["reported_by"] == staff_xining.username
        # Another unit's contract cannot even be named.
        refused = api.post("/api/v1/contract-reports/", self.payload(other), format="json")
        assert refused.status_code == 400 and "contract" in refused.json()
        assert ContractReport.objects.filter(contract=other).count() == 0

    def test_coordinator_sees_all_but_reports_only_own(self, contracts, coordinator):
        own, _ = contracts
        response = client_for(coordinator).post(
            "/api/v1/contract-reports/", self.payload(own), format="json"
        )
        assert response.status_code == 403
        assert ContractReport.objects.count() == 0

    def test_update_needs_the_current_version(self, contracts, staff_xining, staff_haidong):
        own, _ = contracts
        api = client_for(staff_xining)
        report = api.post("/api/v1/contract-reports/", self.payload(own), format="json").json()
        url = f"/api/v1/contract-reports/{report['id']}/"
        assert api.patch(url, {"funds_arrived_to_date": "2"}, format="json").status_code == 400
        ok = api.patch(url, {"funds_arrived_to_date": "2", "version": 1}, format="json")
        assert ok.status_code == 200 and ok.json()["version"] == 2
        stale = api.patch(url, {"funds_arrived_to_date": "3", "version": 1}, format="json")
        assert stale.status_code == 400 and "其他用户修改" in str(stale.json())
        assert ContractReport.objects.get().funds_arrived_to_date == Decimal("2")
        # Another unit's report is invisible to 海东 staff.
        assert (
            client_for(staff_haidong).patch(url, {"version": 2}, format="json").status_code == 404
        )

    def test_duplicate_month_and_validation(self, contracts, staff_xining):
        own, _ = contracts
        api = client_for(staff_xining)
        api.post("/api/v1/contract-reports/", self.payload(own), format="json")
        again = api.post("/api/v1/contract-reports/", self.payload(own), format="json")
        assert again.status_code == 400 and "已有月报" in str(again.json())
        no_date = api.post(
            "/api/v1/contract-reports/",
            self.payload(own, period="2017-09", started_on=None),
            format="json",
        )
        assert no_date.status_code == 400 and "started_on" in no_date.json()
        future = api.post(
            "/api/v1/contract-reports/", self.payload(own, period="2017-12"), format="json"
        )
        assert future.status_code == 400 and "未来月份" in str(future.json())
        mid = api.post(
            "/api/v1/contract-reports/", self.payload(own, period="2017-09-15"), format="json"
        )
        assert mid.status_code == 400

    def test_read_only_roles_cannot_write(self, contracts, leader, api_client_user):
        own, _ = contracts
        for user in (leader, api_client_user):
            response = client_for(user).post(
                "/api/v1/contract-reports/", self.payload(own), format="json"
            )
            assert response.status_code == 403

    def test_report_filters(self, contracts, leader):
        own, other = contracts
        ContractReportFactory(contract=own, period=dt.date(2017, 10, 1))
        ContractReportFactory(contract=other, period=dt.date(2017, 9, 1))
        api = client_for(leader)
        assert api.get("/api/v1/contract-reports/", {"month": "2017-10"}).json()["count"] == 1
        by_unit = api.get("/api/v1/contract-reports/", {"unit": other.responsible_unit_id})
        assert by_unit.json()["results"][0]["contract"] == other.pk
        assert api.get("/api/v1/contract-reports/", {"month": "10/2017"}).status_code == 400


def test_rates_endpoint(seed_fair, leader_api, org):
    contract = Contract.objects.get(fair=seed_fair, seq=97)  # 海东工业园区, 50 亿元
    ContractReportFactory(
        contract=contract,
        period=dt.date(2017, 10, 1),
        is_started=True,
        started_on=dt.date(2017, 9, 1),
        funds_arrived_to_date=Decimal("12.5"),
    )
    url = f"/api/v1/fairs/{seed_fair.pk}/rates/"
    whole = leader_api.get(url, {"month": "2017-10"}).json()
    assert whole["month"] == "2017-10" and whole["by"] is None
    result = whole["result"]
    assert result["contracts"] == 346 and result["performing"] == 1 and result["started"] == 1
    assert result["fulfillment_rate"] == "0.0029"  # 1/346
    assert result["funding_rate"] == "0.0075"  # 12.5/1668.86
    assert result["target"]["fulfillment"] == "0.7000" and result["gap"]["start"] == "-0.4971"

    units = leader_api.get(url, {"month": "2017-10", "by": "unit"}).json()["results"]
    assert len(units) == 31
    park = next(u for u in units if u["unit_id"] == org("海东工业园区管委会").pk)
    assert park["contracts"] == 24 and park["total_investment"] == "225.1700"
    assert park["fulfillment_rate"] == "0.0417" and park["funding_rate"] == "0.0555"

    regions = leader_api.get(url, {"month": "2017-10", "by": "region"}).json()["results"]
    assert [r["region_name"] for r in regions][:2] == ["西宁市", "海东市"]
    assert sum(r["contracts"] for r in regions) == 346

    bad_month = leader_api.get(url, {"month": "2017/10"})
    assert bad_month.status_code == 400 and "YYYY-MM" in bad_month.json()["month"][0]
    bad_by = leader_api.get(url, {"by": "sector"})
    assert bad_by.status_code == 400 and "unit 或 region" in bad_by.json()["by"][0]


def test_rates_for_staff_cover_their_own_unit(seed_fair, staff_xining):
    data = client_for(staff_xining).get(
        f"/api/v1/fairs/{seed_fair.pk}/rates/", {"month": "2017-10", "by": "unit"}
    )
    assert [r["unit_name"] for r in data.json()["results"]] == ["西宁市政府"]


def test_reporting_status_endpoint(seed_fair, leader_api):
    data = leader_api.get(
        f"/api/v1/fairs/{seed_fair.pk}/reporting-status/", {"month": "2017-10"}
    ).json()
    assert len(data["results"]) == 31
    first = data["results"][0]
    assert (first["unit_name"], first["contracts"], first["missing"]) == ("西宁市政府", 35, 35)
