"""Contracts and their reports obey the shared permission table (owner: 责任单位)."""

import pytest

from tests.contracts.factories import ContractFactory, ContractReportFactory
from tests.policy_table import POLICY_TABLE, check_policy_row, policy_table_ids

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role, extra, expected", POLICY_TABLE, ids=policy_table_ids())
def test_contract_policy(role, extra, expected):
    check_policy_row(role, extra, expected, lambda org: ContractFactory(responsible_unit=org))


@pytest.mark.parametrize("role, extra, expected", POLICY_TABLE, ids=policy_table_ids())
def test_contract_report_policy(role, extra, expected):
    check_policy_row(
        role,
        extra,
        expected,
        lambda org: ContractReportFactory(contract=ContractFactory(responsible_unit=org)),
    )
