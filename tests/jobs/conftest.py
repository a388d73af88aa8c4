import pytest


@pytest.fixture(autouse=True)
def job_settings(settings, tmp_path):
    """Uploaded and produced files go to a temp dir."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


from tests.jobs.worker import celery_worker  # noqa: E402, F401 - a fixture
from tests.notifications.robot import robot  # noqa: E402, F401 - a fixture
