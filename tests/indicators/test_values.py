"""Entering yearly values: who may (lead units only), versions, stored status, summaries."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.concurrency import ConcurrentEditError
from apps.indicators import selectors, services
from apps.indicators.choices import Level, Status
from apps.indicators.models import Indicator, IndicatorLeadUnit, MeasureValue
from tests.policy_table import POLICY_TABLE, check_policy_row, policy_table_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def forest(measure):
    return measure(1, 9, 1)  # 森林覆盖率达到8.0％ — lead 省林草局, participating 省自然资源厅


def test_lead_unit_staff_enter_a_value_and_its_status_is_stored(forest, staff_of):
    user = staff_of("省林草局")
    mv = services.record_value(user=user, measure=forest, year=2023, value=D("8.1"))
    mv.refresh_from_db()
    assert (mv.status, mv.entered_by, mv.version) == (Status.MET, user, 1)
    assert mv.history.count() == 1


def test_unit_named_the_old_way_is_the_same_lead(measure, staff_of):
    """二级47 粮食: 牵头 省农业农村厅、省粮食局 (also spelt 省粮食和物资储备局)."""
    grain = measure(2, 47, 2)
    user = staff_of("省粮食和物资储备局")
    services.record_value(user=user, measure=grain, year=2022, value=D("50"))


@pytest.mark.parametrize(
    "unit",
    ["省自然资源厅", "西宁市政府"],  # participating unit; unrelated unit
)
def test_other_units_may_not_enter(forest, staff_of, unit):
    with pytest.raises(PermissionDenied):
        services.record_value(user=staff_of(unit), measure=forest, year=2023, value=D("8"))
    assert not MeasureValue.objects.filter(measure=forest).exists()


def test_participating_unit_sees_but_cannot_enter(forest, staff_of):
    user = staff_of("省自然资源厅")
    assert forest.indicator in selectors.indicators_for(user)
    assert forest not in selectors.measures_for_entry(user)
    assert not services.may_enter_values(user, forest)


def test_leader_and_reviewer_of_another_unit_may_not_enter(forest, leader, reviewer):
    for user in (leader, reviewer):
        with pytest.raises(PermissionDenied):
            services.record_value(user=user, measure=forest, year=2023, value=D("8"))


def test_reviewer_enters_for_the_indicators_ndrc_leads(measure, reviewer):
    gdp = measure(1, 1)  # 牵头单位：省发展改革委
    mv = services.record_value(user=reviewer, measure=gdp, year=2022, value=D("2.3"))
    assert mv.status == Status.BEHIND  # 5.5%左右 ±0.5, yearly


def test_admin_may_enter_anything(forest, admin_user_):
    services.record_value(user=admin_user_, measure=forest, year=2021, value=D("7.6"))


def test_measures_for_entry_are_those_the_unit_leads(staff_of):
    user = staff_of("省林草局")
    got = [
        (m.indicator.level, m.indicator.number, m.order) for m in selectors.measures_for_entry(user)
    ]
    assert got == [(1, 9, 1), (1, 9, 2), (1, 15, 1), (2, 2, 1)]


def test_a_stale_version_is_refused(forest, staff_of):
    user = staff_of("省林草局")
    mv = services.record_value(user=user, measure=forest, year=2023, value=D("7.9"))
    services.record_value(user=user, measure=forest, year=2023, value=D("7.95"), version=1)
    with pytest.raises(ConcurrentEditError):
        services.record_value(user=user, measure=forest, year=2023, value=D("8"), version=1)
    # Somebody who saw no value yet cannot overwrite one entered meanwhile either.
    with pytest.raises(ConcurrentEditError):
        services.record_value(user=user, measure=forest, year=2023, value=D("8"))
    mv.refresh_from_db()
    assert (mv.value, mv.version) == (D("7.95"), 2)


def test_entering_the_base_year_rejudges_later_years(forest, staff_of):
    user = staff_of("省林草局")
    later = services.record_value(user=user, measure=forest, year=2023, value=D("7.8"))
    assert later.status == Status.BEHIND  # no 2020 value yet: judged against 8.0 directly
    services.record_value(user=user, measure=forest, year=2020, value=D("7.5"))
    later.refresh_from_db()
    assert later.status == Status.ON_TRACK  # 0.3 of 0.5 by 2023


def test_values_are_checked(measure, staff_of):
    energy = measure(1, 12)  # 能耗降低控制在国家下达目标内 — 省工业和信息化厅
    user = staff_of("省工业和信息化厅")
    with pytest.raises(ValidationError) as err:
        services.record_value(user=user, measure=energy, year=2022, value=D("3.2"))
    assert "value" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.record_value(user=user, measure=energy, year=2027, value=D("1"))
    assert "year" in err.value.message_dict
    assert services.record_value(user=user, measure=energy, year=2022, value=D("1")).status == (
        Status.MET
    )


def test_status_summary(measure, staff_of, admin_user_):
    services.record_value(user=admin_user_, measure=measure(1, 9, 1), year=2023, value=D("8.2"))
    services.record_value(user=admin_user_, measure=measure(1, 9, 2), year=2023, value=D("50"))
    services.record_value(user=admin_user_, measure=measure(1, 12), year=2023, value=D("1"))
    services.record_value(user=admin_user_, measure=measure(2, 13), year=2023, value=D("3"))
    summary = selectors.indicator_status_summary(year=2023)
    assert summary["measures"] == {"met": 2, "on_track": 1, "behind": 1, "no_data": 95}
    # 一级9 has a met and a behind measure: behind. 一级12 met, 二级13 (3 of 5 by 2023) on track.
    assert summary["indicators"] == {"met": 1, "on_track": 1, "behind": 1, "no_data": 71}
    assert summary["by_level"]["1"]["indicators"] == {
        "met": 1,
        "on_track": 0,
        "behind": 1,
        "no_data": 23,
    }
    assert summary["binding"] == {"met": 1, "on_track": 0, "behind": 1, "no_data": 5}
    assert summary["indicator_total"] == 74 and summary["measure_total"] == 99


def test_measure_statuses_of_a_year(measure, admin_user_):
    services.record_value(user=admin_user_, measure=measure(1, 9, 1), year=2023, value=D("8.2"))
    rows = {
        (m.indicator.level, m.indicator.number, m.order): m.year_status
        for m in selectors.measure_statuses(2023)
    }
    assert rows[(1, 9, 1)] == Status.MET
    assert rows[(1, 9, 2)] == Status.NO_DATA
    assert len(rows) == 99


def _indicator_led_by(org):
    number = 900 + Indicator.objects.filter(number__gte=900).count()
    ind = Indicator.objects.create(level=Level.SECONDARY, number=number, text="测试指标")
    IndicatorLeadUnit.objects.create(indicator=ind, organization=org)
    return ind


@pytest.mark.parametrize(("role", "extra", "expected"), POLICY_TABLE, ids=policy_table_ids())
def test_policy_table_for_indicators(role, extra, expected):
    check_policy_row(role, extra, expected, _indicator_led_by)


def test_default_year():
    assert selectors.default_year(dt.date(2026, 3, 1)) == 2025
    assert selectors.default_year(dt.date(2023, 3, 1)) == 2022
    assert selectors.default_year(dt.date(2021, 3, 1)) == 2021


def test_admin_pages_and_target_change_rejudges(client, admin_user_, measure, indicator):
    forest = measure(1, 9)
    services.record_value(user=admin_user_, measure=forest, year=2023, value=D("7.9"))
    client.force_login(admin_user_)
    for url in (
        "/admin/indicators/indicator/",
        f"/admin/indicators/indicator/{indicator(1, 9).pk}/change/",
        "/admin/indicators/measurevalue/",
    ):
        assert client.get(url).status_code == 200, url
    mv = MeasureValue.objects.get(measure=forest, year=2023)
    page = client.get(f"/admin/indicators/measurevalue/{mv.pk}/change/")
    assert page.status_code == 200
    assert 'name="value"' not in page.content.decode()  # values are read-only in the admin
    assert client.get("/admin/indicators/measurevalue/add/").status_code == 403
    res = client.post(
        f"/admin/indicators/measure/{forest.pk}/change/",
        {
            "indicator": forest.indicator_id,
            "order": 1,
            "name": forest.name,
            "target_text": "7.9%",
            "target_value": "7.9",
            "unit": "%",
            "direction": "gte",
            "base_year": 2020,
            "target_year": 2025,
        },
    )
    assert res.status_code == 302
    mv.refresh_from_db()
    assert mv.status == Status.MET
