"""项目代码 (GB/T 40058-2021): format, Qinghai region, region of the project, year, check digit —
on its own, and wherever a code is entered (service/form, API, Excel import)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.projects import codes
from apps.projects.models import CodeStatus, Project
from apps.reference.models import Region
from tests.projects.factories import make_project, project_data

TODAY = dt.date(2026, 12, 1)
# First 19 digits + ISO 7064 MOD 11,10 check digit.
VALID = "2203-630100-04-01-123451"  # 2022年3月, 西宁市 authority
VALID_PROVINCE = "2412-630000-04-01-123451"  # 2024年12月, the provincial authority


def test_check_digit_is_iso7064_mod11_10():
    assert codes.iso7064_mod11_10("2203630100040112345") == 1
    assert codes.iso7064_mod11_10("2203630000040112345") == 2
    assert codes.with_check_digit("2412-630000-04-01-12345") == VALID_PROVINCE
    # Every single-digit slip in the body changes the check digit (what the check is for).
    body = "2203630100040112345"
    for i in range(19):
        for d in "0123456789":
            if d != body[i]:
                slipped = body[:i] + d + body[i + 1 :]
                assert codes.iso7064_mod11_10(slipped) != 1, (i, d)


@pytest.mark.parametrize(
    "raw",
    [VALID, "22036301000401123451", " 2203－630100－04－01－123451 ", "2203 630100 04 01 123451"],
)
def test_valid_code_with_or_without_hyphens_is_normalised(raw):
    assert codes.validate(raw, today=TODAY) == VALID


def test_parsed_segments():
    code = codes.parse(VALID, today=TODAY)
    assert (code.time, code.region, code.department, code.project_type, code.tail) == (
        "2203",
        "630100",
        "04",
        "01",
        "123451",
    )
    assert (code.year, code.month, code.has_check_digit) == (2022, 3, True)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("abc", "项目代码格式不正确"),
        ("2203-630100-04-01-12345", "项目代码格式不正确"),  # 19 digits
        ("2203-630100-04-01-1234512", "项目代码格式不正确"),  # 21 digits
        ("2203-630100-04-01-123452", "校验码不正确"),  # wrong check digit
        ("2203-620100-04-01-123452", "不是青海省的行政区划代码"),  # 甘肃 兰州
        ("2701-630100-04-01-123451", "晚于本月"),  # January 2027
        ("2010-630100-04-01-123451", "现行代码自2020年11月起"),  # October 2020, old scheme
        ("2013-630100-44-01-012345", "2014—2020年旧版代码"),  # a year before the platform
        ("2021-630100-44-01-012345", "2014—2020年旧版代码"),  # the old scheme ended 2020
    ],
)
def test_invalid_codes_are_refused_with_a_specific_message(raw, message):
    with pytest.raises(ValidationError) as exc:
        codes.validate(raw, today=TODAY)
    assert message in exc.value.messages[0]


def test_old_scheme_year_codes_are_accepted_without_a_check_digit():
    # 2014–2020 codes of the earlier scheme end in a 6-digit serial: no check digit to test.
    assert codes.validate("2020-630100-44-01-012345", today=TODAY) == "2020-630100-44-01-012345"
    assert codes.validate("2016-630000-78-01-000001", today=TODAY) == "2016-630000-78-01-000001"


@override_settings(QH_PROJECT_CODE_CHECK_DIGIT=False)
def test_the_check_digit_rule_can_be_switched_off():
    assert codes.validate("2203-630100-04-01-123452", today=TODAY) == "2203-630100-04-01-123452"


def test_year_is_checked_against_the_day_it_runs():
    december = codes.with_check_digit("2612630100040112345")
    with freeze_time("2026-12-01"):
        assert codes.validate(december) == december
    with freeze_time("2026-11-30"), pytest.raises(ValidationError, match="晚于本月"):
        codes.validate(december)


@pytest.mark.django_db
class TestRegionOfTheProject:
    def region(self, name):
        return Region.objects.get(name=name)

    def test_province_code_fits_any_project(self):
        assert codes.validate(VALID_PROVINCE, region=self.region("海东市"), today=TODAY)

    def test_prefecture_code_fits_its_counties(self):
        county = self.region("湟源县")
        assert codes.validate(VALID, region=county, today=TODAY) == VALID

    def test_code_of_another_prefecture_is_refused(self):
        with pytest.raises(ValidationError, match="不属于项目所在的海东市"):
            codes.validate(VALID, region=self.region("海东市"), today=TODAY)

    def test_code_of_another_county_of_the_same_prefecture_is_refused(self):
        other = codes.with_check_digit("2203630121040112345")  # 大通县
        with pytest.raises(ValidationError, match="另一个县区"):
            codes.validate(other, region=self.region("湟源县"), today=TODAY)

    def test_a_former_county_code_is_compared_at_the_prefecture_level(self):
        # 湟中县 630122 became 湟中区 630106 in 2020; a code from 2020 keeps 630122.
        old = "2020-630122-44-01-012345"
        assert codes.validate(old, region=self.region("湟中区"), today=TODAY) == old


@pytest.mark.django_db
def test_service_validates_normalises_and_sets_code_status(xining):
    with freeze_time("2026-12-01"):
        p = make_project(xining, code="22036301000401123451")
    assert p.code == VALID
    assert p.code_status == CodeStatus.CODED and p.get_code_status_display() == "已赋码"
    q = make_project(xining, code="")
    assert q.get_code_status_display() == "未赋码"
    with pytest.raises(ValidationError) as exc:
        make_project(xining, code="2203-630100-04-01-123452")
    assert "校验码不正确" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as exc:
        make_project(xining, code=VALID, region=Region.objects.get(name="海东市"))
    assert "不属于项目所在的海东市" in exc.value.message_dict["code"][0]
    # The same code typed without hyphens is still the same code.
    with pytest.raises(ValidationError) as exc:
        make_project(xining, code="22036301000401123451")
    assert exc.value.message_dict["code"] == ["该项目代码已被其他项目使用。"]


@pytest.mark.django_db
def test_api_refuses_a_bad_code_with_400_and_filters_by_code_status(staff_xining, xining):
    client = APIClient()
    client.force_authenticate(staff_xining)
    data = project_data(xining, code="abc")
    payload = {
        **{k: v for k, v in data.items() if k not in ("region", "sector", "responsible_unit")},
        "region": data["region"].code,
        "sector": data["sector"].code,
        "responsible_unit": xining.pk,
        "planned_start": "2026-03-01",
        "planned_end": "2028-12-31",
    }
    r = client.post("/api/v1/projects/", payload, format="json")
    assert r.status_code == 400
    assert "项目代码格式不正确" in r.json()["code"][0]
    payload["code"] = "2203630000040112345" + "2"
    r = client.post("/api/v1/projects/", payload, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["code"] == "2203-630000-04-01-123452"
    assert r.json()["code_status_display"] == "已赋码"
    make_project(xining, code="")
    coded = client.get("/api/v1/projects/?code_status=coded").json()
    uncoded = client.get("/api/v1/projects/?code_status=uncoded").json()
    assert [p["code"] for p in coded["results"]] == ["2203-630000-04-01-123452"]
    assert {p["code"] for p in uncoded["results"]} == {""}


@pytest.mark.django_db
def test_form_shows_the_code_error(client, staff_xining, xining):
    client.force_login(staff_xining)
    data = project_data(xining, code="2203-630100-04-01-123452")
    post = {
        **{k: v for k, v in data.items() if k not in ("region", "sector", "responsible_unit")},
        "region": data["region"].pk,
        "sector": data["sector"].pk,
        "responsible_unit": xining.pk,
        "stage": "planning",
    }
    r = client.post("/projects/new/", post)
    assert r.status_code == 200
    assert "校验码不正确" in r.content.decode()
    assert not Project.objects.filter(name=data["name"]).exists()


@pytest.mark.django_db
def test_import_names_row_and_column_of_a_bad_code(staff_xining, campaign):
    from apps.projects import excel
    from tests.projects.test_excel import good_row, workbook

    rows = [
        good_row(1, **{"项目代码": "2203-630100-04-01-123451"}),  # good (湟中区 is in 西宁)
        good_row(2, **{"项目代码": "2203-630100-04-01-123452"}),  # check digit
        good_row(3, **{"项目代码": "2203-632800-04-01-123453"}),  # 海西, not 西宁
    ]
    report = excel.import_projects(file=workbook(rows), user=staff_xining)
    assert not report.ok and report.created == 0
    found = {(i.row, i.column): i.message for i in report.errors}
    assert set(found) == {(4, "项目代码"), (5, "项目代码")}
    assert "校验码不正确" in found[(4, "项目代码")]
    assert "不属于项目所在的西宁市" in found[(5, "项目代码")]
