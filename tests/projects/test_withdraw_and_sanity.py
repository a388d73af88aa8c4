"""Withdraw (撤回) before review starts; sanity checks on monthly figures (projects, contracts)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.projects import services
from apps.projects.models import LibraryStatus, ProjectReviewEvent, ReviewAction
from apps.projects.services import TransitionNotAllowed
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db
D = Decimal


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_withdraw_through_the_api_returns_the_project_to_draft(staff_xining, xining):
    p = make_project(xining, LibraryStatus.SUBMITTED)
    r = api(staff_xining).post(
        f"/api/v1/projects/{p.pk}/withdraw/", {"comment": "补充附件"}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["library_status"] == "draft"
    event = ProjectReviewEvent.objects.filter(project=p).latest("at", "id")
    assert (event.action, event.from_status, event.to_status, event.actor, event.comment) == (
        ReviewAction.WITHDRAW,
        LibraryStatus.SUBMITTED,
        LibraryStatus.DRAFT,
        staff_xining,
        "补充附件",
    )
    # and it can be submitted again
    services.submit_project(user=staff_xining, project=p)
    p.refresh_from_db()
    assert p.library_status == LibraryStatus.SUBMITTED


def test_withdraw_is_refused_once_review_has_started(staff_xining, xining):
    p = make_project(xining, LibraryStatus.IN_REVIEW)
    r = api(staff_xining).post(f"/api/v1/projects/{p.pk}/withdraw/", {}, format="json")
    assert r.status_code == 400
    assert "审核已开始或已结束的项目不能撤回" in str(r.json())
    with pytest.raises(TransitionNotAllowed):
        services.withdraw_project(user=staff_xining, project=p)


def test_another_unit_and_the_reviewer_cannot_withdraw(staff_haidong, reviewer, xining):
    p = make_project(xining, LibraryStatus.SUBMITTED)
    assert api(staff_haidong).post(f"/api/v1/projects/{p.pk}/withdraw/").status_code == 404
    assert api(reviewer).post(f"/api/v1/projects/{p.pk}/withdraw/").status_code == 403
    p.refresh_from_db()
    assert p.library_status == LibraryStatus.SUBMITTED


def test_withdraw_button_on_the_detail_page(client, staff_xining, xining):
    p = make_project(xining, LibraryStatus.SUBMITTED)
    client.force_login(staff_xining)
    page = client.get(f"/projects/{p.pk}/").content.decode()
    assert 'value="withdraw"' in page and ">撤回<" in page
    r = client.post(f"/projects/{p.pk}/transition/", {"action": "withdraw", "comment": ""})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.library_status == LibraryStatus.DRAFT
    page = client.get(f"/projects/{p.pk}/").content.decode()
    assert 'value="withdraw"' not in page


# --- monthly figures --------------------------------------------------------------------


@pytest.fixture
def approved(xining, staff_xining):
    # The case: a 10.12 亿元 project with 1.4170 亿元 planned for 2026.
    return make_project(
        xining,
        LibraryStatus.APPROVED,
        total_investment=D("10.12"),
        planned_investment_year=D("1.417"),
        plan_year=2026,
    )


def record(user, project, month, amount, **kw):
    import datetime as dt

    return services.record_monthly_update(
        user=user,
        project=project,
        period=dt.date(2026, month, 1),
        completed_this_month=D(amount),
        stage=project.stage,
        progress="推进中",
        **kw,
    )


@freeze_time("2026-12-01")
def test_cumulative_above_total_investment_is_refused(staff_xining, approved):
    with pytest.raises(ValidationError) as exc:
        record(staff_xining, approved, 11, "15", confirmation_note="确认")
    assert "超过项目总投资 10.1200 亿元" in exc.value.message_dict["completed_this_month"][0]
    assert not approved.monthly_updates.exists()
    record(staff_xining, approved, 9, "1.2")
    record(staff_xining, approved, 10, "1.4", confirmation_note="")
    # 1.2 + 1.4 + 7.6 = 10.2 > 10.12: refused, even though each month alone is plausible.
    with pytest.raises(ValidationError, match=r"累计完成投资将达 10\.2000 亿元"):
        record(staff_xining, approved, 11, "7.6", confirmation_note="大额设备款")
    # Correcting an existing month counts the other months only.
    october = approved.monthly_updates.get(period__month=10)
    record(staff_xining, approved, 10, "1.3", update=october, version=october.version)


@freeze_time("2026-12-01")
def test_a_month_above_the_years_plan_needs_a_recorded_reason(staff_xining, approved):
    with pytest.raises(ValidationError) as exc:
        record(staff_xining, approved, 11, "2.5")
    assert exc.value.message_dict["confirmation_note"] == [
        "本月完成投资 2.5000 亿元，超过2026年度计划投资 1.4170 亿元。"
        "请核实（单位：亿元）；确认无误请填写核实说明后再保存。"
    ]
    update = record(staff_xining, approved, 11, "2.5", confirmation_note="设备到货集中付款")
    assert update.confirmation_note == "设备到货集中付款"
    assert update.history.latest().confirmation_note == "设备到货集中付款"
    # Within the plan: no reason asked.
    assert record(staff_xining, approved, 10, "1.0").confirmation_note == ""


@freeze_time("2026-12-01")
def test_monthly_api_asks_for_confirmation_with_400(staff_xining, approved):
    client = api(staff_xining)
    body = {
        "project": approved.pk,
        "period": "2026-11",
        "completed_this_month": "2.5",
        "stage": approved.stage,
        "progress": "推进中",
    }
    r = client.post("/api/v1/project-updates/", body, format="json")
    assert r.status_code == 400
    assert "超过2026年度计划投资" in r.json()["confirmation_note"][0]
    r = client.post(
        "/api/v1/project-updates/", {**body, "confirmation_note": "集中付款"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["confirmation_note"] == "集中付款"
    r = client.post(
        "/api/v1/project-updates/",
        {**body, "period": "2026-10", "completed_this_month": "15", "confirmation_note": "x"},
        format="json",
    )
    assert r.status_code == 400
    assert "超过项目总投资" in r.json()["completed_this_month"][0]


@freeze_time("2026-12-01")
def test_monthly_form_shows_the_confirmation_field_on_demand(client, staff_xining, approved):
    client.force_login(staff_xining)
    url = f"/projects/{approved.pk}/updates/new/"
    page = client.get(url).content.decode()
    assert 'type="hidden" name="confirmation_note"' in page
    post = {"period": "2026-11", "completed_this_month": "2.5", "stage": approved.stage,
            "progress": "推进中", "problems": ""}  # fmt: skip
    r = client.post(url, post)
    assert r.status_code == 200
    html = r.content.decode()
    assert "超过2026年度计划投资" in html and '<textarea name="confirmation_note"' in html
    r = client.post(url, {**post, "confirmation_note": "集中付款"})
    assert r.status_code == 302
    assert approved.monthly_updates.get().confirmation_note == "集中付款"
