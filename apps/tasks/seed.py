"""Seed data of the tasks app: the source documents and their tasks (the holiday calendar is
``apps.core.calendar.load_calendar``)."""

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from apps.core.calendar import load_calendar
from apps.reference.models import Organization, normalize_unit_name
from apps.tasks.deadlines import parse_deadline
from apps.tasks.models import (
    Assignment,
    AssignmentEvent,
    Chapter,
    SourceDocument,
    Task,
)
from apps.workgroups.models import WorkingGroup

SOURCE_CODES = ("004", "003", "002")


def _read(name: str) -> Any:
    return json.loads((settings.FIXTURES_DIR / "tasks" / name).read_text(encoding="utf-8"))


@dataclass
class Resolved:
    units: list[Organization] = field(default_factory=list)
    groups: list[WorkingGroup] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


class UnitResolver:
    """Spellings of the task fixtures → organisations, working groups, or kept-as-text phrases.

    1. an organisation name or alias (Organization.objects.name_index(): one unit however
       the documents spell it);
    2. a 专项工作组 (003's 责任单位): the organisations of the group's 成员;
    3. a phrase of fixtures/reference/unit_groups.json meaning "all <kind>" (各市州政府 → the
       8 prefecture governments, 省政府各委、办、厅、局 → every provincial department …);
    4. any other phrase (相关市州政府, 省有关单位, 各成员单位 …) names no definite units: it
       stays in the task's text and in ``unresolved_text``, and generates no assignment.
    """

    def __init__(self) -> None:
        self.index = Organization.objects.name_index()
        self.groups = {g.name: g for g in WorkingGroup.objects.prefetch_related("members")}
        phrases = json.loads(
            (settings.FIXTURES_DIR / "reference" / "unit_groups.json").read_text("utf-8")
        )
        self.phrases = {normalize_unit_name(p["phrase"]): p["means"] for p in phrases}
        self._by_kind: dict[str, list[Organization]] = {}
        for org in Organization.objects.filter(is_active=True).order_by("name"):
            self._by_kind.setdefault(org.kind, []).append(org)

    def kinds_meant(self, means: str) -> list[str]:
        if not means.startswith("all"):
            return []
        kinds = [k for k in re.findall(r"all ([a-z_]+)", means) if k in Organization.Kind.values]
        if "prefecture/county governments" in means:
            kinds += [Organization.Kind.PREFECTURE_GOVERNMENT, Organization.Kind.COUNTY_GOVERNMENT]
        if "provincial departments" in means:
            kinds.append(Organization.Kind.PROVINCIAL_DEPARTMENT)
        return list(dict.fromkeys(kinds))

    def resolve(self, spellings: list[str]) -> Resolved:
        out = Resolved()
        for spelling in spellings:
            key = normalize_unit_name(spelling)
            if key in self.index:
                out.units.append(self.index[key])
            elif "专项工作组" in key:
                groups = list(self.groups.values()) if key == "各专项工作组" else [self.groups[key]]
                out.groups.extend(groups)
                for group in groups:
                    out.units.extend(
                        m.organization
                        for m in group.members.all()
                        if m.role != m.Role.LEADER and m.organization is not None
                    )
            elif key in self.phrases:
                kinds = self.kinds_meant(self.phrases[key])
                if kinds:
                    for kind in kinds:
                        out.units.extend(self._by_kind.get(kind, []))
                else:
                    out.unresolved.append(spelling)
            else:
                raise ValueError(
                    gettext("单位“%(spelling)s”既不在参考数据中，也不是已知的统称")
                    % {"spelling": spelling}
                )
        out.units = list({u.pk: u for u in out.units}.values())
        return out


def load_document(code: str, resolver: UnitResolver) -> tuple[int, int]:
    doc = _read(f"source_{code}.json")
    src = doc["source"]
    source, _ = SourceDocument.objects.update_or_create(
        code=src["code"],
        defaults={k: v for k, v in src.items() if k != "code"},
    )
    chapters = {}
    for row in doc["chapters"]:
        chapter, _ = Chapter.objects.update_or_create(
            source=source, number=row["number"], defaults={"title": row["title"]}
        )
        chapters[chapter.number] = chapter
    existing = {
        (a.task_id, a.unit_id): a
        for a in Assignment.objects.filter(task__source=source).only(
            "id", "task_id", "unit_id", "role", "status", "due_date", "extension_days"
        )
    }
    new_assignments: list[Assignment] = []
    year = dt.date.fromisoformat(src["issued_on"]).year
    for row in doc["tasks"]:
        deadline = parse_deadline(row["deadline_text"], default_year=year)
        lead = resolver.resolve(row["lead_units"])
        part = resolver.resolve(row["participating_units"])
        lead_ids = {u.pk for u in lead.units}
        # A unit both leading and participating (overlapping expansions) leads.
        part_units = [u for u in part.units if u.pk not in lead_ids]
        task, _ = Task.objects.update_or_create(
            source=source,
            number=row["number"],
            defaults={
                "chapter": chapters.get(row["chapter"]),
                "title": row["title"],
                "content": row["content"],
                "lead_text": row["lead_text"],
                "participating_text": row["participating_text"],
                "unresolved_text": "、".join(lead.unresolved + part.unresolved),
                "deadline_text": row["deadline_text"],
                "deadline_note": row["deadline_note"],
                "due_date": deadline.due_date,
                "is_continuous": deadline.is_continuous,
            },
        )
        _set_m2m(task.lead_units, lead.units)
        _set_m2m(task.participating_units, part_units)
        _set_m2m(task.working_groups, lead.groups + part.groups)
        wanted = [(u, Assignment.Role.LEAD) for u in lead.units] + [
            (u, Assignment.Role.PARTICIPATING) for u in part_units
        ]
        for unit, role in wanted:
            current = existing.get((task.pk, unit.pk))
            if current is None:
                new_assignments.append(
                    Assignment(
                        task=task,
                        unit=unit,
                        role=role,
                        due_date=task.due_date,
                        assigned_on=source.issued_on,
                    )
                )
                continue
            changed = []
            if current.role != role:
                current.role = role
                changed.append("role")
            # Untouched assignments follow a corrected document deadline.
            if (
                current.status == Assignment.Status.ASSIGNED
                and current.extension_days == 0
                and current.due_date != task.due_date
            ):
                current.due_date = task.due_date
                changed.append("due_date")
            if changed:
                current.save(update_fields=changed)
        # Units dropped from the fixture lose their assignment unless work has started on it.
        wanted_ids = {u.pk for u, _ in wanted}
        Assignment.objects.filter(task=task, status=Assignment.Status.ASSIGNED).exclude(
            unit_id__in=wanted_ids
        ).filter(reports__isnull=True, extensions__isnull=True).delete()
    if new_assignments:
        created = bulk_create_with_history(new_assignments, Assignment, batch_size=500)
        created_ids = [a.pk for a in created if a.pk] or list(
            Assignment.objects.filter(task__source=source)
            .exclude(pk__in=[a.pk for a in existing.values()])
            .values_list("pk", flat=True)
        )
        AssignmentEvent.objects.bulk_create(
            [
                AssignmentEvent(
                    assignment_id=pk,
                    kind=AssignmentEvent.Kind.ASSIGNED,
                    to_status=Assignment.Status.ASSIGNED,
                    comment=f"按{source.doc_number}分工交办",
                )
                for pk in created_ids
            ],
            batch_size=500,
        )
    return len(doc["tasks"]), len(new_assignments)


def load_lifecycle() -> list[str]:
    """Periods and supervising units of the documents (fixtures/tasks/document_lifecycle.json),
    then the life cycle's daily step: a document whose period has ended is 总结评估, not live.

    The status is set only for a document still 执行中 — a document a person has closed or
    archived is never reopened by reloading the seeds.
    """
    index = Organization.objects.name_index()
    for code, row in _read("document_lifecycle.json").items():
        source = SourceDocument.objects.get(code=code)
        for name in ("period_start", "period_end"):
            setattr(source, name, dt.date.fromisoformat(row[name]) if row[name] else None)
        source.period_note = row["period_note"]
        source.supervised_by_groups = row["supervised_by_groups"]
        source.supervising_note = row["supervising_note"]
        source.save()
        units = []
        for name in row["supervising_units"]:
            unit = index.get(normalize_unit_name(name))
            if unit is None:
                raise ValueError(gettext("督办单位“%(name)s”不在单位名录中") % {"name": name})
            units.append(unit)
        _set_m2m(source.supervising_units, units)
    from apps.tasks.services import advance_document_periods

    return advance_document_periods()


def _set_m2m(manager, objects: list) -> None:
    wanted = {o.pk for o in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(list(wanted))


def load(*, stdout) -> None:
    stdout.write(f"  节假日安排 {load_calendar()} 天")
    resolver = UnitResolver()
    for code in SOURCE_CODES:
        tasks, assignments = load_document(code, resolver)
        stdout.write(f"  文件 {code}：任务 {tasks} 项，新交办 {assignments} 项")
    moved = load_lifecycle()
    if moved:
        stdout.write(f"  执行期已结束、转入总结评估：{'、'.join(moved)}")
