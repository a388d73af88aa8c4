"""The closed loop of 督办: transitions, who may act, extensions, overdue (12345 rules, 003)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.concurrency import ConcurrentEditError
from apps.tasks import selectors, services
from apps.tasks.models import Assignment, AssignmentEvent, ExtensionRequest
from tests.tasks.factories import TaskFactory, make_assignments

pytestmark = pytest.mark.django_db

D = dt.date
S = Assignment.Status


@pytest.fixture
def task(xining, haidong):
    """西宁 leads, 海东 participates; due 2026-09-30, the eve of the National Day holiday."""
    return TaskFactory(lead=[xining], participating=[haidong])


@pytest.fixture
def assignments(task):
    return make_assignments(task)


@pytest.fixture
def lead_a(assignments, xining):
    return assignments[xining.pk]


@pytest.fixture
def part_a(assignments, haidong):
    return assignments[haidong.pk]


def kinds(assignment):
    return list(assignment.events.order_by("at", "pk").values_list("kind", flat=True))


def test_full_loop_records_who_did_what(lead_a, staff_xining, coordinator):
    a = services.start_assignment(assignment=lead_a, user=staff_xining, expected_version=1)
    assert (a.status, a.version) == (S.IN_PROGRESS, 2)
    report = services.report_progress(
        assignment=a,
        user=staff_xining,
        text="已完成方案初稿。",
        attachment=SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test", "application/pdf"),
    )
    assert report.attachment_name.endswith(".pdf")
    a = services.submit_assignment(assignment=a, user=staff_xining, comment="方案已印发。")
    assert a.status == S.SUBMITTED
    a = services.accept_assignment(assignment=a, user=coordinator, comment="同意办结。")
    assert a.status == S.ACCEPTED
    assert kinds(a) == ["assigned", "started", "progress", "submitted", "accepted"]
    accepted = a.events.get(kind="accepted")
    assert (accepted.actor, accepted.from_status, accepted.to_status) == (
        coordinator,
        S.SUBMITTED,
        S.ACCEPTED,
    )
    assert a.history.count() >= 4  # every save is in the audit trail


def test_first_progress_report_starts_the_assignment(part_a, staff_haidong):
    services.report_progress(assignment=part_a, user=staff_haidong, text="已召开专题会。")
    part_a.refresh_from_db()
    assert part_a.status == S.IN_PROGRESS
    assert kinds(part_a) == ["assigned", "started", "progress"]


def test_steps_cannot_be_skipped(lead_a, staff_xining, coordinator):
    with pytest.raises(ValidationError, match="不能执行此操作"):
        services.submit_assignment(assignment=lead_a, user=staff_xining, comment="完成")
    with pytest.raises(ValidationError, match="不能执行此操作"):
        services.accept_assignment(assignment=lead_a, user=coordinator)
    lead_a.refresh_from_db()
    assert lead_a.status == S.ASSIGNED


def test_a_stale_version_is_refused(lead_a, staff_xining):
    services.start_assignment(assignment=lead_a, user=staff_xining, expected_version=1)
    lead_a.refresh_from_db()
    services.report_progress(assignment=lead_a, user=staff_xining, text="进展")
    services.submit_assignment(
        assignment=lead_a, user=staff_xining, comment="完成", expected_version=2
    )
    with pytest.raises(ConcurrentEditError):
        services.submit_assignment(
            assignment=lead_a, user=staff_xining, comment="完成", expected_version=2
        )


# --- unit staff act only on their own unit's assignments --------------------------------------


def test_unit_staff_report_only_on_tasks_their_unit_leads_or_participates_in(
    task, lead_a, part_a, staff_xining, staff_haidong, make_user, org
):
    # 西宁 leads, 海东 participates: each reports on its own assignment.
    services.report_progress(assignment=lead_a, user=staff_xining, text="牵头单位进展")
    services.report_progress(assignment=part_a, user=staff_haidong, text="参加单位进展")
    # Neither may report on the other's assignment, even as the task's lead unit.
    with pytest.raises(PermissionDenied):
        services.report_progress(assignment=part_a, user=staff_xining, text="代报")
    with pytest.raises(PermissionDenied):
        services.report_progress(assignment=lead_a, user=staff_haidong, text="代报")
    # A unit with no part in the task may not report at all.
    outsider = make_user("staff", org("海西州政府"), username="t_staff_haixi")
    with pytest.raises(PermissionDenied):
        services.report_progress(assignment=lead_a, user=outsider, text="无关")
    with pytest.raises(PermissionDenied):
        services.request_extension(
            assignment=lead_a, user=outsider, working_days=1, reason="无关", today=D(2026, 9, 1)
        )
    assert lead_a.reports.count() == 1 and part_a.reports.count() == 1


def test_leaders_cannot_report(lead_a, leader):
    with pytest.raises(PermissionDenied):
        services.report_progress(assignment=lead_a, user=leader, text="领导")


# --- acceptance -------------------------------------------------------------------------------


def _submitted(assignment, user):
    services.start_assignment(assignment=assignment, user=user)
    return services.submit_assignment(assignment=assignment, user=user, comment="已完成")


def test_lead_unit_accepts_its_participating_units_but_not_itself(
    lead_a, part_a, staff_xining, staff_haidong, coordinator
):
    _submitted(part_a, staff_haidong)
    _submitted(lead_a, staff_xining)
    # The participating unit may not accept anything; the lead unit not its own work.
    with pytest.raises(PermissionDenied):
        services.accept_assignment(assignment=part_a, user=staff_haidong)
    with pytest.raises(PermissionDenied):
        services.accept_assignment(assignment=lead_a, user=staff_xining)
    with pytest.raises(PermissionDenied):
        services.accept_assignment(assignment=lead_a, user=staff_haidong)
    assert services.accept_assignment(assignment=part_a, user=staff_xining).status == S.ACCEPTED
    assert services.accept_assignment(assignment=lead_a, user=coordinator).status == S.ACCEPTED


def test_return_for_redo_gives_ten_working_days(lead_a, staff_xining, coordinator):
    _submitted(lead_a, staff_xining)
    with pytest.raises(ValidationError, match="退回理由"):
        services.return_assignment(assignment=lead_a, user=coordinator, comment="")
    # Returned on Wed 2026-09-23, a week before the due date: the redo runs 10 working days,
    # skipping 中秋 (9-25..27) and 国庆 (10-1..7), counting the make-up Saturday 10-10:
    # 9-24, 9-28, 9-29, 9-30, 10-8, 10-9, 10-10, 10-12, 10-13, 10-14.
    a = services.return_assignment(
        assignment=lead_a, user=coordinator, comment="材料不全，请补充。", today=D(2026, 9, 23)
    )
    assert (a.status, a.due_date) == (S.RETURNED, D(2026, 10, 14))
    a = services.start_assignment(assignment=a, user=staff_xining)
    a = services.submit_assignment(assignment=a, user=staff_xining, comment="已补充")
    assert a.status == S.SUBMITTED
    assert kinds(a)[-4:] == ["submitted", "returned", "started", "submitted"]


# --- extensions (延期申请) ---------------------------------------------------------------------


def test_extension_across_national_day_and_the_ten_day_limit(lead_a, staff_xining, coordinator):
    before_due = D(2026, 9, 28)
    ext = services.request_extension(
        assignment=lead_a, user=staff_xining, working_days=6, reason="需征求意见", today=before_due
    )
    assert ext.status == ExtensionRequest.Status.PENDING
    with pytest.raises(ValidationError, match="待审批"):
        services.request_extension(
            assignment=lead_a, user=staff_xining, working_days=1, reason="再延", today=before_due
        )
    # Unit staff cannot approve, not even for their own unit.
    with pytest.raises(PermissionDenied):
        services.decide_extension(extension=ext, user=staff_xining, approve=True)
    ext = services.decide_extension(extension=ext, user=coordinator, approve=True)
    lead_a.refresh_from_db()
    # 9-30 + 6 working days: 10-1..10-7 off; 10-8, 10-9, 10-10 (make-up Sat), 10-12, 10-13, 10-14.
    assert lead_a.due_date == ext.due_date_after == D(2026, 10, 14)
    assert lead_a.extension_days == 6
    with pytest.raises(ValidationError, match="累计延期不得超过10个工作日") as exc:
        services.request_extension(
            assignment=lead_a, user=staff_xining, working_days=5, reason="再延", today=before_due
        )
    assert "最多还可申请4个工作日" in str(exc.value)
    ext2 = services.request_extension(
        assignment=lead_a, user=staff_xining, working_days=4, reason="再延", today=before_due
    )
    services.decide_extension(extension=ext2, user=coordinator, approve=True)
    lead_a.refresh_from_db()
    assert lead_a.extension_days == 10
    assert lead_a.due_date == D(2026, 10, 20)
    with pytest.raises(ValidationError, match="最多还可申请0个工作日"):
        services.request_extension(
            assignment=lead_a, user=staff_xining, working_days=1, reason="又延", today=before_due
        )


@pytest.mark.parametrize("days", [0, 11])
def test_extension_must_be_one_to_ten_working_days(lead_a, staff_xining, days):
    with pytest.raises(ValidationError, match="累计延期不得超过10个工作日"):
        services.request_extension(
            assignment=lead_a,
            user=staff_xining,
            working_days=days,
            reason="理由",
            today=D(2026, 9, 1),
        )


def test_extension_is_requested_by_the_due_date_at_the_latest(lead_a, staff_xining):
    services.request_extension(
        assignment=lead_a, user=staff_xining, working_days=2, reason="理由", today=D(2026, 9, 30)
    ).delete()
    with pytest.raises(ValidationError, match="时限届满当日"):
        services.request_extension(
            assignment=lead_a,
            user=staff_xining,
            working_days=2,
            reason="理由",
            today=D(2026, 10, 1),
        )


def test_rejecting_needs_a_reason_and_keeps_the_due_date(lead_a, staff_xining, coordinator):
    ext = services.request_extension(
        assignment=lead_a, user=staff_xining, working_days=3, reason="理由", today=D(2026, 9, 1)
    )
    with pytest.raises(ValidationError, match="不予批准的理由"):
        services.decide_extension(extension=ext, user=coordinator, approve=False)
    services.decide_extension(extension=ext, user=coordinator, approve=False, comment="理由不充分")
    lead_a.refresh_from_db()
    assert (lead_a.due_date, lead_a.extension_days) == (D(2026, 9, 30), 0)
    assert kinds(lead_a)[-1] == AssignmentEvent.Kind.EXTENSION_REJECTED
    # A rejected request does not count against the limit.
    services.request_extension(
        assignment=lead_a, user=staff_xining, working_days=10, reason="理由", today=D(2026, 9, 2)
    )


def test_continuous_tasks_need_no_extension(xining, staff_xining):
    task = TaskFactory(lead=[xining], deadline_text="持续推进", due_date=None, is_continuous=True)
    a = make_assignments(task)[xining.pk]
    with pytest.raises(ValidationError, match="持续推进"):
        services.request_extension(
            assignment=a, user=staff_xining, working_days=1, reason="理由", today=D(2026, 9, 1)
        )


# --- overdue ----------------------------------------------------------------------------------


def test_overdue_when_past_due_and_not_accepted(
    task, lead_a, part_a, staff_xining, staff_haidong, coordinator
):
    mine = {lead_a.pk, part_a.pk}

    def overdue_on(day):
        return {a.pk for a in selectors.overdue_assignments(day)} & mine

    assert overdue_on(D(2026, 9, 30)) == set()  # due today: not yet overdue
    assert overdue_on(D(2026, 10, 1)) == mine
    _submitted(part_a, staff_haidong)
    assert overdue_on(D(2026, 10, 1)) == mine  # submitted but not accepted: still overdue
    services.accept_assignment(assignment=part_a, user=staff_xining)
    assert overdue_on(D(2026, 10, 1)) == {lead_a.pk}
    # An approved extension moves the assignment out of the overdue list.
    ext = services.request_extension(
        assignment=lead_a, user=staff_xining, working_days=2, reason="理由", today=D(2026, 9, 30)
    )
    services.decide_extension(extension=ext, user=coordinator, approve=True)
    assert overdue_on(D(2026, 10, 1)) == set()
    assert overdue_on(D(2026, 10, 10)) == {lead_a.pk}  # new due date 10-09


def test_status_summary_counts_in_sql(lead_a, part_a, staff_xining, django_assert_max_num_queries):
    services.start_assignment(assignment=lead_a, user=staff_xining)
    with django_assert_max_num_queries(4):
        summary = selectors.task_status_summary(D(2026, 10, 1))
    assert summary["by_status"]["in_progress"] >= 1
    test_doc = next(s for s in summary["per_source"] if s["code"] == "T01")
    assert (test_doc["tasks"], test_doc["assignments"], test_doc["overdue"]) == (1, 2, 2)
    seeded_004 = next(s for s in summary["per_source"] if s["code"] == "004")
    assert (seeded_004["tasks"], seeded_004["assignments"]) == (229, 1627)
    units = {row["unit_name"]: row["overdue"] for row in selectors.overdue_units(D(2026, 10, 1))}
    assert units["西宁市政府"] >= 1


def test_an_attachment_of_a_refused_type_saves_nothing(lead_a, staff_xining):
    with pytest.raises(ValidationError) as exc:
        services.report_progress(
            assignment=lead_a,
            user=staff_xining,
            text="附上程序。",
            attachment=SimpleUploadedFile("工具.exe", b"MZ", "application/octet-stream"),
        )
    assert "不支持的文件类型" in str(exc.value.message_dict["attachment"])
    assert not lead_a.reports.exists()
    lead_a.refresh_from_db()
    assert lead_a.status == S.ASSIGNED
