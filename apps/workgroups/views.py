"""Working-group pages: the six groups, and one group's members, tasks and projects."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, render

from apps.workgroups import selectors


@login_required
def group_list(request):
    return render(request, "workgroups/list.html", {"groups": selectors.groups_for_list()})


@login_required
def group_detail(request, pk: int):
    group = get_object_or_404(selectors.groups_for_list(), pk=pk)
    members = list(group.members.all())
    projects = selectors.library_projects(group, request.user)
    page = totals = None
    if projects is not None:
        totals = projects.aggregate(count=Count("pk"), investment=Sum("total_investment"))
        page = Paginator(projects, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "workgroups/detail.html",
        {
            "group": group,
            "leaders": [m for m in members if m.role == m.Role.LEADER],
            "members": [m for m in members if m.role != m.Role.LEADER],
            "tasks": selectors.group_tasks(group),
            "projects_installed": projects is not None,
            "page": page,
            "totals": totals,
        },
    )
