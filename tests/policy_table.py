"""The permission policy as a table, reusable for every model with an owning unit.

Each app's tests call ``check_policy_table(make_owned)`` where ``make_owned(org)`` returns a
saved record owned by ``org``; the same table must hold for every owned model.
"""

from collections.abc import Callable

from apps.accounts.models import Role
from apps.core import permissions as policy
from tests.factories import OrganizationFactory, UserFactory

# role, extra user fields → expected (own view, own change, other view, other change)
POLICY_TABLE: list[tuple[str, dict, tuple[bool, bool, bool, bool]]] = [
    (Role.STAFF, {}, (True, True, False, False)),
    (Role.COORDINATOR, {}, (True, True, True, False)),
    (Role.REVIEWER, {}, (True, True, True, False)),
    (Role.LEADER, {}, (True, False, True, False)),
    (Role.API_CLIENT, {}, (True, False, True, False)),
    (Role.API_CLIENT, {"api_write": True}, (True, True, True, False)),
    (Role.ADMIN, {}, (True, True, True, True)),
    (Role.STAFF, {"is_active": False}, (False, False, False, False)),
]


def policy_table_ids() -> list[str]:
    return [f"{role}{'+' + ','.join(extra) if extra else ''}" for role, extra, _ in POLICY_TABLE]


def check_policy_row(role: str, extra: dict, expected, make_owned: Callable) -> None:
    own_org = OrganizationFactory(name=f"本单位-{role}-{len(extra)}")
    other_org = OrganizationFactory(name=f"他单位-{role}-{len(extra)}")
    user = UserFactory(
        username=f"policy-{role}-{'-'.join(extra) or 'plain'}",
        role=role,
        organization=own_org,
        **extra,
    )
    own, other = make_owned(own_org), make_owned(other_org)
    model = type(own)
    got = (
        policy.can(user, policy.Action.VIEW, own),
        policy.can(user, policy.Action.CHANGE, own),
        policy.can(user, policy.Action.VIEW, other),
        policy.can(user, policy.Action.CHANGE, other),
    )
    assert got == expected, f"{model.__name__}: {role} {extra}: can() gave {got}"
    # The queryset scoping must agree with the per-object answer.
    qs = model._default_manager.filter(pk__in=[own.pk, other.pk])
    visible = set(policy.restrict(qs, user, policy.Action.VIEW).values_list("pk", flat=True))
    changeable = set(policy.restrict(qs, user, policy.Action.CHANGE).values_list("pk", flat=True))
    assert (
        own.pk in visible,
        own.pk in changeable,
        other.pk in visible,
        other.pk in changeable,
    ) == (expected), f"{model.__name__}: {role} {extra}: restrict() disagrees with can()"
