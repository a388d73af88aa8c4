"""The monthly rhythm (seed 002): reports due by the 5th, late units chased, coordinators told.

* On the 1st (``stage="due"``) and again on the 4th (``stage="last_call"``) every unit that
  owes this month's report — the report for the previous month, due on the 5th — is reminded:
  its 填报员 in their inbox and by email, its group robot if it has one.
* From the 6th each coordinating unit's coordinators get the list of units still overdue for
  the ledgers they coordinate; the project library's list goes to the reviewers (省发展改革委
  runs the library's monthly 调度).
* Overdue task assignments: the unit is chased once a week while any is overdue.

Idempotency is a database fact, not a cache: a ``ReminderRecord`` unique on (unit, kind,
period) is inserted in the same transaction as the notifications, before any delivery is
queued (deliveries go out on commit). A second run, or a second worker racing the first,
finds the record and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.core.periods import current_period, period_due, period_label
from apps.notifications.models import Kind, ReminderRecord
from apps.notifications.services import notify, unit_recipients
from apps.reference.models import Organization

logger = logging.getLogger(__name__)

STAGES = {
    "due": (Kind.PROJECT_UPDATE_DUE, Kind.CONTRACT_REPORT_DUE),
    "last_call": (Kind.PROJECT_UPDATE_LAST_CALL, Kind.CONTRACT_REPORT_LAST_CALL),
}


@dataclass
class Owed:
    """One unit's missing reports: how many items, and per ledger where that matters."""

    organization: Organization
    items: int = 0
    ledgers: list[dict[str, Any]] = field(default_factory=list)


def _link(*names: str, query: str = "", fallback: str = "/") -> str:
    """The first of the named pages that exists (apps mount their own URLs), with a query."""
    for name in names:
        try:
            return reverse(name) + (f"?{query}" if query else "")
        except NoReverseMatch:
            continue
    return fallback


def _day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


# --- who owes what ------------------------------------------------------------------------------


def project_units_owing(period: dt.date) -> dict[int, Owed]:
    """Units with in-library projects and no monthly update (调度) for ``period``."""
    from apps.projects.selectors import (
        projects_missing_monthly_update,
        units_missing_monthly_update,
    )

    counts = dict(
        projects_missing_monthly_update(period)
        .order_by()
        .values_list("responsible_unit")
        .annotate(n=Count("pk"))
    )
    return {
        org.pk: Owed(org, items=counts.get(org.pk, 0))
        for org in units_missing_monthly_update(period)
    }


def reporting_fairs(period: dt.date):
    """Live ledgers whose reporting window holds ``period`` (none outside it: 002's window
    ends in May 2018, so the 2017 fair is never chased in 2026)."""
    from apps.contracts.selectors import reporting_fairs as fairs

    return fairs(period)


def contract_units_owing(period: dt.date, fairs=None) -> dict[int, Owed]:
    """Units with contracts lacking this period's report, across the fairs' ledgers."""
    from apps.contracts.selectors import reporting_status, units_missing_report

    owing: dict[int, Owed] = {}
    for fair in fairs if fairs is not None else reporting_fairs(period):
        status = {r["unit_id"]: r for r in reporting_status(fair=fair, period=period)}
        for org in units_missing_report(fair=fair, period=period):
            row = status.get(org.pk, {})
            missing = row.get("missing", 0)
            entry = owing.setdefault(org.pk, Owed(org))
            entry.items += missing
            entry.ledgers.append(
                {
                    "fair_id": fair.pk,
                    "fair": str(fair),
                    "missing": missing,
                    "contracts": row.get("contracts", 0),
                }
            )
    return owing


# --- sending once -------------------------------------------------------------------------------


def send_once(
    *,
    organization: Organization,
    kind: str,
    period: dt.date,
    recipients: list[User],
    title: str,
    body: str,
    url: str,
    detail: dict[str, Any] | None = None,
    group: bool = True,
) -> bool:
    """Send one reminder unless (organization, kind, period) was already sent. True if sent.

    The record is inserted first, in the transaction that creates the notifications; a
    concurrent run blocks on the unique index until this one commits, then finds the row.
    """
    with transaction.atomic():
        record, created = ReminderRecord.objects.get_or_create(
            organization=organization,
            kind=kind,
            period=period,
            defaults={"detail": detail or {}, "sent_at": timezone.now()},
        )
        if not created:
            return False
        sent = notify(
            recipients=recipients,
            kind=kind,
            title=title,
            body=body,
            url=url,
            organization=organization,
            reminder=record,
            group=group,
        )
        record.recipients = len(sent)
        record.save(update_fields=["recipients"])
    return True


def _has_audience(organization: Organization, recipients: list[User]) -> bool:
    return bool(recipients) or bool(organization.webhook_url)


# --- the jobs -------------------------------------------------------------------------------------


def send_report_reminders(*, stage: str = "due", today: dt.date | None = None) -> dict[str, Any]:
    """Remind every unit that owes this month's report (1st: ``due``; 4th: ``last_call``)."""
    if stage not in STAGES:
        raise ValueError(f"unknown reminder stage {stage!r}")
    today = today or timezone.localdate()
    period = current_period(today)
    due = period_due(period)
    counts: Counter[str] = Counter()
    result: dict[str, Any] = {"period": f"{period:%Y-%m}", "stage": stage}
    if today > due:
        # Past the due day it is no longer a reminder but an overdue case (the digest's job).
        logger.info("report reminders (%s) skipped: %s is past the due day %s", stage, today, due)
        return {**result, "skipped": "past_due"}
    project_kind, contract_kind = STAGES[stage]
    again = "【再次提醒】" if stage == "last_call" else ""
    label = period_label(period)

    for owed in project_units_owing(period).values():
        org = owed.organization
        recipients = list(unit_recipients(org))
        if not _has_audience(org, recipients):
            counts["no_recipients"] += 1
            continue
        sent = send_once(
            organization=org,
            kind=project_kind,
            period=period,
            recipients=recipients,
            title=f"{again}请于{_day(due)}前报送{label}项目调度信息",
            body=(
                f"{org.name}：贵单位有 {owed.items} 个入库项目尚未报送{label}月度调度"
                f"（本月完成投资、项目进展、困难问题），请于{due.year}年{_day(due)}前在平台填报。"
            ),
            url=_link("projects:monthly", query=f"period={period:%Y-%m}", fallback="/projects/"),
            detail={"projects": owed.items},
        )
        counts["project_sent" if sent else "project_already_sent"] += 1

    for owed in contract_units_owing(period).values():
        org = owed.organization
        recipients = list(unit_recipients(org))
        if not _has_audience(org, recipients):
            counts["no_recipients"] += 1
            continue
        ledgers = "；".join(f"{x['fair']}（{x['missing']}个项目未报）" for x in owed.ledgers)
        first_fair = owed.ledgers[0]["fair_id"] if owed.ledgers else None
        sent = send_once(
            organization=org,
            kind=contract_kind,
            period=period,
            recipients=recipients,
            title=f"{again}请于{_day(due)}前报送{label}签约项目月报",
            body=(
                f"{org.name}：贵单位尚未报送{label}签约项目进展（履约、开工、资金到位、存在问题）。"
                f"{ledgers}。请于{due.year}年{_day(due)}前报送牵头协调单位。"
            ),
            url=_link(
                "contracts:report",
                query=f"fair={first_fair}&month={period:%Y-%m}",
                fallback="/contracts/",
            ),
            detail={"ledgers": owed.ledgers},
        )
        counts["contract_sent" if sent else "contract_already_sent"] += 1
    return {**result, **counts}


def send_overdue_digests(*, today: dt.date | None = None) -> dict[str, Any]:
    """After the due day: each coordinator gets the units still overdue for their ledgers;
    the reviewers get the library's overdue units."""
    today = today or timezone.localdate()
    period = current_period(today)
    due = period_due(period)
    result: dict[str, Any] = {"period": f"{period:%Y-%m}"}
    if today <= due:
        logger.info("overdue digests skipped: %s is not past the due day %s", today, due)
        return {**result, "skipped": "not_overdue_yet"}
    counts: Counter[str] = Counter()
    label = period_label(period)

    # Contract ledgers → the coordinating unit of each fair.
    per_coordinator: dict[int, list[tuple[Any, list[Owed]]]] = defaultdict(list)
    coordinators: dict[int, Organization] = {}
    for fair in reporting_fairs(period):
        owing = list(contract_units_owing(period, fairs=[fair]).values())
        if owing:
            per_coordinator[fair.coordinating_unit_id].append((fair, owing))
            coordinators[fair.coordinating_unit_id] = fair.coordinating_unit
    for org_id, ledgers in per_coordinator.items():
        org = coordinators[org_id]
        recipients = list(
            User.objects.filter(role=Role.COORDINATOR, organization=org, is_active=True)
        )
        if not _has_audience(org, recipients):
            counts["no_recipients"] += 1
            continue
        units = {o.organization.pk for _, owing in ledgers for o in owing}
        lines = [
            f"{fair}：{len(owing)}个单位未报——"
            + "、".join(f"{o.organization.name}（{o.items}个项目）" for o in owing)
            for fair, owing in ledgers
        ]
        sent = send_once(
            organization=org,
            kind=Kind.CONTRACT_OVERDUE_DIGEST,
            period=period,
            recipients=recipients,
            title=f"{label}签约项目月报逾期未报单位（{len(units)}个）",
            body=f"截至{_day(due)}报送期限，以下单位尚未报送{label}签约项目月报，请督促：\n"
            + "\n".join(lines),
            url=_link(
                "contracts:status",
                query=f"fair={ledgers[0][0].pk}&month={period:%Y-%m}",
                fallback="/contracts/",
            ),
            detail={
                "ledgers": [
                    {
                        "fair_id": fair.pk,
                        "fair": str(fair),
                        "units": [
                            {
                                "id": o.organization.pk,
                                "name": o.organization.name,
                                "missing": o.items,
                            }
                            for o in owing
                        ],
                    }
                    for fair, owing in ledgers
                ]
            },
        )
        counts["contract_digest_sent" if sent else "contract_digest_already_sent"] += 1

    # The project library → the reviewers (grouped by their organisation).
    owing = list(project_units_owing(period).values())
    if owing:
        reviewers: dict[int, list[User]] = defaultdict(list)
        for user in User.objects.filter(
            role=Role.REVIEWER, is_active=True, organization__isnull=False
        ).select_related("organization"):
            reviewers[user.organization_id].append(user)
        body = (
            f"截至{_day(due)}报送期限，以下{len(owing)}个单位尚未报送{label}项目调度信息：\n"
            + "、".join(f"{o.organization.name}（{o.items}个项目）" for o in owing)
        )
        for users in reviewers.values():
            sent = send_once(
                organization=users[0].organization,
                kind=Kind.PROJECT_OVERDUE_DIGEST,
                period=period,
                recipients=users,
                title=f"{label}项目调度逾期未报单位（{len(owing)}个）",
                body=body,
                url=_link(
                    "projects:monthly", query=f"period={period:%Y-%m}", fallback="/projects/"
                ),
                detail={
                    "units": [
                        {"id": o.organization.pk, "name": o.organization.name, "missing": o.items}
                        for o in owing
                    ]
                },
                group=False,
            )
            counts["project_digest_sent" if sent else "project_digest_already_sent"] += 1
    return {**result, **counts}


def escalate_overdue_tasks(*, today: dt.date | None = None) -> dict[str, Any]:
    """Chase each unit with overdue task assignments, at most once a week (督办)."""
    today = today or timezone.localdate()
    week = today - dt.timedelta(days=today.weekday())
    per_unit: dict[int, list[Any]] = defaultdict(list)
    units: dict[int, Organization] = {}
    from apps.tasks.selectors import overdue_assignments

    for a in overdue_assignments(today=today).order_by("unit__name", "due_date", "pk"):
        per_unit[a.unit_id].append(a)
        units[a.unit_id] = a.unit
    counts: Counter[str] = Counter()
    for unit_id, assignments in per_unit.items():
        org = units[unit_id]
        recipients = list(unit_recipients(org))
        if not _has_audience(org, recipients):
            counts["no_recipients"] += 1
            continue
        shown = assignments[:10]
        lines = [f"{a.task}（截止{a.due_date:%Y-%m-%d}）" for a in shown]
        if len(assignments) > len(shown):
            lines.append(f"……共{len(assignments)}项")
        sent = send_once(
            organization=org,
            kind=Kind.TASK_OVERDUE,
            period=week,
            recipients=recipients,
            title=f"督办：贵单位有{len(assignments)}项任务已逾期",
            # 12345 (五): an extension is asked before the deadline, so none can be asked now.
            body="以下任务已过截止日期仍未办结，请抓紧办理并报送进展"
            "（延期申请须在时限届满当日前提出，逾期后不能再申请延期）：\n" + "\n".join(lines),
            url=_link("tasks:mine", query="overdue=true", fallback="/tasks/"),
            detail={"assignments": [a.pk for a in assignments]},
        )
        counts["sent" if sent else "already_sent"] += 1
    return {"week": f"{week:%Y-%m-%d}", "units": len(per_unit), **counts}


# Batch steps the reviewers (省发展改革委) carry; every other step falls to the 市州 and 部门.
REVIEWER_STEPS = {"screening", "library"}


def send_campaign_reminders(*, today: dt.date | None = None) -> dict[str, Any]:
    """Before each deadline of the current campaign (within its ``reminder_days``): the 市州
    governments and provincial departments for 方案/专班/谋划提出/总结报告, the reviewers for
    筛选论证/入库. Once per unit and deadline day (ReminderRecord period = the deadline).
    No campaign this year, or none of its deadlines near: nothing is sent.
    """
    from apps.projects.campaigns import due_reminders

    today = today or timezone.localdate()
    counts: Counter[str] = Counter()
    due = due_reminders(today)
    for campaign, day, items in due:
        unit_items = [d for d in items if d.kind not in REVIEWER_STEPS]
        review_items = [d for d in items if d.kind in REVIEWER_STEPS]
        left = (day - today).days
        when = f"{day.year}年{_day(day)}" + ("（今日截止）" if left == 0 else f"（还有{left}天）")
        url = _link("projects:review", "projects:list", fallback="/projects/")
        if unit_items:
            orgs = Organization.objects.filter(
                kind__in=[
                    Organization.Kind.PREFECTURE_GOVERNMENT,
                    Organization.Kind.PROVINCIAL_DEPARTMENT,
                ],
                is_active=True,
            ).order_by("name")
            steps = "、".join(d.label for d in unit_items)
            for org in orgs:
                recipients = list(unit_recipients(org))
                if not _has_audience(org, recipients):
                    continue
                sent = send_once(
                    organization=org,
                    kind=Kind.CAMPAIGN_DEADLINE,
                    period=day,
                    recipients=recipients,
                    title=f"{campaign.name}：{steps}将于{_day(day)}截止",
                    body=f"{org.name}：{campaign.name}的“{steps}”完成时间为{when}前，请按时完成。",
                    url=_link("projects:list", fallback="/projects/"),
                    detail={"campaign": campaign.pk, "steps": [d.kind for d in unit_items]},
                )
                counts["unit_sent" if sent else "unit_already_sent"] += 1
        if review_items:
            reviewers: dict[int, list[User]] = defaultdict(list)
            for user in User.objects.filter(
                role=Role.REVIEWER, is_active=True, organization__isnull=False
            ).select_related("organization"):
                reviewers[user.organization_id].append(user)
            steps = "、".join(d.label for d in review_items)
            for users in reviewers.values():
                sent = send_once(
                    organization=users[0].organization,
                    kind=Kind.CAMPAIGN_DEADLINE,
                    period=day,
                    recipients=users,
                    title=f"{campaign.name}：{steps}将于{_day(day)}截止",
                    body=f"{campaign.name}的“{steps}”完成时间为{when}前，请及时完成审核。",
                    url=url,
                    detail={"campaign": campaign.pk, "steps": [d.kind for d in review_items]},
                    group=False,
                )
                counts["review_sent" if sent else "review_already_sent"] += 1
    return {"date": f"{today:%Y-%m-%d}", "deadlines": sum(len(i) for _, _, i in due), **counts}
