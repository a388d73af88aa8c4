"""/api/v1/indicators/ and /api/v1/indicator-values/."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.indicators import services
from apps.indicators.models import MeasureValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_list_with_units_and_measures(client_for, api_client_user):
    res = client_for(api_client_user).get("/api/v1/indicators/", {"page_size": 100})
    assert res.status_code == 200
    assert res.data["count"] == 74
    first = res.data["results"][8]  # 一级9
    assert (first["code"], first["kind_display"]) == ("一级9", "约束性")
    assert [u["name"] for u in first["lead_units"]] == ["省林草局"]
    assert [m["name"] for m in first["measures"]] == ["森林覆盖率", "草原综合植被盖度"]
    assert first["measures"][0]["target_value"] == "8.0000"
    assert first["status"] == "no_data"


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"level": 1}, 25),
        ({"level": 2}, 49),
        ({"kind": "binding"}, 7),
        ({"kind": "expected"}, 18),
        ({"status": "no_data"}, 74),
        ({"chapter": 1}, 15),
    ],
)
def test_filters(client_for, leader, params, count):
    res = client_for(leader).get("/api/v1/indicators/", params)
    assert res.data["count"] == count


def test_filter_by_lead_unit(client_for, leader, org):
    res = client_for(leader).get(
        "/api/v1/indicators/", {"lead_unit": org("省林草局").pk, "page_size": 100}
    )
    assert [r["code"] for r in res.data["results"]] == ["一级9", "一级15", "二级2"]


def test_status_filter_follows_the_year(client_for, leader, measure, admin_user_):
    services.record_value(user=admin_user_, measure=measure(2, 1), year=2022, value=D("900"))
    client = client_for(leader)
    behind_2022 = client.get("/api/v1/indicators/", {"status": "behind", "year": 2022})
    assert [r["code"] for r in behind_2022.data["results"]] == ["二级1"]
    assert behind_2022.data["results"][0]["measures"][0]["year_value"] == "900.0000"
    assert client.get("/api/v1/indicators/", {"status": "behind", "year": 2023}).data["count"] == 0
    latest = client.get("/api/v1/indicators/", {"level": 2, "year": 2023}).data["results"][0]
    assert latest["measures"][0]["latest"] == {
        "year": 2022,
        "value": "900.0000",
        "status": "behind",
    }


def test_unit_staff_see_the_indicators_their_unit_leads_or_joins(client_for, staff_of):
    res = client_for(staff_of("省林草局")).get("/api/v1/indicators/", {"page_size": 100})
    codes = [r["code"] for r in res.data["results"]]
    assert codes[:3] == ["一级9", "一级15", "二级1"]  # leads 一级9, 15; joins 二级1
    assert "一级1" not in codes


def test_list_query_count_is_constant(client_for, leader, admin_user_, measure):
    services.record_value(user=admin_user_, measure=measure(1, 9), year=2023, value=D("8"))
    client = client_for(leader)
    counts = []
    for size in (10, 74):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/indicators/", {"page_size": size}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_lead_staff_post_and_patch_a_value(client_for, staff_of, measure):
    forest = measure(1, 9)
    client = client_for(staff_of("省林草局"))
    res = client.post(
        "/api/v1/indicator-values/",
        {"measure": forest.pk, "year": 2023, "value": "7.9", "note": "林草局统计"},
        format="json",
    )
    assert res.status_code == 201, res.data
    assert (res.data["status"], res.data["version"]) == ("behind", 1)
    url = f"/api/v1/indicator-values/{res.data['id']}/"
    ok = client.patch(url, {"value": "8.1", "version": 1}, format="json")
    assert ok.status_code == 200, ok.data
    assert (ok.data["status"], ok.data["version"], ok.data["note"]) == ("met", 2, "林草局统计")
    stale = client.patch(url, {"value": "8.2", "version": 1}, format="json")
    assert stale.status_code == 409
    assert client.patch(url, {"value": "8.2"}, format="json").status_code == 400
    again = client.post(
        "/api/v1/indicator-values/",
        {"measure": forest.pk, "year": 2023, "value": "9"},
        format="json",
    )
    assert again.status_code == 409
    assert MeasureValue.objects.get(measure=forest, year=2023).value == D("8.1")


def test_participating_and_other_units_cannot_write(client_for, staff_of, measure, admin_user_):
    forest = measure(1, 9)
    mv = services.record_value(user=admin_user_, measure=forest, year=2022, value=D("7.7"))
    participant = client_for(staff_of("省自然资源厅"))
    res = participant.post(
        "/api/v1/indicator-values/",
        {"measure": forest.pk, "year": 2023, "value": "8"},
        format="json",
    )
    assert res.status_code == 403
    url = f"/api/v1/indicator-values/{mv.pk}/"
    assert participant.get(url).status_code == 200  # participating units may view
    assert participant.patch(url, {"value": "8", "version": 1}, format="json").status_code == 403
    other = client_for(staff_of("西宁市政府"))
    assert other.patch(url, {"value": "8", "version": 1}, format="json").status_code == 404
    res = other.post(
        "/api/v1/indicator-values/",
        {"measure": forest.pk, "year": 2023, "value": "8"},
        format="json",
    )
    assert res.status_code == 400  # a measure they cannot see does not exist for them
    mv.refresh_from_db()
    assert mv.value == D("7.7")


def test_read_only_roles_cannot_write(client_for, leader, api_client_user, measure):
    for user in (leader, api_client_user):
        res = client_for(user).post(
            "/api/v1/indicator-values/",
            {"measure": measure(1, 9).pk, "year": 2023, "value": "8"},
            format="json",
        )
        assert res.status_code == 403


def test_bad_values_are_400(client_for, staff_of, measure):
    client = client_for(staff_of("省工业和信息化厅"))
    res = client.post(
        "/api/v1/indicator-values/",
        {"measure": measure(1, 12).pk, "year": 2022, "value": "3.2"},
        format="json",
    )
    assert res.status_code == 400
    assert "value" in res.data
