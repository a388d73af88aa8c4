"""The 入库 checklist of 001 五(三), 专家论证, and reviewers per tier (issue 13 points 1 and 5)."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.core import permissions as policy
from apps.projects import selectors, services
from apps.projects.models import (
    CriterionJudgement,
    EntryCriterion,
    Expert,
    LibraryStatus,
    Project,
    Tier,
    Verdict,
)
from apps.reference.models import Organization, Region
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def province_project(xining, campaign):
    return make_project(xining, LibraryStatus.IN_REVIEW, tier=Tier.PROVINCE, campaign=campaign)


def all_meet(project, except_=()):
    return [
        (c, Verdict.NOT_APPLICABLE if c.name == "符合地方政府债券发行要求" else Verdict.MEETS, "")
        for c in selectors.entry_criteria(project)
        if c.name not in except_
    ]


SEED_001 = settings.SEEDS_DIR / "001_8434698097e74a62.txt"


@pytest.mark.skipif(not SEED_001.exists(), reason="needs ../shared/seeds beside the checkout")
def test_the_fixture_quotes_001_five_three():
    data = json.loads(
        (settings.FIXTURES_DIR / "projects" / "entry_criteria_001.json").read_text("utf-8")
    )
    assert data["quote"] in SEED_001.read_text(encoding="utf-8")


def test_the_checklist_is_001_five_three_as_data(campaign):
    data = json.loads(
        (settings.FIXTURES_DIR / "projects" / "entry_criteria_001.json").read_text("utf-8")
    )
    criteria = list(campaign.entry_criteria.order_by("sort_order"))
    assert len(criteria) == 14
    assert [g for g in dict.fromkeys(c.group for c in criteria)] == [
        "符合国家宏观调控政策及产业政策",
        "符合国民经济和社会发展规划、国土空间规划及专项建设规划",
        "符合国家投向、地方政府债券发行要求、招商引资需求",
        "符合社会稳定、环境保护、安全、节能、技术、资源节约集约利用等标准",
    ]
    for c in criteria:
        assert c.group in data["quote"]
        # every item's subject is a phrase of the quoted sentence
        subject = c.name.removeprefix("符合").removesuffix("标准")
        assert subject in data["quote"], c.name


def test_approval_refused_without_the_checklist_and_allowed_with_it(reviewer, province_project):
    p = province_project
    with pytest.raises(ValidationError) as exc:
        services.approve_project(user=reviewer, project=p)
    assert "入库条件尚有 14 项未审查" in exc.value.message_dict["checklist"][0]
    # 13 of 14 judged: still refused, and the missing one is named.
    services.judge_criteria(user=reviewer, project=p, judgements=all_meet(p, ["符合节能标准"]))
    with pytest.raises(ValidationError, match="尚有 1 项未审查：符合节能标准"):
        services.approve_project(user=reviewer, project=p)
    # One 不符合 (with its reason) blocks approval.
    energy = EntryCriterion.objects.get(
        campaign=selectors.checklist_campaign(p), name="符合节能标准"
    )
    with pytest.raises(ValidationError, match="不符合时请填写审查意见"):
        services.judge_criteria(user=reviewer, project=p, judgements=[(energy, "fails", "")])
    services.judge_criteria(
        user=reviewer, project=p, judgements=[(energy, Verdict.FAILS, "能耗指标未落实")]
    )
    with pytest.raises(ValidationError, match="不符合”，不能入库：符合节能标准"):
        services.approve_project(user=reviewer, project=p)
    p.refresh_from_db()
    assert p.library_status == LibraryStatus.IN_REVIEW
    # Judged again as 符合: approval goes through.
    services.judge_criteria(
        user=reviewer, project=p, judgements=[(energy, Verdict.MEETS, "已取得节能审查意见")]
    )
    services.approve_project(user=reviewer, project=p, comment="同意入库")
    p.refresh_from_db()
    assert p.library_status == LibraryStatus.APPROVED
    judgement = CriterionJudgement.objects.get(project=p, criterion=energy)
    assert judgement.history.count() == 2  # the change of verdict is audited
    assert judgement.judged_by == reviewer


def test_no_checklist_configured_refuses_approval(reviewer, xining):
    p = make_project(xining, LibraryStatus.IN_REVIEW, tier=Tier.PROVINCE)
    assert selectors.checklist_campaign(p) is None
    with pytest.raises(ValidationError, match="尚未配置入库条件清单"):
        services.approve_project(user=reviewer, project=p)


def test_api_approve_is_400_until_the_checklist_is_complete(reviewer, province_project):
    p = province_project
    client = api(reviewer)
    r = client.post(f"/api/v1/projects/{p.pk}/approve/", {}, format="json")
    assert r.status_code == 400
    assert "入库条件尚有 14 项未审查" in r.json()["checklist"][0]
    got = client.get(f"/api/v1/projects/{p.pk}/checklist/").json()
    assert len(got["items"]) == 14 and got["ready_for_approval"] is False
    body = {
        "judgements": [
            {"criterion": c.pk, "verdict": v, "comment": "审查"} for c, v, _ in all_meet(p)
        ]
    }
    r = client.post(f"/api/v1/projects/{p.pk}/checklist/", body, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["ready_for_approval"] is True and r.json()["problems"] == []
    assert {i["verdict"] for i in r.json()["items"]} == {"meets", "na"}
    r = client.post(f"/api/v1/projects/{p.pk}/approve/", {}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["library_status"] == "approved"


def test_page_shows_the_checklist_and_a_clear_refusal(client, reviewer, province_project):
    p = province_project
    client.force_login(reviewer)
    page = client.get(f"/projects/{p.pk}/").content.decode()
    assert 'id="entry-checklist"' in page and "入库前须完成" in page
    assert "符合资源节约集约利用标准" in page
    r = client.post(f"/projects/{p.pk}/transition/", {"action": "approve"}, follow=True)
    assert "入库条件尚有 14 项未审查" in r.content.decode()
    post = {f"verdict_{c.pk}": v for c, v, _ in all_meet(p)}
    r = client.post(f"/projects/{p.pk}/checklist/", post, follow=True)
    assert "已保存 14 项入库条件审查" in r.content.decode()
    client.post(f"/projects/{p.pk}/transition/", {"action": "approve"})
    p.refresh_from_db()
    assert p.library_status == LibraryStatus.APPROVED


def test_expert_opinions_are_named_and_dated(client, reviewer, staff_xining, province_project):
    p = province_project
    expert = Expert.objects.create(
        name="王建国", employer="青海大学", title="教授", specialty="水利"
    )
    gone = Expert.objects.create(name="李华", employer="省工程咨询中心", is_active=False)
    record = services.record_expert_opinion(
        user=reviewer,
        project=p,
        expert=expert,
        given_on=dt.date(2026, 11, 20),
        conclusion="agree",
        opinion="项目符合规划，建议入库。",
    )
    assert (record.expert, record.given_on, record.recorded_by) == (
        expert,
        dt.date(2026, 11, 20),
        reviewer,
    )
    with pytest.raises(ValidationError, match="已不在专家库中"):
        services.record_expert_opinion(
            user=reviewer, project=p, expert=gone, given_on=dt.date(2026, 11, 20),
            conclusion="agree", opinion="x",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.record_expert_opinion(
            user=staff_xining, project=p, expert=expert, given_on=dt.date(2026, 11, 20),
            conclusion="agree", opinion="x",
        )  # fmt: skip
    r = api(reviewer).post(
        f"/api/v1/projects/{p.pk}/expert-opinions/",
        {"expert": expert.pk, "given_on": "2026-11-21", "conclusion": "revise", "opinion": "补充"},
        format="json",
    )
    assert r.status_code == 201, r.content
    listed = api(staff_xining).get(f"/api/v1/projects/{p.pk}/expert-opinions/").json()
    assert [(o["expert_name"], o["given_on"]) for o in listed] == [
        ("王建国", "2026-11-20"),
        ("王建国", "2026-11-21"),
    ]
    client.force_login(staff_xining)
    page = client.get(f"/projects/{p.pk}/").content.decode()
    assert "王建国" in page and "修改完善后入库" in page
    assert f'action="/projects/{p.pk}/expert-opinions/"' not in page  # staff: read only


# --- reviewers per tier -----------------------------------------------------------------


@pytest.fixture
def xining_reviewer(make_user):
    ndrc_xining = Organization.objects.get(name="西宁市发展改革委")
    assert ndrc_xining.region.name == "西宁市" and ndrc_xining.parent.name == "西宁市政府"
    return make_user(Role.REVIEWER, ndrc_xining, username="xn_reviewer")


def test_eight_prefecture_ndrc_units_are_seeded():
    units = Organization.objects.filter(name__endswith="发展改革委").exclude(name="省发展改革委")
    assert sorted(u.region.code for u in units) == sorted(
        Region.objects.filter(level="prefecture").values_list("code", flat=True)
    )
    found = Organization.objects.resolve("海西蒙古族藏族自治州发展和改革委员会")
    assert found.name == "海西州发展改革委"


def test_tier_reviewers_queues_and_rights(
    client, reviewer, xining_reviewer, xining, haidong, campaign
):
    huangyuan = Region.objects.get(name="湟源县")
    ledu = Region.objects.get(name="乐都区")
    prov = make_project(xining, LibraryStatus.SUBMITTED, tier=Tier.PROVINCE, name="省级项目")
    city = make_project(xining, LibraryStatus.SUBMITTED, tier=Tier.PREFECTURE, name="西宁市级项目")
    county = make_project(
        xining, LibraryStatus.IN_REVIEW, tier=Tier.COUNTY, region=huangyuan, name="湟源县级项目"
    )
    other = make_project(
        haidong, LibraryStatus.SUBMITTED, tier=Tier.COUNTY, region=ledu, name="乐都县级项目"
    )
    assert {p.name for p in selectors.review_queue(xining_reviewer)} == {
        "西宁市级项目",
        "湟源县级项目",
    }
    assert {p.name for p in selectors.review_queue(reviewer)} == {"省级项目"}
    scoped = policy.restrict(Project.objects.all(), xining_reviewer, policy.Action.REVIEW)
    assert {p.name for p in scoped} == {"西宁市级项目", "湟源县级项目"}
    # Who is told of a submission: the reviewers of the project's tier.
    assert list(selectors.project_reviewers(city)) == [xining_reviewer]
    assert list(selectors.project_reviewers(prov)) == [reviewer]
    assert list(selectors.project_reviewers(other)) == []  # 海东 has no reviewer account here
    for user, project, allowed in [
        (xining_reviewer, city, True),
        (xining_reviewer, county, True),
        (xining_reviewer, prov, False),
        (xining_reviewer, other, False),
        (reviewer, prov, True),
        (reviewer, city, False),
    ]:
        assert policy.may_review_project(user, project) is allowed
        assert policy.can(user, policy.Action.REVIEW, project) is allowed
    # The provincial reviewer still sees everything; it cannot act below its tier.
    assert api(reviewer).get(f"/api/v1/projects/{city.pk}/").status_code == 200
    r = api(reviewer).post(f"/api/v1/projects/{city.pk}/start-review/", {}, format="json")
    assert r.status_code == 403 and "市州发展改革委" in str(r.json())
    r = api(xining_reviewer).post(f"/api/v1/projects/{city.pk}/start-review/", {}, format="json")
    assert r.status_code == 200
    r = api(xining_reviewer).post(f"/api/v1/projects/{other.pk}/start-review/", {}, format="json")
    assert r.status_code == 403
    # The queue page lists the tier reviewer's projects only.
    client.force_login(xining_reviewer)
    page = client.get("/projects/review/").content.decode()
    assert "湟源县级项目" in page and "乐都县级项目" not in page and "省级项目" not in page
