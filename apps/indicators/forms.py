"""The lead unit's grids for one year: monitoring values and yearly targets (分年度目标)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.forms import CompactForm
from apps.indicators.templatetags.indicator_tags import plain_number


class _MeasureGrid:
    """One row per measure: ``<field_prefix>_<id>`` (the number), ``note_<id>``."""

    field_prefix = "value"

    def add_row_error(self, measure, exc: ValidationError) -> None:
        """Put a service's refusal of one row next to that row's inputs."""
        field = f"{self.field_prefix}_{measure.pk}"
        if hasattr(exc, "message_dict"):
            for key, msgs in exc.message_dict.items():
                target = f"note_{measure.pk}" if key == "note" else field
                for msg in msgs:
                    self.add_error(target, msg)
        else:
            for msg in exc.messages:
                self.add_error(field, msg)


class EntryForm(_MeasureGrid, CompactForm):
    """Fields ``value_<id>``, ``note_<id>``, ``version_<id>`` for each measure given.

    ``version`` is the value's version when the page was drawn (0: there was none), so a
    value saved by a colleague in between is refused instead of overwritten.
    """

    def __init__(self, *args, measures, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        self.year = year
        for m in measures:
            self.fields[f"value_{m.pk}"] = forms.DecimalField(
                label=m.name,
                required=False,
                max_digits=14,
                decimal_places=4,
                initial=None if m.year_value is None else plain_number(m.year_value),
                help_text=m.value_hint,
                widget=forms.NumberInput(
                    attrs={"class": "form-control form-control-sm num", "step": "any"}
                ),
            )
            self.fields[f"note_{m.pk}"] = forms.CharField(
                label=gettext("说明"),
                required=False,
                max_length=500,
                initial=m.year_note or "",
                widget=forms.TextInput,
            )
            self.fields[f"version_{m.pk}"] = forms.IntegerField(
                required=False, initial=m.year_version or 0, widget=forms.HiddenInput
            )

    def rows(self):
        for m in self.measures:
            yield {
                "measure": m,
                "value": self[f"value_{m.pk}"],
                "note": self[f"note_{m.pk}"],
                "version": self[f"version_{m.pk}"],
            }

    def changed_rows(self):
        """Rows whose value or note differ from what the page showed, ready for the service.

        A row left empty that had no value is skipped; clearing a stored value is not a
        monitoring fact, so it is refused."""
        data = self.cleaned_data
        for m in self.measures:
            value, note = data.get(f"value_{m.pk}"), data.get(f"note_{m.pk}") or ""
            if value is None:
                if m.year_value is not None:
                    self.add_error(
                        f"value_{m.pk}", gettext("已填报的监测值不能清空，请填写更正后的数值。")
                    )
                continue
            if m.year_value is not None and value == m.year_value and note == (m.year_note or ""):
                continue
            yield {
                "measure": m,
                "year": self.year,
                "value": value,
                "note": note,
                "version": data.get(f"version_{m.pk}") or None,
            }


class YearTargetForm(_MeasureGrid, CompactForm):
    """The lead unit's 分年度目标 for one year: ``target_<id>``, ``note_<id>``, ``version_<id>``
    per measure (annotated by ``selectors.measures_for_year_targets``).

    Unlike a monitoring value, a target may be cleared: the year is then judged along the plan
    path again. ``version`` is the target's version when the page was drawn (0: none), so a
    colleague's target saved in between is refused instead of overwritten.
    """

    field_prefix = "target"

    def __init__(self, *args, measures, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        self.year = year
        for m in measures:
            self.fields[f"target_{m.pk}"] = forms.DecimalField(
                label=m.name,
                required=False,
                max_digits=14,
                decimal_places=4,
                initial=None if m.year_target is None else plain_number(m.year_target),
                widget=forms.NumberInput(
                    attrs={"class": "form-control form-control-sm num", "step": "any"}
                ),
            )
            self.fields[f"note_{m.pk}"] = forms.CharField(
                label=_("依据"),
                required=False,
                max_length=255,
                initial=m.target_note or "",
                widget=forms.TextInput,
            )
            self.fields[f"version_{m.pk}"] = forms.IntegerField(
                required=False, min_value=0, initial=m.target_version or 0, widget=forms.HiddenInput
            )

    def rows(self):
        for m in self.measures:
            yield {
                "measure": m,
                "target": self[f"target_{m.pk}"],
                "note": self[f"note_{m.pk}"],
                "version": self[f"version_{m.pk}"],
            }

    def changed_rows(self):
        """Rows whose target or note differ from what the page showed, for the service."""
        data = self.cleaned_data
        for m in self.measures:
            value, note = data.get(f"target_{m.pk}"), (data.get(f"note_{m.pk}") or "").strip()
            if value is None and m.year_target is None:
                continue
            if value == m.year_target and note == (m.target_note or ""):
                continue
            yield {
                "measure": m,
                "year": self.year,
                "value": value,
                "note": "" if value is None else note,
                "version": data.get(f"version_{m.pk}") or None,
            }
