"""One period rule for every monthly row, and one month field for every form and filter."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.contracts.filters import MonthFilter
from apps.contracts.models import ContractReport
from apps.core.forms import MonthField
from apps.core.models import MonthlyReport
from apps.projects.forms import MonthlyUpdateForm
from apps.projects.models import ProjectMonthlyUpdate, Stage

pytestmark = pytest.mark.django_db


def test_both_monthly_rows_share_the_rule():
    assert issubclass(ProjectMonthlyUpdate, MonthlyReport)
    assert issubclass(ContractReport, MonthlyReport)


def test_a_day_other_than_the_first_is_refused_not_moved(xining):
    from tests.contracts.factories import ContractFactory
    from tests.projects.factories import make_project

    update = ProjectMonthlyUpdate(
        project=make_project(xining),
        period=dt.date(2026, 10, 15),
        completed_this_month=Decimal("1.0000"),
        stage=Stage.PLANNING,
        progress="前期工作",
    )
    with pytest.raises(ValidationError) as exc:
        update.full_clean()
    assert "period" in exc.value.message_dict
    assert update.period == dt.date(2026, 10, 15)  # not silently rewritten to the 1st
    report = ContractReport(contract=ContractFactory(), period=dt.date(2017, 10, 2))
    with pytest.raises(ValidationError) as exc:
        report.full_clean()
    assert exc.value.message_dict["period"] == [MonthlyReport.PERIOD_ERROR]
    update.period = dt.date(2026, 10, 1)
    assert update.period_label == "2026年10月"


def test_one_month_field():
    field = MonthField()
    assert field.clean("2026-10") == dt.date(2026, 10, 1)
    with pytest.raises(ValidationError, match="YYYY-MM"):
        field.clean("十月")
    assert field.prepare_value(dt.date(2026, 10, 1)) == "2026-10"
    assert MonthFilter.field_class is MonthField
    assert type(MonthlyUpdateForm.base_fields["period"]) is MonthField
