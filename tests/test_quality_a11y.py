"""Accessibility in real headless Chromium: axe-core WCAG 2.1 A/AA on every
page type at phone and desktop widths; the keyboard path through each page."""

import pytest

from browser_fixtures import serve_folder
from portal.quality.accessibility import (
    axe_violations, focus_style_problems, page_problems, skip_link_problems,
)
from portal.quality.pages import WIDTHS, page_of_each_type

# Every page type our theme has; the checks also cover any type added later.
PAGE_TYPES = {"home", "article", "page", "category", "tag", "author", "categories",
              "tags", "authors", "archives", "archive-month", "not-found", "documents", "document-type",
              "document-year", "document", "organisation", "contact"}


def test_the_site_has_a_page_of_every_type(site):
    assert PAGE_TYPES <= set(page_of_each_type(site))


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_passes_axe_and_the_keyboard_checks(site, site_url, browser, width):
    problems = []
    for address in page_of_each_type(site).values():
        problems += page_problems(browser, site_url + address, width, f"{address} at {width}px")
    assert [str(problem) for problem in problems] == []


def test_the_skip_link_is_the_first_tab_stop_and_focuses_main(site_url, page):
    page.goto(site_url + "/")
    assert skip_link_problems(page, "/") == []
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def test_every_tab_stop_was_visited_and_shows_focus(site_url, page):
    page.goto(site_url + "/")
    problems, stops = focus_style_problems(page, "/")
    assert problems == []
    links = page.locator("a[href]:visible, button:visible, input:visible").count()
    assert stops >= links > 5


def test_axe_reports_an_image_without_alt(site, copy_of, page):
    damaged = copy_of(site)
    about = damaged / "gioi-thieu.html"
    about.write_text(about.read_text(encoding="utf-8").replace(
        "</main>", '<img src="/theme/img/emblem.svg" width="40" height="40"></main>'), encoding="utf-8")
    server, url = serve_folder(damaged)
    try:
        page.goto(url + "/gioi-thieu.html")
        problems = axe_violations(page, "/gioi-thieu.html")
    finally:
        server.terminate()
        server.wait()
    assert [p.message.split(":")[0] for p in problems] == ["image-alt"]


def test_the_keyboard_checks_report_a_missing_skip_link_and_an_invisible_focus(page):
    no_skip_link_no_focus_style = """<!doctype html><html lang="vi"><title>Thử</title>
        <style>a:focus { outline: none; }</style>
        <body><a href="/">Trang chủ</a><main id="main-content"><a href="/a">Tin</a></main>"""
    page.set_content(no_skip_link_no_focus_style)
    assert "not the skip link" in skip_link_problems(page, "thu")[0].message
    page.set_content(no_skip_link_no_focus_style)
    problems, stops = focus_style_problems(page, "thu")
    assert stops == 2
    assert [p.message for p in problems] == [
        'a "Trang chủ" / shows no visible focus style', 'a "Tin" /a shows no visible focus style']
