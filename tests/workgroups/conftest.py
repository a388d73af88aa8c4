"""The working-group tests run against the real seed data (groups and the tasks linked to them)."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session", autouse=True)
def task_seed(django_db_setup, django_db_blocker):
    """Load the working groups and tasks once per session (after the reference data)."""
    with django_db_blocker.unblock():
        call_command("load_seed_data", only=["workgroups", "tasks"], stdout=io.StringIO())
