"""Home widgets: lead-unit staff see what is left to enter; everyone the indicators behind."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.indicators import selectors


def widgets(request) -> list[dict]:
    user = request.user
    year = selectors.default_year()
    out = []
    to_enter = selectors.measures_with_year(selectors.measures_for_entry(user), year=year)
    total = to_enter.count()
    if total:
        missing = to_enter.filter(year_value__isnull=True).count()
        out.append(
            {
                "title": _("%(year)s年指标监测值待填报") % {"year": year},
                "value": missing,
                "unit": _("/ %(total)s 项") % {"total": total},
                "url": f"{reverse('indicators:entry')}?year={year}",
                "icon": "pencil-square",
                "note": _("本单位牵头的监测项"),
            }
        )
    summary = selectors.indicator_status_summary(year=year, user=user)
    if summary["indicator_total"]:
        out.append(
            {
                "title": _("十四五指标滞后（%(year)s年）") % {"year": year},
                "value": summary["indicators"]["behind"],
                "unit": _("/ %(indicator_total)s 项")
                % {"indicator_total": summary["indicator_total"]},
                "url": f"{reverse('indicators:board')}?year={year}&status=behind",
                "icon": "speedometer2",
                "note": _("无数据 %(no_data)s 项") % {"no_data": summary["indicators"]["no_data"]},
            }
        )
    return out
