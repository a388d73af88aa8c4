"""Home-page widgets of the project library, per role (a couple of cheap queries each)."""

from django.db.models import Count, Q, Sum
from django.urls import reverse

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
                "title": "待审核项目",
                "value": waiting,
                "unit": "个",
                "url": reverse("projects:review"),
                "icon": "clipboard-check",
                "note": "已提交与审核中",
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
            "title": "本单位入库项目" if mine else "已入库项目",
            "value": agg["in_library"],
            "unit": "个",
            "url": f"{list_url}?status=approved",
            "icon": "collection",
            "note": f"总投资 {agg['total'] or 0:,.0f} 亿元",
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
                "title": "待修改/草稿",
                "value": agg["returned"] + agg["drafts"],
                "unit": "个",
                "url": f"{list_url}?status=returned"
                if agg["returned"]
                else f"{list_url}?status=draft",
                "icon": "pencil-square",
                "note": f"退回修改 {agg['returned']} 个，草稿 {agg['drafts']} 个",
            }
        )
        out.append(
            {
                "title": f"{period_label(period)}调度未报",
                "value": owing,
                "unit": "个项目",
                "url": f"{reverse('projects:monthly')}?period={period:%Y-%m}",
                "icon": "calendar-check",
                "note": selectors.UPDATE_DUE_RULE,
                "inferred": selectors.UPDATE_DUE_BASIS,
            }
        )
    return out
