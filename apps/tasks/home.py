"""Home-page widgets of task supervision, per role (a few aggregate queries)."""

from django.urls import reverse

from apps.core import permissions as policy
from apps.tasks import selectors


def widgets(request) -> list[dict]:
    user = request.user
    out: list[dict] = []
    if user.organization_id and policy.may_change_own_unit(user):
        counts = selectors.unit_counts(user)
        mine = reverse("tasks:mine")
        out.append(
            {
                "title": "本单位逾期任务",
                "value": counts["overdue"],
                "unit": "项",
                "url": f"{mine}?overdue=true",
                "icon": "alarm",
                "note": f"未办结 {counts['open']} 项，10 日内到期 {counts['due_soon']} 项",
            }
        )
    if policy.sees_everything(user):
        summary = selectors.task_status_summary()
        board = reverse("tasks:board")
        out.append(
            {
                "title": "逾期任务分解",
                "value": summary["overdue"],
                "unit": "项",
                "url": f"{board}?overdue=true",
                "icon": "exclamation-octagon",
                "note": f"涉及 {summary['overdue_units']} 个单位",
            }
        )
        if policy.may_coordinate(user):
            out.append(
                {
                    "title": "待审核 / 待审批",
                    "value": summary["by_status"]["submitted"] + summary["pending_extensions"],
                    "unit": "项",
                    "url": board,
                    "icon": "clipboard-check",
                    "note": (
                        f"报办结 {summary['by_status']['submitted']} 项，"
                        f"延期申请 {summary['pending_extensions']} 项"
                    ),
                }
            )
    if policy.is_admin(user):
        from apps.core.calendar import coverage_message, missing_years

        for year in missing_years():
            out.append(
                {
                    "title": f"{year}年节假日安排未录入",
                    "value": "待录入",
                    "url": reverse("admin:core_calendarday_add"),
                    "icon": "calendar-x",
                    "note": coverage_message(year),
                }
            )
    return out
