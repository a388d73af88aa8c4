"""Badges of the project pages: one colour per library status, stage and size class."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()

STATUS_CLASS = {
    "draft": "secondary",
    "submitted": "primary",
    "in_review": "info",
    "approved": "success",
    "returned": "warning",
    "rejected": "danger",
    "removed": "dark",
}
SIZE_CLASS = {"100yi": "danger", "10yi": "warning", "1yi": "primary", "below": "secondary"}
# The button colour of each workflow step (apps.projects.workflow.TRANSITIONS).
STEP_BUTTON_CLASS = {
    "submit": "primary",
    "resubmit": "primary",
    "withdraw": "outline-secondary",
    "start_review": "info",
    "approve": "success",
    "return": "warning",
    "reject": "danger",
    "remove": "dark",
}


@register.filter
def step_button(step) -> str:
    """The Bootstrap button colour of a workflow step: ``btn-{{ t|step_button }}``."""
    return STEP_BUTTON_CLASS.get(step.action, "secondary")


@register.simple_tag
def status_badge(project) -> str:
    return format_html(
        '<span class="badge badge-status text-bg-{}">{}</span>',
        STATUS_CLASS.get(project.library_status, "secondary"),
        project.get_library_status_display(),
    )


@register.simple_tag
def size_badge(project) -> str:
    return format_html(
        '<span class="badge rounded-pill text-bg-{} bg-opacity-75">{}</span>',
        SIZE_CLASS.get(project.size_class, "secondary"),
        project.get_size_class_display(),
    )


@register.simple_tag
def demo_badge(project) -> str:
    if not project.is_demo:
        return ""
    return format_html(
        '<span class="badge text-bg-light border border-warning text-warning-emphasis" '
        'title="{}">{}</span>',
        gettext("load_seed_data 生成的演示数据，非真实项目"),
        gettext("演示"),
    )


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASS.get(status, "secondary")


@register.filter
def percent_width(value) -> str:
    """A ratio as a CSS width, capped at 100%."""
    try:
        width = min(Decimal(value or 0) * 100, Decimal(100))
    except (TypeError, ValueError, ArithmeticError):
        return "0"
    return f"{width.quantize(Decimal('0.1'))}"


@register.simple_tag
def update_due_note() -> str:
    """ "每月5日前报送上月情况" with its 推定 badge: 001 sets no day for project updates."""
    from apps.core.templatetags.qh import inferred
    from apps.projects.selectors import UPDATE_DUE_BASIS, UPDATE_DUE_RULE

    return format_html(
        "{} {}",
        gettext(UPDATE_DUE_RULE),
        inferred(gettext(UPDATE_DUE_BASIS), "update-due-inferred"),
    )
