"""Serializer fields shared by every API."""

import re

from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.core.periods import parse_period


class PeriodField(serializers.DateField):
    """A reporting month: "2026-10" or its first day "2026-10-01" (stored as the first day)."""

    def to_internal_value(self, value):
        if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{1,2}\s*", value):
            try:
                return parse_period(value)
            except ValueError as exc:
                raise serializers.ValidationError(str(exc)) from exc
        day = super().to_internal_value(value)
        if day.day != 1:
            raise serializers.ValidationError(_("月份应写作 YYYY-MM 或当月第一天 YYYY-MM-01。"))
        return day
