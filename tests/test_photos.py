"""Photos as readers get them, on a real publish build of a site with every
kind of photo an editor brings (photo_fixtures.py): figures and captions,
several widths and formats, upright, in sRGB, without metadata, originals
never published; lists, the home page and shares show the lead photo."""

import hashlib
import json
import re
from urllib.parse import urlparse

import extruct
import pytest
from PIL import Image

import photo_files as files
from conftest import parse
from photo_fixtures import (KINDS_ARTICLE, LEAD_CAPTION, NO_PHOTO_ARTICLE, ONLY_PHOTO_ARTICLE,
                            PHOTO_ARTICLE)
from portal.core.settings import load_settings
from portal.images.privacy import images_with_metadata, metadata_in

SETTINGS = load_settings()
WIDTHS = SETTINGS["PHOTO_WIDTHS"]


def local(site, url: str):
    """The output file an absolute or root-relative address of the site names."""
    return site.output / urlparse(url).path.lstrip("/")


def srcset_widths(srcset: str) -> list[int]:
    return [int(candidate.split()[1][:-1]) for candidate in srcset.split(",")]


@pytest.fixture(scope="module")
def photo_page(photo_site):
    return parse(photo_site.output / PHOTO_ARTICLE)


def test_the_lead_photo_leads_the_article_with_its_caption(photo_page):
    body = photo_page.select_one(".app-article")
    lead = body.select_one("figure.app-photo")
    assert lead.figcaption.get_text() == LEAD_CAPTION
    image = lead.find("img")
    assert image["fetchpriority"] == "high" and not image.has_attr("loading")
    assert image["alt"] == "Quang cảnh hội nghị."  # the caption without the photographer's credit
    assert lead.find_parent(class_="app-article__body") is None  # above the body


def test_every_body_photo_is_a_figure_with_a_picture_and_sizes(photo_site, photo_page):
    figures = photo_page.select(".app-article__body figure")
    assert len(figures) == 3
    captions = [figure.figcaption.get_text() if figure.figcaption else None for figure in figures]
    assert captions == ["Đại biểu phát biểu tại hội nghị. Ảnh: H.N", "Ảnh chụp dọc bằng điện thoại",
                        "Trang dịch vụ công"]
    for figure in photo_page.select("figure"):
        picture = figure.picture
        webp = picture.find("source", type="image/webp")
        image = picture.img
        assert image["width"].isdigit() and image["height"].isdigit()
        assert webp["sizes"] == image["sizes"]
        for srcset in (webp["srcset"], image["srcset"]):
            for candidate in srcset.split(","):
                assert local(photo_site, candidate.split()[0]).is_file()
        assert local(photo_site, image["src"]).is_file()
        largest = figure.find("a", class_="app-photo__link")["href"]
        assert largest.endswith(".jpg") and local(photo_site, largest).is_file()
        assert Image.open(local(photo_site, largest)).width == max(srcset_widths(image["srcset"]))
    for image in photo_page.select(".app-article__body img"):
        assert image["loading"] == "lazy" and image["decoding"] == "async"


def test_widths_are_offered_up_to_the_original_never_beyond(photo_site, photo_page):
    lead = photo_page.select_one("figure.app-photo img")
    assert srcset_widths(lead["srcset"]) == WIDTHS  # a 12 MP photo: every width
    kinds = parse(photo_site.output / KINDS_ARTICLE)
    iphone = kinds.find("img", alt="Ảnh iPhone")  # 640 pixels wide
    assert srcset_widths(iphone["srcset"]) == [360]
    tiny = kinds.find("img", alt="Ảnh in báo")  # 80 pixels wide: itself, not enlarged
    assert srcset_widths(tiny["srcset"]) == [80]


def test_a_paragraph_of_photos_is_a_gallery(photo_page):
    gallery = photo_page.select_one(".app-article__body .app-gallery")
    assert [img["alt"] for img in gallery.select("figure img")] == ["Ảnh chụp dọc", "Ảnh chụp màn hình"]
    assert not photo_page.select(".app-article__body p img")  # no photo left in a paragraph


def test_a_portrait_phone_photo_stands_upright(photo_site, photo_page):
    portrait = photo_page.find("img", alt="Ảnh chụp dọc")
    assert int(portrait["height"]) > int(portrait["width"])
    marker = parse(photo_site.output / KINDS_ARTICLE).find("img", alt="Ảnh xoay")
    published = Image.open(local(photo_site, marker["src"])).convert("RGB")
    assert published.size == (40, 60)
    red_corner = published.getpixel((published.width - 3, 2))  # the stored top-left, turned a quarter
    assert red_corner[0] > 200 and red_corner[2] < 60, red_corner


def test_colours_are_converted_to_srgb(photo_site):
    kinds = parse(photo_site.output / KINDS_ARTICLE)
    cmyk = Image.open(local(photo_site, kinds.find("img", alt="Ảnh in báo")["src"]))
    assert cmyk.mode == "RGB"
    red, green, blue = cmyk.convert("RGB").getpixel((10, 10))
    assert red < 40 and green > 200 and blue > 200  # cyan ink looks cyan
    p3 = Image.open(local(photo_site, kinds.find("img", alt="Ảnh màu rộng")["src"])).convert("RGB")
    expected = files.as_srgb((40, 200, 60), files.display_p3_profile())
    got = p3.getpixel((10, 10))
    assert all(abs(a - b) <= 8 for a, b in zip(got, expected)), (got, expected)
    assert abs(got[0] - 40) > 20  # not the numbers read as if they were sRGB


def test_transparent_screenshots_are_flat_on_white_in_jpeg(photo_site, photo_page):
    screenshot = photo_page.find("img", alt="Ảnh chụp màn hình")
    jpeg = Image.open(local(photo_site, screenshot["src"]))
    assert jpeg.mode == "RGB" and jpeg.getpixel((2, 2)) >= (250, 250, 250)


def test_heic_photos_are_published(photo_site):
    iphone = parse(photo_site.output / KINDS_ARTICLE).find("img", alt="Ảnh iPhone")
    assert Image.open(local(photo_site, iphone["src"])).size == (360, 270)


def test_no_published_image_carries_metadata(photo_site):
    assert images_with_metadata(photo_site.output) == {}


def test_the_metadata_check_finds_what_a_phone_writes(photo_site):
    original = photo_site.content / "images" / "2024" / "hoi-nghi.jpg"
    assert metadata_in(original) == ["EXIF/XMP (APP1)"]
    assert "EXIF" in metadata_in(photo_site.content / "images" / "iphone.heic")[0].upper()


def test_originals_are_never_copied_to_the_output(photo_site):
    digests = {hashlib.sha256(p.read_bytes()).hexdigest()
               for p in photo_site.content.rglob("*") if p.is_file() and p.suffix.lower() != ".md"}
    published = [p for p in photo_site.output.rglob("*") if p.is_file()]
    assert not [p for p in published if hashlib.sha256(p.read_bytes()).hexdigest() in digests]
    names = {p.name for p in published}
    assert "hoi-nghi.jpg" not in names and "iphone.heic" not in names
    assert not [name for name in names if name.startswith(("khong-dung", "nhap-rieng"))]  # unused, draft


def test_published_names_are_ascii_whatever_the_editor_named_the_photo(photo_site):
    kinds = parse(photo_site.output / KINDS_ARTICLE)
    named = kinds.find("img", alt="Ảnh tên tiếng Việt")
    assert "/images/2024/anh-hoi-nghi-" in named["src"]
    for soup in (kinds, parse(photo_site.output / PHOTO_ARTICLE)):
        for element in soup.select("img[srcset], source[srcset]"):
            for candidate in element["srcset"].split(","):
                assert re.fullmatch(r"[a-z0-9:/._-]+", candidate.split()[0]), candidate


def test_a_photo_beside_the_article_is_published(photo_site):
    beside = parse(photo_site.output / KINDS_ARTICLE).find("img", alt="Lễ ra quân")
    assert "/images/xay-dung-dang/anh-le-" in beside["src"] and local(photo_site, beside["src"]).is_file()


def test_an_article_of_one_photo_and_its_caption_is_an_article(photo_site):
    page = parse(photo_site.output / ONLY_PHOTO_ARTICLE)
    assert page.select_one(".app-article__body figcaption").get_text() == "Lễ ra quân. Ảnh: T.B"


def test_lists_show_the_lead_photo_as_a_cropped_thumbnail(photo_site):
    ratio_w, ratio_h = SETTINGS["PHOTO_THUMB_RATIO"]
    for page in ("index.html", "tin-tuc-su-kien/index.html", "chu-de/hoi-nghi/index.html",
                 "tac-gia/le-van-a/index.html", "tin-co-so/index.html"):
        soup = parse(photo_site.output / page)
        cards = soup.select(".app-news-card")
        assert cards, page
        for card in cards:
            title = card.select_one(".app-news-card__title").get_text()
            thumb = card.select_one(".app-news-card__image")
            if title == "Tin không có ảnh":
                assert thumb is None and "app-news-card--with-photo" not in card["class"]
                continue
            assert thumb is not None, (page, title)
            assert thumb["alt"] == ""  # the title beside it says it all
            width, height = int(thumb["width"]), int(thumb["height"])
            assert abs(width * ratio_h / ratio_w - height) <= 1, (page, title, width, height)
            assert Image.open(local(photo_site, thumb["src"])).size == (width, height)


def test_the_home_page_is_a_news_front(photo_site):
    home = parse(photo_site.output / "index.html")
    featured = home.select_one(".app-news-card--featured")
    assert featured is home.select_one(".app-news-card")  # the newest story first, large
    assert featured.select_one(".app-news-card__link").get_text() == "Hội nghị triển khai Nghị quyết"
    assert featured.img["fetchpriority"] == "high"
    assert [img.get("loading") for img in home.select(".app-news-card img")][1:] == ["lazy", "lazy"]


def test_a_category_block_follows_the_stories_when_there_are_more(fixture_site):
    for number in range(12):
        fixture_site.write(f"tin-co-so/tin-{number}.md",
                           files_article(f"Tin số {number}", f"2024-05-{number + 1:02d}"))
    home = parse(fixture_site.build() / "index.html")
    sections = home.select(".app-front-section")
    assert [s.h2.get_text() for s in sections] == ["Tin cơ sở"]
    assert [a.get_text() for a in sections[0].select("li a")] == ["Tin số 1", "Tin số 0"]


def files_article(title, date):
    from conftest import article

    return article(title=title, date=date)


def open_graph(soup) -> dict:
    found = {}
    for meta in soup.select("meta[property]"):
        found.setdefault(meta["property"], []).append(meta["content"])
    return found


def test_open_graph_is_complete_with_a_1200x630_jpeg(photo_site, photo_page):
    og = open_graph(photo_page)
    assert og["og:title"] == ["Hội nghị triển khai Nghị quyết"]
    assert og["og:url"] == [f"{photo_site.siteurl}/{PHOTO_ARTICLE}"]
    assert og["og:site_name"] == ["Đảng bộ huyện Đakrông"]
    assert og["og:description"][0].startswith("Đại hội đại biểu Đảng bộ huyện Đakrông")
    assert og["og:image:alt"] == ["Quang cảnh hội nghị."]
    assert og["article:section"] == ["Tin tức - Sự kiện"]
    assert og["article:tag"] == ["Nghị quyết Đại hội", "Hội nghị"]
    assert og["article:published_time"] == ["2024-06-03T08:00:00+07:00"]
    image = og["og:image"][0]
    assert image.startswith(photo_site.siteurl + "/images/")
    shared = Image.open(local(photo_site, image))
    assert (shared.format, shared.size) == ("JPEG", (1200, 630))
    assert (og["og:image:width"], og["og:image:height"]) == (["1200"], ["630"])


def test_an_article_without_photos_shares_the_portal_card(photo_site):
    og = open_graph(parse(photo_site.output / NO_PHOTO_ARTICLE))
    shared = Image.open(local(photo_site, og["og:image"][0]))
    assert (shared.format, shared.size) == ("JPEG", (1200, 630))
    assert og["og:image:alt"] == ["Đảng bộ huyện Đakrông"]


def test_json_ld_is_one_valid_news_article_and_its_breadcrumbs(photo_site):
    for page in (PHOTO_ARTICLE, NO_PHOTO_ARTICLE):
        html = (photo_site.output / page).read_text(encoding="utf-8")
        data = extruct.extract(html, base_url=f"{photo_site.siteurl}/{page}", syntaxes=["json-ld"],
                               uniform=True)["json-ld"]
        assert len(data) == 1
        graph = data[0]["@graph"]
        assert [item["@type"] for item in graph] == ["NewsArticle", "BreadcrumbList"]
        news, crumbs = graph
        for key in ("headline", "image", "datePublished", "dateModified", "author", "publisher"):
            assert news[key], (page, key)
        assert news["publisher"]["logo"]["url"].startswith(photo_site.siteurl)
        assert local(photo_site, news["publisher"]["logo"]["url"]).is_file()
        assert all(local(photo_site, url).is_file() for url in news["image"])
        assert [item["position"] for item in crumbs["itemListElement"]] == [1, 2, 3]
        assert crumbs["itemListElement"][-1]["item"] == f"{photo_site.siteurl}/{page}"
    json.loads(json.dumps(data))  # plain JSON all the way down


def test_search_entries_carry_the_lead_thumbnail(photo_site, photo_page):
    meta = photo_page.select_one("[data-pagefind-meta^='image:']")["data-pagefind-meta"]
    assert local(photo_site, meta.removeprefix("image:")).is_file()


def test_every_link_and_srcset_candidate_resolves(photo_site):
    from portal.quality.links import broken_links

    assert [str(problem) for problem in broken_links(photo_site.output, photo_site.siteurl)] == []
