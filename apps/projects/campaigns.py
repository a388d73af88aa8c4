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
* ``open_campaign(user, year)`` — the campaign owner (省发展改革委, the administrator) opens the
  next year's campaign from the latest one; idempotent and audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import permissions as policy
from apps.core.periods import date_label
from apps.projects.models import Campaign, CampaignBatch, CampaignMilestone, LibraryStatus, Project
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


PHASE_LABELS = {
    "upcoming": gettext_lazy("筹备中"),
    "running": gettext_lazy("进行中"),
    "ended": gettext_lazy("已结束"),
}


def standing(campaign: Campaign | None, today: dt.date | None = None) -> dict[str, Any]:
    """Where a (shown) campaign stands on ``today``, as the review queue and the cockpit say
    it: is_current (this year's), phase_label ("" without a campaign)."""
    today = today or timezone.localdate()
    return {
        "campaign_is_current": campaign is not None and campaign.year == today.year,
        "campaign_phase": PHASE_LABELS[phase(campaign, today)] if campaign else "",
    }


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
        _("%(number)s谋划提出截止（%(proposal_deadline)s）已过")
        % {
            "number": chosen.get_number_display(),
            "proposal_deadline": date_label(chosen.proposal_deadline),
        }
        if chosen is not None
        else _("%(name)s各批次谋划提出截止日期已过") % {"name": campaign.name}
    )
    if campaign.late_policy == Campaign.LatePolicy.REFUSE:
        raise ValidationError(
            _("%(late)s，按本行动规定不予受理。") % {"late": late}, code="late_proposal"
        )
    if batch is not None:
        project.batch = batch.number
        return _("%(late)s，转入%(number)s。") % {
            "late": late,
            "number": batch.get_number_display(),
        }
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
        return _("%(late)s，且尚无下一批次或下一年度谋划行动，按常态化增补受理（不计入批次）。") % {
            "late": late
        }
    project.campaign = following
    project.batch = next_batch.number
    return _("%(late)s，转入%(name)s%(number)s。") % {
        "late": late,
        "name": following.name,
        "number": next_batch.get_number_display(),
    }


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


# --- opening next year's campaign (roll-over) ----------------------------------------------

ROLLED_OVER = gettext_lazy("开启下一年度谋划行动")


def _same_day_in(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February into a common year
        return day.replace(year=year, day=28)


def _name_for(source: Campaign, year: int) -> str:
    marker = f"（{source.year}年）"
    if marker in source.name:
        return source.name.replace(marker, f"（{year}年）")
    return f"{source.name}（{year}年）"


def openable_years(today: dt.date | None = None) -> list[int]:
    """The years a campaign may be opened for: the coming year, and this year while it has no
    campaign (001's calendar starts on 1/20, so a year can start without one)."""
    today = today or timezone.localdate()
    years = [today.year + 1]
    if not Campaign.objects.filter(year=today.year, is_demo=False).exists():
        years.insert(0, today.year)
    return years


@transaction.atomic
def open_campaign(*, user: Any, year: int, today: dt.date | None = None) -> tuple[Campaign, bool]:
    """Open ``year``'s 谋划行动 from the latest earlier one (001 is yearly): its batches and
    milestones on the same month/day, its targets, total goal, rules and conditions of entry.

    Idempotent: when ``year`` already has a (non-demo) campaign it is returned unchanged
    (``created`` False). Only the provincial campaign owner may do it (policy
    ``may_run_campaigns``); each created row is recorded in the audit trail with the user.
    """
    if not policy.may_run_campaigns(user):
        raise PermissionDenied(_("只有省发展改革委（审核员）或系统管理员可以开启年度谋划行动。"))
    today = today or timezone.localdate()
    allowed = openable_years(today)
    existing = Campaign.objects.filter(year=year, is_demo=False).order_by("pk").first()
    if existing is not None:
        return existing, False
    if year not in allowed:
        raise ValidationError(
            {
                "year": _("只能开启%(join)s的谋划行动，不能开启%(year)s年的。")
                % {"join": "或".join(f"{y}年" for y in allowed), "year": year}
            }
        )
    source = (
        Campaign.objects.select_for_update()
        .filter(year__lt=year, is_demo=False)
        .order_by("-year", "-pk")
        .first()
    )
    if source is None:
        raise ValidationError(
            {"year": _("没有%(year)s年以前的谋划行动可沿用，请在管理后台录入。") % {"year": year}}
        )
    # Locked the source: a second click racing this one waits, then finds the new campaign.
    again = Campaign.objects.filter(year=year, is_demo=False).order_by("pk").first()
    if again is not None:
        return again, False

    def audited(obj):
        obj._history_user = user
        obj._change_reason = ROLLED_OVER
        obj.save()
        return obj

    campaign = audited(
        Campaign(
            name=_name_for(source, year),
            year=year,
            source=source.source,
            note=(
                f"由{source.name}顺延开启（{today:%Y-%m-%d}）：批次截止、行动节点沿用"
                "上一年的月日，目标和入库条件沿用上一年；本年度方案另有安排的，请在管理后台调整。"
            ),
            total_goal=source.total_goal,
            total_goal_wording=source.total_goal_wording,
            late_policy=source.late_policy,
            reminder_days=source.reminder_days,
        )
    )
    for b in source.batches.all():
        audited(
            CampaignBatch(
                campaign=campaign,
                number=b.number,
                proposal_deadline=_same_day_in(b.proposal_deadline, year),
                screening_deadline=_same_day_in(b.screening_deadline, year),
                library_deadline=_same_day_in(b.library_deadline, year),
            )
        )
    for m in source.milestones.all():
        audited(
            CampaignMilestone(
                campaign=campaign,
                kind=m.kind,
                due_on=_same_day_in(m.due_on, year),
                wording=m.wording,
                audience=m.audience,
            )
        )
    for t in source.targets.all():
        t.pk, t.id, t.campaign = None, None, campaign
        audited(t)
    for c in source.entry_criteria.filter(is_active=True):
        c.pk, c.id, c.campaign = None, None, campaign
        audited(c)
    return campaign, True
