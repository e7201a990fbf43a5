"""Văn bản: the documents library built for real from document files (types,
years, relations, attachments, numbers with "/" and "Đ"), queried page by
page; articles citing documents; every kind of bad input as one line, with
output/ unchanged."""

import shutil

import pytest

from conftest import ROOT, SEED_ARTICLE_URL, FixtureSite, article, damage, parse
from document_fixtures import (NOW, SEED_PLAN_URL, WORDS_ONLY_IN_THE_PDF, docx_bytes, library_site,
                               pdf_bytes)
from portal.core.document_fields import FIELDS
from portal.core.problems import BuildFailed
from portal.documents.attachments import file_size
from portal.documents.pdf_text import CACHE_FOLDER, pdf_text, reads_as_vietnamese


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    site = library_site(tmp_path_factory.mktemp("library"))
    site.build(POLLS_NOW=NOW)
    return site


@pytest.fixture(scope="module")
def pages(library):
    return lambda relative: parse(library.output / relative)


def titles(soup) -> list[str]:
    return [a.get_text() for a in soup.select(".app-document-item__link")]


# --- Lists ---------------------------------------------------------------------


def test_the_library_lists_every_document_newest_first_twenty_a_page(pages):
    first, second = pages("van-ban/index.html"), pages("van-ban/trang-2/index.html")
    assert first.body["data-page-type"] == "documents"
    listed = titles(first) + titles(second)
    assert len(titles(first)) == 20 and len(listed) == 27
    dates = [t["datetime"] for t in first.select(".app-document-item time")
             + second.select(".app-document-item time")]
    assert dates == sorted(dates, reverse=True)
    assert listed[:2] == ["Quyết định số 200/QĐ-UBND", "Quyết định số 125/QĐ-UBND"]
    assert listed[-1] == "Quyết định số 12/QĐ-UBND"
    assert first.select_one('a[rel="next"]')["href"] == "/van-ban/trang-2/"


def test_one_list_per_type_and_per_year(pages):
    decisions = pages("van-ban/quyet-dinh/index.html")
    assert decisions.body["data-page-type"] == "document-type"
    assert titles(decisions) == ["Quyết định số 200/QĐ-UBND", "Quyết định số 125/QĐ-UBND",
                                 "Quyết định số 01/QĐ-UBND", "Quyết định số 12/QĐ-UBND"]
    year = pages("van-ban/2024/index.html")
    assert year.body["data-page-type"] == "document-year"
    assert titles(year) == ["Quyết định số 200/QĐ-UBND", "Quyết định số 125/QĐ-UBND",
                            "Quyết định số 01/QĐ-UBND"]
    browse = year.select_one('nav[aria-label="Xem văn bản theo loại và năm"]')
    types = [" ".join(a.get_text().split()) for a in browse.select("ul")[0].select("a")]
    # In DOCUMENT_TYPES order, types without documents left out.
    assert types == ["Nghị quyết (1)", "Quyết định (4)", "Kế hoạch (1)", "Thông báo (21)"]
    assert browse.select_one('[aria-current="page"]').get_text(" ", strip=True) == "2024 (3)"
    crumbs = [li.get_text(strip=True) for li in year.select("nav.app-breadcrumbs li")]
    assert crumbs == ["Trang chủ", "Văn bản", "Năm 2024"]


# --- A document's page -------------------------------------------------------------


def fields_of(soup) -> dict[str, str]:
    return {row.dt.get_text(strip=True): " ".join(row.dd.get_text(" ").split())
            for row in soup.select("dl.app-document__fields > div")}


def test_a_document_page_shows_every_field_as_a_definition_list(pages):
    page = pages("van-ban/2021/nghi-quyet-07-nq-hu.html")
    assert page.body["data-page-type"] == "document"
    assert page.h1.get_text() == "Nghị quyết số 07-NQ/HU"
    fields = fields_of(page)
    assert fields == {
        "Số, ký hiệu": "07-NQ/HU",
        "Loại văn bản": "Nghị quyết",
        "Cơ quan ban hành": "Ban Chấp hành Đảng bộ huyện Đakrông",
        "Người ký": "Lê Văn Thử",
        "Ngày ban hành": "02/03/2021 ( văn bản năm 2021 )",
        "Tình trạng hiệu lực": "Còn hiệu lực , tính đến ngày 10/05/2024",
        "Lĩnh vực": "Xây dựng Đảng, Nông thôn mới",
        "Trích yếu": "Về xây dựng nông thôn mới giai đoạn 2021-2025",
        "Tệp văn bản": "07-nq-hu.pdf (PDF, 1 KB)",
        "Văn bản liên quan": "Kế hoạch số 01 ngày 14/09/2020: Tổ chức học tập, quán triệt và "
                             "triển khai thực hiện Nghị quyết Đại hội Đảng bộ huyện lần thứ VI, "
                             "nhiệm kỳ 2020-2025",
    }
    labels = [field.label for field in FIELDS]
    shown = [label for label in fields if label in labels]
    assert shown == sorted(shown, key=labels.index)  # in the fields' order
    assert page.select_one(".app-article__body strong").get_text() == "hiệu lực"
    assert page.select_one('dd a[href="/van-ban/nghi-quyet/"]')
    assert page.find("link", rel="canonical")["href"] == "/van-ban/2021/nghi-quyet-07-nq-hu.html"


def test_attachments_are_download_links_with_their_type_and_size(library, pages):
    page = pages("van-ban/2024/quyet-dinh-125-qd-ubnd.html")
    links = page.select("a.app-document__file")
    assert [(a.get_text(), a.find_next_sibling().get_text()) for a in links] == [
        ("125-qd-ubnd.docx", "(DOCX, 1 KB)"), ("Phụ lục 125.xlsx", "(XLSX, 1 KB)")]
    assert links[1]["href"] == "/files/van-ban/2024/Ph%E1%BB%A5%20l%E1%BB%A5c%20125.xlsx"
    for link in links:
        assert link.has_attr("download")
    copy = library.output / "files/van-ban/2024/Phụ lục 125.xlsx"
    assert copy.read_bytes() == (library.content / "files/van-ban/2024/Phụ lục 125.xlsx").read_bytes()
    assert links[0]["type"].endswith("wordprocessingml.document")


def test_the_words_of_a_pdf_are_in_the_page_for_the_search_only(pages):
    page = pages("van-ban/2021/nghi-quyet-07-nq-hu.html")
    indexed = page.select_one(".app-document [data-pagefind-weight]")
    assert indexed.get_text() == WORDS_ONLY_IN_THE_PDF and indexed.has_attr("hidden")
    # A document without a PDF (Word and Excel files are not read) has none.
    assert not pages("van-ban/2024/quyet-dinh-125-qd-ubnd.html").select(".app-document [data-pagefind-weight]")


def test_a_pdf_exported_with_vietnamese_text_is_read_in_composed_unicode(browser, tmp_path):
    page = browser.new_page()
    page.set_content('<p lang="vi">Quyết định về việc ban hành Quy chế làm việc của Ủy ban nhân '
                     "dân huyện Đakrông</p>")
    page.pdf(path=str(tmp_path / "quyet-dinh.pdf"))
    page.close()
    text = pdf_text(tmp_path / "quyet-dinh.pdf", tmp_path / "cache")
    assert text == "Quyết định về việc ban hành Quy chế làm việc của Ủy ban nhân dân huyện Đakrông"
    cached = list((tmp_path / "cache" / CACHE_FOLDER).iterdir())
    assert [path.read_text(encoding="utf-8") for path in cached] == [text]


def test_old_font_mojibake_and_scans_are_not_indexed():
    assert reads_as_vietnamese("Quyết định về việc ban hành Quy chế làm việc của Ủy ban nhân dân")
    assert not reads_as_vietnamese("QuyÕt ®Þnh vÒ viÖc ban hµnh Quy chÕ lµm viÖc cña ñy ban nh©n d©n")  # TCVN3
    assert not reads_as_vietnamese("Quyeát ñònh veà vieäc ban haønh Quy cheá laøm vieäc cuûa UÛy ban")  # VNI
    assert not reads_as_vietnamese("  3 ")  # what a scan without a text layer gives


def test_file_sizes_read_as_a_file_manager_shows_them():
    assert file_size(245 * 1024) == "245 KB"
    assert file_size(10) == "1 KB"
    assert file_size(1_288_490) == "1,2 MB"


def test_replacing_is_shown_on_both_documents_and_decides_the_status(pages):
    new, old = pages("van-ban/2024/quyet-dinh-125-qd-ubnd.html"), pages("van-ban/2019/quyet-dinh-12-qd-ubnd.html")
    assert fields_of(new)["Thay thế văn bản"].startswith("Quyết định số 12/QĐ-UBND ngày 10/01/2019")
    assert new.select_one(".app-document__links a")["href"] == "/van-ban/2019/quyet-dinh-12-qd-ubnd.html"
    # Written once, in the newer file: the older one knows it too.
    assert fields_of(old)["Được thay thế bởi"].startswith("Quyết định số 125/QĐ-UBND")
    assert fields_of(old)["Tình trạng hiệu lực"] == (
        "Hết hiệu lực (được thay thế bởi Quyết định số 125/QĐ-UBND), tính đến ngày 10/05/2024")
    assert fields_of(new)["Tình trạng hiệu lực"].startswith("Còn hiệu lực")


@pytest.mark.parametrize("page, status", [
    ("van-ban/2022/thong-bao-15-tb-hu.html", "Hết hiệu lực"),  # ValidUntil passed
    ("van-ban/2024/quyet-dinh-200-qd-ubnd.html", "Chưa có hiệu lực"),  # ValidFrom to come
    ("van-ban/2020/ke-hoach-01.html", "Còn hiệu lực"),
])
def test_the_status_is_judged_at_the_builds_time(pages, page, status):
    assert pages(page).select_one(".app-document-status").get_text() == status


# --- Citations -------------------------------------------------------------------------


def test_an_article_cites_documents_by_number_typed_with_or_without_marks(pages):
    page = pages("tin-co-so/huyen-trien-khai-quy-che-lam-viec-moi.html")
    links = {a.get_text(): a["href"] for a in page.select(".app-article__body a")}
    assert links == {"Quyết định 125": "/van-ban/2024/quyet-dinh-125-qd-ubnd.html",
                     "07-NQ/HU": "/van-ban/2021/nghi-quyet-07-nq-hu.html"}
    cited = pages("van-ban/2024/quyet-dinh-125-qd-ubnd.html").select("#tin-bai-nhac-den + ul a")
    assert [a["href"] for a in cited] == ["/tin-co-so/huyen-trien-khai-quy-che-lam-viec-moi.html"]


def test_the_home_page_has_the_newest_documents_beside_the_news(pages):
    home = pages("index.html")
    # The sidebar's first block: beside the news on a wide screen, after it on a
    # phone and for a screen reader (test_menu.py measures where it shows).
    block = home.select_one('aside.app-layout__sidebar > section[aria-labelledby="van-ban-moi"]')
    assert block is home.select_one("aside.app-layout__sidebar > section")
    assert block.h2.get_text() == "Văn bản mới"
    assert block.h2.a["href"] == "/van-ban/"
    assert titles(block) == ["Quyết định số 200/QĐ-UBND", "Quyết định số 125/QĐ-UBND",
                             "Quyết định số 01/QĐ-UBND", "Thông báo số 20/TB-VP", "Thông báo số 19/TB-VP"]
    assert home.select(".app-news-card") and block.find_previous(class_="app-news-card")
    # Only the home page's news front has it: not a category's page, nor a document's.
    for other in ("tin-co-so/index.html", "van-ban/index.html", "van-ban/2024/quyet-dinh-125-qd-ubnd.html"):
        assert not pages(other).select('[aria-labelledby="van-ban-moi"]'), other


# --- The seed's plan, on the project's own site ----------------------------------------


def test_the_seed_article_links_to_its_plan_and_the_plan_back(seed_page, all_pages):
    link = seed_page.select_one('.app-article__body a[href="/van-ban/2020/ke-hoach-01.html"]')
    assert link.get_text() == "Kế hoạch số 01"
    plan = all_pages[SEED_PLAN_URL]
    assert fields_of(plan) == {
        "Số, ký hiệu": "01",
        "Loại văn bản": "Kế hoạch",
        "Cơ quan ban hành": "Ban Thường vụ Huyện ủy Đakrông",
        "Ngày ban hành": "14/09/2020 ( văn bản năm 2020 )",
        "Tình trạng hiệu lực": fields_of(plan)["Tình trạng hiệu lực"],
        "Trích yếu": "Tổ chức học tập, quán triệt và triển khai thực hiện Nghị quyết Đại hội "
                     "Đảng bộ huyện lần thứ VI, nhiệm kỳ 2020-2025",
        "Tệp văn bản": "Chưa đăng tệp văn bản.",
    }  # no signer, no file, no subject: the seed names none
    assert not plan.select(".app-article__body")  # no text of its own either
    cited = plan.select("#tin-bai-nhac-den + ul a")
    assert [a["href"] for a in cited] == ["/" + SEED_ARTICLE_URL]
    assert all_pages["van-ban/index.html"].select_one(".app-document-item__link")["href"] == "/" + SEED_PLAN_URL
    block = all_pages["index.html"].select_one('section[aria-labelledby="van-ban-moi"]')
    assert titles(block) == ["Kế hoạch số 01"]


def test_the_page_check_knows_what_a_document_page_needs(site, settings, copy_of):
    from portal.build.site import check_and_fill
    output = copy_of(site)
    damage(output, SEED_PLAN_URL, '<dl class="app-document__fields">', '<dl class="x">')
    damage(output, SEED_PLAN_URL, "<h1", "<h2")
    problems = [str(p) for p in check_and_fill(output, settings)]
    assert problems == [
        f"output/{SEED_PLAN_URL}: document page has 0 <h1>; it must have exactly 1, not empty",
        f"output/{SEED_PLAN_URL}: document page has no list of its fields (dl.app-document__fields)",
    ]


# --- Bad input -------------------------------------------------------------------------

BAD_INPUT = {
    "no number": (
        {"van-ban/x.md": "Type: Quyết định\nIssuer: UBND huyện\nDate: 2024-01-02\nSummary: Về việc A\n"},
        "content/van-ban/x.md: Number (Số, ký hiệu) is missing; add a line 'Number: 125/QĐ-UBND'"),
    "no type": (
        {"van-ban/x.md": "Number: 3/QĐ\nIssuer: UBND huyện\nDate: 2024-01-02\nSummary: Về việc A\n"},
        "content/van-ban/x.md: Type (Loại văn bản) is missing; add a line 'Type: Quyết định'"),
    "no summary": (
        {"van-ban/x.md": "Number: 3/QĐ\nType: Quyết định\nIssuer: UBND huyện\nDate: 2024-01-02\n"},
        "content/van-ban/x.md: Summary (Trích yếu) is missing; add a line "
        "'Summary: Ban hành Quy chế làm việc của ...'"),
    "no date": (
        {"van-ban/x.md": "Number: 3/QĐ\nType: Quyết định\nIssuer: UBND huyện\nSummary: Về việc A\n"},
        "content/van-ban/x.md: Date (Ngày ban hành) is missing; add a line 'Date: 2020-09-14'"),
    "a date written day first": (
        {"van-ban/x.md": "Number: 3/QĐ\nType: Quyết định\nIssuer: UBND huyện\nDate: 02/01/2024\n"
                         "Summary: Về việc A\n"},
        'content/van-ban/x.md:4: Date "02/01/2024" is day-first; write it as 2024-01-02 (year-month-day)'),
    "a type not in the list": (
        {"van-ban/x.md": "Number: 3/QĐ\nType: quyet dinh\nIssuer: UBND huyện\nDate: 2024-01-02\n"
                         "Summary: Về việc A\n"},
        'content/van-ban/x.md:2: Type "quyet dinh" is not a type of document; did you mean "Quyết định"?'),
    "the same number, type and year twice": (
        {"van-ban/z.md": "Number: 01\nType: Kế hoạch\nIssuer: Ban Thường vụ Huyện ủy Đakrông\n"
                         "Date: 2020-12-01\nSummary: Kế hoạch khác\n"},
        "content/van-ban/z.md:1: Kế hoạch số 01 of 2020 is also content/van-ban/ke-hoach-01-2020.md; "
        "a number is given once for a type and a year: correct the number, or remove one of the files"),
    "a missing attachment": (
        {"van-ban/x.md": "Number: 3/QĐ\nType: Quyết định\nIssuer: UBND huyện\nDate: 2024-01-02\n"
                         "Summary: Về việc A\nFiles: files/van-ban/2024/khong-co.pdf\n"},
        'content/van-ban/x.md:6: Files: "files/van-ban/2024/khong-co.pdf" is not in content/; check '
        "its name and folder (the path starts from content/, e.g. files/van-ban/2024/quyet-dinh-125.pdf)"),
    "an attachment that is not what its name says": (
        {"van-ban/x.md": "Number: 3/QĐ\nType: Quyết định\nIssuer: UBND huyện\nDate: 2024-01-02\n"
                         "Summary: Về việc A\nFiles: files/van-ban/2024/anh.pdf\n",
         "files/van-ban/2024/anh.pdf": b"\x89PNG\r\n\x1a\n not a pdf"},
        'content/van-ban/x.md:6: Files: "files/van-ban/2024/anh.pdf" is not really a PDF file (its '
        "contents are something else, or it is damaged); save the document again in that format"),
    "an attachment outside a published folder": (
        {"van-ban/x.md": "Number: 3/QĐ\nType: Quyết định\nIssuer: UBND huyện\nDate: 2024-01-02\n"
                         "Summary: Về việc A\nFiles: tin-co-so/a.pdf\n",
         "tin-co-so/a.pdf": pdf_bytes()},
        'content/van-ban/x.md:6: Files: "tin-co-so/a.pdf" is in a folder the site does not publish; '
        "move it into content/files/ (e.g. content/files/van-ban/) and write that path"),
    "a relation to a number no document has": (
        {"van-ban/x.md": "Number: 3/QĐ\nType: Quyết định\nIssuer: UBND huyện\nDate: 2024-01-02\n"
                         "Summary: Về việc A\nReplaces: 99/QĐ-UBND\n"},
        'content/van-ban/x.md:6: Replaces "99/QĐ-UBND": no document has the number "99/QĐ-UBND"; '
        "check the number, or add that document to content/van-ban/ first"),
    "an article citing a number no document has": (
        {"tin-co-so/moi.md": article(body="Theo [Quyết định 99]({van-ban}99/QĐ-UBND).")},
        'content/tin-co-so/moi.md:7: link {van-ban}99/QĐ-UBND: no document has the number '
        '"99/QĐ-UBND"; check the number, or add that document to content/van-ban/ first'),
    "an article citing a number two documents have": (
        {"van-ban/z.md": "Number: 01\nType: Kế hoạch\nIssuer: Ban Thường vụ Huyện ủy Đakrông\n"
                         "Date: 2021-01-05\nSummary: Kế hoạch năm sau\n"},
        'content/tin-co-so/dang-bo-huyen-dakrong-quyet-tam-dua-nghi-quyet-dai-hoi-vao-cuoc-song.md:20: '
        'link {van-ban}01: 2 documents have the number "01" (content/van-ban/ke-hoach-01-2020.md, '
        "content/van-ban/z.md); add the year or the type after @, e.g. 01@2020 or 01@ke-hoach"),
    "an issuer spelled two ways": (
        {"van-ban/z.md": "Number: 02\nType: Kế hoạch\nIssuer: Ban Thường vụ Huyện uỷ Đakrông\n"
                         "Date: 2020-12-01\nSummary: Kế hoạch khác\n"},
        'content/van-ban/z.md:3: Issuer "Ban Thường vụ Huyện uỷ Đakrông" is written "Ban Thường vụ '
        'Huyện ủy Đakrông" in content/van-ban/ke-hoach-01-2020.md; write it the same way in both, '
        "so that readers find them together"),
    "a field that documents do not have": (
        {"van-ban/x.md": "Number: 3/QĐ\nType: Quyết định\nIssuer: UBND huyện\nDate: 2024-01-02\n"
                         "Summary: Về việc A\nTitle: Quyết định 3\n"},
        'content/van-ban/x.md:6: "Title" is not a field of a document; remove the line or correct its '
        "name (the fields are: Number, Type, Issuer, Signer, Date, ValidFrom, ValidUntil, Subjects, "
        "Summary, Files, Replaces, ReplacedBy, Related)"),
    "a Word file saved into the documents folder": (
        {"van-ban/quyet-dinh.docx": docx_bytes()},
        "content/van-ban/quyet-dinh.docx: is not a document file; a document is a .md file here, and "
        "its PDF, Word or Excel file goes into content/files/ (named in the document's Files: line)"),
}


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """The project's own content, built once: each bad case is added to it,
    fails, and is taken away again."""
    site = FixtureSite(tmp_path_factory.mktemp("bad-documents"))
    shutil.copytree(ROOT / "content", site.content, dirs_exist_ok=True)
    site.build(POLLS_NOW=NOW)
    return site


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_one_line_naming_the_file_and_output_stays(built_once, case, monkeypatch):
    monkeypatch.chdir(built_once.root)  # paths are shown from the project's folder
    files, expected = BAD_INPUT[case]
    before = built_once.snapshot()
    written = [built_once.write(name, text) for name, text in files.items()]
    try:
        with pytest.raises(BuildFailed) as failure:
            built_once.build(POLLS_NOW=NOW)
    finally:
        for path in written:
            path.unlink()
    assert [str(problem) for problem in failure.value.problems] == [expected]
    assert built_once.snapshot() == before


def test_a_document_cited_by_many_articles_lists_the_newest_and_says_how_many(fixture_site):
    """Ten years of articles citing one plan would make its page 10,000 links (3 MB)."""
    shutil.copytree(ROOT / "content" / "van-ban", fixture_site.content / "van-ban")
    for day in range(1, 24):
        fixture_site.write(f"tin-co-so/tin-{day}.md", article(
            title=f"Tin ngày {day}", date=f"2024-05-{day:02d}", body="Theo [kế hoạch]({van-ban}01)."))
    plan = parse(fixture_site.build(POLLS_NOW=NOW) / SEED_PLAN_URL)
    cited = plan.select("#tin-bai-nhac-den + ul a")
    assert [a.get_text() for a in cited] == [f"Tin ngày {day}" for day in range(23, 3, -1)]
    assert (" ".join(plan.select_one(".app-related__more").get_text().split())
            == "20 tin bài mới nhất trong số 23 tin bài nhắc đến văn bản này.")
