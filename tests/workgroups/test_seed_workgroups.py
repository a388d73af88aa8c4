"""The six 专项工作组 of the infrastructure plan (003) as the seed states them."""

import pytest

from apps.workgroups.models import GroupMember, WorkingGroup

pytestmark = pytest.mark.django_db

LEADERS = {
    "网络型基础设施建设专项工作组": ["王卫东", "匡湧"],
    "产业升级基础设施建设专项工作组": ["杨逢春", "刘超"],
    "城市基础设施建设专项工作组": ["匡湧", "杨志文"],
    "农业农村基础设施建设专项工作组": ["才让太"],
    "国家安全基础设施建设专项工作组": ["刘涛", "李宏亚"],
    "要素保障专项工作组": ["刘涛", "刘超"],
}


def test_six_groups_with_their_leaders_in_order():
    groups = list(WorkingGroup.objects.order_by("order"))
    assert [g.name for g in groups] == list(LEADERS)
    for group in groups:
        leaders = list(
            group.members.filter(role=GroupMember.Role.LEADER)
            .order_by("order")
            .values_list("person_name", flat=True)
        )
        assert leaders == LEADERS[group.name], group.name


def test_leaders_are_vice_governors_of_the_provincial_government():
    leaders = GroupMember.objects.filter(role=GroupMember.Role.LEADER)
    assert leaders.count() == 11
    assert set(leaders.values_list("organization__name", flat=True)) == {"省政府"}
    wang = leaders.get(person_name="王卫东")
    assert wang.title == "省委常委、常务副省长"


def test_member_counts_titles_and_organisations():
    counts = {
        g.short_name: g.members.filter(role=GroupMember.Role.MEMBER).count()
        for g in WorkingGroup.objects.all()
    }
    assert counts == {
        "网络型基础设施建设": 13,
        "产业升级基础设施建设": 10,
        "城市基础设施建设": 8,
        "农业农村基础设施建设": 10,
        "国家安全基础设施建设": 14,
        "要素保障": 11,
    }
    # Titles as the document words them; organisations resolved through aliases.
    tao = GroupMember.objects.get(person_name="陶永利")
    assert tao.title == "省交通控股集团有限公司董事长"
    assert tao.organization.name == "省交控集团"
    li = GroupMember.objects.get(person_name="李战明")
    assert (li.title, li.organization.name) == ("青海油田公司执行董事", "中石油青海油田分公司")
    # 张纳军 (省发展改革委主任) sits in all six groups.
    assert GroupMember.objects.filter(person_name="张纳军").count() == 6
    assert not GroupMember.objects.filter(organization__isnull=True).exists()


def test_remits_and_domains():
    network = WorkingGroup.objects.get(short_name="网络型基础设施建设")
    assert [d.code for d in network.domains.all()] == ["network"]
    assert network.remit.startswith("围绕联网补网强链")
    assert "交通、水利、能源" in network.remit
    factor = WorkingGroup.objects.get(short_name="要素保障")
    assert factor.domains.count() == 0
    assert "用地、用林、用草" in factor.remit
    domains = {g.short_name: [d.code for d in g.domains.all()] for g in WorkingGroup.objects.all()}
    assert domains == {
        "网络型基础设施建设": ["network"],
        "产业升级基础设施建设": ["industrial"],
        "城市基础设施建设": ["urban"],
        "农业农村基础设施建设": ["rural"],
        "国家安全基础设施建设": ["security"],
        "要素保障": [],
    }


def test_the_plans_ten_tasks_link_to_their_groups():
    network = WorkingGroup.objects.get(short_name="网络型基础设施建设")
    assert sorted(network.tasks.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 9]
    factor = WorkingGroup.objects.get(short_name="要素保障")
    assert sorted(factor.tasks.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
