"""Rankings on a hand-built province (known order and ties), the API, and published
bulletins that do not change afterwards."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.projects.models import ProjectMonthlyUpdate, Stage
from apps.rankings import selectors, services
from apps.rankings.models import Bulletin, Weight
from tests.notifications.scenario import library_project, resolve

pytestmark = pytest.mark.django_db
OCTOBER = dt.date(2026, 10, 1)
# Only the two measures this dataset controls count (the session may hold seeded tasks).
WEIGHTS = {m: Decimal(0) for m in selectors.DEFAULT_WEIGHTS}
WEIGHTS |= {"completion": Decimal(50), "timeliness": Decimal(50)}


def filed(project, done: str, on: str):
    with freeze_time(on):
        return ProjectMonthlyUpdate.objects.create(
            project=project,
            period=OCTOBER,
            completed_this_month=Decimal(done),
            stage=Stage.PLANNING,
            progress="推进中",
        )


@pytest.fixture
def province(db):
    """西宁 and 海东 80 % on time (a tie), 海南 50 % on time, 海西 100 % but late."""
    xining = library_project(resolve("西宁市政府"), "西宁项目", region="西宁市", total="50",
                             planned="10")  # fmt: skip
    haidong = library_project(resolve("海东市政府"), "海东项目", region="乐都区", total="50",
                              planned="10")  # fmt: skip
    hainan = library_project(resolve("海南州政府"), "海南项目", region="海南藏族自治州",
                             total="50", planned="10")  # fmt: skip
    haixi = library_project(resolve("海西州政府"), "海西项目", region="海西蒙古族藏族自治州",
                            total="50", planned="10")  # fmt: skip
    transport = library_project(resolve("省交通运输厅"), "交通项目", region="西宁市",
                                total="80", planned="10")  # fmt: skip
    park = library_project(resolve("格尔木工业园区管委会"), "园区项目",
                           region="海西蒙古族藏族自治州", total="5", planned="4")  # fmt: skip
    filed(xining, "8", "2026-11-03 10:00:00+08:00")
    filed(haidong, "8", "2026-11-05 23:00:00+08:00")  # the due day itself: on time
    filed(hainan, "5", "2026-11-01 09:00:00+08:00")
    filed(haixi, "10", "2026-11-06 00:30:00+08:00")  # just after the due day: late
    filed(transport, "8", "2026-11-02 09:00:00+08:00")
    filed(park, "4", "2026-11-02 09:00:00+08:00")
    return {"xining": xining, "transport": transport}


@freeze_time("2026-11-20 10:00:00+08:00")
def test_regions_ranked_with_ties(province):
    rows = selectors.ranking(period=OCTOBER, by="region", weights=WEIGHTS)
    assert len(rows) == 8
    top = [(r["name"], r["score"], r["rank"]) for r in rows[:4]]
    assert top == [
        ("海东市", Decimal("90.00"), 1),
        ("西宁市", Decimal("90.00"), 1),
        ("海南州", Decimal("75.00"), 3),
        ("海西州", Decimal("75.00"), 3),  # its own 100 % but late, and the park on time
    ]
    assert all(r["score"] is None and r["rank"] is None for r in rows[4:])
    xining = rows[1]
    # 西宁's own project and 省交通运输厅's project in 西宁 are both the 市州's library.
    assert xining["completion_rate"] == Decimal("0.8000")  # (8 + 8) / (10 + 10)
    assert xining["timeliness_rate"] == Decimal("1.0000")
    haixi = rows[3]
    assert haixi["completion_rate"] == Decimal("1.0000")
    assert haixi["reports_expected"] == 2 and haixi["reports_on_time"] == 1
    boards = selectors.boards(rows)
    assert [r["name"] for r in boards["red"]] == ["海东市", "西宁市"]
    assert [r["name"] for r in boards["black"]] == ["海西州", "海南州"]


@freeze_time("2026-11-20 10:00:00+08:00")
def test_departments_and_parks(province):
    units = selectors.ranking(period=OCTOBER, by="unit", weights=WEIGHTS)
    assert [(r["name"], r["score"]) for r in units] == [("省交通运输厅", Decimal("90.00"))]
    parks = selectors.ranking(period=OCTOBER, by="park", weights=WEIGHTS)
    assert [(r["name"], r["score"], r["rank"]) for r in parks] == [
        ("格尔木工业园区管委会", Decimal("100.00"), 1)
    ]


def test_score_and_ranks_by_hand():
    rows = selectors.ranked(
        [
            {"name": "乙", "score": Decimal("80")},
            {"name": "甲", "score": Decimal("90")},
            {"name": "丙", "score": Decimal("80")},
            {"name": "丁", "score": None},
            {"name": "戊", "score": Decimal("70")},
        ]
    )
    assert [(r["name"], r["rank"]) for r in rows] == [
        ("甲", 1), ("丙", 2), ("乙", 2), ("戊", 4), ("丁", None),
    ]  # fmt: skip
    weights = {**WEIGHTS, "task_overdue": Decimal(50)}
    row = {
        "completion_rate": Decimal("1.2"),
        "timeliness_rate": None,
        "task_overdue_rate": Decimal("0.25"),
    }
    # completion capped at 100 %, timeliness absent, overdue reversed: (50·1 + 50·0.75) / 100
    assert selectors.score(row, weights) == Decimal("87.50")


@freeze_time("2026-11-20 10:00:00+08:00")
def test_api(client, province, make_user, leader):
    client.force_login(leader)
    body = client.get("/api/v1/rankings/?by=region").json()
    assert body["period"] == "2026-10" and body["count"] == 8 and len(body["results"]) == 8
    # With the default weights the order still follows the data (tasks absent here).
    assert body["results"][0]["name"] in ("海东市", "西宁市")
    assert client.get("/api/v1/rankings/?month=2026-13").status_code == 400
    assert client.get("/api/v1/rankings/?by=county").status_code == 400
    assert client.get("/api/v1/rankings/?quarter=2026-Q3&by=unit").status_code == 200
    staff = make_user(Role.STAFF, resolve("西宁市政府"), username="rk_staff")
    client.force_login(staff)
    assert client.get("/api/v1/rankings/").status_code == 403


@freeze_time("2026-11-20 10:00:00+08:00")
def test_published_bulletin_never_changes(client, province, reviewer):
    for measure, weight in WEIGHTS.items():
        Weight.objects.update_or_create(measure=measure, defaults={"weight": weight})
    bulletin = services.publish_bulletin(user=reviewer, period=OCTOBER, by="region")
    assert bulletin.title == "2026年10月各市州项目推进情况通报"
    frozen = [(r["name"], r["score"], r["rank"]) for r in bulletin.rows[:2]]
    assert frozen == [("海东市", "90.00", 1), ("西宁市", "90.00", 1)]
    # The data and the weights change afterwards…
    ProjectMonthlyUpdate.objects.filter(project=province["xining"]).update(
        completed_this_month=Decimal("10")
    )
    Weight.objects.filter(measure="completion").update(weight=Decimal(90))
    live = selectors.ranking(period=OCTOBER, by="region")
    assert live[0]["name"] == "西宁市"
    # …the bulletin does not.
    bulletin.refresh_from_db()
    assert [(r["name"], r["score"], r["rank"]) for r in bulletin.rows[:2]] == frozen
    assert bulletin.weights["completion"] == "50.00"
    with pytest.raises(ValidationError):
        bulletin.save()
    with pytest.raises(ValidationError):
        services.publish_bulletin(user=reviewer, period=OCTOBER, by="region")
    with pytest.raises(ValidationError):  # a month still running
        services.publish_bulletin(user=reviewer, period=dt.date(2026, 11, 1), by="region")
    client.force_login(reviewer)
    page = client.get(f"/rankings/bulletins/{bulletin.pk}/").content.decode()
    assert "2026年10月各市州项目推进情况通报" in page and "2026年11月20日" in page
    assert "print.css" in page and page.index("海东市") < page.index("海南州")
    xlsx = client.get(f"/rankings/bulletins/{bulletin.pk}/export.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    # A published bulletin is a snapshot, filtered by nothing: the title names it and the time.
    assert rows[0][0].startswith("2026年10月各市州项目推进情况通报（2026年11月20日）（导出时间：")
    assert rows[1][:3] == ("名次", "名称", "考核得分") and rows[1][3] == "投资完成率（%）"
    assert Bulletin.objects.count() == 1


@freeze_time("2026-11-20 10:00:00+08:00")
def test_pages(client, province, leader, reviewer):
    client.force_login(reviewer)
    page = client.get("/rankings/?by=region&month=2026-10").content.decode()
    assert "红榜" in page and "黑榜" in page and "发布通报" in page
    r = client.post("/rankings/publish/", {"by": "region", "month": "2026-10"})
    assert r.status_code == 302 and Bulletin.objects.count() == 1
    assert client.get("/rankings/?month=bad").status_code == 400
    assert client.get("/rankings/?by=park&quarter=2026-Q3").status_code == 200
    live = client.get("/rankings/export.xlsx?by=unit&month=2026-10")
    rows = list(load_workbook(BytesIO(live.content)).active.iter_rows(values_only=True))
    assert (
        "（未发布，实时数据）（筛选：排名对象=省直部门；期间=2026年10月 · 导出时间：" in rows[0][0]
    )
    assert rows[1][:2] == ("名次", "名称")
    client.force_login(leader)
    assert 'action="/rankings/publish/"' not in client.get("/rankings/").content.decode()
