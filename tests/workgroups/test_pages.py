"""Working-group pages: members, the plan's tasks and the library projects of the domains."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.projects import services as project_services
from apps.projects.models import Tier
from apps.reference.models import InfrastructureDomain, Region, Sector
from apps.workgroups.models import WorkingGroup
from tests.projects.factories import fill_checklist

pytestmark = pytest.mark.django_db


def make_projects(n, *, unit, domain_code, approve=True, admin):
    """Projects of the library, taken through the projects app's own review workflow."""
    domain = InfrastructureDomain.objects.get(code=domain_code)
    region = Region.objects.get(name="西宁市")
    sector = Sector.objects.get(name="交通运输")
    made = []
    for i in range(n):
        project = project_services.create_project(
            user=admin,
            data={
                "name": f"{domain.name}测试项目{i}",
                "tier": Tier.PREFECTURE,
                "region": region,
                "sector": sector,
                "responsible_unit": unit,
                "infrastructure_domain": domain,
                "total_investment": Decimal("10.0000") + i,
                "plan_year": 2026,
                "planned_investment_year": Decimal("1.0000"),
                "scale_content": "测试",
                "planned_start": dt.date(2026, 3, 1),
                "planned_end": dt.date(2027, 12, 31),
            },
        )
        if approve:
            for action in ("submit", "start_review", "approve"):
                if action == "approve":
                    fill_checklist(project, admin)
                project_services.transition(
                    user=admin, project=project, action=action, comment="测试"
                )
        made.append(project)
    return made


def group(short_name):
    return WorkingGroup.objects.get(short_name=short_name)


def test_group_list(client, leader):
    client.force_login(leader)
    page = client.get("/workgroups/").content.decode()
    for g in WorkingGroup.objects.all():
        assert g.name in page
    assert "王卫东" in page and "才让太" in page


def test_group_page_shows_members_tasks_and_its_domains_library_projects(
    client, leader, xining, ndrc, admin_user_
):
    make_projects(3, unit=xining, domain_code="network", admin=admin_user_)
    make_projects(2, unit=ndrc, domain_code="urban", admin=admin_user_)  # another group's domain
    make_projects(1, unit=xining, domain_code="network", approve=False, admin=admin_user_)
    client.force_login(leader)
    r = client.get(f"/workgroups/{group('网络型基础设施建设').pk}/")
    html = r.content.decode()
    assert "王卫东" in html and "省委常委、常务副省长" in html
    assert "省交通控股集团有限公司董事长" in html
    assert [t.number for t in r.context["tasks"]] == [1, 2, 3, 4, 5, 9]
    names = {p.name for p in r.context["page"]}
    assert names == {f"网络型基础设施测试项目{i}" for i in range(3)}
    assert r.context["totals"]["count"] == 3


def test_factor_group_has_no_domain_projects(client, leader, xining, admin_user_):
    make_projects(2, unit=xining, domain_code="network", admin=admin_user_)
    client.force_login(leader)
    r = client.get(f"/workgroups/{group('要素保障').pk}/")
    assert r.context["totals"]["count"] == 0
    assert "不分管具体领域" in r.content.decode()


def test_unit_staff_see_only_their_units_projects_on_the_group_page(
    client, staff_haidong, xining, haidong, admin_user_
):
    make_projects(2, unit=xining, domain_code="rural", admin=admin_user_)
    make_projects(1, unit=haidong, domain_code="rural", admin=admin_user_)
    client.force_login(staff_haidong)
    r = client.get(f"/workgroups/{group('农业农村基础设施建设').pk}/")
    assert r.context["totals"]["count"] == 1


def test_group_page_query_count_does_not_grow_with_projects(client, leader, xining, admin_user_):
    client.force_login(leader)
    url = f"/workgroups/{group('城市基础设施建设').pk}/"
    make_projects(2, unit=xining, domain_code="urban", admin=admin_user_)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_projects(25, unit=xining, domain_code="urban", admin=admin_user_)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
