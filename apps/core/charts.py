"""Decimal → chart coordinate.

ECharts reads JSON numbers, so chart data crosses to float here and only here. Nothing
converted is ever computed with again: tables, totals and exports keep their Decimals.
"""

from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder


def chart_number(value: Decimal | int | None, *, scale: int = 1, places: int = 4) -> float | None:
    if value is None:
        return None
    return float((Decimal(value) * scale).quantize(Decimal(1).scaleb(-places)))


class ChartJSONEncoder(DjangoJSONEncoder):
    """JSON for chart payloads: Decimals become numbers (DjangoJSONEncoder makes strings)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return chart_number(o)
        return super().default(o)
