"""The schema tells the truth where schemathesis' examples may not reach: every API field that
can be null is declared nullable, and every enum carries its Chinese labels."""

import importlib
import json
import re

import pytest
from django.conf import settings
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField

API_APPS = [a.split(".")[1] for a in settings.INSTALLED_APPS if a.startswith("apps.")]


def _api_serializers():
    for app in API_APPS:
        try:
            module = importlib.import_module(f"apps.{app}.api.serializers")
        except ModuleNotFoundError:
            continue
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, serializers.ModelSerializer)
                and obj.__module__ == module.__name__
            ):
                yield obj


def _through_nullable(model, source: str) -> bool:
    """Whether following ``source`` (e.g. "reported_by.username") crosses a nullable field."""
    for part in source.split("."):
        try:
            field = model._meta.get_field(part)
        except Exception:  # a property or method: not a model field
            return False
        if getattr(field, "null", False):
            return True
        model = getattr(field, "related_model", None)
        if model is None:
            return False
    return False


def test_fields_reading_through_a_nullable_column_are_nullable():
    lying = []
    for serializer_class in _api_serializers():
        model = serializer_class.Meta.model
        for name, field in serializer_class().fields.items():
            if field.allow_null or isinstance(
                field,
                serializers.SerializerMethodField | ManyRelatedField | serializers.BaseSerializer,
            ):
                continue
            source = field.source or name
            if source != "*" and _through_nullable(model, source):
                lying.append(f"{serializer_class.__name__}.{name} ({source})")
    assert lying == []


@pytest.mark.django_db
def test_every_enum_lists_its_values_with_chinese_labels(client, api_client_user):
    client.force_login(api_client_user)
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    enums = {k: v for k, v in schema["components"]["schemas"].items() if "enum" in v}
    assert {"LibraryStatusEnum", "IndicatorStatusEnum", "AssignmentStatusEnum"} <= set(enums)
    for name, enum in enums.items():
        if name in ("BlankEnum", "NullEnum"):  # drf-spectacular's "" / null members
            continue
        described = dict(re.findall(r"\* `([^`]*)` - (.+)", enum.get("description", "")))
        for value in enum["enum"]:
            label = described.get(str(value))
            assert label and re.search(r"[\u4e00-\u9fff]", label), (name, value)
