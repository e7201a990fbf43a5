"""The seed article, word for word, on its page with its metadata."""

import re

from conftest import SEED


def _words(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def seed_paragraphs() -> list[str]:
    """The article's body paragraphs from the seed page, without the
    title, the author's byline and the site blocks that follow it."""
    blocks = SEED.read_text(encoding="utf-8").split("\n\n")
    body = [_words(b) for b in blocks[1:12]]
    body[-1] = body[-1].removesuffix(" Nguyễn Thị Hảo")
    return body


def test_every_paragraph_of_the_seed_is_in_the_body(seed_page):
    body = seed_page.select_one(".app-article__body")
    shown = [_words(p.get_text()) for p in body.select("p, li")]
    for paragraph in seed_paragraphs():
        # the numbered points are list items: their numbers are the list's
        expected = re.sub(r"^\d\.\s+", "", paragraph)
        assert expected in shown, expected[:60]


def test_the_five_numbered_points_are_one_ordered_list(seed_page):
    lists = seed_page.select(".app-article__body ol")
    assert len(lists) == 1
    items = lists[0].find_all("li", recursive=False)
    assert len(items) == 5
    assert _words(items[1].get_text()).startswith("Quán triệt Nghị quyết Đại hội")


def test_the_author_is_metadata_not_a_body_line(seed_page):
    body_text = _words(seed_page.select_one(".app-article__body").get_text())
    assert "Nguyễn Thị Hảo" not in body_text
    assert _words(seed_page.select_one(".app-article-meta__author").get_text()) == "Nguyễn Thị Hảo"


def test_title_date_and_category_are_shown(seed_page):
    title = _words(SEED.read_text(encoding="utf-8").split("\n\n")[0])
    assert _words(seed_page.h1.get_text()) == title
    assert seed_page.title.get_text().startswith(title)
    time = seed_page.select_one(".app-article-meta time")
    assert time.get_text() == "Thứ Hai, 14/09/2020"
    assert time["datetime"] == "2020-09-14T00:00:00+07:00"
    assert seed_page.select_one(".app-article-meta__category").get_text() == "Tin cơ sở"


def test_site_blocks_of_the_old_page_are_not_body_text(seed_page):
    body_text = _words(seed_page.select_one(".app-article__body").get_text())
    for widget_text in ("Go top", "Thống kê truy cập", "bình chọn", "27503517"):
        assert widget_text not in body_text


def test_editor_notes_in_comments_do_not_reach_the_page(site):
    from conftest import SEED_ARTICLE_URL

    html = (site / SEED_ARTICLE_URL).read_text(encoding="utf-8")
    assert "Ghi chú biên tập" not in html
