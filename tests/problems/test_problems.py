"""Problem tickets: routing, the state machine and who may take each step, escalation on the
working-day deadline, and the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from apps.problems import selectors, services
from apps.problems.models import Category, ProblemEvent, ProblemTicket, Status
from apps.projects import services as project_services
from apps.workgroups.models import WorkingGroup

pytestmark = pytest.mark.django_db


def _update(project, user, problems="项目用地指标尚未落实"):
    return project_services.record_monthly_update(
        user=user,
        project=project,
        period=dt.date(2026, 10, 1),
        completed_this_month=0,
        stage=project.stage,
        progress="前期工作",
        problems=problems,
    )


@freeze_time("2026-11-10 10:00:00+08:00")
def test_open_routes_to_department_group_and_deadline(network_project, staff_xining):
    update = _update(network_project, staff_xining)
    ticket = services.open_problem(
        user=staff_xining, category=Category.LAND, description=update.problems,
        monthly_update=update,
    )  # fmt: skip
    assert ticket.status == Status.PENDING
    assert ticket.responsible_department.name == "省自然资源厅"
    assert ticket.reporting_unit.name == "西宁市政府"
    assert ticket.working_group.name == "网络型基础设施建设专项工作组"
    assert ticket.project == network_project
    assert ticket.source_note == "月度调度"
    # 10 working days after Tue 2026-11-10: Tue 2026-11-24.
    assert ticket.deadline == dt.date(2026, 11, 24)
    assert list(ticket.events.values_list("kind", flat=True)) == [ProblemEvent.Kind.OPENED]
    # The same report's problem of the same category is one ticket.
    again = services.open_problem(
        user=staff_xining, category=Category.LAND, description="再次提交", monthly_update=update
    )
    assert again.pk == ticket.pk
    assert ProblemTicket.objects.count() == 1


def test_project_without_domain_goes_to_the_element_group(xining, staff_xining):
    from tests.projects.factories import make_project

    project = make_project(xining, "approved")
    ticket = services.open_problem(
        user=staff_xining, category=Category.FUNDING, description="资本金缺口", project=project
    )
    assert ticket.working_group == WorkingGroup.objects.get(short_name="要素保障")
    assert ticket.responsible_department.name == "省财政厅"


def test_only_the_projects_unit_reports(network_project, staff_haidong, reviewer):
    for user in (staff_haidong, reviewer):
        with pytest.raises(PermissionDenied):
            services.open_problem(
                user=user, category=Category.LAND, description="x", project=network_project
            )
    with pytest.raises(ValidationError):
        services.open_problem(user=staff_haidong, category=Category.LAND, description="x")


def test_steps_each_by_its_own_side(network_project, staff_xining, land_staff, staff_haidong):
    ticket = services.open_problem(
        user=staff_xining, category=Category.LAND, description="用地", project=network_project
    )
    assert services.available_steps(staff_xining, ticket) == []
    assert services.available_steps(land_staff, ticket) == ["accept", "answer"]
    assert services.available_steps(staff_haidong, ticket) == []
    with pytest.raises(PermissionDenied):
        services.accept_problem(user=staff_xining, ticket=ticket)
    services.accept_problem(user=land_staff, ticket=ticket)
    assert ticket.status == Status.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.answer_problem(user=land_staff, ticket=ticket, answer="  ")
    services.answer_problem(user=land_staff, ticket=ticket, answer="已纳入年度用地计划")
    assert ticket.status == Status.ANSWERED and ticket.answer == "已纳入年度用地计划"
    with pytest.raises(PermissionDenied):
        services.confirm_resolved(user=land_staff, ticket=ticket)
    services.reopen_problem(user=staff_xining, ticket=ticket, comment="指标仍未下达")
    assert ticket.status == Status.IN_PROGRESS
    services.answer_problem(user=land_staff, ticket=ticket, answer="指标已下达")
    services.confirm_resolved(user=staff_xining, ticket=ticket)
    assert ticket.status == Status.RESOLVED
    with pytest.raises(ValidationError):
        services.answer_problem(user=land_staff, ticket=ticket, answer="again")
    assert list(ticket.events.values_list("kind", flat=True)) == [
        "opened", "accepted", "answered", "reopened", "answered", "resolved",
    ]  # fmt: skip
    # Audited: every save is a history row.
    assert ticket.history.count() == 6


def test_escalation_on_the_working_day_deadline(network_project, staff_xining, land_staff):
    # Opened Tue 2026-09-29: 国庆 (10-01…10-07) and the make-up Saturday 10-10 count as the
    # calendar says, so the 10th working day is Mon 2026-10-19 (not 10-13).
    with freeze_time("2026-09-29 09:00:00+08:00"):
        late = services.open_problem(
            user=staff_xining, category=Category.LAND, description="用地", project=network_project
        )
        answered = services.open_problem(
            user=staff_xining, category=Category.ENERGY, description="用能", project=network_project
        )
    assert late.deadline == dt.date(2026, 10, 19)
    with freeze_time("2026-10-16 09:00:00+08:00"):
        services.answer_problem(user=_energy_staff(), ticket=answered, answer="已保障")
    with freeze_time("2026-10-19 23:00:00+08:00"):
        assert services.escalate_overdue_problems()["escalated"] == 0
    with freeze_time("2026-10-20 08:00:00+08:00"):
        assert services.escalate_overdue_problems()["escalated"] == 1
        assert services.escalate_overdue_problems()["escalated"] == 0  # once
    late.refresh_from_db()
    answered.refresh_from_db()
    assert late.status == Status.ESCALATED
    assert answered.status == Status.ANSWERED
    event = late.events.get(kind=ProblemEvent.Kind.ESCALATED)
    assert event.actor is None and "网络型基础设施建设专项工作组组长" in event.comment
    # An escalated ticket can still be answered by the department.
    services.answer_problem(user=land_staff, ticket=late, answer="已协调")
    assert late.status == Status.ANSWERED


def _energy_staff():
    from apps.accounts.models import Role
    from apps.reference.models import Organization
    from tests.factories import UserFactory

    return UserFactory(
        role=Role.STAFF, organization=Organization.objects.resolve("省能源局"), username="t_energy"
    )


def test_escalation_recipients_are_the_group_leaders_org(
    network_project, staff_xining, provincial_gov_user
):
    ticket = services.open_problem(
        user=staff_xining, category=Category.LAND, description="用地", project=network_project
    )
    assert list(selectors.escalation_recipients(ticket)) == [provincial_gov_user]


def test_open_counts_by_group_and_category(network_project, staff_xining, land_staff):
    a = services.open_problem(
        user=staff_xining, category=Category.LAND, description="a", project=network_project
    )
    services.open_problem(
        user=staff_xining, category=Category.FUNDING, description="b", project=network_project
    )
    services.answer_problem(user=land_staff, ticket=a, answer="ok")
    counts = selectors.open_counts()
    assert counts["total"] == 1
    assert [(r["group"], r["open"]) for r in counts["by_group"]] == [("网络型基础设施建设", 1)]
    assert {r["category"]: r["open"] for r in counts["by_category"]}["funding"] == 1


def test_api_lists_filters_and_steps(
    client, network_project, staff_xining, land_staff, staff_haidong
):
    ticket = services.open_problem(
        user=staff_xining, category=Category.LAND, description="用地", project=network_project
    )
    services.open_problem(
        user=staff_xining, category=Category.FUNDING, description="资金", project=network_project
    )
    client.force_login(staff_xining)
    body = client.get("/api/v1/problems/?category=land").json()
    assert [r["id"] for r in body["results"]] == [ticket.pk]
    assert body["results"][0]["responsible_department_name"] == "省自然资源厅"
    assert client.get("/api/v1/problems/?open=true").json()["count"] == 2
    assert client.get("/api/v1/problems/?category=nope").status_code == 400
    # The reporting unit may not answer; the department may.
    assert client.post(f"/api/v1/problems/{ticket.pk}/answer/", {"comment": "x"}).status_code == 403
    client.force_login(land_staff)
    assert client.get("/api/v1/problems/").json()["count"] == 1  # its own category only
    r = client.post(f"/api/v1/problems/{ticket.pk}/answer/", {"comment": "已答复"})
    assert r.status_code == 200 and r.json()["status"] == "answered"
    client.force_login(staff_haidong)
    assert client.get("/api/v1/problems/").json()["count"] == 0
    assert client.get(f"/api/v1/problems/{ticket.pk}/").status_code == 404


def test_pages_show_the_ticket(client, network_project, staff_xining, leader):
    update = _update(network_project, staff_xining)
    client.force_login(staff_xining)
    r = client.get(f"/problems/new/?update={update.pk}")
    assert r.status_code == 200 and "项目用地指标尚未落实" in r.content.decode()
    r = client.post(
        "/problems/new/",
        {"update": update.pk, "category": "land", "title": "", "description": update.problems},
    )
    ticket = ProblemTicket.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/problems/{ticket.pk}/"
    assert "项目用地指标尚未落实" in client.get(f"/projects/{network_project.pk}/").content.decode()
    assert client.get("/problems/new/?update=abc").status_code == 404
    client.force_login(leader)
    page = client.get(f"/workgroups/{ticket.working_group_id}/").content.decode()
    assert "本组项目的困难问题" in page and "项目用地指标尚未落实" in page
    cockpit = client.get("/dashboard/").content.decode()
    assert "未办结的困难问题" in cockpit
    assert client.get("/problems/?status=pending").status_code == 200


def test_a_contract_reports_problem_becomes_a_ticket(client, staff_xining):
    from apps.contracts.models import ContractReport
    from tests.contracts.factories import ContractFactory

    contract = ContractFactory()
    report = ContractReport.objects.create(
        contract=contract, period=dt.date(2026, 10, 1), problems="电力接入未落实"
    )
    client.force_login(staff_xining)
    r = client.post(
        "/problems/new/",
        {"report": report.pk, "category": "utilities", "description": report.problems},
    )
    ticket = ProblemTicket.objects.get()
    assert r.status_code == 302
    assert ticket.contract == contract and ticket.source_note == "签约项目月报"
    assert ticket.working_group.short_name == "要素保障"
    assert ticket.responsible_department.name == "省发展改革委"
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "电力接入未落实" in page and f"/problems/{ticket.pk}/" in page


def test_home_widgets(client, network_project, staff_xining, land_staff, leader):
    ticket = services.open_problem(
        user=staff_xining, category=Category.LAND, description="用地", project=network_project
    )
    client.force_login(land_staff)
    widgets = {w["title"]: w for w in client.get("/").context["widgets"]}
    assert widgets["待办理的困难问题"]["value"] == 1
    services.answer_problem(user=land_staff, ticket=ticket, answer="已安排")
    client.force_login(staff_xining)
    widgets = {w["title"]: w for w in client.get("/").context["widgets"]}
    assert widgets["待确认的问题答复"]["value"] == 1 and "待办理的困难问题" not in widgets
    client.force_login(leader)
    widgets = {w["title"]: w for w in client.get("/").context["widgets"]}
    assert widgets["未办结的困难问题"]["value"] == 0


def test_list_and_api_queries_do_not_grow_with_rows(client, network_project, staff_xining, leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        client.force_login(leader)
        out = []
        for url in ("/api/v1/problems/", "/problems/", f"/workgroups/{group.pk}/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    group = WorkingGroup.objects.get(short_name="网络型基础设施建设")
    categories = [Category.LAND, Category.FUNDING, Category.ENERGY, Category.OTHER]
    services.open_problem(
        user=staff_xining, category=categories[0], description="a", project=network_project
    )
    few = counts()
    for category in categories[1:]:
        services.open_problem(
            user=staff_xining, category=category, description="b", project=network_project
        )
    assert counts() == few
