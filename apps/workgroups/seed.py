"""Seed loader: the six 专项工作组 of the infrastructure plan (fixtures/workgroups/groups.json)."""

import json

from django.conf import settings
from django.utils.translation import gettext

from apps.reference.models import InfrastructureDomain, Organization, normalize_unit_name
from apps.workgroups.models import GroupMember, WorkingGroup


def load_groups() -> tuple[int, int]:
    rows = json.loads(
        (settings.FIXTURES_DIR / "workgroups" / "groups.json").read_text(encoding="utf-8")
    )
    index = Organization.objects.name_index()
    domains = {d.code: d for d in InfrastructureDomain.objects.all()}
    members = 0
    for row in rows:
        group, _ = WorkingGroup.objects.update_or_create(
            name=row["name"],
            defaults={
                "short_name": row["short_name"],
                "order": row["order"],
                "remit": row["remit"],
                "duties": row["duties"],
                "source": row["source"],
            },
        )
        wanted_domains = [domains[row["domain"]]] if row["domain"] else []
        if set(group.domains.all()) != set(wanted_domains):
            group.domains.set(wanted_domains)
        seats = []
        for order, person in enumerate(row["members"], start=1):
            org = index.get(normalize_unit_name(person["organization"]))
            if org is None:
                raise ValueError(
                    gettext("%(name)s: 单位“%(organization)s”不在参考数据中")
                    % {"name": group.name, "organization": person["organization"]}
                )
            seat, _ = GroupMember.objects.update_or_create(
                group=group,
                person_name=person["person_name"],
                role=person["role"],
                defaults={"title": person["title"], "organization": org, "order": order},
            )
            seats.append(seat.pk)
        # A member dropped from the fixture leaves the group (the seed is the source of truth).
        group.members.exclude(pk__in=seats).delete()
        members += len(seats)
    return len(rows), members


def load(*, stdout) -> None:
    groups, members = load_groups()
    stdout.write(f"  专项工作组 {groups} 个，成员 {members} 人次")
