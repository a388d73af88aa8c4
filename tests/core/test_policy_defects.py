"""One test per defect of issue 9, points 6–9 (each failed before the fix)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.core import permissions as policy
from apps.core.registry import nav_items
from apps.reference.models import InfrastructureDomain, Region, Sector

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def page(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# --- point 6: every served model declares its scope ----------------------------------------------


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("regions", Region),
        ("sectors", Sector),
        ("domains", InfrastructureDomain),
    ],
)
def test_reference_detail_is_not_a_500_for_unit_staff(staff_xining, path, model):
    # Before: has_object_permission asked can(VIEW) of a model without owner_fields → 500.
    obj = model.objects.order_by("pk").first()
    r = api(staff_xining).get(f"/api/v1/{path}/{obj.pk}/")
    assert r.status_code == 200 and r.json()["id"] == obj.pk


def test_working_group_detail_is_not_a_500_for_unit_staff(staff_xining):
    from apps.workgroups.seed import load_groups

    load_groups()
    from apps.workgroups.models import WorkingGroup

    group = WorkingGroup.objects.order_by("order").first()
    r = api(staff_xining).get(f"/api/v1/workgroups/{group.pk}/")
    assert r.status_code == 200 and r.json()["name"] == group.name


def test_another_units_organisation_is_readable_as_the_list_shows_it(staff_xining, haidong):
    # Before: the list showed 海东市政府 but its detail was a 403 for 西宁's staff.
    c = api(staff_xining)
    listed = c.get("/api/v1/organizations/", {"page_size": 500}).json()["results"]
    assert haidong.pk in [o["id"] for o in listed]
    assert c.get(f"/api/v1/organizations/{haidong.pk}/").status_code == 200
    # Reading is not changing: the profile form of another unit stays refused.
    assert not policy.can(staff_xining, policy.Action.CHANGE, haidong)
    assert policy.can(staff_xining, policy.Action.CHANGE, staff_xining.organization)


def test_a_model_that_declares_nothing_is_refused_loudly(staff_xining):
    from apps.notifications.models import Delivery

    with pytest.raises(TypeError, match="declares neither"):
        policy.restrict(Delivery.objects.all(), staff_xining)
    assert policy.scope_of(Region) == policy.Scope.PUBLIC
    from apps.jobs.models import JobRun
    from apps.projects.models import Project

    assert policy.scope_of(JobRun) == policy.Scope.PERSONAL
    assert policy.scope_of(Project) == policy.Scope.OWNED


# --- point 7: one decorator for pages, one refusal rule -------------------------------------------


def test_targets_page_only_counts_what_the_user_may_view(staff_xining, leader, xining, haidong):
    # Before: projects/targets aggregated Project.objects.all() for every signed-in user.
    from apps.projects.models import LibraryStatus
    from tests.projects.factories import make_project

    make_project(xining, LibraryStatus.APPROVED)
    make_project(haidong, LibraryStatus.APPROVED)
    make_project(haidong, LibraryStatus.APPROVED)
    url = reverse("projects:targets")
    assert page(staff_xining).get(url).context["totals"]["count"] == 1
    assert page(leader).get(url).context["totals"]["count"] == 3


def test_a_refused_workflow_step_is_a_403_like_everywhere(staff_haidong, reviewer, xining):
    # Before: a role refusal on a page was a message and a redirect, on the API a 403.
    from apps.projects.models import LibraryStatus
    from tests.projects.factories import make_project

    project = make_project(xining, LibraryStatus.SUBMITTED)
    url = reverse("projects:transition", args=[project.pk])
    leader_like = page(reviewer)  # sees the project, but a reviewer does not submit it
    assert leader_like.post(url, {"action": "submit"}).status_code == 403
    assert page(staff_haidong).post(url, {"action": "submit"}).status_code == 404
    project.refresh_from_db()
    assert project.library_status == LibraryStatus.SUBMITTED


def test_a_visible_organisation_refuses_a_foreign_post_with_403(staff_xining, haidong):
    c = page(staff_xining)
    url = reverse("reference:organization", args=[haidong.pk])
    assert c.get(url).status_code == 200
    assert c.post(url, {"webhook_url": "http://127.0.0.1:9/x"}).status_code == 403


# --- point 8: named actions --------------------------------------------


@pytest.fixture
def led_report(xining, haidong, staff_haidong):
    """A task led by 西宁市政府 with 海东市政府 participating; 海东 reports with a file."""
    import datetime as dt

    from apps.tasks import services
    from tests.tasks.factories import TaskFactory, make_assignments

    task = TaskFactory(lead=[xining], participating=[haidong], due_date=dt.date(2026, 12, 31))
    part = make_assignments(task)[haidong.pk]
    upload = SimpleUploadedFile("进展.txt", "参加单位的材料".encode(), "text/plain")
    return services.report_progress(
        assignment=part, user=staff_haidong, text="已完成", attachment=upload
    )


def test_lead_unit_reads_its_tasks_reports_in_the_api_as_the_list_shows(staff_xining, led_report):
    # Before: the lead unit listed the participating unit's report but got 403 on its detail
    # and its attachment.
    c = api(staff_xining)
    ids = [r["id"] for r in c.get("/api/v1/progress-reports/").json()["results"]]
    assert led_report.pk in ids
    assert c.get(f"/api/v1/progress-reports/{led_report.pk}/").status_code == 200
    download = c.get(f"/api/v1/progress-reports/{led_report.pk}/attachment/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "参加单位的材料"
    # The page link agrees.
    url = reverse("tasks:attachment", args=[led_report.pk])
    assert page(staff_xining).get(url).status_code == 200


def test_lead_unit_follows_but_does_not_move_a_participating_assignment(
    staff_xining, led_report, make_user, org
):
    assignment = led_report.assignment
    assert policy.can(staff_xining, policy.Action.VIEW, assignment)
    assert not policy.can(staff_xining, policy.Action.CHANGE, assignment)
    assert policy.can(staff_xining, policy.Action.SUPERVISE, assignment)
    # Nobody supervises their own unit's assignment; a third unit neither sees nor supervises.
    own = assignment.task.assignments.get(unit=staff_xining.organization)
    assert not policy.can(staff_xining, policy.Action.SUPERVISE, own)
    stranger = make_user(Role.STAFF, org("果洛州政府"))
    assert not policy.can(stranger, policy.Action.VIEW, assignment)
    assert not policy.restrict(type(assignment).objects.filter(pk=assignment.pk), stranger)
    # restrict agrees with can for the supervising lead unit.
    supervised = policy.restrict(
        type(assignment).objects.filter(task=assignment.task), staff_xining, "supervise"
    )
    assert list(supervised) == [assignment]


def test_only_the_lead_unit_enters_indicator_values(make_user, org):
    from apps.indicators.models import Indicator, IndicatorLeadUnit, Measure
    from apps.indicators.models import IndicatorParticipatingUnit as Part

    lead, part = org("西宁市政府"), org("海东市政府")
    ind = Indicator.objects.create(level=2, number=902, text="测试指标")
    IndicatorLeadUnit.objects.create(indicator=ind, organization=lead)
    Part.objects.create(indicator=ind, organization=part)
    m = Measure.objects.create(indicator=ind, name="测试", target_text="≥1", direction="gte")
    lead_staff, part_staff = make_user(Role.STAFF, lead), make_user(Role.STAFF, part)
    assert policy.can(part_staff, policy.Action.VIEW, m)
    assert policy.can(part_staff, policy.Action.CHANGE, m)  # owned by both units
    assert not policy.can(part_staff, policy.Action.ENTER_VALUES, m)
    assert policy.can(lead_staff, policy.Action.ENTER_VALUES, m)
    qs = Measure.objects.filter(pk=m.pk)
    assert list(policy.restrict(qs, lead_staff, "enter_values")) == [m]
    assert not policy.restrict(qs, part_staff, "enter_values").exists()


def test_navigation_shows_an_entry_exactly_when_its_page_opens(staff_xining, leader, reviewer):
    def urls(user):
        return {c["url"] for item in nav_items(user) for c in item["children"]} | {
            item["url"] for item in nav_items(user)
        }

    from tests.contracts.factories import FairFactory

    FairFactory()  # the ledger pages show the latest fair (404 while there is none)
    for user in (staff_xining, leader, reviewer):
        for url in urls(user):
            assert page(user).get(url).status_code == 200, (user.role, url)
    assert reverse("projects:review") in urls(reviewer)
    assert reverse("projects:review") not in urls(staff_xining)
    assert reverse("dashboard:cockpit") not in urls(staff_xining)
    assert page(staff_xining).get(reverse("dashboard:cockpit")).status_code == 403


def test_jobs_and_inbox_are_their_owners_only(staff_xining, staff_haidong, admin_user_):
    from apps.jobs.models import JobRun
    from apps.notifications.models import Notification

    job = JobRun.objects.create(kind="x", user=staff_xining)
    note = Notification.objects.create(recipient=staff_xining, title="给西宁")
    other = page(staff_haidong)
    assert other.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert other.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert page(staff_xining).get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    assert policy.can(admin_user_, policy.Action.VIEW, job)
    assert not policy.can(staff_haidong, policy.Action.VIEW, note)


# --- point 9: the audit trail ----------------------------------------


@pytest.mark.parametrize("role", [Role.LEADER, Role.API_CLIENT, Role.REVIEWER, Role.ADMIN])
def test_nobody_reads_a_users_change_history_on_the_audit_page(make_user, staff_xining, role):
    # Before: the leader and the API client read any user's history (e-mail changes included).
    staff_xining.email = "new@example.invalid"
    staff_xining.save()
    reader = make_user(role, None, is_superuser=role == Role.ADMIN)
    url = reverse("object-history", args=["accounts", "user", staff_xining.pk])
    assert page(reader).get(url).status_code == 404
    token_url = reverse("object-history", args=["authtoken", "token", 1])
    assert page(reader).get(token_url).status_code == 404
    api_token_url = reverse("object-history", args=["accounts", "apitoken", 1])
    assert page(reader).get(api_token_url).status_code == 404


def test_audit_trail_follows_the_policy(staff_xining, staff_haidong, leader, xining):
    from tests.projects.factories import make_project

    project = make_project(xining)
    url = reverse("object-history", args=["projects", "project", project.pk])
    assert page(staff_xining).get(url).status_code == 200
    assert page(leader).get(url).status_code == 200
    assert page(staff_haidong).get(url).status_code == 404


def test_audit_trail_of_a_record_without_history_rows_is_not_a_500(leader, xining):
    from tests.projects.factories import make_project

    project = make_project(xining)
    project.history.all().delete()
    url = reverse("object-history", args=["projects", "project", project.pk])
    r = page(leader).get(url)
    assert r.status_code == 200 and r.context["entries"] == []
