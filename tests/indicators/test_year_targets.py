"""分年度目标 (004 三(一)): a lead unit's yearly target decides that year's status."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.concurrency import ConcurrentEditError
from apps.indicators import services
from apps.indicators.choices import Status
from apps.indicators.models import MeasureValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def forest(measure):
    return measure(1, 9, 1)  # 森林覆盖率达到8.0％ (2025) — lead 省林草局


def test_the_years_target_judges_the_years_value(forest, staff_of):
    lead = staff_of("省林草局")
    mv = services.record_value(user=lead, measure=forest, year=2022, value=D("7.6"))
    before = mv.status
    # Against the year's own target: 7.6 short of 7.7 is 滞后; 7.5 would have been 达标.
    t = services.set_year_target(user=lead, measure=forest, year=2022, value=D("7.7"))
    assert MeasureValue.objects.get(pk=mv.pk).status == Status.BEHIND
    services.set_year_target(
        user=lead, measure=forest, year=2022, value=D("7.5"), version=t.version
    )
    assert MeasureValue.objects.get(pk=mv.pk).status == Status.MET
    # Cleared: back to the plan-path rule.
    t.refresh_from_db()
    services.set_year_target(user=lead, measure=forest, year=2022, value=None, version=t.version)
    assert MeasureValue.objects.get(pk=mv.pk).status == before


def test_a_value_entered_after_the_target_uses_it(forest, staff_of):
    lead = staff_of("省林草局")
    services.set_year_target(user=lead, measure=forest, year=2024, value=D("7.9"))
    mv = services.record_value(user=lead, measure=forest, year=2024, value=D("7.95"))
    assert mv.status == Status.MET


def test_only_the_lead_unit_and_in_the_plan_years(forest, staff_of):
    with pytest.raises(PermissionDenied):
        services.set_year_target(
            user=staff_of("省自然资源厅"), measure=forest, year=2023, value=D("7.8")
        )
    lead = staff_of("省林草局")
    with pytest.raises(ValidationError):
        services.set_year_target(user=lead, measure=forest, year=2030, value=D("9"))
    services.set_year_target(user=lead, measure=forest, year=2023, value=D("7.8"))
    with pytest.raises(ConcurrentEditError):  # someone set it meanwhile
        services.set_year_target(user=lead, measure=forest, year=2023, value=D("7.9"))
