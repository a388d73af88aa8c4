"""Home widgets: a department sees the problems it must answer, a unit the answers it must
confirm, the overseers the open problems and those escalated."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import permissions as policy
from apps.problems.models import OPEN_STATUSES, ProblemTicket, Status


def widgets(request) -> list[dict]:
    user = request.user
    url = reverse("problems:list")
    out = []
    org = user.organization_id if policy.may_change_own_unit(user) else None
    if org:
        counts = ProblemTicket.objects.aggregate(
            to_answer=Count("pk", filter=Q(responsible_department=org, status__in=OPEN_STATUSES)),
            to_confirm=Count("pk", filter=Q(reporting_unit=org, status=Status.ANSWERED)),
        )
        if counts["to_answer"]:
            out.append(
                {
                    "title": _("待办理的困难问题"),
                    "value": counts["to_answer"],
                    "unit": _("件"),
                    "url": f"{url}?department={org}&open=true",
                    "icon": "exclamation-diamond",
                    "note": _("分办至本单位，请在办理时限内答复，逾期将升级报专项工作组组长"),
                }
            )
        if counts["to_confirm"]:
            out.append(
                {
                    "title": _("待确认的问题答复"),
                    "value": counts["to_confirm"],
                    "unit": _("件"),
                    "url": f"{url}?unit={org}&status=answered",
                    "icon": "check2-circle",
                    "note": _("责任部门已答复本单位报告的问题，请确认是否解决"),
                }
            )
    if policy.sees_everything(user):
        counts = ProblemTicket.objects.aggregate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            escalated=Count("pk", filter=Q(status=Status.ESCALATED)),
        )
        out.append(
            {
                "title": _("未办结的困难问题"),
                "value": counts["open"],
                "unit": _("件"),
                "url": f"{url}?open=true",
                "icon": "exclamation-diamond",
                "note": _("其中已逾期升级 %(escalated)s 件") % {"escalated": counts["escalated"]},
            }
        )
    return out
