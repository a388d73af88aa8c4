"""The permission policy: role × own unit / other unit × view / change."""

import pytest

from apps.accounts.models import Role
from apps.core import permissions as policy
from tests.policy_table import POLICY_TABLE, check_policy_row, policy_table_ids

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "extra", "expected"), POLICY_TABLE, ids=policy_table_ids())
def test_policy_table_on_organisation_profile(role, extra, expected):
    # An organisation is public reference data (everyone signed in reads it) and "owns" its
    # own profile (contacts, robot webhook): viewing another unit is allowed, changing it not.
    own_view, own_change, _, other_change = expected
    active = extra.get("is_active", True)
    check_policy_row(
        role, extra, (own_view, own_change, active, other_change), make_owned=lambda org: org
    )


@pytest.mark.parametrize(
    ("role", "review", "coordinate"),
    [
        (Role.STAFF, False, False),
        (Role.COORDINATOR, False, True),
        (Role.REVIEWER, True, False),
        (Role.LEADER, False, False),
        (Role.API_CLIENT, False, False),
        (Role.ADMIN, True, True),
    ],
)
def test_review_and_coordinate_rights(make_user, xining, role, review, coordinate):
    user = make_user(role, xining if role != Role.ADMIN else None)
    assert policy.may_review(user) is review
    assert policy.may_coordinate(user) is coordinate


def test_coordinator_coordinates_only_its_own_ledgers(coordinator, org):
    assert policy.may_coordinate(coordinator, org("省经济和信息化委"))
    assert not policy.may_coordinate(coordinator, org("省发展改革委"))


def test_anonymous_sees_nothing(xining):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert not policy.can(anon, policy.Action.VIEW, xining)
    assert not policy.restrict(type(xining).objects.all(), anon).exists()


def test_model_that_declares_no_scope_cannot_be_served(make_user):
    # Neither owner_fields nor policy_scope: restrict() and can() fail loudly, for any user.
    from apps.accounts.models import User
    from apps.notifications.models import Delivery

    staff = make_user(Role.STAFF, None)
    for model in (User, Delivery):
        with pytest.raises(TypeError, match="declares neither"):
            policy.restrict(model.objects.all(), staff, policy.Action.VIEW)
        with pytest.raises(TypeError, match="declares neither"):
            policy.restrict(model.objects.all(), make_user(Role.ADMIN, None), policy.Action.VIEW)
    with pytest.raises(TypeError, match="declares neither"):
        policy.can(staff, policy.Action.VIEW, staff)


def test_forms_offer_only_the_users_own_unit(staff_xining, leader, admin_user_, xining):
    assert list(policy.organizations_for_forms(staff_xining)) == [xining]
    assert not policy.organizations_for_forms(leader).exists()
    assert policy.organizations_for_forms(admin_user_).count() > 100
