"""The article's tools: share to Facebook (a plain link) and Zalo, copy the
link, print, follow the category's feed. In real headless Chromium: nothing
is asked of another host until the reader clicks; printing uses the print
stylesheet."""

from urllib.parse import parse_qs, urlparse

import pytest

from conftest import SEED_ARTICLE_URL, parse

pytest_plugins = ["quality_fixtures"]

# Records what the page asks of the browser instead of opening dialogs.
STUBS = """
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""
WITH_SHARE_SHEET = STUBS + "navigator.share = async (data) => { window.__shared = data; };"
WITHOUT_SHARE_SHEET = STUBS + "delete Navigator.prototype.share; delete navigator.share;"


def test_without_javascript_only_the_facebook_link_shows(seed_page):
    tools = seed_page.select_one(".app-article-tools")
    facebook = tools.select_one("a[data-share-facebook]")
    shared = parse_qs(urlparse(facebook["href"]).query)["u"]
    assert facebook["href"].startswith("https://www.facebook.com/sharer/sharer.php?u=")
    assert shared == ["/" + SEED_ARTICLE_URL]  # made absolute by the script (or by SITEURL when published)
    assert facebook["rel"] == ["noopener", "noreferrer"]
    hidden = [item.get_text(strip=True) for item in tools.select("li[hidden]")]
    assert hidden == ["Chia sẻ Zalo", "Sao chép liên kết", "In bài"]
    assert tools.has_attr("data-pagefind-ignore")
    # No script or frame of another site anywhere on the page.
    assert not seed_page.select('script[src*="//"], iframe')


def open_article(browser, site_url, init_script):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page = context.new_page()
    page.add_init_script(init_script)
    hosts = []
    page.on("request", lambda request: hosts.append(urlparse(request.url).netloc))
    page.goto(f"{site_url}/{SEED_ARTICLE_URL}", wait_until="networkidle")
    return page, hosts


def test_the_tools_ask_nothing_of_another_host_until_a_click(browser, site_url):
    page, hosts = open_article(browser, site_url, WITH_SHARE_SHEET)
    try:
        for name in ("Chia sẻ Zalo", "Sao chép liên kết", "In bài"):
            assert page.get_by_role("button", name=name).is_visible()
        page.get_by_role("button", name="Chia sẻ Zalo").click()
        page.get_by_role("button", name="Sao chép liên kết").click()
        page.wait_for_function("document.querySelector('[data-article-tools-status]').textContent")
        assert set(hosts) == {urlparse(site_url).netloc}
        facebook = page.get_attribute("a[data-share-facebook]", "href")
        assert parse_qs(urlparse(facebook).query)["u"] == [f"{site_url}/{SEED_ARTICLE_URL}"]
    finally:
        page.context.close()


def test_zalo_opens_the_phones_share_sheet_with_the_article(browser, site_url):
    page, _ = open_article(browser, site_url, WITH_SHARE_SHEET)
    try:
        page.get_by_role("button", name="Chia sẻ Zalo").click()
        page.wait_for_function("window.__shared")
        shared = page.evaluate("window.__shared")
        assert shared["url"] == f"{site_url}/{SEED_ARTICLE_URL}"
        assert shared["title"].startswith("Đảng bộ huyện Đakrông quyết tâm")
    finally:
        page.context.close()


def test_without_a_share_sheet_zalo_copies_the_link_and_says_how(browser, site_url):
    page, _ = open_article(browser, site_url, WITHOUT_SHARE_SHEET)
    try:
        page.get_by_role("button", name="Chia sẻ Zalo").click()
        status = page.locator("[data-article-tools-status]")
        status.filter(has_text="Zalo").wait_for()
        assert status.inner_text() == ("Đã sao chép liên kết. Mở Zalo và dán vào cuộc trò chuyện "
                                       "để chia sẻ.")
        assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}/{SEED_ARTICLE_URL}"
    finally:
        page.context.close()


def test_copy_link_puts_the_articles_address_on_the_clipboard(browser, site_url):
    page, _ = open_article(browser, site_url, STUBS)
    try:
        page.get_by_role("button", name="Sao chép liên kết").click()
        page.locator("[data-article-tools-status]").filter(has_text="Đã sao chép").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}/{SEED_ARTICLE_URL}"
    finally:
        page.context.close()


def test_print_prints_the_article_without_the_sites_furniture(browser, site_url):
    page, _ = open_article(browser, site_url, STUBS)
    try:
        page.get_by_role("button", name="In bài").click()
        assert page.evaluate("window.__printed") == 1
        page.emulate_media(media="print")
        for hidden in (".app-article-tools", ".app-nav", ".app-header__search", ".app-layout__sidebar",
                       ".app-breadcrumbs"):
            assert not page.locator(hidden).is_visible(), hidden
        for shown in (".app-article__title", ".app-article__body", ".app-article-meta"):
            assert page.locator(shown).is_visible(), shown
    finally:
        page.context.close()


def test_a_published_article_links_its_category_feed_and_the_sites(published_site):
    page = parse(published_site.output / SEED_ARTICLE_URL)
    feeds = {a.get_text(): a["href"] for a in page.select(".app-article-tools__feeds a")}
    assert feeds == {
        "Theo dõi chuyên mục Tin cơ sở (Atom)": f"{published_site.siteurl}/feeds/tin-co-so.atom.xml",
        "Theo dõi tất cả tin bài (Atom)": f"{published_site.siteurl}/feeds/tat-ca.atom.xml",
    }
    for href in feeds.values():
        assert (published_site.output / urlparse(href).path.lstrip("/")).is_file()
    facebook = page.select_one("a[data-share-facebook]")["href"]
    assert parse_qs(urlparse(facebook).query)["u"] == [f"{published_site.siteurl}/{SEED_ARTICLE_URL}"]


def test_a_preview_build_has_no_feed_to_link(seed_page):
    assert not seed_page.select(".app-article-tools__feeds")
