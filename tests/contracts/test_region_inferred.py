"""Each contract's landing region is an inference (the 002 ledger has no such column): it is
shown as 推定 with its reason until a person enters the region (issue 11 point 7)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.contracts.importers import import_ledger
from apps.contracts.models import Contract
from apps.contracts.services import correct_contract
from apps.reference.models import Region
from tests.contracts.factories import FairFactory
from tests.contracts.test_importer import good_rows, xlsx

pytestmark = pytest.mark.django_db

BY_PARTY = "台账无落地地区一栏，按甲方“{}”所在地推定"


def test_the_seed_ledger_says_why(seed_fair):
    contracts = Contract.objects.filter(fair=seed_fair)
    assert contracts.get(seq=1).region_basis == BY_PARTY.format("湟源县政府")
    assert contracts.get(seq=97).region_basis == BY_PARTY.format("海东工业园区管委会")
    assert contracts.get(seq=263).region_basis == ""  # 省发展改革委: no region at all
    assert contracts.filter(region__isnull=False, region_basis="").count() == 0


def test_fallback_to_the_unit_and_a_person_entering_the_region(staff_xining):
    fair = FairFactory()
    rows = good_rows()
    rows[7][2] = None  # row 2 without a Qinghai party: the unit's region is used
    assert import_ledger(fair=fair, file=xlsx(rows)).committed
    row = Contract.objects.get(fair=fair, seq=2)
    assert row.region.display_name == "西宁市"
    assert row.region_basis == "台账无落地地区一栏，按责任单位“西宁市政府”所在地推定"

    huangyuan = Region.objects.get(name="湟源县")
    correct_contract(
        user=staff_xining,
        contract=row,
        data={"region": huangyuan},
        expected_version=row.version,
        resolved=False,
    )
    row.refresh_from_db()
    assert (row.region, row.region_basis) == (huangyuan, "")
    assert "更正了落地地区" in row.correction_note
    # A later import of the same file only has the inference: the entered region stays.
    assert import_ledger(fair=fair, file=xlsx(rows)).committed
    row.refresh_from_db()
    assert (row.region, row.region_basis) == (huangyuan, "")
    other = Contract.objects.get(fair=fair, seq=1)
    assert other.region_basis == BY_PARTY.format("大通县政府")  # untouched rows keep theirs


def test_pages_and_api_show_it(client, seed_fair, leader):
    client.force_login(leader)
    one = Contract.objects.get(fair=seed_fair, seq=1)
    html = client.get(f"/contracts/{one.pk}/").content.decode()
    assert 'id="region-inferred"' in html and BY_PARTY.format("湟源县政府") in html
    html = client.get(reverse("contracts:ledger"), {"fair": seed_fair.pk, "page_size": 500}).content
    # every row with a region carries the badge; 263 and the other provincial ones do not
    with_region = Contract.objects.filter(fair=seed_fair, region__isnull=False).count()
    assert html.decode().count("region-inferred") == with_region
    api = APIClient()
    api.force_authenticate(leader)
    row = api.get(f"/api/v1/contracts/{one.pk}/").json()
    assert row["region_basis"] == BY_PARTY.format("湟源县政府")
