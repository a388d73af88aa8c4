"""Home widgets: a unit sees its contracts still to report; everyone the fair's rates."""

from django.urls import reverse

from apps.contracts import selectors
from apps.contracts.models import Contract, ContractReport, Fair
from apps.core import permissions as policy
from apps.core.periods import current_period, period_label


def widgets(request) -> list[dict]:
    user = request.user
    fair = Fair.objects.order_by("-held_on", "-document_date", "-pk").first()
    if fair is None:
        return []
    period = current_period()
    if fair.first_period and period < fair.first_period:
        period = fair.first_period
    out = []
    if policy.may_change_own_unit(user):
        mine = Contract.objects.filter(fair=fair, responsible_unit=user.organization_id)
        total = mine.count()
        if total:
            filed = ContractReport.objects.filter(contract__in=mine, period=period).count()
            out.append(
                {
                    "title": f"{fair.short_name}{period_label(period)}月报待报",
                    "value": total - filed,
                    "unit": f"/ {total} 项",
                    "url": f"{reverse('contracts:report')}?fair={fair.pk}&month={period:%Y-%m}",
                    "icon": "pencil-square",
                    "note": "本单位负责的签约项目，每月5日前报送",
                }
            )
    if policy.sees_everything(user):
        overall = selectors.rates(fair=fair, period=period)
        rate, target = overall["fulfillment_rate"], overall["target"]
        out.append(
            {
                "title": f"{fair.short_name}履约率（{period_label(period)}）",
                "value": "—" if rate is None else f"{rate * 100:.1f}",
                "unit": "%",
                "url": f"{reverse('contracts:rates')}?fair={fair.pk}&month={period:%Y-%m}",
                "icon": "graph-up",
                "note": (
                    f"目标 {target['fulfillment'] * 100:.0f}%，开工率 "
                    f"{(overall['start_rate'] or 0) * 100:.1f}%，资金到位率 "
                    f"{(overall['funding_rate'] or 0) * 100:.1f}%"
                )
                if target
                else "",
            }
        )
    return out
