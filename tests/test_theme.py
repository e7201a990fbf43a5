"""Our theme on every page type: the accessible page shell, navigation,
breadcrumbs, and the pages a news portal needs."""

from conftest import SEED_ARTICLE_URL, article, parse

PAGE_TYPES = {
    "index.html": "home",
    SEED_ARTICLE_URL: "article",
    "gioi-thieu.html": "page",
    "tin-co-so/index.html": "category",
    "chu-de/nghi-quyet-dai-hoi/index.html": "tag",
    "tac-gia/nguyen-thi-hao/index.html": "author",
    "chuyen-muc/index.html": "categories",
    "chu-de/index.html": "tags",
    "tac-gia/index.html": "authors",
    "luu-tru/index.html": "archives",
    "luu-tru/2020/09/index.html": "archive-month",
    "404.html": "not-found",
    "van-ban/index.html": "documents",
    "van-ban/ke-hoach/index.html": "document-type",
    "van-ban/2020/index.html": "document-year",
    "van-ban/2020/ke-hoach-01.html": "document",
    "co-cau-to-chuc/index.html": "organisation",
    "lien-he/index.html": "contact",
}


def test_every_page_type_is_made_by_our_theme(all_pages):
    for name, page_type in PAGE_TYPES.items():
        assert all_pages[name].body["data-page-type"] == page_type, name
    for name, soup in all_pages.items():
        assert soup.body.get("data-page-type"), f"{name} fell back to another theme"


def test_every_page_has_the_same_accessible_shell(all_pages):
    for name, soup in all_pages.items():
        assert soup.html["lang"] == "vi", name
        first_link = soup.body.find("a")
        assert "app-skip-link" in first_link["class"], name
        assert first_link["href"] == "#main-content", name
        assert soup.select_one("main#main-content"), name
        assert soup.select_one("header .app-header__name").get_text() == "Đảng bộ huyện Đakrông"
        footer = soup.select_one("footer.app-footer")
        assert footer.find("a")["href"] == "#top", name  # works without JavaScript
        assert soup.body["id"] == "top", name
        assert not soup.find("script", src=lambda s: s and "://" in s), name
        for link in soup.find_all("link", rel="stylesheet"):
            assert "://" not in link["href"], name  # nothing from another host


def test_navigation_lists_categories_with_articles_and_marks_the_current_one(all_pages):
    nav = all_pages["tin-co-so/index.html"].select_one('nav[aria-label="Chuyên mục"]')
    labels = [a.get_text() for a in nav.select("a")]
    assert labels == ["Trang chủ", "Tin cơ sở", "Văn bản", "Giới thiệu", "Cơ cấu tổ chức",
                      "Liên hệ", "Lưu trữ"]
    assert nav.select_one('[aria-current="page"]').get_text() == "Tin cơ sở"


def test_article_breadcrumbs_lead_home_through_the_category(seed_page):
    crumbs = seed_page.select('nav[aria-label] ol li')
    assert [c.get_text(strip=True) for c in crumbs[:2]] == ["Trang chủ", "Tin cơ sở"]
    assert crumbs[1].a["href"] == "/tin-co-so/"
    assert crumbs[-1]["aria-current"] == "page"
    assert crumbs[-1].find("a") is None


def test_article_page_links_tags_author_and_has_a_canonical_link(seed_page):
    tags = [a.get_text() for a in seed_page.select(".app-article-tags a")]
    assert tags == ["Nghị quyết Đại hội", "Đại hội Đảng bộ", "Xây dựng Đảng", "Nông thôn mới"]
    assert seed_page.select_one('a[rel="author"]')["href"] == "/tac-gia/nguyen-thi-hao/"
    assert seed_page.find("link", rel="canonical")["href"] == "/" + SEED_ARTICLE_URL


def test_home_lists_the_latest_news(all_pages):
    cards = all_pages["index.html"].select(".app-news-card")
    assert len(cards) == 1
    assert cards[0].a["href"] == "/" + SEED_ARTICLE_URL
    assert cards[0].time.get_text() == "14/09/2020"


def test_the_archive_lists_vietnamese_months_each_with_a_page_of_its_articles(all_pages):
    archive = all_pages["luu-tru/index.html"]
    assert [h.get_text() for h in archive.select(".app-archive-year h2")] == ["Năm 2020"]
    months = archive.select(".app-archive-year__month")
    assert [" ".join(m.get_text().split()) for m in months] == ["Tháng 9, 2020 (1 tin)"]
    assert months[0].a["href"] == "/luu-tru/2020/09/"
    month = all_pages["luu-tru/2020/09/index.html"]
    assert month.h1.get_text() == "Tin bài tháng 9, 2020"
    assert [a["href"] for a in month.select(".app-archive-month__item a")] == ["/" + SEED_ARTICLE_URL]
    assert month.select_one(".app-archive-month__item time").get_text() == "14/09/2020"
    assert month.select(".app-breadcrumbs a")[-1]["href"] == "/luu-tru/"
    assert month.select_one('.app-nav [aria-current="page"]').get_text() == "Lưu trữ"  # its section


def test_each_month_of_the_archive_links_the_months_before_and_after(fixture_site):
    for month in ("03", "05", "06"):
        fixture_site.write(f"tin-co-so/{month}.md", article(title=f"Tin tháng {month}", date=f"2024-{month}-10"))
    output = fixture_site.build()
    archive = parse(output / "luu-tru" / "index.html")
    assert [a["href"] for a in archive.select(".app-archive-year__month a")] == [
        "/luu-tru/2024/06/", "/luu-tru/2024/05/", "/luu-tru/2024/03/"]
    may = parse(output / "luu-tru" / "2024" / "05" / "index.html")
    assert [(a["rel"], a["href"]) for a in may.select(".app-pagination a")] == [
        (["prev"], "/luu-tru/2024/06/"), (["next"], "/luu-tru/2024/03/")]
    assert [a.get_text() for a in may.select(".app-archive-month__item a")] == ["Tin tháng 05"]
    newest = parse(output / "luu-tru" / "2024" / "06" / "index.html")
    assert [a["href"] for a in newest.select(".app-pagination a")] == ["/luu-tru/2024/05/"]


def test_stylesheet_is_mobile_first_with_a_print_section(site):
    css = (site / "theme/css/site.css").read_text(encoding="utf-8")
    assert "@media print" in css
    assert "max-width:" not in css.split("@media")[1].split("{")[0]  # queries grow with min-width


def test_lists_paginate_with_older_newer_and_same_category_links(fixture_site):
    for number in range(1, 24):
        fixture_site.write(
            f"tin-co-so/tin-{number:02}.md",
            article(title=f"Tin số {number:02}", date=f"2024-05-{number:02} 08:00",
                    category="Tin cơ sở" if number % 2 else "Xây dựng Đảng"),
        )
    output = fixture_site.build()
    home = parse(output / "index.html")
    assert len(home.select(".app-news-card")) == 10
    assert home.select_one(".app-pagination__status").get_text() == "Trang 1/3"
    next_url = home.select_one('a[rel="next"]')["href"]
    assert next_url == "/trang-2/"
    second = parse(output / "trang-2" / "index.html")
    assert second.select_one('a[rel="prev"]')["href"] == "/index.html"
    category = parse(output / "tin-co-so" / "index.html")
    assert category.select_one(".app-pagination__status").get_text() == "Trang 1/2"
    assert (output / "tin-co-so" / "trang-2" / "index.html").is_file()

    middle = parse(output / "xay-dung-dang" / "tin-so-10.html")
    assert middle.select_one(".app-neighbours__link--newer")["href"] == "/tin-co-so/tin-so-11.html"
    assert middle.select_one(".app-neighbours__link--older")["href"] == "/tin-co-so/tin-so-09.html"
    # Its category's articles nearest in time, as NukeViet shows them: two newer, three older.
    same = [a.get_text() for a in middle.select(".app-related a")]
    assert same == ["Tin số 14", "Tin số 12", "Tin số 08", "Tin số 06", "Tin số 04"]
    # The newest and the oldest: the five after, the five before.
    newest = parse(output / "xay-dung-dang" / "tin-so-22.html")
    assert [a.get_text() for a in newest.select(".app-related a")] == [
        "Tin số 20", "Tin số 18", "Tin số 16", "Tin số 14", "Tin số 12"]
    oldest = parse(output / "xay-dung-dang" / "tin-so-02.html")
    assert [a.get_text() for a in oldest.select(".app-related a")] == [
        "Tin số 12", "Tin số 10", "Tin số 08", "Tin số 06", "Tin số 04"]
    assert middle.select_one(".app-article-meta time").get_text() == "Thứ Sáu, 10/05/2024 08:00"


def test_a_tag_or_category_list_answers_in_by_identity_as_a_plain_list_does():
    """render.listings.ArticleList: Pelican's `[a for a in dates if a in
    articles]` for each tag, category and author page, without the quadratic cost."""
    from portal.render.listings import ArticleList

    first, second, other = object(), object(), object()
    articles = ArticleList([first, second])
    assert first in articles and second in articles and other not in articles
    articles.append(other)  # a list that grows is looked at anew
    assert other in articles
    assert [item for item in [other, second, first, object()] if item in articles] == [other, second, first]
