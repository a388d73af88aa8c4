"""Template helpers of the indicator pages."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def plain_number(value) -> str:
    """A monitored value without trailing zeros or exponent: 7300.0000 → '7300', 8.10 → '8.1'."""
    if value is None or value == "":
        return "—"
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


register.filter("plain", plain_number)

# Presentation of the status lights (apps.indicators.status.LIGHTS): Bootstrap colours.
LIGHT_CLASSES = {
    "green": "success",
    "teal": "info",
    "amber": "warning",
    "red": "danger",
    "grey": "secondary",
}


@register.filter
def light_class(light: str) -> str:
    """The Bootstrap colour of a status light: ``bg-{{ m.judged.light|light_class }}``."""
    return LIGHT_CLASSES.get(light, "secondary")
