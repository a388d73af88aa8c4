"""/api/v1/projects/ and /api/v1/project-updates/: filters, writes within the unit, workflow
endpoints for every role and status, constant query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.projects.models import LibraryStatus, Project, ProjectReviewEvent, ReviewAction
from apps.projects.workflow import TRANSITIONS
from apps.reference.models import Region, Sector
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/"
D = Decimal


def client_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def actors(make_user, xining, haidong, ndrc, org):
    return {
        "staff_own": make_user(Role.STAFF, xining, username="a_staff_own"),
        "staff_other": make_user(Role.STAFF, haidong, username="a_staff_other"),
        "reviewer": make_user(Role.REVIEWER, ndrc, username="a_reviewer"),
        "leader": make_user(Role.LEADER, None, username="a_leader"),
        "coordinator": make_user(Role.COORDINATOR, org("省工业和信息化厅"), username="a_coord"),
        "api_client": make_user(Role.API_CLIENT, None, username="a_api"),
        "admin": make_user(Role.ADMIN, None, username="a_admin", is_superuser=True),
    }


# For a refused role: 404 when the project is invisible to the user, else 403.
ROLE_RULES = {
    # role: (may owner steps, may reviewer steps, sees this project of 西宁市政府)
    "staff_own": (True, False, True),
    "staff_other": (False, False, False),
    "reviewer": (False, True, True),
    "leader": (False, False, True),
    "coordinator": (False, False, True),
    "api_client": (False, False, True),
    "admin": (True, True, True),
}
ENDPOINT = {
    ReviewAction.SUBMIT: "submit",
    ReviewAction.RESUBMIT: "submit",  # one endpoint: a returned project is resubmitted
    ReviewAction.WITHDRAW: "withdraw",
    ReviewAction.START_REVIEW: "start-review",
    ReviewAction.APPROVE: "approve",
    ReviewAction.RETURN: "return",
    ReviewAction.REJECT: "reject",
    ReviewAction.REMOVE: "remove",
}


@pytest.mark.parametrize("role", list(ROLE_RULES))
@pytest.mark.parametrize("status", list(LibraryStatus), ids=[s.value for s in LibraryStatus])
def test_workflow_endpoints_for_every_role_and_status(actors, xining, role, status):
    owner_ok, reviewer_ok, sees_all = ROLE_RULES[role]
    client = client_for(actors[role])
    for endpoint in ["submit", "withdraw", "start-review", "approve", "return", "reject", "remove"]:
        project = make_project(xining, status, checklist=True)
        steps = [
            TRANSITIONS[a]
            for a, e in ENDPOINT.items()
            if e == endpoint and status in TRANSITIONS[a].sources
        ]
        any_step = TRANSITIONS[next(a for a, e in ENDPOINT.items() if e == endpoint)]
        role_ok = reviewer_ok if any_step.by_reviewer else owner_ok
        response = client.post(f"{URL}{project.pk}/{endpoint}/", {"comment": "意见"}, format="json")
        project.refresh_from_db()
        if role_ok and steps:
            assert response.status_code == 200, response.content
            assert project.library_status == steps[0].target
            assert response.json()["library_status"] == steps[0].target
            event = ProjectReviewEvent.objects.filter(project=project).latest("at", "id")
            assert event.actor == actors[role] and event.comment == "意见"
            continue
        assert project.library_status == status
        if not role_ok:
            assert response.status_code == (403 if sees_all else 404), response.content
        else:
            assert response.status_code == 400, response.content
            message = str(response.json())
            assert f"当前为“{LibraryStatus(status).label}”" in message


def test_return_without_reason_is_400_with_message(reviewer, xining):
    p = make_project(xining, LibraryStatus.IN_REVIEW)
    response = client_for(reviewer).post(f"{URL}{p.pk}/return/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"comment": ["请填写退回理由。"]}


def test_staff_gets_a_clear_403_for_reviewer_steps(staff_xining, xining):
    p = make_project(xining, LibraryStatus.IN_REVIEW)
    response = client_for(staff_xining).post(f"{URL}{p.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert "审核员" in response.json()["detail"][0]


def test_status_in_payload_is_ignored(staff_xining, xining):
    p = make_project(xining, user=staff_xining)
    response = client_for(staff_xining).patch(
        f"{URL}{p.pk}/", {"library_status": "approved", "version": p.version}, format="json"
    )
    assert response.status_code == 200
    p.refresh_from_db()
    assert p.library_status == LibraryStatus.DRAFT


def _payload(unit, **extra):
    return {
        "name": "西宁市城市更新老旧小区改造项目",
        "tier": "prefecture",
        "region": "630100",
        "sector": "urban",
        "responsible_unit": unit.pk,
        "total_investment": "25.5",
        "plan_year": 2026,
        "planned_investment_year": "6",
        "scale_content": "改造老旧小区 120 个",
        **extra,
    }


def test_create_within_own_unit_only(staff_xining, xining, haidong, leader):
    c = client_for(staff_xining)
    response = c.post(URL, _payload(xining, stage="signed"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["library_status"] == "draft"
    assert body["stage"] == "signed"
    assert body["size_class_display"] == "十亿项目"
    assert body["region_name"] == "西宁市" and body["prefecture"] == "630100"
    assert c.post(URL, _payload(haidong), format="json").status_code == 403
    assert client_for(leader).post(URL, _payload(xining), format="json").status_code == 403


def test_create_reports_model_errors_as_400(staff_xining, xining):
    response = client_for(staff_xining).post(
        URL, _payload(xining, tier="county"), format="json"
    )  # a county project located in a 市州
    assert response.status_code == 400
    assert "县级项目" in response.json()["region"][0]


def test_update_needs_version_and_refuses_stale(staff_xining, xining):
    p = make_project(xining, user=staff_xining)
    c = client_for(staff_xining)
    assert c.patch(f"{URL}{p.pk}/", {"name": "新名"}, format="json").status_code == 400
    ok = c.patch(f"{URL}{p.pk}/", {"name": "新名", "version": p.version}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == p.version + 1
    stale = c.patch(f"{URL}{p.pk}/", {"name": "再改", "version": p.version}, format="json")
    assert stale.status_code == 400
    assert "已被其他用户修改" in str(stale.json())


def test_other_unit_cannot_see_or_change(staff_haidong, reviewer, xining):
    p = make_project(xining)
    c = client_for(staff_haidong)
    assert c.get(f"{URL}{p.pk}/").status_code == 404
    assert c.patch(f"{URL}{p.pk}/", {"name": "x", "version": 1}, format="json").status_code == 404
    # A reviewer sees everything but edits only the reviewer's own unit's projects.
    r = client_for(reviewer)
    assert r.get(f"{URL}{p.pk}/").status_code == 200
    assert r.patch(f"{URL}{p.pk}/", {"name": "x", "version": 1}, format="json").status_code == 403


def test_filters_ordering_and_pagination(leader, xining, haidong, org):
    huangzhong = Region.objects.get(short_name="湟中区")
    energy = Sector.objects.get(code="energy")
    a = make_project(xining, LibraryStatus.APPROVED, total_investment=D("150"), is_ppp=True)
    b = make_project(
        org("湟中区政府"),
        tier="county",
        region=huangzhong,
        sector=energy,
        total_investment=D("5"),
        name="湟中区光伏发电项目",
    )
    c = make_project(haidong, region=Region.objects.get(name="海东市"), total_investment=D("50"))
    client = client_for(leader)

    def ids(**params):
        body = client.get(URL, params).json()
        return [row["id"] for row in body["results"]]

    assert ids() == [a.pk, c.pk, b.pk]  # default: largest first
    assert ids(region="630100") == [a.pk, b.pk]  # 西宁市 includes 湟中区
    assert ids(region=huangzhong.code) == [b.pk]
    assert ids(tier="county") == [b.pk]
    assert ids(sector="energy") == [b.pk]
    assert ids(status="approved") == [a.pk]
    assert ids(investment_min="10", investment_max="100") == [c.pk]
    assert ids(size="100yi") == [a.pk]
    assert ids(size="1yi") == [b.pk]
    assert ids(ppp="true") == [a.pk]
    assert ids(q="光伏") == [b.pk]
    assert ids(ordering="name")[0] in {a.pk, b.pk, c.pk}
    assert ids(ordering="total_investment") == [b.pk, c.pk, a.pk]
    page = client.get(URL, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]


def test_detail_has_review_trail_and_stage_history(leader, xining):
    p = make_project(xining, LibraryStatus.APPROVED)
    body = client_for(leader).get(f"{URL}{p.pk}/").json()
    assert [e["action"] for e in body["review_events"]] == ["submit", "start_review", "approve"]
    assert body["stage_changes"][0]["to_stage"] == "planning"


@freeze_time("2026-06-15")
def test_monthly_updates_through_the_api(staff_xining, staff_haidong, leader, xining):
    p = make_project(xining, LibraryStatus.APPROVED)
    c = client_for(staff_xining)
    url = "/api/v1/project-updates/"
    for month, amount in (("2026-04", "1.5"), ("2026-05", "2")):
        r = c.post(
            url,
            {
                "project": p.pk,
                "period": month,
                "completed_this_month": amount,
                "stage": "started",
                "progress": "主体施工",
            },
            format="json",
        )
        assert r.status_code == 201, r.content
    assert r.json()["cumulative"] == "3.5000"
    dup = c.post(
        url,
        {"project": p.pk, "period": "2026-05", "completed_this_month": "1", "stage": "started",
         "progress": "x"},
        format="json",
    )  # fmt: skip
    assert dup.status_code == 400 and "已填报" in str(dup.json())
    other = client_for(staff_haidong).post(
        url,
        {"project": p.pk, "period": "2026-03", "completed_this_month": "1", "stage": "started",
         "progress": "x"},
        format="json",
    )  # fmt: skip
    assert other.status_code == 403
    rows = client_for(leader).get(url, {"period": "2026-05", "unit": xining.pk}).json()["results"]
    assert [(r["period"], r["cumulative"]) for r in rows] == [("2026-05-01", "3.5000")]
    bad = client_for(leader).get(url, {"period": "五月"})
    assert bad.status_code == 400
    nested = client_for(leader).get(f"{URL}{p.pk}/updates/").json()
    assert [u["cumulative"] for u in nested] == ["3.5000", "1.5000"]
    p.refresh_from_db()
    assert p.stage == "started"


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_api_query_count_is_constant(leader, xining, haidong):
    def make(n):
        for i in range(n):
            make_project(xining if i % 2 else haidong, total_investment=D(i + 10))

    client = client_for(leader)
    make(10)
    ten = _count_queries(client, f"{URL}?page_size=100")
    assert Project.objects.count() == 10
    make(90)
    hundred = _count_queries(client, f"{URL}?page_size=100")
    assert len(client.get(f"{URL}?page_size=100").json()["results"]) == 100
    assert ten == hundred, (ten, hundred)
    updates_ten = _count_queries(client, "/api/v1/project-updates/?page_size=100")
    assert updates_ten <= ten


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/project-updates/", {"year": "-1"}),
        ("/api/v1/project-updates/", {"project": "99999999999999999999"}),
        ("/api/v1/projects/", {"plan_year": "99999"}),
    ],
)
def test_out_of_range_filters_are_a_clear_400(leader, path, params):
    response = client_for(leader).get(path, params)
    assert response.status_code == 400
    assert next(iter(params)) in response.json()
