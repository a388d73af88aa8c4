"""Optimistic concurrency: concurrent edits never silently overwrite each other."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F


class ConcurrentEditError(ValidationError):
    def __init__(self, obj: models.Model) -> None:
        super().__init__(
            f"“{obj}”已被其他用户修改，请刷新页面后重新编辑（您的修改未保存）。",
            code="concurrent_edit",
        )


def save_versioned(obj: models.Model, expected_version: int | None, **save_kwargs) -> None:
    """Save ``obj`` only if its stored version is still ``expected_version``; bump it.

    The compare-and-bump is one UPDATE, so two writers racing cannot both pass it.
    """
    if obj.pk is None:
        obj.version = 1
        obj.save(**save_kwargs)
        return
    if expected_version is None:
        expected_version = obj.version
    model = type(obj)
    bumped = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise ConcurrentEditError(obj)
    obj.version = expected_version + 1
    obj.save(**save_kwargs)
