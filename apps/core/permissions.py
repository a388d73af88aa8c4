"""The one place that decides who may see and change what.

Every model that is served declares how it is scoped; ``restrict``/``can`` refuse (TypeError)
a model that declares nothing, so a new model cannot be served unscoped by accident:

* **owned** — ``owner_fields``: the ORM paths to the organisation(s) that own a row (e.g.
  ``("responsible_unit",)``, or ``("lead_units", "participating_units")`` for a task). Rows of
  the supervision loop also name ``lead_fields``: the lead units of the row's task, which
  follow (view, and accept/return) the work of the task's participating units.
* **public** — ``policy_scope = Scope.PUBLIC``: reference data (regions, sectors, domains,
  organisations, working groups, fairs). Every signed-in user reads it; changes are for the
  owners named in ``owner_fields`` if the model has them (a unit's own profile, a fair's
  coordinating unit), else for administrators only.
* **personal** — ``policy_scope = Scope.PERSONAL`` and ``owner_user_field``: a user's own
  records (their jobs, their inbox). Only their owner reaches them; administrators may look
  (VIEW) but not act on another user's records.

The rules, per role, for owned records:

============  ======================  ==========================  ==============================
role          view                    change                      special
============  ======================  ==========================  ==============================
staff         own unit's records      own unit's records          submit own projects
coordinator   everything              own unit's records          coordinate (chase, accept,
                                                                  approve extensions)
reviewer      everything              own unit's records          review the project library of
                                                                  their tier (省级: the province's
                                                                  reviewer; 市州级/县级: the
                                                                  市州 发改委's), see REVIEW below
leader        everything              nothing                     —
api_client    everything (read-only)  own unit's, if api_write    —
admin         everything              everything                  review, coordinate
============  ======================  ==========================  ==============================

Named actions (rules about particular records live here too, not in the apps):

* ``REVIEW`` — move projects into/out of review and the library: reviewers, admins.
* ``COORDINATE`` — chase late units, import ledgers, decide extensions: coordinators, admins.
* ``ENTER_VALUES`` — enter an indicator's monitoring values: the indicator's *lead* units'
  writers (participating units only view), admins.
* ``SUPERVISE`` — accept, return or order 补办 of an assignment: the coordinators/reviewers of
  a unit supervising its document (the model's ``supervisors_q``: 004 → 省发展改革委 and
  省政府督查室, 003 → the task's working-group members, a document naming none → any
  coordinator), and the task's lead unit's writers for the assignments of its *participating*
  units (004 §四(二)); never for one's own unit's record. Admins always.
* ``DECIDE`` — decide an extension or a decline (退单): the document's supervisors only (the
  same ``supervisors_q``, without the lead units); never one's own unit's record.

How a refusal looks (one rule, pages and API alike):

* a row outside the user's VIEW scope does not exist for them: **404** (its existence is not
  disclosed);
* a page or action the user may see but not use: ``PermissionDenied`` → **403** (the friendly
  403 page for pages, ``{"detail": ...}`` for the API);
* not signed in: pages redirect to the login page, the API answers 401/403.

Pages go through ``apps.core.pages.policy_view``, API viewsets through
``apps.core.api.ScopedViewSetMixin``, admin pages through ``apps.core.admin.PolicyAdminMixin``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role
from apps.core.scopes import Scope


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    REVIEW = "review"  # move projects into/out of review and the library (审核/入库/出库)
    COORDINATE = "coordinate"  # chase late units, accept tasks, approve extensions
    ENTER_VALUES = "enter_values"  # an indicator's lead units enter its monitoring values
    SUPERVISE = "supervise"  # accept/return an assignment (its document's supervisors; lead unit)
    DECIDE = "decide"  # extensions and declines (退单): the document's supervisors


SEE_EVERYTHING = {Role.REVIEWER, Role.LEADER, Role.COORDINATOR, Role.API_CLIENT, Role.ADMIN}


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_signed_in(user: Any) -> bool:
    """An active, authenticated user: the least any page or endpoint asks."""
    return _active(user)


def belongs_to_unit(user: Any) -> bool:
    """The user works for an organisation (我的任务, 本单位 pages)."""
    return _active(user) and bool(user.organization_id)


def is_admin(user: Any) -> bool:
    return _active(user) and (user.is_superuser or user.role == Role.ADMIN)


def sees_everything(user: Any) -> bool:
    return _active(user) and (user.is_superuser or user.role in SEE_EVERYTHING)


def may_change_own_unit(user: Any) -> bool:
    """Whether the user's role lets them change their own unit's records at all."""
    if not _active(user) or not user.organization_id:
        return False
    if user.role in {Role.STAFF, Role.COORDINATOR, Role.REVIEWER}:
        return True
    return user.role == Role.API_CLIENT and user.api_write


def may_review(user: Any) -> bool:
    return _active(user) and (is_admin(user) or user.role == Role.REVIEWER)


# --- REVIEW of the project library, per tier ------------------------------------------------
# A reviewer's unit decides what it reviews: a 市州 发展改革委 (a unit whose region is a 市州 or
# lies in one) reviews the 市州级 and 县级 projects of that 市州; the provincial reviewer
# (省发展改革委, a unit of the province) reviews the 省级 ones. Every reviewer sees everything.


def reviewer_prefecture_id(user: Any) -> int | None:
    """The 市州 a reviewer reviews for, or None for a provincial reviewer."""
    org = getattr(user, "organization", None) if getattr(user, "organization_id", None) else None
    region = org.region if org is not None and org.region_id else None
    if region is None:
        return None
    prefecture = region.prefecture()
    return prefecture.pk if prefecture is not None else None


def review_scope_q(user: Any) -> Q:
    """The projects this reviewer may review, as a filter on ``Project`` (REVIEW rule)."""
    if not may_review(user):
        return Q(pk__in=[])
    if is_admin(user):
        return Q()
    prefecture = reviewer_prefecture_id(user)
    if prefecture is None:
        return Q(tier="province")
    return Q(tier__in=["prefecture", "county"]) & (
        Q(region_id=prefecture) | Q(region__parent_id=prefecture)
    )


def may_review_project(user: Any, project: Any) -> bool:
    """REVIEW of one project: the reviewer of its tier (and, below the province, its 市州)."""
    if not may_review(user):
        return False
    if is_admin(user):
        return True
    prefecture = reviewer_prefecture_id(user)
    if prefecture is None:
        return project.tier == "province"
    if project.tier not in ("prefecture", "county"):
        return False
    region = project.region
    return prefecture in (region.pk, region.parent_id)


def reviewers_of_q(project: Any) -> Q:
    """The users (a filter on ``User``) whose REVIEW rule covers ``project``; the mirror of
    ``may_review_project`` for choosing whom to notify (administrators aside)."""
    region = project.region if project.region_id else None
    prefecture = region.prefecture() if region is not None else None
    if project.tier == "province" or prefecture is None:
        return (
            Q(organization__isnull=True)
            | Q(organization__region__isnull=True)
            | Q(organization__region__level="province")
        )
    if project.tier not in ("prefecture", "county"):
        return Q(pk__in=[])
    return Q(organization__region=prefecture) | Q(organization__region__parent=prefecture)


def may_run_campaigns(user: Any) -> bool:
    """Open a year's 谋划行动 (001 四(三): 省发展改革委 "发挥牵总协调作用"): the provincial
    reviewer's unit (a reviewer of no 市州) and the administrator; a 市州 发展改革委 reviews its
    own projects but does not run the province's campaign."""
    if is_admin(user):
        return True
    return may_review(user) and reviewer_prefecture_id(user) is None


def may_coordinate(user: Any, coordinating_unit: models.Model | None = None) -> bool:
    """Coordinators act for the ledgers/tasks their unit coordinates (any, if none is named)."""
    if is_admin(user):
        return True
    if not _active(user) or user.role != Role.COORDINATOR:
        return False
    return coordinating_unit is None or coordinating_unit.pk == user.organization_id


def may_urge(user: Any, coordinating_unit: models.Model | None = None) -> bool:
    """催办: reviewers (the library's 调度) and coordinators (their ledgers), and admins."""
    return may_review(user) or may_coordinate(user, coordinating_unit)


def scope_of(model: type[models.Model]) -> Scope:
    """How ``model`` is scoped; a model that declares nothing cannot be served (TypeError)."""
    declared = getattr(model, "policy_scope", None)
    if declared is None:
        if getattr(model, "owner_fields", None):
            return Scope.OWNED
        raise TypeError(
            f"{model.__name__} declares neither owner_fields nor policy_scope; "
            "the policy cannot scope it."
        )
    scope = Scope(declared)
    if scope == Scope.PERSONAL and not getattr(model, "owner_user_field", None):
        raise TypeError(f"{model.__name__} is personal but declares no owner_user_field.")
    return scope


def declares_scope(model: type[models.Model]) -> bool:
    try:
        scope_of(model)
    except TypeError:
        return False
    return True


def owner_fields(model: type[models.Model]) -> tuple[str, ...]:
    fields = getattr(model, "owner_fields", None)
    if not fields:
        raise TypeError(f"{model.__name__} declares no owner_fields; the policy cannot scope it.")
    return tuple(fields)


def lead_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(getattr(model, "lead_fields", ()) or ())


def _paths_q(paths: tuple[str, ...], organization_id: int) -> Q:
    return reduce(or_, (Q(**{path: organization_id}) for path in paths))


def owned_by_q(model: type[models.Model], organization_id: int) -> Q:
    """Rows of ``model`` owned by the organisation through any of its owner fields."""
    return _paths_q(owner_fields(model), organization_id)


def _visible_q(model: type[models.Model], organization_id: int) -> Q:
    """Owned rows, plus — for the supervision loop — rows of tasks the organisation leads."""
    q = owned_by_q(model, organization_id)
    if lead_fields(model):
        q |= _paths_q(lead_fields(model), organization_id)
    return q


def _filter_distinct(queryset: models.QuerySet, q: Q, paths: tuple[str, ...]) -> models.QuerySet:
    scoped = queryset.filter(q)
    # A path through a many-to-many field can match a row twice.
    if any("__" in p or _is_m2m(queryset.model, p) for p in paths):
        scoped = queryset.filter(pk__in=scoped.values("pk"))
    return scoped


def restrict(queryset: models.QuerySet, user: Any, action: str = Action.VIEW) -> models.QuerySet:
    """Narrow a queryset to the rows the user may act on. Always call this before serving rows."""
    model = queryset.model
    scope = scope_of(model)  # fail loudly for a model the policy cannot scope, whoever asks
    action = Action(action)
    if not _active(user):
        return queryset.none()
    if scope == Scope.PERSONAL:
        # Administrators look at anyone's jobs and messages but act only on their own.
        if action == Action.VIEW and is_admin(user):
            return queryset
        if action not in (Action.VIEW, Action.CHANGE):
            return queryset.none()
        return queryset.filter(**{model.owner_user_field: user.pk})
    if is_admin(user):
        return queryset
    if scope == Scope.PUBLIC:
        if action == Action.VIEW:
            return queryset
        if action == Action.CHANGE and getattr(model, "owner_fields", None):
            if not may_change_own_unit(user):
                return queryset.none()
            return _filter_distinct(
                queryset, owned_by_q(model, user.organization_id), owner_fields(model)
            )
        if action not in (Action.REVIEW, Action.COORDINATE):
            return queryset.none()
    if action == Action.VIEW:
        if sees_everything(user):
            return queryset
        if not user.organization_id:
            return queryset.none()
        return _filter_distinct(
            queryset,
            _visible_q(model, user.organization_id),
            owner_fields(model) + lead_fields(model),
        )
    if action == Action.CHANGE:
        if not may_change_own_unit(user):
            return queryset.none()
        return _filter_distinct(
            queryset, owned_by_q(model, user.organization_id), owner_fields(model)
        )
    if action == Action.REVIEW:
        if not may_review(user):
            return queryset.none()
        # Projects are reviewed per tier; other models have no review scope.
        is_project = {"tier", "region"} <= {f.name for f in model._meta.get_fields()}
        return queryset.filter(review_scope_q(user)) if is_project else queryset
    if action == Action.COORDINATE:
        return queryset if may_coordinate(user) else queryset.none()
    if action == Action.ENTER_VALUES:
        if not may_change_own_unit(user):
            return queryset.none()
        paths = _enter_fields(model)
        return _filter_distinct(queryset, _paths_q(paths, user.organization_id), paths)
    if action in (Action.SUPERVISE, Action.DECIDE):
        if not user.organization_id:
            return queryset.none()
        # The rule follows many-to-many paths (supervising units, group seats): one row each.
        return queryset.filter(
            pk__in=model._default_manager.filter(_supervise_q(model, user, action)).values("pk")
        )
    raise ValueError(f"Unknown action {action!r}")


def _supervise_q(model: type[models.Model], user: Any, action: Action) -> Q:
    """SUPERVISE/DECIDE as a filter: the record's document supervisors (the model's own
    ``supervisors_q``), for SUPERVISE also the lead unit of a task over its participating
    units' records; never a unit's own record."""
    if not hasattr(model, "supervisors_q"):
        raise TypeError(f"{model.__name__} declares no supervisors_q (who supervises it).")
    org_id = user.organization_id
    q = model.supervisors_q(user)
    lead = action == Action.SUPERVISE and hasattr(model, "supervised_by_lead_q")
    if lead and may_change_own_unit(user):
        q |= _paths_q(_lead_paths(model), org_id) & model.supervised_by_lead_q()
    return q & ~owned_by_q(model, org_id)


REFUSALS = {
    Action.VIEW: _("无权查看该记录。"),
    Action.CHANGE: _("只能修改本单位的记录。"),
    Action.REVIEW: _(
        "只有该项目所属层级的审核员可以执行此审核操作"
        "（省级项目：省发展改革委；市州级、县级项目：所在市州发展改革委）。"
    ),
    Action.COORDINATE: _("只有牵头协调单位可以执行此操作。"),
    Action.ENTER_VALUES: _("只有该指标的牵头单位可以填报监测值。"),
    Action.SUPERVISE: _("只有本任务来源文件的督办单位或本任务的牵头单位可以审核办结或退回。"),
    Action.DECIDE: _("只有本任务来源文件的督办单位可以审批延期和退单。"),
}


def refusal(action: str) -> str:
    """The message of a refusal of ``action`` (the 403's text on pages and in the API)."""
    return REFUSALS.get(Action(action), _("无权执行该操作。"))


def _enter_fields(model: type[models.Model]) -> tuple[str, ...]:
    fields = tuple(getattr(model, "enter_fields", ()) or ())
    if not fields:
        raise TypeError(f"{model.__name__} declares no enter_fields (who enters its values).")
    return fields


def _lead_paths(model: type[models.Model]) -> tuple[str, ...]:
    if not lead_fields(model) or not hasattr(model, "supervised_by_lead_q"):
        raise TypeError(f"{model.__name__} declares no lead_fields/supervised_by_lead_q.")
    return lead_fields(model)


def _is_m2m(model: type[models.Model], path: str) -> bool:
    try:
        return model._meta.get_field(path).many_to_many
    except Exception:
        return False


def owning_organization_ids(obj: models.Model) -> set[int]:
    """The ids of the organisations that own ``obj`` (following each owner path)."""
    return _organizations_on(obj, owner_fields(type(obj)))


def _organizations_on(obj: models.Model, paths: tuple[str, ...]) -> set[int]:
    ids: set[int] = set()
    for path in paths:
        ids |= _follow(obj, path.split("__"))
    return ids


def _follow(obj: Any, parts: list[str]) -> set[int]:
    if obj is None:
        return set()
    head, *rest = parts
    if head.endswith("_id") and not rest:
        value = getattr(obj, head)
        return {value} if value is not None else set()
    field = obj._meta.get_field(head)
    if field.many_to_many or field.one_to_many:
        related = getattr(obj, head).all()
        if not rest:
            return {o.pk for o in related}
        return set().union(*(_follow(o, rest) for o in related)) if related else set()
    if not rest:
        value = getattr(obj, field.attname)
        return {value} if value is not None else set()
    return _follow(getattr(obj, head), rest)


def can(user: Any, action: str, obj: models.Model) -> bool:
    """May ``user`` perform ``action`` on this one object? (Agrees with ``restrict``.)"""
    model = type(obj)
    scope = scope_of(model)
    action = Action(action)
    if not _active(user):
        return False
    if scope == Scope.PERSONAL:
        if action == Action.VIEW and is_admin(user):
            return True
        owner_id = getattr(obj, f"{model.owner_user_field}_id", None)
        return action in (Action.VIEW, Action.CHANGE) and owner_id == user.pk
    if is_admin(user):
        return True
    if scope == Scope.PUBLIC:
        if action == Action.VIEW:
            return True
        if action == Action.CHANGE:
            return (
                bool(getattr(model, "owner_fields", None))
                and may_change_own_unit(user)
                and user.organization_id in owning_organization_ids(obj)
            )
    org_id = user.organization_id
    if action == Action.VIEW:
        if sees_everything(user):
            return True
        paths = owner_fields(model) + lead_fields(model)
        return bool(org_id) and org_id in _organizations_on(obj, paths)
    if action == Action.CHANGE:
        return may_change_own_unit(user) and org_id in owning_organization_ids(obj)
    if action == Action.REVIEW:
        if hasattr(obj, "tier") and hasattr(obj, "region_id"):
            return may_review_project(user, obj)
        return may_review(user)
    if action == Action.COORDINATE:
        return may_coordinate(user, getattr(obj, "coordinating_unit", None))
    if action == Action.ENTER_VALUES:
        return may_change_own_unit(user) and org_id in _organizations_on(obj, _enter_fields(model))
    if action in (Action.SUPERVISE, Action.DECIDE):
        if not org_id or org_id in owning_organization_ids(obj):
            return False
        return model._default_manager.filter(_supervise_q(model, user, action), pk=obj.pk).exists()
    raise ValueError(f"Unknown action {action!r}")


def acts_for(user: Any, obj: models.Model, *paths: str) -> bool:
    """May ``user`` act for ``obj`` as the unit reached through one of ``paths``?

    For records owned by several units that each take their own steps (a problem ticket:
    the reporting unit confirms, the responsible department answers): the owner paths are a
    subset of the model's ``owner_fields``.
    """
    unknown = set(paths) - set(owner_fields(type(obj)))
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} are not owner fields of {type(obj)}")
    if is_admin(user):
        return True
    if not may_change_own_unit(user):
        return False
    return any(user.organization_id in _follow(obj, p.split("__")) for p in paths)


def can_create_for(user: Any, organization: models.Model | int | None) -> bool:
    """May ``user`` create a record owned by ``organization``?"""
    if is_admin(user):
        return True
    org_id = getattr(organization, "pk", organization)
    return may_change_own_unit(user) and org_id is not None and org_id == user.organization_id


def can_create(user: Any) -> bool:
    """May ``user`` create records at all (for showing 'new' buttons)?"""
    return is_admin(user) or may_change_own_unit(user)


def organizations_for_forms(user: Any) -> models.QuerySet:
    """The organisations a user may pick as owner in a form: their own, or all for admins."""
    # The unit model is whatever ``user.organization`` points to: core names no domain app.
    Organization = get_user_model()._meta.get_field("organization").related_model

    if is_admin(user):
        return Organization.objects.all()
    if may_change_own_unit(user):
        return Organization.objects.filter(pk=user.organization_id)
    return Organization.objects.none()


# Apps whose records are never shown on the audit-trail page, whatever they declare: accounts
# (e-mail changes, roles), tokens, sessions, Django's own tables.
AUDIT_TRAIL_NEVER = frozenset(
    {"accounts", "auth", "authtoken", "sessions", "admin", "contenttypes", "axes"}
)


def serves_audit_trail(model: type[models.Model]) -> bool:
    """Whether the audit-trail page may show ``model``: a business model, scoped, audited."""
    return (
        model._meta.app_label not in AUDIT_TRAIL_NEVER
        and hasattr(model, "history")
        and declares_scope(model)
    )


def restrict_audit_trail(queryset: models.QuerySet, user: Any) -> models.QuerySet:
    """The rows whose change history ``user`` may read.

    Owned and personal records: those the user may view. Public reference data: everyone
    reads the rows, but their history (who changed a unit's robot webhook, when) is for those
    who may change the row and for the roles that see everything."""
    model = queryset.model
    if not serves_audit_trail(model):
        return queryset.none()
    if scope_of(model) == Scope.PUBLIC and not sees_everything(user):
        return restrict(queryset, user, Action.CHANGE)
    return restrict(queryset, user, Action.VIEW)
