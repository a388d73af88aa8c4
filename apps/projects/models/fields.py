"""Field and SQL-expression helpers shared by the projects models."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Case, F, Value, When

from apps.projects.models.choices import SIZE_CLASS_BOUNDS, SizeClass

ZERO = Decimal("0")
QINGHAI_LAT = (Decimal("31.5"), Decimal("39.3"))
QINGHAI_LNG = (Decimal("89.3"), Decimal("103.1"))


def money(verbose_name: str, **kwargs) -> models.DecimalField:
    """Amounts in 亿元: Decimal with 4 places, never float."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=4, **kwargs)


def size_class_expression() -> Case:
    """The size class as SQL, so lists can filter and count by it."""
    return Case(
        *(
            When(total_investment__gte=bound, then=Value(str(cls)))
            for cls, bound in SIZE_CLASS_BOUNDS
        ),
        default=Value(str(SizeClass.BELOW)),
        output_field=models.CharField(),
    )


def prefecture_expression(prefix: str = "") -> Case:
    """The 市州 a project lies in: its region, or the region's parent for a county."""
    return Case(
        When(**{f"{prefix}region__level": "prefecture"}, then=F(f"{prefix}region_id")),
        default=F(f"{prefix}region__parent_id"),
        output_field=models.BigIntegerField(),
    )
