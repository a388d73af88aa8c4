"""The lead unit's 分年度目标 page (004 三(一), issue 11 point 8): entered through the policy,
audited, judged against at once, bad input refused with a reason, concurrent edits refused."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from freezegun import freeze_time

from apps.accounts.models import Role
from apps.indicators import services
from apps.indicators.choices import Direction, Status
from apps.indicators.models import MeasureValue, MeasureYearTarget

pytestmark = pytest.mark.django_db

URL = reverse("indicators:year-targets")


@pytest.fixture
def forest(measure):
    return measure(1, 9, 1)  # 森林覆盖率达到8.0％ (2025) — lead 省林草局


@pytest.fixture
def lead(staff_of):
    return staff_of("省林草局")


def post(client, year, measure, value, *, note="", version=0):
    return client.post(
        URL,
        {
            "year": year,
            f"target_{measure.pk}": value,
            f"note_{measure.pk}": note,
            f"version_{measure.pk}": version,
        },
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@freeze_time("2026-12-01")
def test_the_lead_unit_sets_a_years_target_and_the_status_follows(client, forest, lead):
    mv = services.record_value(user=lead, measure=forest, year=2022, value=D("7.6"))
    plan_path_status = mv.status
    client.force_login(lead)
    page = client.get(URL, {"year": 2022})
    assert page.status_code == 200
    rows = [row["measure"] for row in page.context["form"].rows()]
    assert forest in rows
    # Only measures judged by a number per year take a target.
    assert all(m.direction in (Direction.GTE, Direction.LTE, Direction.APPROX) for m in rows)

    r = post(client, 2022, forest, "7.7", note="2022年林草工作要点")
    assert r.status_code == 302 and r["Location"] == f"{URL}?year=2022"
    target = MeasureYearTarget.objects.get(measure=forest, year=2022)
    assert (target.value, target.note, target.entered_by, target.version) == (
        D("7.7"),
        "2022年林草工作要点",
        lead,
        1,
    )
    # Audited: the history row names who set it.
    assert target.history.get().history_user == lead
    # 7.6 against the year's 7.7: 滞后 — in the stored status and on the detail page.
    assert MeasureValue.objects.get(pk=mv.pk).status == Status.BEHIND
    detail = client.get(reverse("indicators:detail", args=[forest.indicator_id]), {"year": 2022})
    m = next(m for m in detail.context["indicator"].measure_list if m.pk == forest.pk)
    row = next(r for r in m.rows if r["year"] == 2022)
    assert (row["year_target"], row["status"]) == (D("7.7"), Status.BEHIND)

    # Cleared: back to the plan path, and the removal is in the audit trail.
    assert post(client, 2022, forest, "", version=1).status_code == 302
    assert not MeasureYearTarget.objects.filter(measure=forest, year=2022).exists()
    assert MeasureValue.objects.get(pk=mv.pk).status == plan_path_status
    assert [h.history_type for h in MeasureYearTarget.history.filter(id=target.pk)] == ["-", "+"]


def test_a_colleagues_target_is_not_overwritten(client, forest, lead, make_user):
    colleague = make_user(Role.STAFF, lead.organization, username="t_colleague")
    client.force_login(lead)
    drawn = client.get(URL, {"year": 2023}).context["form"]
    assert drawn[f"version_{forest.pk}"].initial == 0
    services.set_year_target(user=colleague, measure=forest, year=2023, value=D("7.8"))
    r = post(client, 2023, forest, "7.9", version=0)  # the page showed no target
    assert r.status_code == 400
    errors = r.context["form"].errors[f"target_{forest.pk}"]
    assert any("已被其他用户修改" in e for e in errors)
    assert "有年度目标未通过校验，本次未保存，请修改后重新提交。" in messages_of(r)
    assert MeasureYearTarget.objects.get(measure=forest, year=2023).value == D("7.8")
    # Cleared by the colleague while the page was open: refused too, not silently re-created.
    target = MeasureYearTarget.objects.get(measure=forest, year=2023)
    services.set_year_target(
        user=colleague, measure=forest, year=2023, value=None, version=target.version
    )
    r = post(client, 2023, forest, "7.9", version=target.version)
    assert r.status_code == 400
    assert any("已被其他用户清除" in e for e in r.context["form"].errors[f"target_{forest.pk}"])
    assert not MeasureYearTarget.objects.filter(measure=forest, year=2023).exists()


def test_bad_input_is_refused_with_a_reason(client, forest, lead):
    client.force_login(lead)
    r = post(client, 2023, forest, "七点八")
    assert r.status_code == 400 and r.context["form"].errors[f"target_{forest.pk}"]
    r = post(client, 2030, forest, "9")
    assert r.status_code == 400
    assert "年份无效：分年度目标只能填报 2021—2025 年，本次未保存。" in messages_of(r)
    r = post(client, 2023, forest, "7.8", note="依" * 256)
    assert r.status_code == 400 and r.context["form"].errors[f"note_{forest.pk}"]
    assert not MeasureYearTarget.objects.filter(measure=forest).exists()


def test_a_participating_unit_cannot_set_the_lead_units_target(client, forest, staff_of):
    other = staff_of("省自然资源厅")  # a participating unit of 森林覆盖率
    client.force_login(other)
    page = client.get(URL, {"year": 2023})
    assert forest not in [row["measure"] for row in page.context["form"].rows()]
    r = post(client, 2023, forest, "7.8")  # a hand-made field for a measure not on its page
    assert r.status_code == 302
    assert not MeasureYearTarget.objects.filter(measure=forest).exists()
