"""The campaign owner's page action: open next year's 谋划行动 (issue 11 pt 1; 001 is yearly).

Kept apart from ``views.py`` (the library's pages); the rule is ``campaigns.open_campaign``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import permissions as policy
from apps.core.pages import policy_view
from apps.core.redirects import redirect_next
from apps.projects import campaigns


@policy_view(
    gate=policy.may_run_campaigns,
    methods=("POST",),
    refusal="只有省发展改革委（审核员）或系统管理员可以开启年度谋划行动。",
)
def campaign_open(request):
    default = reverse("projects:targets")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("请选择要开启的年度。"))
        return redirect_next(request, default)
    try:
        campaign, created = campaigns.open_campaign(user=request.user, year=year)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect_next(request, default)
    if created:
        messages.success(
            request,
            _("已开启“%(name)s”：批次截止和行动节点沿用上一年的月日，可在管理后台调整。")
            % {"name": campaign.name},
        )
    else:
        messages.info(request, _("“%(name)s”已存在，未重复开启。") % {"name": campaign.name})
    return redirect_next(request, default)
