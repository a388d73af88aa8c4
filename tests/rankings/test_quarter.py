"""A quarter's ranking covers its three months; its bulletin is one per quarter."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from apps.projects.models import ProjectMonthlyUpdate, Stage
from apps.rankings import selectors, services
from apps.rankings.models import Bulletin, Weight
from tests.notifications.scenario import library_project, resolve

pytestmark = pytest.mark.django_db
WEIGHTS = {m: Decimal(0) for m in selectors.DEFAULT_WEIGHTS} | {"timeliness": Decimal(100)}


def filed(project, period: dt.date, on: str):
    with freeze_time(on):
        ProjectMonthlyUpdate.objects.create(
            project=project, period=period, completed_this_month=Decimal(1),
            stage=Stage.PLANNING, progress="推进中",
        )  # fmt: skip


@freeze_time("2026-11-20 10:00:00+08:00")
def test_quarter_timeliness_over_three_months(reviewer):
    xining = library_project(resolve("西宁市政府"), "西宁项目", region="西宁市", total="9",
                             planned="3", approved_on=dt.date(2026, 1, 10))  # fmt: skip
    filed(xining, dt.date(2026, 7, 1), "2026-08-03 09:00:00+08:00")  # on time
    filed(xining, dt.date(2026, 8, 1), "2026-09-09 09:00:00+08:00")  # late
    # September not filed at all.
    rows = selectors.ranking(period=dt.date(2026, 7, 1), by="region", months=3, weights=WEIGHTS)
    row = next(r for r in rows if r["name"] == "西宁市")
    assert (row["reports_expected"], row["reports_on_time"]) == (3, 1)
    assert row["timeliness_rate"] == Decimal("0.3333") and row["score"] == Decimal("33.33")
    assert row["rank"] == 1  # the only 市州 with anything to rank

    for measure, weight in WEIGHTS.items():
        Weight.objects.update_or_create(measure=measure, defaults={"weight": weight})
    bulletin = services.publish_bulletin(
        user=reviewer, period=dt.date(2026, 8, 15), by="region", kind=Bulletin.Kind.QUARTER
    )
    assert bulletin.period == dt.date(2026, 7, 1)
    assert bulletin.title == "2026年第3季度各市州项目推进情况通报"
    with pytest.raises(ValidationError):  # the fourth quarter is still running
        services.publish_bulletin(
            user=reviewer, period=dt.date(2026, 10, 1), by="region", kind=Bulletin.Kind.QUARTER
        )
