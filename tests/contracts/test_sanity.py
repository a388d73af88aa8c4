"""Funds arrived above the signed amount ask for a recorded reason (issue 13 point 7).

The issue's case: seed 002 row 5 (西宁市政府, 2.98 亿元); 99 亿元 arrived was saved silently and
moved 西宁's 资金到位率 from 30% to 65%.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.contracts.models import Contract, ContractReport
from tests.contracts.test_pages import TestMonthlyForm

pytestmark = pytest.mark.django_db
OCT = dt.date(2017, 10, 1)


@pytest.fixture
def barley(seed_fair):
    c = Contract.objects.get(fair=seed_fair, name="高原特色青稞燕麦系列产品加工生产线建设项目")
    assert c.total_investment == Decimal("2.98") and c.responsible_unit.name == "西宁市政府"
    return c


def test_api_asks_for_a_reason_then_records_it(barley, staff_xining):
    api = APIClient()
    api.force_authenticate(staff_xining)
    body = {"contract": barley.pk, "period": "2017-10", "funds_arrived_to_date": "99"}
    r = api.post("/api/v1/contract-reports/", body, format="json")
    assert r.status_code == 400
    assert r.json()["funds_arrived_to_date"] == [
        "累计到位资金 99.0000 亿元超过签约总投资 2.9800 亿元。"
        "请核实（单位：亿元）；确认无误请填写核实说明后再保存。"
    ]
    assert not ContractReport.objects.filter(contract=barley).exists()
    r = api.post(
        "/api/v1/contract-reports/",
        {**body, "confirmation_note": "乙方追加投资，合同补充协议已签"},
        format="json",
    )
    assert r.status_code == 201, r.content
    report = ContractReport.objects.get(contract=barley)
    assert report.confirmation_note == "乙方追加投资，合同补充协议已签"
    assert report.history.latest().confirmation_note == report.confirmation_note
    # Up to the signed amount, nothing is asked.
    r = api.patch(
        f"/api/v1/contract-reports/{report.pk}/",
        {"funds_arrived_to_date": "2.98", "confirmation_note": "", "version": report.version},
        format="json",
    )
    assert r.status_code == 200, r.content


@freeze_time("2017-11-03")
def test_report_form_shows_the_reason_field_on_the_row(client, barley, staff_xining):
    client.force_login(staff_xining)
    url = reverse("contracts:report")
    page = client.get(url, {"month": "2017-10"})
    forms = page.context["formset"].forms
    i = next(n for n, f in enumerate(forms) if f.initial["contract"] == barley.pk)
    data = TestMonthlyForm.post_data(None, page, **{f"r-{i}-funds_arrived_to_date": "99"})
    r = client.post(url, data)
    assert r.status_code == 200
    html = r.content.decode()
    assert "累计到位资金 99.0000 亿元超过签约总投资 2.9800 亿元" in html
    assert (
        f'name="r-{i}-confirmation_note"' in html
        and 'type="hidden"'
        not in html.split(f'name="r-{i}-confirmation_note"')[0].rsplit("<", 1)[-1]
    )
    assert not ContractReport.objects.filter(period=OCT).exists()  # all or nothing
    data[f"r-{i}-confirmation_note"] = "追加投资"
    assert client.post(url, data).status_code == 302
    assert ContractReport.objects.get(contract=barley, period=OCT).confirmation_note == "追加投资"
