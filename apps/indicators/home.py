"""Home widgets: lead-unit staff see what is left to enter; everyone the indicators behind."""

from django.urls import reverse

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
                "title": f"{year}年指标监测值待填报",
                "value": missing,
                "unit": f"/ {total} 项",
                "url": f"{reverse('indicators:entry')}?year={year}",
                "icon": "pencil-square",
                "note": "本单位牵头的监测项",
            }
        )
    summary = selectors.indicator_status_summary(year=year, user=user)
    if summary["indicator_total"]:
        out.append(
            {
                "title": f"十四五指标滞后（{year}年）",
                "value": summary["indicators"]["behind"],
                "unit": f"/ {summary['indicator_total']} 项",
                "url": f"{reverse('indicators:board')}?year={year}&status=behind",
                "icon": "speedometer2",
                "note": f"无数据 {summary['indicators']['no_data']} 项",
            }
        )
    return out
