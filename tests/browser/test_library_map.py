"""The library map draws in a real browser from the app's own files (issue 13 point 8)."""

from decimal import Decimal
from urllib.parse import urlparse

from apps.projects.models import LibraryStatus
from tests.projects.factories import make_project
from tests.projects.test_map import needs_map


@needs_map  # static/vendor/maps/qinghai.js comes from `npm ci && node scripts/vendor_assets.js`
def test_map_of_the_8_prefectures_draws_offline_and_links(live_server, page, login, leader, xining):
    make_project(xining, LibraryStatus.APPROVED, total_investment=Decimal("12.5"))
    errors, hosts = [], set()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: hosts.add(urlparse(req.url).netloc))
    login(leader)
    for url in ("/projects/", "/dashboard/"):
        page.goto(url)
        page.wait_for_selector("#library-map canvas")
        drawn = page.evaluate(
            """() => {
                const chart = echarts.getInstanceByDom(document.getElementById("library-map"));
                const geo = echarts.getMap("青海").geoJSON;
                return {
                    features: geo.features.map((f) => f.properties.name),
                    data: chart.getOption().series[0].data.map((d) => [d.label, d.count, d.url]),
                };
            }"""
        )
        assert len(drawn["features"]) == 8 and "海西蒙古族藏族自治州" in drawn["features"]
        xining_row = next(d for d in drawn["data"] if d[0] == "西宁市")
        assert xining_row[1] == 1 and "region=630100" in xining_row[2]
    assert errors == []
    assert hosts == {urlparse(live_server.url).netloc}  # nothing loaded from outside
