"""Demo monitoring values 2021–2025 (issue 11 point 6): marked 演示, several lights lit,
removable with the other demo data."""

import io

import pytest
from django.core.management import call_command

from apps.demo import present as demo
from apps.indicators.models import MeasureValue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO_MODE = True


def test_indicator_values_marked_demo_light_the_board():
    summary = demo.load_demo_indicator_values()
    values = MeasureValue.objects.filter(is_demo=True)
    assert values.exists() and "演示" in summary
    assert set(values.values_list("year", flat=True)) <= set(range(2021, 2026))
    assert len(set(values.values_list("status", flat=True))) >= 3  # several colours


def test_remove_demo_projects_removes_the_demo_values(staff_of, measure):
    from decimal import Decimal

    from apps.indicators import services

    demo.load_demo_indicator_values()
    forest = measure(1, 9, 1)
    real = MeasureValue.objects.filter(measure=forest, year=2025).first()
    if real is not None:
        real.delete()
    services.record_value(user=staff_of("省林草局"), measure=forest, year=2025, value=Decimal("8"))
    call_command("remove_demo_projects", stdout=io.StringIO())
    assert not MeasureValue.objects.filter(is_demo=True).exists()
    assert MeasureValue.objects.filter(measure=forest, year=2025).count() == 1  # the real one
