"""Form fields shared by every app's forms and filters."""

from __future__ import annotations

import datetime as dt

from django import forms

from apps.core.periods import parse_period


class MonthField(forms.CharField):
    """A month written YYYY-MM (the browser's month input), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value) -> dt.date | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_period(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def prepare_value(self, value):
        if hasattr(value, "year"):
            return f"{value:%Y-%m}"
        return value
