"""Inferences are shown as such where the figure is shown (issue 11 point 7): the chapter of
an indicator (004 gives none) and the tolerance of a "左右" target."""

import pytest

from apps.indicators.models import Measure

pytestmark = pytest.mark.django_db


def test_chapter_and_tolerance_are_marked_inferred(client, leader, indicator):
    approx = Measure.objects.filter(direction="approx").select_related("indicator").first()
    client.force_login(leader)
    html = client.get(f"/indicators/{approx.indicator.pk}/").content.decode()
    assert 'id="tolerance-inferred"' in html and "原文为“左右”" in html
    if approx.indicator.chapter:
        assert 'id="chapter-inferred"' in html
