"""The unit profile page: a unit's staff see and maintain their own unit's details."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from apps.core import permissions as policy
from apps.reference.forms import OrganizationProfileForm
from apps.reference.models import Organization


@login_required
def organization_profile(request, pk: int):
    org = (
        policy.restrict(Organization.objects.select_related("region", "parent"), request.user)
        .filter(pk=pk)
        .first()
    )
    if org is None:
        raise Http404
    may_change = policy.can(request.user, policy.Action.CHANGE, org)
    form = None
    if may_change:
        form = OrganizationProfileForm(request.POST or None, instance=org)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, "单位信息已保存。")
            return redirect("reference:organization", pk=org.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "reference/organization.html",
        {"org": org, "form": form, "users": org.users.filter(is_active=True).order_by("username")},
    )


@login_required
def my_organization(request):
    if not request.user.organization_id:
        messages.info(request, "您的账号未绑定单位。")
        return redirect("home")
    return redirect("reference:organization", pk=request.user.organization_id)
