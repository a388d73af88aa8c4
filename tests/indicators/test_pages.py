"""The indicator pages: board, detail, value entry grid, evaluations, Excel export."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.indicators import services
from apps.indicators.models import MeasureValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_board_groups_all_indicators(login, leader):
    res = login(leader).get(reverse("indicators:board"), {"year": 2023})
    assert res.status_code == 200
    assert res.context["count"] == 74
    titles = [g["title"] for g in res.context["groups"]]
    assert titles[:2] == ["一级指标 · 约束性", "一级指标 · 预期性"]
    assert [len(g["rows"]) for g in res.context["groups"][:2]] == [7, 18]
    assert sum(len(g["rows"]) for g in res.context["groups"]) == 74
    assert "森林覆盖率" in res.content.decode()


def test_board_filters_and_lights(login, leader, measure, admin_user_):
    services.record_value(user=admin_user_, measure=measure(2, 1), year=2023, value=D("2600"))
    res = login(leader).get(reverse("indicators:board"), {"year": 2023, "status": "behind"})
    rows = [ind for g in res.context["groups"] for ind in g["rows"]]
    assert [ind.code for ind in rows] == ["二级1"]
    # 2600 of 5000 = 52% at 60% of the time: behind, but within 80% of the pace → amber.
    assert rows[0].measure_list[0].judged["light"] == "amber"


def test_board_query_count_does_not_grow_with_rows(login, leader):
    client = login(leader)
    counts = []
    for params in ({"level": 1, "kind": "binding"}, {}):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("indicators:board"), params).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_unit_staff_see_only_their_indicators(login, staff_of, indicator):
    client = login(staff_of("省林草局"))
    res = client.get(reverse("indicators:board"))
    codes = {ind.code for g in res.context["groups"] for ind in g["rows"]}
    assert {"一级9", "一级15", "二级2", "二级1"} <= codes and "一级1" not in codes
    assert client.get(reverse("indicators:detail", args=[indicator(1, 1).pk])).status_code == 404
    assert client.get(reverse("indicators:detail", args=[indicator(1, 9).pk])).status_code == 200


def test_detail_shows_series_and_units(login, leader, measure, admin_user_, indicator):
    forest = measure(1, 9)
    services.record_value(user=admin_user_, measure=forest, year=2020, value=D("7.5"))
    services.record_value(user=admin_user_, measure=forest, year=2022, value=D("7.7"))
    res = login(leader).get(reverse("indicators:detail", args=[indicator(1, 9).pk]))
    assert res.status_code == 200
    chart = res.context["charts"][0]
    assert chart["years"] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    assert chart["values"] == [7.5, None, 7.7, None, None, None]
    assert chart["target"] == 8.0
    html = res.content.decode()
    assert "省林草局" in html and "省自然资源厅" in html
    assert "vendor/echarts/echarts.min.js" in html


def _grid(client, year):
    res = client.get(reverse("indicators:entry"), {"year": year})
    return res, {m.pk: m for m in res.context["form"].measures}


def test_lead_unit_enters_a_year_in_the_grid(login, staff_of, measure):
    client = login(staff_of("省林草局"))
    _, measures = _grid(client, 2023)
    forest, grass = measure(1, 9, 1), measure(1, 9, 2)
    assert set(measures) == {forest.pk, grass.pk, measure(1, 15).pk, measure(2, 2).pk}
    post = {"year": 2023, f"value_{forest.pk}": "7.9", f"note_{forest.pk}": "二类调查"}
    res = client.post(reverse("indicators:entry"), post)
    assert res.status_code == 302
    mv = MeasureValue.objects.get(measure=forest, year=2023)
    assert (mv.value, mv.note, mv.status) == (D("7.9"), "二类调查", "behind")
    assert not MeasureValue.objects.filter(measure=grass).exists()  # left empty: skipped
    # Correcting it later sends the version the page showed.
    post.update({f"value_{forest.pk}": "8.0", f"version_{forest.pk}": "1"})
    assert client.post(reverse("indicators:entry"), post).status_code == 302
    mv.refresh_from_db()
    assert (mv.value, mv.version, mv.status) == (D("8.0"), 2, "met")


def test_grid_is_all_or_nothing_and_refuses_stale_versions(login, staff_of, measure):
    user = staff_of("省林草局")
    client = login(user)
    forest, grass = measure(1, 9, 1), measure(1, 9, 2)
    services.record_value(user=user, measure=forest, year=2023, value=D("7.8"))
    post = {
        "year": 2023,
        f"value_{forest.pk}": "7.95",
        f"version_{forest.pk}": "0",  # the page was drawn before the colleague saved
        f"value_{grass.pk}": "58.2",
    }
    res = client.post(reverse("indicators:entry"), post)
    assert res.status_code == 200
    assert res.context["form"].errors
    assert MeasureValue.objects.get(measure=forest, year=2023).value == D("7.8")
    assert not MeasureValue.objects.filter(measure=grass).exists()


def test_participating_unit_has_nothing_to_enter(login, staff_of, measure):
    client = login(staff_of("省自然资源厅"))  # participates in 一级9
    _, measures = _grid(client, 2023)
    assert measure(1, 9).pk not in measures
    forest = measure(1, 9)
    client.post(reverse("indicators:entry"), {"year": 2023, f"value_{forest.pk}": "9"})
    assert not MeasureValue.objects.filter(measure=forest).exists()


def test_read_only_roles_have_no_entry_page(login, leader):
    assert login(leader).get(reverse("indicators:entry")).status_code == 403


@pytest.mark.parametrize(
    ("name", "year"), [("evaluation-midterm", 2023), ("evaluation-final", 2025)]
)
def test_evaluations(login, leader, measure, admin_user_, name, year):
    services.record_value(user=admin_user_, measure=measure(2, 1), year=year, value=D("2600"))
    res = login(leader).get(reverse(f"indicators:{name}"))
    assert res.status_code == 200
    rows = res.context["measures"]
    assert len(rows) == 99
    first = rows[0]
    assert (first.indicator.code, first.year_status) == ("二级1", "behind")
    assert res.context["cards"][2]["measures"] == 1
    assert login(leader).get("/indicators/evaluation/2024/").status_code == 404


def test_export_in_the_004_layout(login, leader):
    res = login(leader).get(reverse("indicators:export"))
    assert res.status_code == 200
    ws = load_workbook(BytesIO(res.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("“十四五”规划纲要发展指标及分工（筛选：年份=")
    assert " · 导出时间：" in rows[0][0]
    assert rows[1] == ("序号", "内容", "牵头单位", "参加单位")
    assert rows[2][0] == "（一）一级指标"
    assert rows[3] == (
        1,
        "生产总值年均增长率5.5％左右（预期性）。",
        "省发展改革委",
        "省工业和信息化厅、省农业农村厅、省商务厅、省文化和旅游厅等",
    )
    assert rows[28][0] == "（二）二级指标"
    six = rows[29 + 5]
    assert six[0] == 6 and six[2] == "省生态环境厅，各市州政府"
    assert len(rows) == 2 + 2 + 74


def test_export_uses_the_board_filters(login, leader):
    res = login(leader).get(reverse("indicators:export"), {"kind": "binding"})
    ws = load_workbook(BytesIO(res.content)).active
    assert "；属性=约束性" in ws["A1"].value
    numbers = [r[0] for r in ws.iter_rows(min_row=4, values_only=True)]
    assert numbers == [9, 10, 11, 12, 13, 21, 24]


def test_home_widgets(login, staff_of, rf):
    from apps.indicators.home import widgets

    request = rf.get("/")
    request.user = staff_of("省林草局")
    titles = {w["title"]: w for w in widgets(request)}
    entry = next(w for t, w in titles.items() if "待填报" in t)
    assert (entry["value"], entry["unit"]) == (4, "/ 4 项")
