"""The tasks tests run against the real seed data: documents, tasks, calendar, groups."""

import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session", autouse=True)
def task_seed(django_db_setup, django_db_blocker):
    """Load the working groups and tasks once per session (after the reference data)."""
    with django_db_blocker.unblock():
        call_command("load_seed_data", only=["workgroups", "tasks"], stdout=io.StringIO())


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded attachments go to a temporary directory, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
