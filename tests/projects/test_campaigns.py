"""Campaigns as data with a life cycle (issue 11 point 1), on frozen dates.

001's calendar: 1/20 方案, 1/31 专班; batch 1 谋划提出 2/28, 筛选论证 3/20, 入库 3/31; batch 2
5/31, 6/20, 6/30; 6/30 总结报告. The seeded campaign is dated 2023 (推定); a 2027 campaign
opened from it keeps the month/day pattern.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from apps.accounts.models import Role
from apps.notifications import reminders
from apps.notifications.models import Kind, ReminderRecord
from apps.projects import campaigns, selectors, services
from apps.projects.models import Campaign, CampaignBatch, CampaignMilestone, LibraryStatus
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

D = dt.date


def test_the_001_calendar_and_goal_are_data(campaign):
    assert campaign.year == 2023 and campaign.year_basis.startswith("推定")
    assert campaign.total_goal == Decimal("10000")
    assert campaign.total_goal_wording == "谋划储备投资总量万亿元以上"
    got = [(d.on, d.label) for d in campaigns.deadlines(campaign)]
    assert got == [
        (D(2023, 1, 20), "研究制定行动方案"),
        (D(2023, 1, 31), "组建工作专班"),
        (D(2023, 2, 28), "第一批谋划提出"),
        (D(2023, 3, 20), "第一批筛选论证"),
        (D(2023, 3, 31), "第一批入库"),
        (D(2023, 5, 31), "第二批谋划提出"),
        (D(2023, 6, 20), "第二批筛选论证"),
        (D(2023, 6, 30), "第二批入库"),
        (D(2023, 6, 30), "形成工作总结报告"),
    ]


def copy_for(campaign: Campaign, year: int, **fields) -> Campaign:
    """A yearly campaign with 001's month/day pattern (as an administrator enters it)."""
    new = Campaign.objects.create(
        name=f"青海省项目谋划攻坚专项行动（{year}年）",
        year=year,
        total_goal=campaign.total_goal,
        **fields,
    )
    for b in campaign.batches.all():
        CampaignBatch.objects.create(
            campaign=new,
            number=b.number,
            proposal_deadline=b.proposal_deadline.replace(year=year),
            screening_deadline=b.screening_deadline.replace(year=year),
            library_deadline=b.library_deadline.replace(year=year),
        )
    for m in campaign.milestones.all():
        CampaignMilestone.objects.create(
            campaign=new, kind=m.kind, due_on=m.due_on.replace(year=year)
        )
    return new


def test_the_current_campaign_is_this_years(campaign):
    with freeze_time("2026-12-01"):
        assert campaigns.current_campaign() is None  # no 2026 campaign: the pages say so
        assert selectors.current_campaign() == campaign  # the latest is shown instead
        assert campaigns.phase(campaign) == "ended"
    c2027 = copy_for(campaign, 2027)
    with freeze_time("2027-03-01"):
        assert campaigns.current_campaign() == c2027
        assert campaigns.phase(c2027) == "running"
    with freeze_time("2027-07-01"):
        assert campaigns.phase(c2027) == "ended"


def test_a_late_proposal_goes_to_the_next_batch(campaign, staff_xining, xining):
    c = copy_for(campaign, 2027)
    with freeze_time("2027-02-20"):
        p = make_project(xining, user=staff_xining, campaign=c)
        services.submit_project(user=staff_xining, project=p)
        p.refresh_from_db()
        assert p.batch == 1  # open batch chosen on submission
    with freeze_time("2027-03-01"):  # after batch 1's 谋划提出 deadline
        late = make_project(xining, user=staff_xining, campaign=c, batch=1)
        services.submit_project(user=staff_xining, project=late, comment="请审核")
        late.refresh_from_db()
        assert (late.batch, late.library_status) == (2, LibraryStatus.SUBMITTED)
        event = late.review_events.latest("at")
        assert "第一批谋划提出截止（2027年02月28日）已过，转入第二批" in event.comment


def test_after_the_last_batch_or_when_the_campaign_refuses(campaign, staff_xining, xining):
    c = copy_for(campaign, 2027)
    with freeze_time("2027-06-01"):
        p = make_project(xining, user=staff_xining, campaign=c, batch=2)
        services.submit_project(user=staff_xining, project=p)
        p.refresh_from_db()
        # No batch left: received as an ordinary proposal, no longer in the campaign's batches.
        assert (p.library_status, p.campaign, p.batch) == (LibraryStatus.SUBMITTED, None, None)
        assert "常态化增补" in p.review_events.latest("at").comment
    strict = copy_for(campaign, 2028, late_policy=Campaign.LatePolicy.REFUSE)
    with freeze_time("2028-03-01"):
        p = make_project(xining, user=staff_xining, campaign=strict, batch=1)
        with pytest.raises(ValidationError, match="不予受理"):
            services.submit_project(user=staff_xining, project=p)


def test_reminders_before_each_deadline(campaign, make_user, xining, reviewer):
    copy_for(campaign, 2027)
    make_user(Role.STAFF, xining, username="t_campaign_staff")
    with freeze_time("2027-02-20 09:00"):  # 8 days before 2/28: outside the 7-day window
        assert reminders.send_campaign_reminders()["deadlines"] == 0
    with freeze_time("2027-02-21 09:00"):
        result = reminders.send_campaign_reminders()
        assert result["deadlines"] == 1 and result["unit_sent"] >= 1
        rec = ReminderRecord.objects.get(kind=Kind.CAMPAIGN_DEADLINE, organization=xining)
        assert rec.period == D(2027, 2, 28)
        assert reminders.send_campaign_reminders().get("unit_sent", 0) == 0  # once only
    with freeze_time("2027-03-15 09:00"):  # 筛选论证 3/20: the reviewers'
        result = reminders.send_campaign_reminders()
        assert result["review_sent"] == 1 and "unit_sent" not in result
    with freeze_time("2026-12-01 09:00"):  # no campaign this year: nothing
        assert reminders.send_campaign_reminders()["deadlines"] == 0


def test_overdue_per_prefecture_follows_the_deadlines(campaign, staff_xining, xining, reviewer):
    c = copy_for(campaign, 2027)
    with freeze_time("2027-02-10"):
        a = make_project(xining, user=staff_xining, campaign=c)
        services.submit_project(user=staff_xining, project=a)
        b = make_project(xining, user=staff_xining, campaign=c)
        services.submit_project(user=staff_xining, project=b)
        services.start_review(user=reviewer, project=b)
    rows = lambda day: {  # noqa: E731
        r["region"].name: (r["unscreened"], r["undecided"])
        for r in campaigns.overdue_by_prefecture(c, day)
    }
    assert rows(D(2027, 3, 20))["西宁市"] == (0, 0)  # the deadline day itself
    assert rows(D(2027, 3, 21))["西宁市"] == (1, 0)  # a: never taken into review
    assert rows(D(2027, 4, 1))["西宁市"] == (1, 2)  # both undecided after 3/31
    assert rows(D(2027, 4, 1))["海东市"] == (0, 0)


def test_standing_is_what_the_queue_and_the_cockpit_say(campaign):
    c2027 = copy_for(campaign, 2027)
    assert campaigns.standing(campaign, dt.date(2026, 12, 1)) == {
        "campaign_is_current": False,
        "campaign_phase": "已结束",
    }
    assert campaigns.standing(c2027, dt.date(2027, 3, 1)) == {
        "campaign_is_current": True,
        "campaign_phase": "进行中",
    }
    assert campaigns.standing(None, dt.date(2027, 3, 1)) == {
        "campaign_is_current": False,
        "campaign_phase": "",
    }
