"""Opening next year's 谋划行动 (issue 11 point 1; 001 is one campaign a year): the provincial
发展改革委 (001 四(三) 牵总协调) or the administrator rolls the latest campaign over — same
month/day calendar, targets, goal and conditions of entry — once, audited, on frozen dates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from apps.accounts.models import Role
from apps.projects import campaigns, services
from apps.projects.models import Campaign, LibraryStatus
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

D = dt.date
URL = reverse("projects:campaign-open")
TARGETS = reverse("projects:targets")


def messages_of(client, response) -> list[str]:
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


@freeze_time("2026-12-01")
def test_the_reviewer_opens_2027_once(client, campaign, reviewer):
    assert campaigns.openable_years() == [2026, 2027]  # no 2026 campaign (001 is dated 2023)
    client.force_login(reviewer)
    page = client.get(TARGETS)
    assert page.context["openable_years"] == [2026, 2027]
    assert 'id="campaign-open"' in page.content.decode()

    r = client.post(URL, {"year": "2027", "next": TARGETS})
    assert r.status_code == 302 and r["Location"] == TARGETS
    opened = Campaign.objects.get(year=2027)
    assert opened.name == "青海省项目谋划攻坚专项行动（2027年）"
    assert (opened.total_goal, opened.total_goal_wording, opened.is_demo, opened.year_basis) == (
        Decimal("10000"),
        "谋划储备投资总量万亿元以上",
        False,
        "",  # the year was chosen by a person, not inferred
    )
    assert [(d.on, d.label) for d in campaigns.deadlines(opened)] == [
        (D(2027, 1, 20), "研究制定行动方案"),
        (D(2027, 1, 31), "组建工作专班"),
        (D(2027, 2, 28), "第一批谋划提出"),
        (D(2027, 3, 20), "第一批筛选论证"),
        (D(2027, 3, 31), "第一批入库"),
        (D(2027, 5, 31), "第二批谋划提出"),
        (D(2027, 6, 20), "第二批筛选论证"),
        (D(2027, 6, 30), "第二批入库"),
        (D(2027, 6, 30), "形成工作总结报告"),
    ]
    targets = sorted(
        (t.dimension, t.region_id, t.sector_id, t.tier, t.amount) for t in campaign.targets.all()
    )
    assert targets and targets == sorted(
        (t.dimension, t.region_id, t.sector_id, t.tier, t.amount) for t in opened.targets.all()
    )
    assert sorted(opened.entry_criteria.values_list("name", flat=True)) == sorted(
        campaign.entry_criteria.filter(is_active=True).values_list("name", flat=True)
    )
    # Audited: who opened it, and why, on the campaign and on each copied row.
    created = opened.history.get()
    assert (created.history_user, created.history_change_reason) == (
        reviewer,
        "开启下一年度谋划行动",
    )
    assert {h.history_user for h in opened.batches.model.history.filter(campaign_id=opened.pk)} == {
        reviewer
    }
    assert messages_of(client, r) == [
        "已开启“青海省项目谋划攻坚专项行动（2027年）”：批次截止和行动节点沿用上一年的月日，"
        "可在管理后台调整。"
    ]

    # Idempotent: a second click (or a second reviewer) changes nothing.
    r = client.post(URL, {"year": "2027"})
    assert r.status_code == 302
    assert Campaign.objects.filter(year=2027).count() == 1
    assert opened.batches.count() == 2 and opened.history.count() == 1
    assert messages_of(client, r) == ["“青海省项目谋划攻坚专项行动（2027年）”已存在，未重复开启。"]
    assert campaigns.openable_years() == [2026, 2027]  # offered again, answered "已存在"


def test_the_opened_campaign_drives_2027(campaign, reviewer, staff_xining, xining):
    with freeze_time("2026-12-01"):
        opened, created = campaigns.open_campaign(user=reviewer, year=2027)
        assert created and campaigns.current_campaign() is None
    with freeze_time("2027-03-01"):  # after batch 1's 谋划提出 deadline
        assert campaigns.current_campaign() == opened
        assert campaigns.phase(opened) == "running"
        late = make_project(xining, user=staff_xining, campaign=opened, batch=1)
        services.submit_project(user=staff_xining, project=late)
        late.refresh_from_db()
        assert (late.batch, late.library_status) == (2, LibraryStatus.SUBMITTED)
        assert [y for y in campaigns.openable_years()] == [2028]  # 2027 has its campaign
    with freeze_time("2027-07-01"):
        assert campaigns.phase(opened) == "ended"


@freeze_time("2026-12-01")
def test_who_may_and_bad_input(client, campaign, make_user, org, staff_xining, admin_user_):
    client.force_login(staff_xining)
    assert client.post(URL, {"year": "2027"}).status_code == 403
    # A 市州 发展改革委 reviews its own projects but does not run the province's campaign.
    client.force_login(make_user(Role.REVIEWER, org("西宁市发展改革委")))
    assert client.post(URL, {"year": "2027"}).status_code == 403
    assert "campaign-open" not in client.get(TARGETS).content.decode()
    assert not Campaign.objects.filter(year=2027).exists()

    client.force_login(admin_user_)
    r = client.post(URL, {"year": "2030"})
    assert messages_of(client, r) == ["只能开启2026年或2027年的谋划行动，不能开启2030年的。"]
    r = client.post(URL, {"year": "明年"})
    assert messages_of(client, r) == ["请选择要开启的年度。"]
    assert not Campaign.objects.filter(year__gt=2023).exists()
    # The administrator may open this year's missing campaign too.
    opened, created = campaigns.open_campaign(user=admin_user_, year=2026)
    assert created and opened.batches.get(number=1).proposal_deadline == D(2026, 2, 28)


def test_29_february_lands_on_the_28th():
    assert campaigns._same_day_in(D(2028, 2, 29), 2029) == D(2029, 2, 28)
    assert campaigns._same_day_in(D(2027, 6, 30), 2028) == D(2028, 6, 30)


def test_demo_campaigns_are_not_the_source(campaign, reviewer, settings):
    Campaign.objects.create(name="演示行动（2026年）", year=2026, is_demo=True)
    with freeze_time("2026-12-01"):
        opened, _ = campaigns.open_campaign(user=reviewer, year=2027)
    assert f"由{campaign.name}顺延开启（2026-12-01）" in opened.note
