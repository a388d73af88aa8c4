"""Working-group pages: the six groups, and one group's members, tasks and projects."""

from django.db.models import Count, Sum
from django.shortcuts import render

from apps.core.pages import policy_view
from apps.core.paging import paginate
from apps.workgroups import selectors
from apps.workgroups.models import WorkingGroup


@policy_view()
def group_list(request):
    return render(request, "workgroups/list.html", {"groups": selectors.groups_for_list()})


@policy_view(
    model=WorkingGroup, queryset=lambda request: selectors.groups_for_list(), pass_as="group"
)
def group_detail(request, group: WorkingGroup):
    members = list(group.members.all())
    projects = selectors.library_projects(group, request.user)
    totals = projects.aggregate(count=Count("pk"), investment=Sum("total_investment"))
    page = paginate(request, projects, choices=(20,))
    return render(
        request,
        "workgroups/detail.html",
        {
            "group": group,
            "leaders": [m for m in members if m.role == m.Role.LEADER],
            "members": [m for m in members if m.role != m.Role.LEADER],
            "tasks": selectors.group_tasks(group),
            "page": page,
            "totals": totals,
        },
    )
