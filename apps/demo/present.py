"""A demo that lives in today (issue 11 point 6), only in demo mode.

The seeded documents stay as the seeds say (past their periods: 总结评估). Demo mode adds,
relative to the day it is loaded, and marked as demo everywhere:

* a current-year 谋划行动 on 001's calendar (``Campaign.is_demo``), its targets copied from 001;
* a current task list (``SourceDocument.is_demo``, code ``DEMO``) of 12 tasks handed to real
  units with deadlines around today — some overdue, some due within days, some done (with a
  satisfaction judgement), one with an extension pending, one returned for redo;
* indicator monitoring values for 2021–2025 (``MeasureValue.is_demo``, shown as 演示), drawn
  along each measure's path so the lights light in every colour.

Loading again on another day rebuilds the demo task list and campaign for that day, so the
demo never ages; ``remove_demo_projects`` deletes all of it (and nothing real).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core import events
from apps.core.calendar import add_working_days
from apps.tasks.models import (
    Assignment,
    AssignmentEvent,
    ExtensionRequest,
    SourceDocument,
    Task,
)

DEMO_CODE = "DEMO"
UNITS = [
    "西宁市政府",
    "海东市政府",
    "海西州政府",
    "海南州政府",
    "省交通运输厅",
    "省水利厅",
    "省能源局",
    "省自然资源厅",
]
# (task text, days from today to the due date, what has happened)
TASKS = [
    ("组织开展年度重大项目谋划储备情况梳理，形成项目清单。", -40, "accepted"),
    ("推进重点项目前期工作，完成可行性研究报告编制。", -25, "overdue"),
    ("开展项目用地、用林、用草等要素保障情况调度。", -12, "overdue_started"),
    ("报送第四季度重大项目投资完成情况。", -5, "accepted_late"),
    ("完成年度专项债券项目申报材料审核。", 2, "in_progress"),
    ("组织重点项目集中开工活动准备工作。", 4, "extension_pending"),
    ("梳理项目建设中需协调解决的困难问题并提出建议。", 6, "submitted"),
    ("开展项目谋划专家论证会。", 9, "returned"),
    ("更新项目库入库项目进度信息。", 14, "assigned"),
    ("编制下一年度重大项目建设计划（初稿）。", 30, "assigned"),
    ("推进政策性开发性金融工具项目签约落地。", 45, "in_progress"),
    ("持续做好重大项目“跑部”对接工作。", None, "continuous"),
]


def _units():
    from apps.reference.models import Organization, normalize_unit_name

    index = Organization.objects.name_index()
    return [index[normalize_unit_name(n)] for n in UNITS if normalize_unit_name(n) in index]


def remove_demo_documents() -> int:
    docs = SourceDocument.objects.filter(is_demo=True)
    n = Assignment.objects.filter(task__source__in=docs).count()
    Task.objects.filter(source__in=docs).delete()
    docs.delete()
    return n


def load_demo_tasks(*, today: dt.date | None = None) -> str:
    """Rebuild the demo task list around ``today``; returns a one-line summary."""
    if not settings.DEMO_MODE:
        return "未加载（非演示模式）"
    today = today or timezone.localdate()
    with events.quiet(), transaction.atomic():
        remove_demo_documents()
        doc = SourceDocument.objects.create(
            code=DEMO_CODE,
            short_name="演示任务清单",
            title=f"{today.year}年重大项目推进重点任务（演示）",
            doc_number="演示数据",
            issued_on=today - dt.timedelta(days=60),
            sort_order=0,
            period_start=today - dt.timedelta(days=60),
            period_end=dt.date(today.year + 1, 6, 30),
            period_note=f"演示数据：按加载日期 {today:%Y-%m-%d} 生成，期限围绕当日。",
            is_demo=True,
        )
        from apps.reference.models import Organization

        ndrc = Organization.objects.resolve("省发展改革委")
        if ndrc is not None:
            doc.supervising_units.set([ndrc])
        units = _units()
        made = 0
        for number, (text, offset, fate) in enumerate(TASKS, start=1):
            due = None if offset is None else today + dt.timedelta(days=offset)
            task = Task.objects.create(
                source=doc,
                number=number,
                content=text,
                lead_text="、".join(u.name for u in units[number % 3 : number % 3 + 2]),
                deadline_text=f"{due:%Y年%m月%d日}前" if due else "持续推进",
                due_date=due,
                is_continuous=due is None,
            )
            leads = units[number % 3 : number % 3 + 2]
            task.lead_units.set(leads)
            for unit in leads:
                _assignment(task, unit, fate, today, doc.issued_on)
                made += 1
    return f"演示任务清单 {len(TASKS)} 项、分解 {made} 项（截至 {today:%Y-%m-%d}）"


def _event(a: Assignment, kind: str, at: dt.date, comment: str = "", **kw) -> None:
    AssignmentEvent.objects.create(
        assignment=a,
        kind=kind,
        to_status=a.status,
        at=timezone.make_aware(dt.datetime.combine(at, dt.time(10))),
        comment=comment,
        **kw,
    )


def _assignment(task: Task, unit, fate: str, today: dt.date, issued: dt.date) -> None:
    S, K = Assignment.Status, AssignmentEvent.Kind
    a = Assignment.objects.create(
        task=task,
        unit=unit,
        role=Assignment.Role.LEAD,
        due_date=task.due_date,
        assigned_on=issued,
    )
    _event(a, K.ASSIGNED, issued, "演示交办")
    due = task.due_date
    updates: dict = {}
    if fate in ("accepted", "accepted_late"):
        done = due - dt.timedelta(days=3) if fate == "accepted" else due + dt.timedelta(days=2)
        updates = dict(
            status=S.ACCEPTED,
            submitted_on=done,
            submitted_in_time=done <= due,
            accepted_on=done + dt.timedelta(days=1),
            satisfaction="satisfied" if fate == "accepted" else "basically",
        )
    elif fate in ("in_progress", "overdue_started"):
        updates = dict(status=S.IN_PROGRESS)
    elif fate == "submitted":
        updates = dict(status=S.SUBMITTED, submitted_on=today, submitted_in_time=True)
    elif fate == "returned":
        updates = dict(status=S.RETURNED, due_date=add_working_days(today - dt.timedelta(2), 10))
    elif fate == "extension_pending":
        updates = dict(status=S.IN_PROGRESS)
    Assignment.objects.filter(pk=a.pk).update(**updates)
    a.refresh_from_db()
    if a.status != S.ASSIGNED:
        _event(a, K.STARTED, issued + dt.timedelta(days=5), "演示：开始办理")
    if fate == "extension_pending":
        ExtensionRequest.objects.create(
            assignment=a,
            working_days=5,
            reason="演示：涉及多个部门会签，需延期5个工作日。",
            due_date_before=a.due_date,
        )
        _event(a, K.EXTENSION_REQUESTED, today - dt.timedelta(days=1), "演示：申请延期5个工作日")


# --- a current-year campaign --------------------------------------------------------------


def load_demo_campaign(*, today: dt.date | None = None) -> str:
    """This year's 谋划行动 on 001's calendar (is_demo), rebuilt for the year it is loaded in."""
    from apps.projects.models import Campaign, CampaignBatch, CampaignMilestone

    if not settings.DEMO_MODE:
        return "未加载（非演示模式）"
    today = today or timezone.localdate()
    model = Campaign.objects.filter(is_demo=False).order_by("-year").first()
    if model is None:
        return "未加载（缺少 001 谋划行动）"
    with transaction.atomic():
        Campaign.objects.filter(is_demo=True).exclude(year=today.year).delete()
        if Campaign.objects.filter(is_demo=True, year=today.year).exists():
            return f"演示谋划行动（{today.year}年）已存在"
        demo = Campaign.objects.create(
            name=f"青海省项目谋划攻坚专项行动（{today.year}年，演示）",
            year=today.year,
            source=model.source,
            note=f"演示数据：按 001 的时间安排生成的{today.year}年行动。",
            total_goal=model.total_goal,
            total_goal_wording=model.total_goal_wording,
            late_policy=model.late_policy,
            is_demo=True,
        )

        def moved(day: dt.date) -> dt.date:
            return day.replace(year=today.year)

        for b in model.batches.all():
            CampaignBatch.objects.create(
                campaign=demo,
                number=b.number,
                proposal_deadline=moved(b.proposal_deadline),
                screening_deadline=moved(b.screening_deadline),
                library_deadline=moved(b.library_deadline),
            )
        for m in model.milestones.all():
            CampaignMilestone.objects.create(
                campaign=demo,
                kind=m.kind,
                due_on=moved(m.due_on),
                wording=m.wording,
                audience=m.audience,
            )
        for t in model.targets.all():
            t.pk = None
            t.campaign = demo
            t.save()
        # The conditions of entry (001 五(三)) are the campaign's checklist too.
        for c in model.entry_criteria.all():
            c.pk = None
            c.campaign = demo
            c.save()
    return f"演示谋划行动（{today.year}年）已生成"


# --- indicator monitoring values 2021–2025 -------------------------------------------------

DEMO_YEARS = range(2021, 2026)


def load_demo_indicator_values(*, seed: int = 20211231) -> str:
    """Values for 2021–2025 along each measure's path, some ahead, some behind (is_demo).

    Values already entered by a unit are never touched; the status is derived by the same
    rule as for entered values (apps.indicators.services.status_for).
    """
    from apps.indicators.models import Measure, MeasureValue
    from apps.indicators.services import effective_base, status_for

    if not settings.DEMO_MODE:
        return "未加载（非演示模式）"
    rng = random.Random(seed)
    taken = set(MeasureValue.objects.values_list("measure_id", "year"))
    rows = []
    for m in Measure.objects.all().order_by("pk"):
        pace = rng.choice([Decimal("1.1"), Decimal("1.0"), Decimal("0.85"), Decimal("0.6")])
        for year in DEMO_YEARS:
            if (m.pk, year) in taken or year not in m.years:
                continue
            value = _demo_value(m, year, pace, rng)
            if value is None:
                continue
            base = effective_base(m)
            rows.append(
                MeasureValue(
                    measure=m,
                    year=year,
                    value=value,
                    note="演示数据",
                    is_demo=True,
                    status=status_for(m, year=year, value=value, base=base),
                )
            )
    MeasureValue.objects.bulk_create(rows, batch_size=500)
    return f"演示指标监测值 {len(rows)} 条（2021—2025年，标注“演示”）"


def _demo_value(m, year: int, pace: Decimal, rng: random.Random) -> Decimal | None:
    from apps.indicators.choices import Direction

    if m.direction == Direction.NATIONAL_QUOTA:
        return Decimal(1) if pace >= 1 or rng.random() < 0.7 else Decimal(0)
    if m.direction == Direction.QUALITATIVE:
        share = Decimal(year - 2020) / Decimal(5) * pace
        return min(Decimal(100), (share * 100).quantize(Decimal("1")))
    if m.target_value is None:
        return None
    target = m.target_value
    base = m.base_value if m.base_value is not None else target * Decimal("0.8")
    if m.yearly:
        return (target * pace).quantize(Decimal("0.01"))
    share = min(Decimal(1), Decimal(year - 2020) / Decimal(5) * pace)
    return (base + (target - base) * share).quantize(Decimal("0.01"))
