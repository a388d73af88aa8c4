"""催办: coordinators and reviewers urge the units that owe a month's reports.

From the reporting-status pages (contracts: one fair's ledger; projects: the library's
monthly 调度), one click per unit or for all late units. A unit is urged at most once per day
per subject — the ``Urge`` row is unique on (unit, subject, day) and is inserted before the
notification in one transaction, so a double click or a second coordinator sends nothing more.
Urges are audited (simple-history) and counted per unit and month (``urge_counts``), which the
rankings show next to the unit's 月报及时率.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import permissions as policy
from apps.core.periods import period_due, period_label
from apps.notifications.models import Kind, Urge
from apps.notifications.services import notify_unit
from apps.reference.models import Organization

S = Urge.Subject


@dataclass
class LateUnit:
    organization: Organization
    items: int  # reports owed
    contracts: int = 0  # what the unit reports on (contracts or library projects)
    urges: int = 0  # times urged for this period
    urged_today: bool = False
    last_urged: dt.date | None = None


@dataclass
class UrgeResult:
    sent: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    not_late: list[int] = field(default_factory=list)


def late_units(*, subject: str, period: dt.date, fair: Any = None) -> list[LateUnit]:
    """Units owing ``period``'s reports (contracts of ``fair`` or library projects), with
    how often they were urged for it — three queries."""
    if subject == S.CONTRACTS:
        from apps.contracts.selectors import reporting_status

        rows = [r for r in reporting_status(fair=fair, period=period) if r["missing"]]
        orgs = Organization.objects.in_bulk([r["unit_id"] for r in rows])
        units = [
            LateUnit(orgs[r["unit_id"]], items=r["missing"], contracts=r["contracts"]) for r in rows
        ]
    elif subject == S.PROJECTS:
        from apps.projects.selectors import projects_missing_monthly_update

        counts = (
            projects_missing_monthly_update(period)
            .order_by()
            .values("responsible_unit")
            .annotate(n=Count("pk"))
        )
        by_unit = {r["responsible_unit"]: r["n"] for r in counts}
        orgs = Organization.objects.in_bulk(list(by_unit))
        units = sorted(
            (LateUnit(orgs[pk], items=n, contracts=n) for pk, n in by_unit.items()),
            key=lambda u: u.organization.name,
        )
    else:
        raise ValidationError(_("未知的催办事项“%(subject)s”。") % {"subject": subject})
    stats = _urge_stats(subject=subject, period=period, fair=fair)
    today = timezone.localdate()
    for unit in units:
        count, last = stats.get(unit.organization.pk, (0, None))
        unit.urges, unit.last_urged, unit.urged_today = count, last, last == today
    return units


def _urge_stats(*, subject: str, period: dt.date, fair: Any) -> dict[int, tuple[int, Any]]:
    qs = Urge.objects.filter(subject=subject, period=period)
    if fair is not None:
        qs = qs.filter(fair=fair)
    return {
        r["organization"]: (r["n"], r["last"])
        for r in qs.values("organization").annotate(n=Count("pk"), last=Max("on"))
    }


def urge_counts(*, period: dt.date | None = None, periods=None) -> dict[int, int]:
    """Times each unit was urged (any subject) for the month(s): unit id → count."""
    qs = Urge.objects.all()
    if period is not None:
        qs = qs.filter(period=period)
    if periods is not None:
        qs = qs.filter(period__in=list(periods))
    return dict(qs.order_by().values_list("organization").annotate(n=Count("pk")))


def _message(subject: str, unit: LateUnit, period: dt.date, fair: Any) -> tuple[str, str, str]:
    label = period_label(period)
    due = period_due(period)
    late = timezone.localdate() > due
    state = "已逾期" if late else f"将于{due.month}月{due.day}日截止"
    if subject == S.CONTRACTS:
        what = f"{fair}签约项目月报"
        url = reverse("contracts:report") + f"?fair={fair.pk}&month={period:%Y-%m}"
    else:
        what = "项目月度调度"
        url = reverse("projects:monthly") + f"?period={period:%Y-%m}"
    title = f"催办：请尽快报送{label}{what}"
    body = (
        f"{unit.organization.name}：贵单位尚有 {unit.items} 个项目未报送{label}{what}（{state}），"
        "请立即填报。本次催办已记录，计入单位月报及时情况。"
    )
    return title, body, url


def urge(
    *,
    user: Any,
    subject: str,
    period: dt.date,
    organizations: list[int] | None = None,
    fair: Any = None,
) -> UrgeResult:
    """Urge the given late units (``None``: all late units). Units already urged today for
    this subject are skipped; units not late are refused quietly (they are listed)."""
    if subject == S.CONTRACTS and fair is None:
        raise ValidationError(_("请指定签约台账。"))
    coordinating = getattr(fair, "coordinating_unit", None) if subject == S.CONTRACTS else None
    if not policy.may_urge(user, coordinating):
        raise PermissionDenied(_("只有牵头协调单位或审核员可以催办。"))
    late = {u.organization.pk: u for u in late_units(subject=subject, period=period, fair=fair)}
    wanted = list(late) if organizations is None else list(dict.fromkeys(organizations))
    result = UrgeResult()
    today = timezone.localdate()
    for org_id in wanted:
        unit = late.get(org_id)
        if unit is None:
            result.not_late.append(org_id)
            continue
        try:
            with transaction.atomic():
                record, created = Urge.objects.get_or_create(
                    organization=unit.organization,
                    subject=subject,
                    on=today,
                    defaults={
                        "period": period,
                        "fair": fair if subject == S.CONTRACTS else None,
                        "urged_by": user if getattr(user, "pk", None) else None,
                        "missing": unit.items,
                    },
                )
                if not created:
                    result.already.append(org_id)
                    continue
                title, body, url = _message(subject, unit, period, fair)
                sent = notify_unit(
                    organization=unit.organization,
                    kind=Kind.URGE,
                    title=title,
                    body=body,
                    url=url,
                    event_key=f"urge:{record.pk}",
                )
                # update(): the count is bookkeeping, not a second step in the audit trail.
                Urge.objects.filter(pk=record.pk).update(recipients=len(sent))
        except IntegrityError:  # a concurrent click inserted the same day's row first
            result.already.append(org_id)
            continue
        result.sent.append(org_id)
    return result
