"""Display helpers for the contract pages."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def gap_pp(value) -> str:
    """A gap (rate − target, as a fraction) in percentage points, coloured: −0.2 → −20.0."""
    if value is None:
        return "—"
    points = (Decimal(value) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    css = "text-success" if points >= 0 else "text-danger"
    sign = "+" if points > 0 else ("−" if points < 0 else "")
    return format_html('<span class="{}">{}{}</span>', css, sign, abs(points))
