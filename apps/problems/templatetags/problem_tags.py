"""Problem panels other pages include (the project page, a working group's page) without
their apps importing this one."""

from django import template
from django.utils.translation import gettext as _

from apps.problems import selectors

register = template.Library()


@register.inclusion_tag("problems/_panel.html", takes_context=True)
def project_problems(context, project, can_report=False):
    user = context["request"].user
    return {
        "tickets": list(selectors.project_problems(project, user)[:50]),
        "new_url_query": f"project={project.pk}",
        "can_report": can_report,
        "title": _("需协调解决的困难问题"),
        "show_project": False,
    }


@register.inclusion_tag("problems/_panel.html", takes_context=True)
def contract_problems(context, contract, can_report=False):
    user = context["request"].user
    return {
        "tickets": list(selectors.visible_problems(user).filter(contract=contract)[:50]),
        "new_url_query": f"contract={contract.pk}",
        "can_report": can_report,
        "title": _("需协调解决的困难问题"),
        "show_project": False,
    }


@register.inclusion_tag("problems/_panel.html", takes_context=True)
def group_problems(context, group):
    user = context["request"].user
    qs = selectors.group_problems(group, user)
    return {
        "tickets": list(qs[:50]),
        "total": qs.count(),
        "group": group,
        "title": _("本组项目的困难问题"),
        "show_project": True,
    }
