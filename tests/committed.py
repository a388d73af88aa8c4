"""Committed-data tests (the worker thread and racing threads need data they can see).

pytest-django flushes every table after a transactional test, including the reference data
loaded once per session that every other test relies on. Request ``committed_db`` (instead of
``transactional_db``): it puts the reference data back after the flush (and before the test,
should an earlier transactional test have left the database empty).
"""

from __future__ import annotations

import io

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from apps.reference.models import InfrastructureDomain, Organization, Region, Sector

REFERENCE_MODELS = (Region, Organization, Sector, InfrastructureDomain)
_snapshot: dict[str, str] = {}


def _take_snapshot() -> None:
    if not _snapshot and Organization.objects.exists():
        for model in REFERENCE_MODELS:
            _snapshot[model._meta.label] = serializers.serialize("json", model.objects.all())


def _restore() -> None:
    if Organization.objects.exists():
        return
    if not _snapshot:  # an earlier transactional test emptied the database before we looked
        call_command("load_seed_data", only=["reference"], stdout=io.StringIO())
        _take_snapshot()
        return
    with transaction.atomic():  # self-references (parents) are checked at commit
        for model in REFERENCE_MODELS:
            for obj in serializers.deserialize("json", _snapshot[model._meta.label]):
                obj.save()


def restore_after_flush() -> bool:
    """Put the reference data back if a flush took it; True when it had to."""
    if Organization.objects.exists():
        return False
    _restore()
    return True


@pytest.fixture
def reference_kept(django_db_blocker):
    with django_db_blocker.unblock():
        _take_snapshot()
        _restore()
    yield
    with django_db_blocker.unblock():
        _restore()


@pytest.fixture
def committed_db(reference_kept, transactional_db):
    """transactional_db whose flush does not take the reference data with it.

    The order matters: reference_kept is set up first, so it is torn down after the flush.
    """
    return transactional_db
