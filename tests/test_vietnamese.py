"""Vietnamese without an OS locale: dates, NFC, slugs and alphabetical order."""

import datetime
import logging
import unicodedata
from zoneinfo import ZoneInfo

from conftest import article, parse
from portal.build.site import check_and_fill
from portal.core.vietnamese import long_date, month_year, short_date, vietnamese_sort_key

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_dates_use_babel_vietnamese_whatever_the_os_locale():
    monday = datetime.datetime(2020, 9, 14, 8, 30, tzinfo=HCM)
    assert long_date(monday) == "Thứ Hai, 14/09/2020"
    assert long_date(monday, with_time=True) == "Thứ Hai, 14/09/2020 08:30"
    assert long_date(monday.replace(day=20)) == "Chủ Nhật, 20/09/2020"
    assert short_date(monday) == "14/09/2020"
    assert month_year(monday) == "Tháng 9, 2020"


def test_vietnamese_alphabetical_order():
    words = ["Zalo", "đường", "Dân", "ăn", "an", "Ơn", "ông", "o", "Ân", "Đảng", "da", "ư", "u", "y"]
    assert sorted(words, key=vietnamese_sort_key) == [
        "an", "ăn", "Ân", "da", "Dân", "Đảng", "đường", "o", "ông", "Ơn", "u", "ư", "y", "Zalo",
    ]


def test_tones_order_after_letters():
    tones = ["má", "mạ", "ma", "mã", "mà", "mả", "mai"]
    assert sorted(tones, key=vietnamese_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ", "mai"]


def test_slugs_are_ascii_lower_case_with_d_for_đ(fixture_site):
    fixture_site.write("a.md", article(
        title="Đảng bộ xã Tà Rụt tổng kết năm", category="Kinh tế - Xã hội",
        author="Hồ Thị Đào", tags="Đổi mới, Kinh tế - Xã hội"))
    output = fixture_site.build()
    assert (output / "kinh-te-xa-hoi" / "dang-bo-xa-ta-rut-tong-ket-nam.html").is_file()
    assert (output / "tac-gia" / "ho-thi-dao" / "index.html").is_file()
    assert (output / "chu-de" / "doi-moi" / "index.html").is_file()
    assert (output / "chu-de" / "kinh-te-xa-hoi" / "index.html").is_file()
    for path in output.rglob("*.html"):
        assert path.relative_to(output).as_posix().isascii()


def test_tags_authors_and_categories_are_listed_in_vietnamese_order(fixture_site):
    for number, (tag, author, category) in enumerate([
        ("Zalo", "Đinh Văn B", "Xây dựng Đảng"),
        ("Đường giao thông", "Dương Thị C", "Tin cơ sở"),
        ("Dân vận", "Ân Văn D", "Kinh tế - Xã hội"),
        ("An ninh", "An Văn E", "Tin tức - Sự kiện"),
    ]):
        fixture_site.write(f"t{number}.md", article(title=f"Tin {number}", tags=tag,
                                                     author=author, category=category))
    output = fixture_site.build()

    def names(page):
        return [a.get_text() for a in parse(output / page).select(".app-taxonomy-list a")]

    assert names("chu-de/index.html") == ["An ninh", "Dân vận", "Đường giao thông", "Zalo"]
    assert names("tac-gia/index.html") == ["An Văn E", "Ân Văn D", "Dương Thị C", "Đinh Văn B"]
    assert names("chuyen-muc/index.html") == [
        "Kinh tế - Xã hội", "Tin cơ sở", "Tin tức - Sự kiện", "Xây dựng Đảng"]


def test_decomposed_text_is_normalised_with_a_warning_naming_the_file(fixture_site, caplog, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    title = unicodedata.normalize("NFD", "Tổ chức học tập Nghị quyết")
    fixture_site.write("tin-co-so/nfd.md", article(title=title, body=unicodedata.normalize("NFD", "Đại hội")))
    with caplog.at_level(logging.WARNING, logger="portal"):
        output = fixture_site.build()
    assert any("content/tin-co-so/nfd.md: text was not in composed Unicode (NFC)" in r.getMessage()
               for r in caplog.records)
    html = (output / "tin-co-so" / "to-chuc-hoc-tap-nghi-quyet.html").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", html)
    assert "Tổ chức học tập Nghị quyết" in html


def test_the_check_fails_on_a_page_that_is_not_nfc(site, settings, copy_of):
    output = copy_of(site)
    page = output / "gioi-thieu.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("Giới thiệu", unicodedata.normalize("NFD", "Giới thiệu"), 1), encoding="utf-8")
    problems = [str(p) for p in check_and_fill(output, settings)]
    assert problems == ["output/gioi-thieu.html: text is not in composed Unicode (NFC); "
                        "a source file or template needs saving as NFC"]
