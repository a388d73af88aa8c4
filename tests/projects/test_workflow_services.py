"""The library workflow as a state machine, through the service layer.

Every (action, starting status, role) is tried: the allowed ones move the project and leave a
review event; the refused ones change nothing and say why.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import Role
from apps.projects import services
from apps.projects.models import LibraryStatus, Project, ProjectReviewEvent, ReviewAction
from apps.projects.workflow import TRANSITIONS
from tests.projects.factories import fill_checklist, make_project

pytestmark = pytest.mark.django_db

ALL_STATUSES = list(LibraryStatus)
ALL_ACTIONS = list(ReviewAction)

# role key → may take owner steps (submit/resubmit), may take reviewer steps
ROLES = {
    "staff_own": (True, False),
    "staff_other": (False, False),
    "reviewer": (False, True),
    "leader": (False, False),
    "coordinator": (False, False),
    "api_client": (False, False),
    "admin": (True, True),
}

EXPECTED_TARGET = {
    ReviewAction.SUBMIT: {LibraryStatus.DRAFT: LibraryStatus.SUBMITTED},
    ReviewAction.RESUBMIT: {LibraryStatus.RETURNED: LibraryStatus.SUBMITTED},
    ReviewAction.WITHDRAW: {LibraryStatus.SUBMITTED: LibraryStatus.DRAFT},
    ReviewAction.START_REVIEW: {LibraryStatus.SUBMITTED: LibraryStatus.IN_REVIEW},
    ReviewAction.APPROVE: {LibraryStatus.IN_REVIEW: LibraryStatus.APPROVED},
    ReviewAction.RETURN: {LibraryStatus.IN_REVIEW: LibraryStatus.RETURNED},
    ReviewAction.REJECT: {LibraryStatus.IN_REVIEW: LibraryStatus.REJECTED},
    ReviewAction.REMOVE: {LibraryStatus.APPROVED: LibraryStatus.REMOVED},
}


@pytest.fixture
def actors(make_user, xining, haidong, ndrc, org):
    return {
        "staff_own": make_user(Role.STAFF, xining, username="w_staff_own"),
        "staff_other": make_user(Role.STAFF, haidong, username="w_staff_other"),
        "reviewer": make_user(Role.REVIEWER, ndrc, username="w_reviewer"),
        "leader": make_user(Role.LEADER, None, username="w_leader"),
        "coordinator": make_user(Role.COORDINATOR, org("省工业和信息化厅"), username="w_coord"),
        "api_client": make_user(Role.API_CLIENT, None, username="w_api"),
        "admin": make_user(Role.ADMIN, None, username="w_admin", is_superuser=True),
    }


def test_the_transition_table_is_exactly_the_issue_state_machine():
    got = {a: {s: TRANSITIONS[a].target for s in TRANSITIONS[a].sources} for a in TRANSITIONS}
    assert got == EXPECTED_TARGET


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("status", ALL_STATUSES, ids=[s.value for s in ALL_STATUSES])
def test_every_transition_from_every_status_for_every_role(actors, xining, role, status):
    project = make_project(xining, status, checklist=True)
    user = actors[role]
    owner_ok, reviewer_ok = ROLES[role]
    for action in ALL_ACTIONS:
        step = TRANSITIONS[action]
        role_ok = reviewer_ok if step.by_reviewer else owner_ok
        state_ok = status in step.sources
        events_before = ProjectReviewEvent.objects.filter(project=project).count()
        comment = "理由：测试"
        if role_ok and state_ok:
            services.transition(user=user, project=project, action=action, comment=comment)
            project.refresh_from_db()
            assert project.library_status == EXPECTED_TARGET[action][status]
            event = ProjectReviewEvent.objects.filter(project=project).latest("at", "id")
            assert (event.action, event.from_status, event.to_status) == (
                action,
                status,
                EXPECTED_TARGET[action][status],
            )
            assert event.actor == user and event.comment == comment
            # Put it back for the next action (a fresh project in the same status).
            project = make_project(xining, status, checklist=True)
            continue
        expected_exc = PermissionDenied if not role_ok else services.TransitionNotAllowed
        with pytest.raises(expected_exc) as info:
            services.transition(user=user, project=project, action=action, comment=comment)
        message = str(info.value)
        if role_ok:
            assert f"当前为“{LibraryStatus(status).label}”" in message
        else:
            assert ("审核员" in message) if step.by_reviewer else ("本单位" in message)
        project.refresh_from_db()
        assert project.library_status == status
        assert ProjectReviewEvent.objects.filter(project=project).count() == events_before


def test_full_journey_records_who_when_and_comments(staff_xining, reviewer, xining):
    p = make_project(xining, user=staff_xining)
    services.submit_project(user=staff_xining, project=p, comment="请审核")
    services.start_review(user=reviewer, project=p, comment="组织专家论证")
    services.return_project(user=reviewer, project=p, comment="请补充资金来源")
    assert p.library_status == LibraryStatus.RETURNED
    services.update_project(
        user=staff_xining,
        project=p,
        data={"fund_central_budget": p.total_investment / 2},
        version=p.version,
    )
    services.submit_project(user=staff_xining, project=p, comment="已补充")
    services.start_review(user=reviewer, project=p)
    fill_checklist(p, reviewer)
    services.approve_project(user=reviewer, project=p, comment="符合入库条件")
    p.refresh_from_db()
    assert p.library_status == LibraryStatus.APPROVED
    assert p.approved_on is not None
    trail = list(p.review_events.values_list("action", "actor__username", "comment"))
    assert trail == [
        ("submit", "t_staff_xining", "请审核"),
        ("start_review", "t_reviewer", "组织专家论证"),
        ("return", "t_reviewer", "请补充资金来源"),
        ("resubmit", "t_staff_xining", "已补充"),
        ("start_review", "t_reviewer", ""),
        ("approve", "t_reviewer", "符合入库条件"),
    ]
    services.remove_project(user=reviewer, project=p, comment="前期工作难以推进")
    assert Project.objects.removed().filter(pk=p.pk).exists()


def test_approving_a_merely_submitted_project_says_to_start_review_first(reviewer, xining):
    p = make_project(xining, LibraryStatus.SUBMITTED)
    with pytest.raises(services.TransitionNotAllowed, match="请先“开始审核”"):
        services.approve_project(user=reviewer, project=p)


@pytest.mark.parametrize("action", ["return", "reject", "remove"])
def test_return_reject_and_remove_need_a_reason(reviewer, xining, action):
    status = LibraryStatus.APPROVED if action == "remove" else LibraryStatus.IN_REVIEW
    p = make_project(xining, status)
    with pytest.raises(ValidationError) as info:
        services.transition(user=reviewer, project=p, action=action, comment="  ")
    assert "理由" in str(info.value.message_dict["comment"])
    p.refresh_from_db()
    assert p.library_status == status


def test_submission_needs_construction_content(staff_xining, xining):
    p = make_project(xining, user=staff_xining, scale_content="")
    with pytest.raises(ValidationError, match="建设规模及内容"):
        services.submit_project(user=staff_xining, project=p)


def test_status_cannot_be_set_directly(xining):
    p = make_project(xining)
    p.library_status = LibraryStatus.APPROVED
    with pytest.raises(ValueError, match="只能通过审核流程"):
        p.save()
    with pytest.raises(ValueError, match="草稿"):
        Project(
            name="直接入库",
            tier="county",
            region=p.region,
            sector=p.sector,
            responsible_unit=xining,
            total_investment=1,
            library_status=LibraryStatus.APPROVED,
        ).save()


def test_services_refuse_status_in_data(staff_xining, xining):
    with pytest.raises(ValidationError, match="library_status"):
        services.create_project(
            user=staff_xining,
            data={"responsible_unit": xining, "library_status": "approved", "name": "x"},
        )


@pytest.mark.parametrize(
    ("status", "editable"),
    [
        (LibraryStatus.DRAFT, True),
        (LibraryStatus.SUBMITTED, False),
        (LibraryStatus.IN_REVIEW, False),
        (LibraryStatus.APPROVED, True),
        (LibraryStatus.RETURNED, True),
        (LibraryStatus.REJECTED, False),
        (LibraryStatus.REMOVED, False),
    ],
)
def test_staff_edit_only_outside_review(staff_xining, xining, status, editable):
    p = make_project(xining, status)
    data = {"name": "改名后的项目"}
    if editable:
        services.update_project(user=staff_xining, project=p, data=data, version=p.version)
        p.refresh_from_db()
        assert p.name == "改名后的项目"
    else:
        with pytest.raises(ValidationError, match="不能修改"):
            services.update_project(user=staff_xining, project=p, data=data, version=p.version)


def test_stale_version_is_refused(staff_xining, xining):
    p = make_project(xining, user=staff_xining)
    stale = p.version
    services.update_project(user=staff_xining, project=p, data={"name": "第一次"}, version=stale)
    with pytest.raises(ValidationError, match="已被其他用户修改"):
        services.update_project(
            user=staff_xining,
            project=Project.objects.get(pk=p.pk),
            data={"name": "x"},
            version=stale,
        )


def test_staff_cannot_create_or_edit_for_another_unit(staff_xining, haidong, xining):
    from tests.projects.factories import project_data

    with pytest.raises(PermissionDenied):
        services.create_project(user=staff_xining, data=project_data(haidong))
    p = make_project(xining, user=staff_xining)
    with pytest.raises(PermissionDenied):
        services.update_project(
            user=staff_xining, project=p, data={"responsible_unit": haidong}, version=p.version
        )


def test_code_is_optional_but_unique_when_given(staff_xining, xining):
    make_project(xining, user=staff_xining, code="")
    make_project(xining, user=staff_xining, code="")
    make_project(xining, user=staff_xining, code="2203-630000-04-01-123452")
    with pytest.raises(ValidationError, match="项目代码"):
        make_project(xining, user=staff_xining, code="2203-630000-04-01-123452")


def test_county_projects_lie_in_a_county(staff_xining, xining):
    from apps.reference.models import Region

    with pytest.raises(ValidationError, match="县级项目"):
        make_project(
            xining, user=staff_xining, tier="county", region=Region.objects.get(name="西宁市")
        )
    p = make_project(
        xining, user=staff_xining, tier="county", region=Region.objects.get(short_name="湟中区")
    )
    assert p.prefecture.name == "西宁市"


def test_head_project_needs_its_liaison_leader(staff_xining, xining):
    with pytest.raises(ValidationError, match="包联省领导"):
        make_project(xining, user=staff_xining, is_head_project=True)


def test_funding_sources_cannot_exceed_total(staff_xining, xining):
    from decimal import Decimal

    with pytest.raises(ValidationError, match="超过总投资"):
        make_project(
            xining,
            user=staff_xining,
            total_investment=Decimal("10"),
            fund_central_budget=Decimal("6"),
            fund_bank_loans=Decimal("5"),
        )


@pytest.mark.parametrize(
    ("total", "label"),
    [("150", "百亿项目"), ("100", "百亿项目"), ("99.9999", "十亿项目"), ("10", "十亿项目"),
     ("1", "亿元项目"), ("0.5", "亿元以下")],
)  # fmt: skip
def test_size_class_is_derived(staff_xining, xining, total, label):
    from decimal import Decimal

    p = make_project(
        xining,
        user=staff_xining,
        total_investment=Decimal(total),
        planned_investment_year=None,
        plan_year=None,
    )
    assert p.get_size_class_display() == label
    annotated = Project.objects.with_size_class().get(pk=p.pk)
    assert annotated.size_class_code == p.size_class


def test_take_step_dispatches_by_action_and_submit_resubmits_a_returned_project(
    staff_xining, reviewer, xining
):
    p = make_project(xining, user=staff_xining)
    services.take_step(user=staff_xining, project=p, action="submit", comment="请审核")
    services.take_step(user=reviewer, project=p, action=ReviewAction.START_REVIEW)
    services.take_step(user=reviewer, project=p, action=ReviewAction.RETURN, comment="补充")
    assert p.library_status == LibraryStatus.RETURNED
    services.take_step(user=staff_xining, project=p, action="submit", comment="已补充")
    assert p.library_status == LibraryStatus.SUBMITTED
    assert list(
        ProjectReviewEvent.objects.filter(project=p).order_by("at", "pk").values_list("action")
    ) == [
        (ReviewAction.SUBMIT,),
        (ReviewAction.START_REVIEW,),
        (ReviewAction.RETURN,),
        (ReviewAction.RESUBMIT,),
    ]
    with pytest.raises(ValidationError):
        services.take_step(user=staff_xining, project=p, action="nonsense")
