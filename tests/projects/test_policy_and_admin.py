"""The shared permission table holds for projects and their monthly updates; the admin cannot
bypass the workflow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.projects.models import LibraryStatus, Project, ProjectMonthlyUpdate, Stage
from tests.policy_table import POLICY_TABLE, check_policy_row, policy_table_ids
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "extra", "expected"), POLICY_TABLE, ids=policy_table_ids())
def test_policy_table_on_projects(role, extra, expected):
    check_policy_row(role, extra, expected, make_owned=lambda org: make_project(org))


@pytest.mark.parametrize(("role", "extra", "expected"), POLICY_TABLE, ids=policy_table_ids())
def test_policy_table_on_monthly_updates(role, extra, expected):
    def make_owned(org):
        project = make_project(org, LibraryStatus.APPROVED)
        return ProjectMonthlyUpdate.objects.create(
            project=project,
            period=dt.date(2026, 1, 1),
            completed_this_month=Decimal("1"),
            stage=Stage.STARTED,
            progress="开工",
        )

    check_policy_row(role, extra, expected, make_owned=make_owned)


@pytest.fixture
def admin_client_(client, admin_user_):
    client.force_login(admin_user_)
    return client


def test_admin_form_has_no_status_field(admin_client_, xining):
    p = make_project(xining)
    page = admin_client_.get(reverse("admin:projects_project_change", args=[p.pk]))
    assert page.status_code == 200
    assert 'name="library_status"' not in page.content.decode()
    assert "入库状态" in page.content.decode()  # shown read-only


def test_admin_post_cannot_set_status(admin_client_, xining):
    p = make_project(xining)
    url = reverse("admin:projects_project_change", args=[p.pk])
    form = admin_client_.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "region": p.region_id,
            "sector": p.sector_id,
            "responsible_unit": p.responsible_unit_id,
            "library_status": "approved",
            "name": "管理员改名",
            "planned_start": "2026-03-01",
            "planned_end": "2028-12-31",
            "edit_version": p.version,
            **{f"{prefix}-TOTAL_FORMS": 0 for prefix in ("review_events", "stage_changes")},
            **{f"{prefix}-INITIAL_FORMS": 0 for prefix in ("review_events", "stage_changes")},
        }
    )
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    p.refresh_from_db()
    assert p.name == "管理员改名"
    assert p.library_status == LibraryStatus.DRAFT


def test_admin_workflow_action_refuses_illegal_steps_with_a_message(admin_client_, xining):
    draft = make_project(xining)
    in_review = make_project(xining, LibraryStatus.IN_REVIEW, checklist=True)
    url = reverse("admin:projects_project_changelist")
    # First POST shows the comment page, the second applies.
    page = admin_client_.post(
        url, {"action": "workflow_approve", "_selected_action": [draft.pk, in_review.pk]}
    )
    assert "审核意见" in page.content.decode()
    response = admin_client_.post(
        url,
        {
            "action": "workflow_approve",
            "_selected_action": [draft.pk, in_review.pk],
            "comment": "同意",
            "apply": "1",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "已入库 1 个项目" in text
    assert "当前为“草稿”" in text
    draft.refresh_from_db()
    in_review.refresh_from_db()
    assert draft.library_status == LibraryStatus.DRAFT
    assert in_review.library_status == LibraryStatus.APPROVED


def test_projects_queryset_state_methods(xining):
    statuses = [LibraryStatus.DRAFT, LibraryStatus.SUBMITTED, LibraryStatus.APPROVED]
    for s in statuses:
        make_project(xining, s)
    assert Project.objects.in_library().count() == 1
    assert Project.objects.drafts().count() == 1
    assert Project.objects.awaiting_review().count() == 1


def test_admin_add_goes_through_the_service(admin_client_, xining):
    from apps.reference.models import Region, Sector

    url = reverse("admin:projects_project_add")
    data = {
        "name": "管理员新建项目",
        "tier": "prefecture",
        "region": Region.objects.get(name="西宁市").pk,
        "sector": Sector.objects.get(code="water").pk,
        "responsible_unit": xining.pk,
        "total_investment": "8",
        "library_status": "approved",
        **{f"{prefix}-TOTAL_FORMS": 0 for prefix in ("review_events", "stage_changes")},
        **{f"{prefix}-INITIAL_FORMS": 0 for prefix in ("review_events", "stage_changes")},
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    p = Project.objects.get(name="管理员新建项目")
    assert p.library_status == LibraryStatus.DRAFT
    assert list(p.stage_changes.values_list("to_stage", flat=True)) == ["planning"]
