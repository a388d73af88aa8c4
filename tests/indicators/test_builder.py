"""The committed fixture is what the builder makes from seed 004 (no silent hand edits)."""

import importlib.util

import pytest
from django.conf import settings

from apps.indicators import seed


def _builder():
    path = settings.FIXTURES_DIR / "build" / "indicators_004.py"
    spec = importlib.util.spec_from_file_location("indicators_004", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (settings.SEEDS_DIR / "004_7cd0d293e86df399.txt").exists(), reason="seed 004 not present"
)
def test_fixture_matches_a_rebuild_from_the_seed():
    builder = _builder()
    rebuilt = builder.render(builder.build(settings.SEEDS_DIR))
    committed = (settings.FIXTURES_DIR / seed.FIXTURE).read_text(encoding="utf-8")
    assert rebuilt == committed


def test_every_measure_target_appears_in_its_line():
    assert _builder().check(seed.read_fixture()["indicators"]) == []
