"""Template helpers: audit-trail links, 亿元 amounts and percentages, the 推定 badge."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    meta = obj._meta
    return reverse("object-history", args=[meta.app_label, meta.model_name, obj.pk])


@register.filter
def yi(value, places: int = 2) -> str:
    """Format an amount in 亿元 with thousands separators: 1234.5 → '1,234.50'."""
    if value is None or value == "":
        return "—"
    try:
        d = Decimal(value)
    except (InvalidOperation, TypeError):
        return str(value)
    q = Decimal(1).scaleb(-int(places))
    return f"{d.quantize(q, rounding=ROUND_HALF_UP):,}"


@register.filter
def pct(value, places: int = 1) -> str:
    """Format a ratio (0.7 → '70.0%'); None → '—'."""
    if value is None:
        return "—"
    d = Decimal(value) * 100
    q = Decimal(1).scaleb(-int(places))
    return f"{d.quantize(q, rounding=ROUND_HALF_UP)}%"


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for sort/page links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def width_class(percent) -> str:
    """A width in percent as a CSS class (``w-pct-0`` … ``w-pct-100``, static/css/app.css).

    The Content-Security-Policy forbids style attributes, so a progress bar cannot say
    ``style="width: 37%"``; whole percent are precise enough for a bar. Capped at 0 and 100.
    """
    try:
        value = Decimal(str(percent)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return "w-pct-0"
    return f"w-pct-{int(min(max(value, Decimal(0)), Decimal(100)))}"


@register.simple_tag
def inferred(basis: str, element_id: str = "", show_basis: bool = True) -> str:
    """The 推定 badge (issue 11 pt 7): a figure the platform inferred, with the reason shown
    next to it (and as the badge's tooltip). Nothing when there is no basis."""
    if not basis:
        return ""
    badge = format_html(
        '<span class="badge text-bg-light border inferred"{} title="{}">{}</span>',
        format_html(' id="{}"', element_id) if element_id else "",
        basis,
        _("推定"),
    )
    if not show_basis:
        return badge
    return format_html('{} <span class="small text-muted">{}</span>', badge, basis)
