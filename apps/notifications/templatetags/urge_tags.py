"""The 催办 panel the reporting-status pages include (their apps do not import this one)."""

from django import template

from apps.core import permissions as policy
from apps.notifications.urging import late_units

register = template.Library()


@register.inclusion_tag("notifications/_urge_panel.html", takes_context=True)
def urge_panel(context, subject, period, fair=None):
    request = context["request"]
    if not policy.sees_everything(request.user):
        return {"show": False}  # a unit sees its own status on the page, not the others'
    coordinating = getattr(fair, "coordinating_unit", None) if fair is not None else None
    units = late_units(subject=subject, period=period, fair=fair)
    return {
        "show": True,
        "units": units,
        "subject": subject,
        "period": period,
        "fair": fair,
        "may_urge": policy.may_urge(request.user, coordinating),
        "pending": sum(1 for u in units if not u.urged_today),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
