"""Home-page widgets of task supervision, per role (a few aggregate queries)."""

from django.urls import reverse
from django.utils.translation import gettext as _

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
                "title": _("本单位逾期任务"),
                "value": counts["overdue"],
                "unit": _("项"),
                "url": f"{mine}?overdue=true",
                "icon": "alarm",
                "note": _("未办结 %(open)s 项，10 日内到期 %(due_soon)s 项")
                % {"open": counts["open"], "due_soon": counts["due_soon"]},
            }
        )
    if policy.sees_everything(user):
        summary = selectors.task_status_summary()
        board = reverse("tasks:board")
        out.append(
            {
                "title": _("逾期任务分解"),
                "value": summary["overdue"],
                "unit": _("项"),
                "url": f"{board}?overdue=true",
                "icon": "exclamation-octagon",
                "note": _("涉及 %(overdue_units)s 个单位")
                % {"overdue_units": summary["overdue_units"]},
            }
        )
        if policy.may_coordinate(user):
            out.append(
                {
                    "title": _("待审核 / 待审批"),
                    "value": summary["by_status"]["submitted"] + summary["pending_extensions"],
                    "unit": _("项"),
                    "url": board,
                    "icon": "clipboard-check",
                    "note": (
                        _("报办结 %(submitted)s 项，延期申请 %(pending_extensions)s 项")
                        % {
                            "submitted": summary["by_status"]["submitted"],
                            "pending_extensions": summary["pending_extensions"],
                        }
                    ),
                }
            )
    if policy.is_admin(user):
        from apps.core.calendar import coverage_message, missing_years

        for year in missing_years():
            out.append(
                {
                    "title": _("%(year)s年节假日安排未录入") % {"year": year},
                    "value": _("待录入"),
                    "url": reverse("admin:core_calendarday_add"),
                    "icon": "calendar-x",
                    "note": coverage_message(year),
                }
            )
    return out
