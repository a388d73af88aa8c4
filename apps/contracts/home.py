"""Home widgets: a unit sees its contracts still to report; everyone the fair's rates."""

from django.urls import reverse
from django.utils.translation import gettext as _

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
                    "title": _("%(short_name)s%(period_label)s月报待报")
                    % {"short_name": fair.short_name, "period_label": period_label(period)},
                    "value": total - filed,
                    "unit": _("/ %(total)s 项") % {"total": total},
                    "url": f"{reverse('contracts:report')}?fair={fair.pk}&month={period:%Y-%m}",
                    "icon": "pencil-square",
                    "note": _("本单位负责的签约项目，每月5日前报送"),
                }
            )
    if policy.sees_everything(user):
        overall = selectors.rates(fair=fair, period=period)
        rate, target = overall["fulfillment_rate"], overall["target"]
        out.append(
            {
                "title": _("%(short_name)s履约率（%(period_label)s）")
                % {"short_name": fair.short_name, "period_label": period_label(period)},
                "value": "—" if rate is None else f"{rate * 100:.1f}",
                "unit": "%",
                "url": f"{reverse('contracts:rates')}?fair={fair.pk}&month={period:%Y-%m}",
                "icon": "graph-up",
                "note": (
                    _("目标 %(value)s%%，开工率 %(value2)s%%，资金到位率 %(value3)s%%")
                    % {
                        "value": format(target["fulfillment"] * 100, ".0f"),
                        "value2": format((overall["start_rate"] or 0) * 100, ".1f"),
                        "value3": format((overall["funding_rate"] or 0) * 100, ".1f"),
                    }
                )
                if target
                else "",
            }
        )
    return out
