"""The task lists of 004, 003 and 002 as the seeds state them."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from apps.reference.models import Organization
from apps.tasks.models import Assignment, Chapter, SourceDocument, Task

pytestmark = pytest.mark.django_db

PREFECTURES = {
    "西宁市政府",
    "海东市政府",
    "海北州政府",
    "黄南州政府",
    "海南州政府",
    "果洛州政府",
    "玉树州政府",
    "海西州政府",
}


def task(code: str, number: int) -> Task:
    return Task.objects.get(source__code=code, number=number)


def names(units) -> set[str]:
    return {u.name for u in units.all()}


def test_task_counts_per_document():
    assert Task.objects.filter(source__code="004").count() == 229
    assert Task.objects.filter(source__code="003").count() == 10
    assert Task.objects.filter(source__code="002").count() == 50
    assert Task.objects.count() == 289
    assert list(SourceDocument.objects.values_list("code", flat=True)) == ["004", "003", "002"]


def test_chapter_sizes_of_004():
    sizes = [
        (c.number, c.tasks.count())
        for c in Chapter.objects.filter(source__code="004").order_by("number")
    ]
    assert sizes == [
        (1, 24),
        (2, 14),
        (3, 13),
        (4, 25),
        (5, 10),
        (6, 16),
        (7, 19),
        (8, 16),
        (9, 12),
        (10, 9),
        (11, 38),
        (12, 12),
        (13, 9),
        (14, 12),
    ]
    first = Chapter.objects.get(source__code="004", number=1)
    assert first.title == "着力建设全国乃至国际生态文明高地"
    assert Chapter.objects.get(source__code="004", number=14).title == "建立保障规划实施新机制"


def test_002_sections():
    sizes = [c.tasks.count() for c in Chapter.objects.filter(source__code="002")]
    assert sizes == [13, 7, 18, 12]
    assert [c.title for c in Chapter.objects.filter(source__code="002")] == [
        "找准发力点",
        "找准创新点",
        "找准主攻点",
        "找准突破点",
    ]


def test_lead_units_of_sample_004_tasks_exactly_as_the_seed_states():
    t1 = task("004", 1)
    assert t1.lead_text == "省自然资源厅，各市州政府"
    assert names(t1.lead_units) == {"省自然资源厅"} | PREFECTURES
    assert names(t1.participating_units) == {
        "省发展改革委",
        "省住房城乡建设厅",
        "省生态环境厅",
        "省农业农村厅",
    }
    t8 = task("004", 8)
    assert t8.lead_text == "三江源国家公园管理局、省生态环境厅、省发展改革委、省财政厅、省水利厅"
    assert names(t8.lead_units) == {
        "三江源国家公园管理局",
        "省生态环境厅",
        "省发展改革委",
        "省财政厅",
        "省水利厅",
    }
    # "海西、海北州政府": an elliptical list of two prefecture governments.
    assert names(task("004", 14).lead_units) == {
        "省自然资源厅",
        "省林草局",
        "海西州政府",
        "海北州政府",
    }
    assert names(task("004", 87).lead_units) == {"西宁市政府"}
    t229 = task("004", 229)
    assert names(t229.lead_units) == {"省发展改革委"}
    # "省有关单位" names no definite unit: kept as text, no assignment.
    assert t229.participating_text == "省有关单位，各市州政府"
    assert names(t229.participating_units) == PREFECTURES
    assert t229.unresolved_text == "省有关单位"


def test_lead_units_of_sample_002_tasks_with_renamed_units():
    t1 = task("002", 1)
    assert t1.lead_text == "省环境保护厅、省经济和信息化委、省住房城乡建设厅"
    # 2017 names resolve to today's organisations.
    assert names(t1.lead_units) == {"省生态环境厅", "省工业和信息化厅", "省住房城乡建设厅"}
    counties = Organization.objects.filter(kind=Organization.Kind.COUNTY_GOVERNMENT).count()
    assert t1.participating_units.filter(kind="county_government").count() == counties
    # 青海银监局 and 青海保监局 are one organisation today: one participating unit.
    t23 = task("002", 23)
    assert "青海银监局" in t23.participating_text and "青海保监局" in t23.participating_text
    assert t23.participating_units.filter(name="青海银保监局").count() == 1
    assert Assignment.objects.filter(task=t23, unit__name="青海银保监局").count() == 1
    # Task 13 names only 责任单位: they lead.
    t13 = task("002", 13)
    assert t13.lead_text == ""
    assert "省教育厅" in names(t13.lead_units)
    assert t13.participating_units.count() == 0


def test_003_tasks_deadlines_and_working_groups():
    t1 = task("003", 1)
    assert t1.title == "建立基础设施建设专家智库"
    assert t1.lead_text == "各专项工作组"
    assert t1.deadline_text == "2022年8月中旬"
    assert t1.due_date == dt.date(2022, 8, 20)
    assert t1.working_groups.count() == 6
    # The groups' member units carry the task (42 distinct organisations, no 省政府).
    assert t1.lead_units.count() == 42
    assert not t1.lead_units.filter(name="省政府").exists()
    t3 = task("003", 3)
    assert (t3.deadline_text, t3.due_date, t3.is_continuous) == ("持续推进", None, True)
    t6 = task("003", 6)
    assert [g.short_name for g in t6.working_groups.all()] == ["要素保障"]
    assert names(t6.lead_units) == {
        "省发展改革委",
        "省财政厅",
        "省自然资源厅",
        "省生态环境厅",
        "省住房城乡建设厅",
        "省林草局",
        "省地方金融监管局",
        "省人防办",
        "省能源局",
        "人行西宁中心支行",
        "青海银保监局",
    }
    t10 = task("003", 10)
    assert names(t10.lead_units) == {"省发展改革委"}
    assert t10.deadline_text == "《青海省政府投资管理办法》于2022年8月底前完成"
    assert t10.due_date == dt.date(2022, 8, 31)


def test_document_horizons_as_due_dates():
    assert task("004", 100).deadline_text == "2025年"
    assert task("004", 100).due_date == dt.date(2025, 12, 31)
    assert task("002", 30).deadline_text == "三季度"
    assert task("002", 30).due_date == dt.date(2017, 9, 30)


def test_one_assignment_per_task_and_unit_with_its_role():
    t1 = task("004", 1)
    roles = dict(Assignment.objects.filter(task=t1).values_list("unit__name", "role"))
    assert roles["省自然资源厅"] == "lead"
    assert roles["西宁市政府"] == "lead"
    assert roles["省发展改革委"] == "participating"
    assert len(roles) == 13
    assert all(a.due_date == t1.due_date for a in Assignment.objects.filter(task=t1))
    assert Assignment.objects.filter(task__source__code="004").count() == 1627
    assert Assignment.objects.filter(task__source__code="003").count() == 286
    assert Assignment.objects.filter(task__source__code="002").count() == 627


def test_loading_twice_changes_nothing():
    before = (Task.objects.count(), Assignment.objects.count())
    call_command("load_seed_data", only=["workgroups", "tasks"], stdout=io.StringIO())
    assert (Task.objects.count(), Assignment.objects.count()) == before
