"""Visit statistics: nothing without a counter; with one, real numbers only,
formatted the Vietnamese way, and no block at all when the counter fails."""

import json

import pytest

from browser_fixtures import serve_folder
from conftest import FixtureSite, article, parse
from portal.core.problems import BuildFailed

COUNTER = "/counter.json"  # stands in for the counter service, on the same host


def test_off_by_default_nothing_is_rendered(all_pages, site):
    for name, soup in all_pages.items():
        assert soup.select(".app-visit-stats, [data-visit-stats-url]") == [], name
        assert "visit-stats.js" not in str(soup), name
        assert "Thống kê truy cập" not in soup.get_text(), name


def test_with_a_counter_the_block_is_rendered_hidden_until_filled(fixture_site):
    fixture_site.write("tin-co-so/tin.md", article())
    output = fixture_site.build(VISIT_STATS_URL="https://thongke.example.vn/api/dakrong.json")
    block = parse(output / "index.html").select_one("aside .app-visit-stats")
    assert block.has_attr("hidden")
    assert block["data-visit-stats-url"] == "https://thongke.example.vn/api/dakrong.json"
    assert block.h2.get_text() == "Thống kê truy cập"
    assert [dt.get_text() for dt in block.select("dt")] == ["Đang truy cập", "Tổng lượt truy cập"]
    assert [dd.get_text() for dd in block.select("dd")] == ["", ""]  # never a made-up number
    script = parse(output / "index.html").select_one('script[src$="/theme/js/visit-stats.js"]')
    assert script.has_attr("defer")


def test_a_counter_address_without_https_fails_the_build(fixture_site, monkeypatch):
    fixture_site.write("tin-co-so/tin.md", article())
    with pytest.raises(BuildFailed) as failure:
        fixture_site.build(VISIT_STATS_URL="http://thongke.example.vn/x.json",
                           VISIT_STATS_FIELDS={"online": "online", "total": "tổng"})
    assert failure.value.report().splitlines() == [
        'pelicanconf.py: VISIT_STATS_URL "http://thongke.example.vn/x.json" must start with '
        "https:// (or be a path on this site, starting with /)",
        'pelicanconf.py: VISIT_STATS_FIELDS["total"] must name the JSON field with the count, '
        'e.g. "total" or "pageviews.value"',
        "check failed: 2 problems; nothing was replaced.",
    ]


# --- In the browser, against a local JSON file ----------------------------------------


@pytest.fixture(scope="module")
def counted_site(tmp_path_factory):
    site = FixtureSite(tmp_path_factory.mktemp("counted"))
    site.write("tin-co-so/tin.md", article())
    output = site.build(VISIT_STATS_URL=COUNTER,
                        VISIT_STATS_FIELDS={"online": "online", "total": "pageviews.value"})
    server, url = serve_folder(output)
    yield output, url
    server.terminate()
    server.wait()


def answer(output, body):
    counter = output / COUNTER.lstrip("/")
    if body is None:
        counter.unlink(missing_ok=True)
    else:
        counter.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")


def test_the_counts_are_shown_the_vietnamese_way(page, counted_site):
    output, url = counted_site
    answer(output, {"online": 1234, "pageviews": {"value": 27503517}})
    page.goto(url + "/")
    block = page.locator(".app-visit-stats")
    block.wait_for(state="visible")
    assert page.locator("[data-visit-stats-online]").inner_text() == "1.234"
    assert page.locator("[data-visit-stats-total]").inner_text() == "27.503.517"
    assert block.locator("h2").inner_text().casefold() == "thống kê truy cập"


@pytest.mark.parametrize("body", [
    None,  # 404: the counter is down
    "<html>Bad gateway</html>",
    {"online": "12", "pageviews": {"value": 27503517}},  # text, not a count
    {"online": -1, "pageviews": {"value": 27503517}},
    {"online": 12},
])
def test_the_block_stays_hidden_when_the_counter_fails(page, counted_site, body):
    output, url = counted_site
    answer(output, body)
    with page.expect_response(lambda response: response.url.endswith(COUNTER)):
        page.goto(url + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".app-visit-stats").is_hidden()
    assert page.locator("[data-visit-stats-total]").inner_text() == ""
