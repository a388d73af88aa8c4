"""Campaigns as behaviour (001 项目谋划攻坚专项行动, one a year).

* ``deadlines(campaign)`` — the campaign's calendar: 1/20 方案, 1/31 专班, each batch's 谋划提出 /
  筛选论证 / 入库 deadlines, 6/30 总结报告 (milestones and batches are data).
* ``current_campaign(today)`` — the campaign of today's year (the pages show it); None when the
  year has none (the pages then say so and name the latest one instead).
* ``route_proposal(project, on)`` — a proposal submitted after its batch's 谋划提出 deadline goes
  to the next open batch (or the next year's campaign), or is refused: the campaign's
  ``late_policy`` says which. With no batch left anywhere it is received as an ordinary
  proposal (the library is also rolled outside campaigns), no longer counted in a batch.
* ``due_reminders(today)`` — which deadlines are within the campaign's reminder window.
* ``overdue_by_prefecture(campaign, today)`` — per 市州: proposals past the 筛选论证 deadline still
  not in review, and past the 入库 deadline still undecided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from apps.projects.models import Campaign, CampaignBatch, LibraryStatus, Project
from apps.reference.models import Region


@dataclass(frozen=True)
class Deadline:
    on: dt.date
    kind: str
    label: str
    batch: int | None = None
    audience: str = ""
    wording: str = ""


BATCH_STEPS = (
    ("proposal", "proposal_deadline", "谋划提出", "省级各行业部门、各地区"),
    ("screening", "screening_deadline", "筛选论证", "省发展改革委"),
    ("library", "library_deadline", "入库", "省发展改革委"),
)


def deadlines(campaign: Campaign) -> list[Deadline]:
    out = [
        Deadline(m.due_on, m.kind, m.get_kind_display(), None, m.audience, m.wording)
        for m in campaign.milestones.all()
    ]
    for b in campaign.batches.all():
        for kind, field, label, audience in BATCH_STEPS:
            out.append(
                Deadline(
                    getattr(b, field),
                    kind,
                    f"{b.get_number_display()}{label}",
                    b.number,
                    audience,
                )
            )
    # Same day (6/30): the batch's 入库 before the campaign's 总结报告.
    return sorted(out, key=lambda d: (d.on, d.batch is None, d.batch or 0))


def period(campaign: Campaign) -> tuple[dt.date, dt.date] | None:
    days = [d.on for d in deadlines(campaign)]
    return (min(days), max(days)) if days else None


def phase(campaign: Campaign, today: dt.date | None = None) -> str:
    """'upcoming' before its first deadline's year starts, 'running' until its last deadline,
    'ended' after it."""
    today = today or timezone.localdate()
    span = period(campaign)
    if span is None:
        return "running" if campaign.year == today.year else "ended"
    if today < dt.date(campaign.year, 1, 1):
        return "upcoming"
    return "running" if today <= span[1] else "ended"


PHASE_LABELS = {"upcoming": "筹备中", "running": "进行中", "ended": "已结束"}


def current_campaign(today: dt.date | None = None) -> Campaign | None:
    """The campaign of today's year (a demo campaign only when no real one exists)."""
    today = today or timezone.localdate()
    return (
        Campaign.objects.filter(year=today.year)
        .prefetch_related("batches", "milestones")
        .order_by("is_demo", "-pk")
        .first()
    )


def latest_campaign(today: dt.date | None = None) -> Campaign | None:
    today = today or timezone.localdate()
    return (
        Campaign.objects.filter(year__lte=today.year)
        .prefetch_related("batches", "milestones")
        .order_by("-year", "is_demo", "-pk")
        .first()
    )


def open_batch(campaign: Campaign, on: dt.date) -> CampaignBatch | None:
    """The first batch of the campaign still open for proposals on ``on``."""
    return campaign.batches.filter(proposal_deadline__gte=on).order_by("number").first()


def route_proposal(project: Project, on: dt.date) -> str:
    """Put a submitted proposal in the batch it can still make; refuse it if the campaign says
    late proposals are refused. Returns a note for the review trail ("" when nothing moved).

    A project outside any campaign is not routed (the library is also rolled outside them).
    """
    campaign = project.campaign
    if campaign is None:
        return ""
    chosen = campaign.batches.filter(number=project.batch).first() if project.batch else None
    if chosen is not None and chosen.proposal_deadline >= on:
        return ""
    batch = open_batch(campaign, on)
    if chosen is None and batch is not None:
        project.batch = batch.number
        return ""
    late = (
        f"{chosen.get_number_display()}谋划提出截止（{chosen.proposal_deadline:%Y年%m月%d日}）已过"
        if chosen is not None
        else f"{campaign.name}各批次谋划提出截止日期已过"
    )
    if campaign.late_policy == Campaign.LatePolicy.REFUSE:
        raise ValidationError(f"{late}，按本行动规定不予受理。", code="late_proposal")
    if batch is not None:
        project.batch = batch.number
        return f"{late}，转入{batch.get_number_display()}。"
    following = (
        Campaign.objects.filter(year__gt=campaign.year, is_demo=campaign.is_demo)
        .order_by("year")
        .first()
    )
    next_batch = open_batch(following, on) if following else None
    if next_batch is None:
        # No batch left anywhere: the library is also rolled outside campaigns (增补), so the
        # proposal is received as an ordinary one, no longer counted in the campaign's batches.
        project.campaign = None
        project.batch = None
        return f"{late}，且尚无下一批次或下一年度谋划行动，按常态化增补受理（不计入批次）。"
    project.campaign = following
    project.batch = next_batch.number
    return f"{late}，转入{following.name}{next_batch.get_number_display()}。"


def due_reminders(today: dt.date | None = None) -> list[tuple[Campaign, dt.date, list[Deadline]]]:
    """Deadlines of the current campaign due within its reminder window, grouped by date."""
    today = today or timezone.localdate()
    campaign = current_campaign(today)
    if campaign is None:
        return []
    horizon = today + dt.timedelta(days=campaign.reminder_days)
    by_day: dict[dt.date, list[Deadline]] = {}
    for d in deadlines(campaign):
        if today <= d.on <= horizon:
            by_day.setdefault(d.on, []).append(d)
    return [(campaign, day, items) for day, items in sorted(by_day.items())]


def overdue_by_prefecture(campaign: Campaign, today: dt.date | None = None) -> list[dict]:
    """Per 市州 (counties rolled up): proposals of the campaign past a batch deadline.

    * ``unscreened`` — still 已提交 (not taken into 专家论证) after the batch's 筛选论证 deadline;
    * ``undecided`` — still 已提交/审核中 after the batch's 入库 deadline.
    One aggregate query; rows for all 8 市州 in their order.
    """
    today = today or timezone.localdate()
    unscreened = Q(pk__in=[])
    undecided = Q(pk__in=[])
    for b in campaign.batches.all():
        if b.screening_deadline < today:
            unscreened |= Q(batch=b.number, library_status=LibraryStatus.SUBMITTED)
        if b.library_deadline < today:
            undecided |= Q(
                batch=b.number,
                library_status__in=[LibraryStatus.SUBMITTED, LibraryStatus.IN_REVIEW],
            )
    counts = {
        r["prefecture_id"]: r
        for r in Project.objects.filter(campaign=campaign)
        .with_prefecture()
        .order_by()
        .values("prefecture_id")
        .annotate(
            unscreened=Count("pk", filter=unscreened),
            undecided=Count("pk", filter=undecided),
        )
    }
    rows = []
    for region in Region.objects.filter(level=Region.Level.PREFECTURE):
        r = counts.get(region.pk, {})
        rows.append(
            {
                "region": region,
                "unscreened": r.get("unscreened", 0),
                "undecided": r.get("undecided", 0),
            }
        )
    return rows
