"""The project pages: list with filters and totals, detail, forms, workflow buttons, queue."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from apps.accounts.models import Role
from apps.projects.models import LibraryStatus, Project, ProjectReviewEvent, ReviewAction
from apps.projects.workflow import TRANSITIONS
from apps.reference.models import Region, Sector
from tests.projects.factories import fill_checklist, make_project

pytestmark = pytest.mark.django_db
D = Decimal


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def actors(make_user, xining, haidong, ndrc, org):
    return {
        "staff_own": make_user(Role.STAFF, xining, username="p_staff_own"),
        "staff_other": make_user(Role.STAFF, haidong, username="p_staff_other"),
        "reviewer": make_user(Role.REVIEWER, ndrc, username="p_reviewer"),
        "leader": make_user(Role.LEADER, None, username="p_leader"),
        "coordinator": make_user(Role.COORDINATOR, org("省工业和信息化厅"), username="p_coord"),
        "admin": make_user(Role.ADMIN, None, username="p_admin", is_superuser=True),
    }


# role: (may owner steps, may reviewer steps, sees the 西宁市政府 project)
ROLE_RULES = {
    "staff_own": (True, False, True),
    "staff_other": (False, False, False),
    "reviewer": (False, True, True),
    "leader": (False, False, True),
    "coordinator": (False, False, True),
    "admin": (True, True, True),
}


@pytest.mark.parametrize("role", list(ROLE_RULES))
@pytest.mark.parametrize("status", list(LibraryStatus), ids=[s.value for s in LibraryStatus])
def test_workflow_form_for_every_role_and_status(client, actors, xining, role, status):
    """The buttons of the detail page and the reviewer queue post to one form endpoint."""
    owner_ok, reviewer_ok, sees = ROLE_RULES[role]
    login(client, actors[role])
    for action in ["submit", "start_review", "approve", "return", "reject", "remove"]:
        project = make_project(xining, status, checklist=True)
        url = reverse("projects:transition", args=[project.pk])
        response = client.post(url, {"action": action, "comment": "意见"})
        project.refresh_from_db()
        step = TRANSITIONS[action]
        role_ok = reviewer_ok if step.by_reviewer else owner_ok
        # The one submit button also resubmits a returned project.
        state_ok = status in step.sources or (
            action == "submit" and status == LibraryStatus.RETURNED
        )
        if not sees:
            assert response.status_code == 404
            assert project.library_status == status
            continue
        if not role_ok:
            # A role or unit that may not take the step: the policy's one refusal, a 403.
            assert response.status_code == 403
            assert project.library_status == status
            continue
        assert response.status_code == 302
        text = " ".join(str(m) for m in get_messages(response.wsgi_request))
        if role_ok and state_ok:
            expected = TRANSITIONS["resubmit" if status == "returned" else action].target
            assert project.library_status == expected, text
            assert ProjectReviewEvent.objects.filter(project=project, comment="意见").exists()
        else:
            assert project.library_status == status, text
            assert f"当前为“{LibraryStatus(status).label}”" in text


def test_detail_shows_only_the_buttons_the_user_may_press(client, actors, xining):
    p = make_project(xining, LibraryStatus.IN_REVIEW)
    body = login(client, actors["reviewer"]).get(reverse("projects:detail", args=[p.pk]))
    text = body.content.decode()
    for label in ("入库", "退回修改", "不予入库"):
        assert f">{label}</button>" in text
    assert ">开始审核</button>" not in text
    staff_view = login(client, actors["staff_own"]).get(reverse("projects:detail", args=[p.pk]))
    assert "</button>" in staff_view.content.decode()
    assert 'id="workflow-actions"' not in staff_view.content.decode()


def _project_post(unit, region, sector, **extra):
    data = {
        "name": "西宁市城市更新老旧小区改造项目",
        "tier": "prefecture",
        "region": region.pk,
        "sector": sector.pk,
        "responsible_unit": unit.pk,
        "total_investment": "25.5",
        "plan_year": "2026",
        "planned_investment_year": "6",
        "scale_content": "改造老旧小区 120 个",
        "stage": "planning",
        "planned_start": "2026-03-01",
        "planned_end": "2027-12-31",
    }
    data.update(extra)
    return data


def test_staff_create_edit_submit_through_forms(client, actors, xining, haidong):
    staff = actors["staff_own"]
    login(client, staff)
    xn = Region.objects.get(name="西宁市")
    urban = Sector.objects.get(code="urban")
    form_page = client.get(reverse("projects:create"))
    assert form_page.status_code == 200
    units = list(form_page.context["form"].fields["responsible_unit"].queryset)
    assert units == [xining]  # staff only ever pick their own unit
    assert "library_status" not in form_page.context["form"].fields

    refused = client.post(reverse("projects:create"), _project_post(haidong, xn, urban))
    assert refused.status_code == 200 and not Project.objects.exists()

    response = client.post(
        reverse("projects:create"), _project_post(xining, xn, urban, library_status="approved")
    )
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get()
    assert project.library_status == LibraryStatus.DRAFT
    assert project.created_by == staff

    edit_url = reverse("projects:edit", args=[project.pk])
    data = _project_post(xining, xn, urban, name="改名", version=project.version)
    assert client.post(edit_url, data).status_code == 302
    project.refresh_from_db()
    assert project.name == "改名"
    stale = client.post(edit_url, {**data, "name": "过期的修改"})
    assert stale.status_code == 200
    assert "已被其他用户修改" in stale.content.decode()

    client.post(reverse("projects:transition", args=[project.pk]), {"action": "submit"})
    project.refresh_from_db()
    assert project.library_status == LibraryStatus.SUBMITTED
    # Under review the edit form is closed.
    assert client.get(edit_url).status_code == 302


def test_form_shows_model_errors_on_fields(client, actors, xining):
    login(client, actors["staff_own"])
    data = _project_post(
        xining,
        Region.objects.get(name="西宁市"),
        Sector.objects.get(code="urban"),
        tier="county",
        planned_end="2020-01-01",
    )
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "县级项目" in errors["region"][0]
    assert "不能早于" in errors["planned_end"][0]


def test_another_units_pages(client, actors, xining):
    p = make_project(xining)
    login(client, actors["staff_other"])
    assert client.get(reverse("projects:detail", args=[p.pk])).status_code == 404
    assert client.get(reverse("projects:edit", args=[p.pk])).status_code == 404
    login(client, actors["reviewer"])  # sees it, but may not edit another unit's project
    assert client.get(reverse("projects:detail", args=[p.pk])).status_code == 200
    assert client.get(reverse("projects:edit", args=[p.pk])).status_code == 403
    login(client, actors["leader"])
    assert client.get(reverse("projects:create")).status_code == 403


def test_list_filters_and_totals(client, actors, xining, haidong, org):
    make_project(xining, LibraryStatus.APPROVED, total_investment=D("150"), name="甲项目")
    make_project(
        org("湟中区政府"),
        tier="county",
        region=Region.objects.get(short_name="湟中区"),
        total_investment=D("5"),
        name="乙项目",
    )
    make_project(haidong, region=Region.objects.get(name="海东市"), total_investment=D("50"))
    login(client, actors["leader"])
    page = client.get(reverse("projects:list"))
    assert page.context["totals"]["count"] == 3
    assert page.context["totals"]["total_investment"] == D("205")
    filtered = client.get(reverse("projects:list"), {"region": "630100"})
    assert [p.name for p in filtered.context["page"]] == ["甲项目", "乙项目"]
    assert filtered.context["totals"]["total_investment"] == D("155")
    assert "155.00" in filtered.content.decode()
    by_size = client.get(reverse("projects:list"), {"size": "100yi", "status": "approved"})
    assert [p.name for p in by_size.context["page"]] == ["甲项目"]
    sorted_page = client.get(reverse("projects:list"), {"ordering": "total_investment"})
    assert [p.total_investment for p in sorted_page.context["page"]] == [D("5"), D("50"), D("150")]
    # Unit staff see their own unit's projects only.
    login(client, actors["staff_own"])
    assert client.get(reverse("projects:list")).context["totals"]["count"] == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_page_query_count_is_constant(client, actors, xining, haidong):
    login(client, actors["leader"])
    url = reverse("projects:list") + "?page_size=100"
    for i in range(10):
        make_project(
            xining if i % 2 else haidong, LibraryStatus.APPROVED, total_investment=D(10 + i)
        )
    ten = _queries(client, url)
    for i in range(90):
        make_project(xining if i % 2 else haidong, total_investment=D(10 + i))
    hundred = _queries(client, url)
    assert Project.objects.count() == 100
    assert ten == hundred, (ten, hundred)


def test_review_queue(client, actors, xining):
    submitted = make_project(xining, LibraryStatus.SUBMITTED, name="待审项目")
    in_review = make_project(xining, LibraryStatus.IN_REVIEW, name="论证中项目")
    make_project(xining, LibraryStatus.APPROVED, name="已入库项目")
    login(client, actors["staff_own"])
    assert client.get(reverse("projects:review")).status_code == 403
    login(client, actors["reviewer"])
    page = client.get(reverse("projects:review"))
    rows = {p.name: [t.action for t in ts] for p, ts in page.context["rows"]}
    assert rows == {
        "待审项目": [ReviewAction.START_REVIEW],
        "论证中项目": [ReviewAction.APPROVE, ReviewAction.RETURN, ReviewAction.REJECT],
    }
    # One click with a comment, back to the queue (the 入库 checklist judged first).
    fill_checklist(in_review, actors["reviewer"])
    queue = reverse("projects:review")
    response = client.post(
        reverse("projects:transition", args=[in_review.pk]),
        {"action": "approve", "comment": "同意入库", "next": queue},
    )
    assert response.status_code == 302 and response["Location"] == queue
    in_review.refresh_from_db()
    assert in_review.library_status == LibraryStatus.APPROVED
    returned = client.post(
        reverse("projects:transition", args=[submitted.pk]),
        {"action": "return", "comment": "", "next": queue},
        follow=True,
    )
    assert "请先“开始审核”" in returned.content.decode()


@freeze_time("2026-06-15")
def test_stage_and_monthly_update_forms(client, actors, xining):
    p = make_project(xining, LibraryStatus.APPROVED)
    login(client, actors["staff_own"])
    client.post(
        reverse("projects:stage", args=[p.pk]),
        {"stage": "signed", "changed_on": "2026-06-15", "note": "签约仪式"},
    )
    p.refresh_from_db()
    assert (p.stage, p.stage_changed_on) == ("signed", dt.date(2026, 6, 15))
    url = reverse("projects:update-create", args=[p.pk])
    data = {
        "period": "2026-05",
        "completed_this_month": "2.5",
        "stage": "started",
        "progress": "开工建设",
        "problems": "用地手续待批",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200
    assert "已填报" in again.content.decode()
    detail = client.get(reverse("projects:detail", args=[p.pk]))
    assert "用地手续待批" in detail.content.decode()
    monthly = client.get(reverse("projects:monthly"), {"period": "2026-05"})
    assert [u.project_id for u in monthly.context["page"]] == [p.pk]
    assert monthly.context["missing_count"] == 0
    # Another unit cannot reach the form.
    login(client, actors["staff_other"])
    assert client.get(url).status_code == 404


def test_targets_page_shows_the_001_figures(client, actors, campaign, xining):
    make_project(xining, LibraryStatus.APPROVED, total_investment=D("250"))
    login(client, actors["leader"])
    page = client.get(reverse("projects:targets"))
    assert page.status_code == 200
    rows = {r["label"]: r for r in page.context["by_region"]}
    assert rows["西宁市"]["target"] == D("2500")
    assert rows["西宁市"]["attainment"] == D("0.1000")
    text = page.content.decode()
    assert "市州级千亿" in text and "县级百亿" in text and "省级万亿" in text
    assert "10.0%" in text


def test_home_widgets(client, actors, xining):
    make_project(xining, LibraryStatus.SUBMITTED)
    login(client, actors["reviewer"])
    text = client.get("/").content.decode()
    assert "待审核项目" in text
    login(client, actors["staff_own"])
    assert "待修改/草稿" in client.get("/").content.decode()
