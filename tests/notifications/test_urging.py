"""催办 from the reporting-status pages: late units only, once per unit and day, audited,
counted; the late-unit export."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from freezegun import freeze_time
from openpyxl import load_workbook

from apps.notifications import urging
from apps.notifications.models import Kind, Notification, Urge
from tests.notifications import scenario

pytestmark = pytest.mark.django_db
OCTOBER = scenario.OCTOBER


@pytest.fixture
def province(db):
    return scenario.build()


def urged_inbox():
    return sorted(
        Notification.objects.filter(kind=Kind.URGE, recipient__isnull=False).values_list(
            "recipient__username", flat=True
        )
    )


@freeze_time("2026-11-07 10:00:00+08:00")
def test_late_units_of_a_fair_and_of_the_library(province):
    contracts = urging.late_units(subject="contracts", period=OCTOBER, fair=province.fair)
    assert [(u.organization.name, u.items) for u in contracts] == [
        ("西宁市政府", 3),
        ("省交通运输厅", 1),
    ]
    projects = urging.late_units(subject="projects", period=OCTOBER)
    assert [(u.organization.name, u.items) for u in projects] == [("西宁市政府", 2)]


@freeze_time("2026-11-07 10:00:00+08:00")
def test_urging_twice_in_a_day_sends_once(province, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = urging.urge(
            user=province.coordinator, subject="contracts", period=OCTOBER, fair=province.fair
        )
        second = urging.urge(
            user=province.coordinator,
            subject="contracts",
            period=OCTOBER,
            fair=province.fair,
            organizations=[province.xining.pk],
        )
    assert sorted(first.sent) == sorted([province.xining.pk, province.transport.pk])
    assert second.sent == [] and second.already == [province.xining.pk]
    assert urged_inbox() == ["r_staff_xining"]  # 省交通运输厅 has nobody to tell
    urge = Urge.objects.get(organization=province.xining)
    assert (urge.missing, urge.recipients, urge.urged_by) == (3, 1, province.coordinator)
    assert urge.history.count() == 1  # in the audit trail
    assert "3 个项目未报送2026年10月" in Notification.objects.get(kind=Kind.URGE).body
    # Not late: refused quietly.
    third = urging.urge(
        user=province.coordinator,
        subject="contracts",
        period=OCTOBER,
        fair=province.fair,
        organizations=[province.haidong.pk],
    )
    assert third.not_late == [province.haidong.pk] and third.sent == []
    # The next day the unit may be urged again, and the count shows it.
    with freeze_time("2026-11-08 10:00:00+08:00"):
        again = urging.urge(
            user=province.reviewer,
            subject="contracts",
            period=OCTOBER,
            fair=province.fair,
            organizations=[province.xining.pk],
        )
        assert again.sent == [province.xining.pk]
        late = urging.late_units(subject="contracts", period=OCTOBER, fair=province.fair)
        assert (late[0].urges, late[0].urged_today) == (2, True)
    assert urging.urge_counts(period=OCTOBER) == {province.xining.pk: 2, province.transport.pk: 1}


def test_only_coordinators_and_reviewers_urge(province):
    with pytest.raises(PermissionDenied):
        urging.urge(user=province.staff_xining, subject="projects", period=OCTOBER)


@freeze_time("2026-11-07 10:00:00+08:00")
def test_status_page_buttons_and_export(client, province):
    client.force_login(province.coordinator)
    url = f"/contracts/status/?fair={province.fair.pk}&month=2026-10"
    page = client.get(url).content.decode()
    assert "一键催办 2 个单位" in page
    r = client.post(
        "/notifications/urge/",
        {
            "subject": "contracts",
            "period": "2026-10",
            "fair": province.fair.pk,
            "unit": province.xining.pk,
            "next": url,
        },
    )
    assert r.status_code == 302 and r["Location"] == url
    page = client.get(url).content.decode()
    assert "今日已催办" in page and "一键催办 1 个单位" in page
    client.post(
        "/notifications/urge/",
        {"subject": "contracts", "period": "2026-10", "fair": province.fair.pk, "all": "1"},
    )
    assert Urge.objects.count() == 2
    assert client.post("/notifications/urge/", {"subject": "x"}).status_code == 400
    # The library's monthly page, for a reviewer.
    client.force_login(province.reviewer)
    assert "一键催办 1 个单位" in client.get("/projects/updates/?period=2026-10").content.decode()
    # A unit does not see the others' status panel nor may it urge.
    client.force_login(province.staff_xining)
    assert "urge-panel" not in client.get("/projects/updates/?period=2026-10").content.decode()
    assert (
        client.post(
            "/notifications/urge/",
            {"subject": "projects", "period": "2026-10", "all": "1"},
        ).status_code
        == 403
    )
    assert (
        client.get("/notifications/urge/late.xlsx?subject=projects&period=2026-10").status_code
        == 403
    )
    client.force_login(province.coordinator)
    r = client.get(
        f"/notifications/urge/late.xlsx?subject=contracts&period=2026-10&fair={province.fair.pk}"
    )
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("2026年10月") and "未报单位清单" in rows[0][0]
    assert rows[2][:4] == (1, "西宁市政府", 3, 3) and rows[2][5] == 2 and rows[2][6] == 1
    assert rows[3][1] == "省交通运输厅"
    assert "（筛选：报送事项=测试青洽会签约项目月报；月份=2026年10月 · 导出时间：" in (rows[0][0])
    assert rows[1] == ("序号", "单位", "应报项目", "未报项目", "截止日期", "逾期天数",
                       "本月催办次数", "最近催办")  # fmt: skip
    # 合计: 3 + 1 contracts due and missing, one urge each (the two posts above).
    assert (rows[-1][0], rows[-1][2], rows[-1][3], rows[-1][6]) == ("合计", 4, 4, 2)
    assert ws.cell(row=ws.max_row, column=3).number_format == "#,##0"
    assert client.get("/notifications/urge/late.xlsx?subject=contracts&period=x").status_code == 400
