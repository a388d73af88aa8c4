import pytest

from apps.projects.seed import load_campaign


@pytest.fixture
def campaign(db):
    """The 001 campaign with its targets and batches, from the committed fixture."""
    return load_campaign()
