"""System check: the working-day calendar covers this year (and, late in the year, the next).

The platform cannot know a year's holidays before the State Council publishes them; it says
so (``manage.py check`` warns; administrators see it on the home page and on the calendar's
admin list) rather than guess. The check moved here with the calendar (it was tasks.W001).
"""

from __future__ import annotations

from django.core.checks import Warning, register
from django.db import DatabaseError


@register()
def calendar_covers_the_coming_year(app_configs=None, **kwargs):
    from apps.core.calendar import coverage_message, missing_years

    try:
        years = missing_years()
    except DatabaseError:  # not migrated yet (e.g. during the first migrate): nothing to say
        return []
    return [
        Warning(
            coverage_message(year),
            hint="国务院办公厅关于节假日安排的通知通常于上一年第四季度发布。",
            id="core.W001",
        )
        for year in years
    ]
