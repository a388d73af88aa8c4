"""Indicator tests run on the real seed: the 74 indicators of 004 are loaded once."""

import io

import pytest
from django.core.management import call_command

from apps.accounts.models import Role
from apps.indicators.models import Indicator, Measure


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_seed_data", only=["indicators"], stdout=io.StringIO())


@pytest.fixture
def indicator(db):
    def get(level: int, number: int) -> Indicator:
        return Indicator.objects.get(level=level, number=number)

    return get


@pytest.fixture
def measure(indicator):
    def get(level: int, number: int, order: int = 1) -> Measure:
        return Measure.objects.get(indicator=indicator(level, number), order=order)

    return get


@pytest.fixture
def staff_of(make_user, org):
    """A 填报员 of the unit with the given name (any spelling the seeds use)."""

    def make(name: str, **extra):
        unit = org(name)
        return make_user(Role.STAFF, unit, username=f"t_staff_{unit.pk}", **extra)

    return make
