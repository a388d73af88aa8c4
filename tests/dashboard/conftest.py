"""Snapshot tests: the indicator and task seeds (004, 003, 002) loaded once per session."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def _indicator_and_task_seeds(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command(
            "load_seed_data", only=["workgroups", "indicators", "tasks"], stdout=io.StringIO()
        )


@pytest.fixture
def seeded(_indicator_and_task_seeds, db):
    return True
