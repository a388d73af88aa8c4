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


class FastReadMixin:
    """``to_representation`` of a ModelSerializer for long lists: the same output, without
    DRF's per-field, per-row attribute machinery (issue 15).

    DRF resolves every field of every row through ``Field.get_attribute``, which asks
    ``inspect.signature`` whether each value is a callable to call (``get_tier_display``…) and
    translates each choice label again: two thirds of a 50-row page of projects. Here each
    field's way to its value is worked out once per serializer (a list's rows share their
    child serializer), the ``get_<field>_display`` labels are looked up once per value, and a
    related field serialised by primary key reads the ``_id`` column. The values still go
    through each field's own ``to_representation`` (decimals, dates, slugs), so the JSON is
    DRF's; tests compare the two for every field.
    """

    def _fast_plan(self):
        plan = getattr(self, "_fast_plan_cache", None)
        if plan is not None:
            return plan
        from rest_framework.relations import PrimaryKeyRelatedField

        model = self.Meta.model
        plan = []
        for field in self._readable_fields:
            attrs = list(field.source_attrs)
            kind, extra = "path", None
            if (
                isinstance(field, PrimaryKeyRelatedField)
                and field.use_pk_only_optimization()
                and field.pk_field is None
                and len(attrs) == 1
            ):
                kind, extra = "pk", model._meta.get_field(attrs[0]).attname
            elif len(attrs) == 1 and attrs[0].startswith("get_") and attrs[0].endswith("_display"):
                name = attrs[0][4:-8]
                try:
                    model_field = model._meta.get_field(name)
                except Exception:  # a method of the model's own: called per row as DRF does
                    model_field = None
                if model_field is not None and model_field.choices:
                    kind, extra = "display", (model_field.attname, {})
            plan.append((field, field.field_name, kind, attrs, extra))
        self._fast_plan_cache = plan
        return plan

    def to_representation(self, instance):
        import inspect

        from rest_framework.fields import SkipField

        ret = {}
        for field, name, kind, attrs, extra in self._fast_plan():
            if kind == "pk":
                ret[name] = getattr(instance, extra)
                continue
            if kind == "display":
                attname, labels = extra
                value = getattr(instance, attname)
                key = (value, type(value))
                if key not in labels:
                    labels[key] = field.to_representation(getattr(instance, attrs[0])())
                ret[name] = labels[key]
                continue
            try:
                attribute = instance
                for attr in attrs:
                    attribute = getattr(attribute, attr)
                    if inspect.ismethod(attribute):
                        attribute = attribute()
            except (AttributeError, KeyError):
                # The unusual cases (a missing related row, a default): DRF's own rules.
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
            ret[name] = None if attribute is None else field.to_representation(attribute)
        return ret
