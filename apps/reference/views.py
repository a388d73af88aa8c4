"""The unit profile page: a unit's staff see and maintain their own unit's details."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core import permissions as policy
from apps.core.pages import policy_view
from apps.reference.forms import OrganizationProfileForm
from apps.reference.models import Organization


@policy_view(
    model=Organization,
    methods=("GET", "POST"),
    queryset=lambda request: Organization.objects.select_related("region", "parent"),
    pass_as="org",
)
def organization_profile(request, org: Organization):
    """Organisations are public reference data; a unit's own staff maintain its profile, and
    its users are listed to them and to those who see everything."""
    may_change = policy.can(request.user, policy.Action.CHANGE, org)
    form = None
    if may_change:
        form = OrganizationProfileForm(request.POST or None, instance=org)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, _("单位信息已保存。"))
            return redirect("reference:organization", pk=org.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("只能修改本单位的信息。"))
    users = None
    if may_change or policy.sees_everything(request.user):
        users = org.users.filter(is_active=True).order_by("username")
    return render(
        request, "reference/organization.html", {"org": org, "form": form, "users": users}
    )


@policy_view()
def my_organization(request):
    if not request.user.organization_id:
        messages.info(request, _("您的账号未绑定单位。"))
        return redirect("home")
    return redirect("reference:organization", pk=request.user.organization_id)
