"""Fixtures of the contract-ledger tests: the seed fair and small hand-built ledgers."""

import io

import pytest

from apps.contracts import seed


@pytest.fixture
def seed_fair(db):
    """The 18th 青洽会 with its 346-row ledger, loaded as load_seed_data loads it."""
    seed.load(stdout=io.StringIO())
    return seed.load_fair()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads (import previews, job files) go to a throw-away directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
