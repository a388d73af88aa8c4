"""Home-page widgets of the project library, per role (a couple of cheap queries each)."""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import permissions as policy
from apps.core.periods import current_period, period_label
from apps.projects import selectors
from apps.projects.models import LibraryStatus


def widgets(request) -> list[dict]:
    user = request.user
    out: list[dict] = []
    list_url = reverse("projects:list")
    if policy.may_review(user):
        waiting = selectors.review_queue(user).count()  # the reviewer's own tier only
        out.append(
            {
                "title": _("待审核项目"),
                "value": waiting,
                "unit": _("个"),
                "url": reverse("projects:review"),
                "icon": "clipboard-check",
                "note": _("已提交与审核中"),
            }
        )
    visible = selectors.visible_projects(user)
    agg = visible.aggregate(
        in_library=Count("pk", filter=Q(library_status=LibraryStatus.APPROVED)),
        total=Sum("total_investment", filter=Q(library_status=LibraryStatus.APPROVED)),
        returned=Count("pk", filter=Q(library_status=LibraryStatus.RETURNED)),
        drafts=Count("pk", filter=Q(library_status=LibraryStatus.DRAFT)),
    )
    mine = not policy.sees_everything(user)
    out.append(
        {
            "title": _("本单位入库项目") if mine else _("已入库项目"),
            "value": agg["in_library"],
            "unit": _("个"),
            "url": f"{list_url}?status=approved",
            "icon": "collection",
            "note": _("总投资 %(value)s 亿元") % {"value": format(agg["total"] or 0, ",.0f")},
        }
    )
    if mine and policy.can_create(user):
        period = current_period()
        owing = (
            selectors.projects_missing_monthly_update(period)
            .filter(responsible_unit=user.organization_id)
            .count()
        )
        out.append(
            {
                "title": _("待修改/草稿"),
                "value": agg["returned"] + agg["drafts"],
                "unit": _("个"),
                "url": f"{list_url}?status=returned"
                if agg["returned"]
                else f"{list_url}?status=draft",
                "icon": "pencil-square",
                "note": _("退回修改 %(returned)s 个，草稿 %(drafts)s 个")
                % {"returned": agg["returned"], "drafts": agg["drafts"]},
            }
        )
        out.append(
            {
                "title": _("%(period_label)s调度未报") % {"period_label": period_label(period)},
                "value": owing,
                "unit": _("个项目"),
                "url": f"{reverse('projects:monthly')}?period={period:%Y-%m}",
                "icon": "calendar-check",
                "note": _(selectors.UPDATE_DUE_RULE),
                "inferred": _(selectors.UPDATE_DUE_BASIS),
            }
        )
    return out
