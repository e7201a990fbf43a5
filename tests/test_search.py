"""Search with Pagefind in real headless Chromium against the served site:
typed with or without Vietnamese marks, it finds what the reader meant."""

from urllib.parse import quote

import pytest

from conftest import SEED_ARTICLE_URL


def search(page, site_url, query) -> list[str]:
    page.goto(f"{site_url}/tim-kiem/?q={quote(query)}")
    page.wait_for_selector("[data-search-results][data-search-done]", timeout=15000, state="attached")
    assert page.get_attribute("[data-search-results]", "data-search-done") != "error"
    return [link.get_attribute("href") for link in page.query_selector_all(".app-search-results__link")]


@pytest.mark.parametrize("query", [
    "dakrong", "Đakrông", "DAKRONG", "nong thon moi", "nông thôn mới", "nghi quyet dai hoi",
])
def test_queries_with_or_without_marks_find_the_seed_article(page, site_url, query):
    assert f"/{SEED_ARTICLE_URL}" in search(page, site_url, query)


def test_a_word_the_site_lacks_finds_nothing(page, site_url):
    # Pagefind matches word prefixes and forgives a trailing typo ("quyetx"
    # finds "quyết"), so the word must share no prefix with the site's words.
    assert search(page, site_url, "karaoke") == []
    assert "Không tìm thấy kết quả nào" in page.inner_text("[data-search-status]")


def test_results_show_no_folded_duplicate_text(page, site_url):
    search(page, site_url, "dakrong")
    excerpt = page.inner_text(".app-search-results__excerpt")
    assert "Dakrong" not in excerpt and "dakrong" not in excerpt.casefold().replace("đakrông", "")


def test_the_header_search_box_leads_to_the_results(page, site_url):
    page.goto(site_url + "/")
    page.fill("#tim-kiem", "Đakrông")
    page.press("#tim-kiem", "Enter")
    page.wait_for_selector("[data-search-results][data-search-done]", timeout=15000, state="attached")
    assert page.url.endswith("/tim-kiem/?q=%C4%90akr%C3%B4ng")
    assert page.query_selector_all(".app-search-results__link")


def test_only_articles_pages_and_documents_are_indexed(all_pages):
    indexed = sorted(name for name, soup in all_pages.items() if soup.select("[data-pagefind-body]"))
    assert indexed == ["gioi-thieu.html", SEED_ARTICLE_URL, "van-ban/2020/ke-hoach-01.html"]
