"""领导驾驶舱: the leaders' overview, every figure linking to the list behind it."""

import json

from django.shortcuts import render
from django.utils.translation import gettext_lazy

from apps.core import permissions as policy
from apps.core.charts import ChartJSONEncoder
from apps.core.pages import policy_view
from apps.dashboard import cache as dashboard_cache
from apps.dashboard import selectors
from apps.problems import selectors as problem_selectors
from apps.projects import selectors as project_selectors


# The cockpit shows province-wide figures: only roles that see everything get it.
@policy_view(
    gate=policy.sees_everything,
    refusal=gettext_lazy("驾驶舱展示全省汇总数据，仅对领导、审核、协调和管理角色开放。"),
)
def cockpit(request):
    return render(request, "dashboard/cockpit.html", _figures())


def _library() -> dict:
    library = selectors.library_overview()
    return {"library": library, "map_rows": project_selectors.map_rows(library["by_region"])}


def _figures() -> dict:
    """The cockpit's context: the same for every reader it opens for. Each part is cached per
    day and the data versions of the apps it reads (apps.dashboard.cache), so a write
    recomputes only the parts that show what it changed."""
    cached = dashboard_cache.cached
    library_part = cached("library", _library, apps=("projects", "reference"))
    library = library_part["library"]
    contracts = cached("contracts", selectors.contract_overview, apps=("contracts", "reference"))
    indicators = cached(
        "indicators", selectors.indicator_overview, apps=("indicators", "reference")
    )
    tasks = cached("tasks", selectors.task_overview, apps=("tasks", "reference", "workgroups"))
    problems = cached(
        "problems", problem_selectors.open_counts, apps=("problems", "workgroups", "reference")
    )
    charts = {
        "region": [
            {
                "label": r["label"],
                "value": r["total_investment"],
                "target": r["target"],
                "url": r["url"],
            }
            for r in library["by_region"]
        ],
        "sector": [
            {
                "label": r["label"],
                "value": r["total_investment"],
                "target": r["target"],
                "url": r["url"],
            }
            for r in library["by_sector"]
        ],
        "funnel": [
            {"name": r["label"], "value": r["count"], "url": r["url"]} for r in library["funnel"]
        ],
        "trend": contracts["trend"] if contracts else [],
        "targets": [
            {
                "due_on": t.due_on.isoformat(),
                "fulfillment": t.fulfillment,
                "start": t.start,
                "funding": t.funding,
            }
            for t in (contracts["targets"] if contracts else [])
        ],
        "indicators": [
            {"label": v["label"], **v["indicators"]} for v in indicators["by_level"].values()
        ],
    }
    return {
        "map_rows": library_part["map_rows"],
        "library": library,
        "contracts": contracts,
        "indicators": indicators,
        "tasks": tasks,
        "problems": problems,
        # Round-trip through the encoder: json_script needs plain numbers for the charts.
        "charts": json.loads(json.dumps(charts, cls=ChartJSONEncoder)),
    }
