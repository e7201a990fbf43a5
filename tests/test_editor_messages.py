"""Every problem names its file, all at once, in words an editor can act on
(issue 15, point 5): what Pelican itself would warn about, every problem of
a file in one build, checks on built pages, categories typed another way,
files the build would ignore, Notepad's encodings, folders and categories."""

import logging
import shutil

import pytest

from conftest import ROOT, article, parse
from photo_files import small_jpeg
from portal.core.problems import BuildFailed

CATEGORIES = "Tin tức - Sự kiện, Xây dựng Đảng, Kinh tế - Xã hội, Tin cơ sở"


def failure_lines(site, **settings) -> list[str]:
    """Build after a good build; the lines of the failure, with output/ untouched."""
    before = site.snapshot()
    with pytest.raises(BuildFailed) as failure:
        site.build(**settings)
    assert site.snapshot() == before, "a failed build changed output/"
    lines = failure.value.report().splitlines()
    assert lines[-1].endswith("nothing was replaced.")
    return lines[:-1]


@pytest.fixture
def built(fixture_site, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    fixture_site.write("tin-co-so/tin-dung.md", article(title="Tin đúng"))
    fixture_site.build()
    return fixture_site


def portal_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.name == "portal" and record.levelno == logging.WARNING]


# --- What Pelican itself would say: one line naming the file, and what to do ---

@pytest.mark.parametrize("files, expected", [
    # Pelican: "{filename} used for linking to static content /files/a.pdf in
    # tin-co-so/a.md. Use {static} instead", named "pelican".
    ({"files/ke-hoach.pdf": b"%PDF-1.4\n", "tin-co-so/a.md": article(
        title="Tin a", body="Tải [kế hoạch]({filename}/files/ke-hoach.pdf).")},
     ['content/tin-co-so/a.md:7: link to "/files/ke-hoach.pdf" uses {filename}, which is for '
      "articles and pages; write {static}/files/ke-hoach.pdf for a photo or a file to download"]),
    # Pelican: "Unable to find 'anh.jpg', skipping url replacement."
    ({"tin-co-so/anh.jpg": b"\xff\xd8", "tin-co-so/a.md": article(
        title="Tin a", body="Xem [ảnh]({filename}anh.jpg).")},
     ['content/tin-co-so/a.md:7: link to "anh.jpg" uses {filename}, which is for articles and '
      "pages; write {static}anh.jpg for a photo or a file to download"]),
    # Pelican: "Unable to find 'b.md', skipping url replacement."
    ({"tin-co-so/b.md": article(title="Tin b"), "tin-co-so/a.md": article(
        title="Tin a", body="Xem [tin b]({static}b.md).")},
     ['content/tin-co-so/a.md:7: link to "b.md" uses {static}, which is for photos and files to '
      "download; write {filename}b.md to link an article or page"]),
    # Pelican: "Unable to find 'b.md.txt', skipping url replacement."
    ({"tin-co-so/b.md.txt": article(title="Tin b"), "tin-co-so/a.md": article(
        title="Tin a", body="Xem [tin b]({filename}b.md.txt).")},
     ['content/tin-co-so/a.md:7: link to "b.md.txt": that file\'s name ends in ".txt" (Notepad adds '
      'it), so it is not read as an article; rename the file to "b.md" and link to that']),
    # Pelican: "Replacement Indicator 'fielname' not recognized in '{fielname}/...'".
    ({"tin-co-so/a.md": article(title="Tin a", body="Xem [tin]({fielname}/tin-co-so/tin-dung.md).")},
     ['content/tin-co-so/a.md: link "{fielname}/tin-co-so/tin-dung.md" is not a kind of link the '
      "site knows; write {filename}/... for an article or page, {static}/... for a photo or a file "
      "to download"]),
    # Pelican: "Unable to find '/tin-co-so/khong-co.md'", from the Summary.
    ({"tin-co-so/a.md": "Summary: Xem [tin]({filename}/tin-co-so/khong-co.md).\n" + article(title="Tin a")},
     ['content/tin-co-so/a.md:1: link to "/tin-co-so/khong-co.md" points to no file in content/; '
      "check the name and folder of the article, page or image"]),
    # Pelican: "The {attach} link in xay-dung-dang/b.md cannot relocate files/a.pdf
    # because its output location was already overridden. Falling back to ..."
    ({"files/a.pdf": b"%PDF-1.4\n",
      "tin-co-so/a.md": article(title="Tin a", body="[Tải về]({attach}/files/a.pdf)"),
      "xay-dung-dang/b.md": article(title="Tin b", category="Xây dựng Đảng",
                                    body="[Tải về]({attach}/files/a.pdf)")},
     ['content/xay-dung-dang/b.md: link to "files/a.pdf" uses {attach}, but the file is linked from '
      "elsewhere too, so it cannot move beside this article; write {static} instead of {attach}"]),
    # Pelican: "Failed to overwrite "/tmp/.../.output.staging-.../gioi-thieu.html" as
    # Pelican has already written to it previously".
    ({"pages/a.md": "Title: Giới thiệu\n\nMột.\n", "pages/b.md": "Title: Giới thiệu\n\nHai.\n"},
     ['content/pages/a.md: Slug "gioi-thieu" is also used by content/pages/b.md; give one of them '
      "another 'Slug:' or title"]),
    # Pelican made a link to drafts/..., which is not written: "leads to no page",
    # with advice to use {filename}, which it did.
    ({"tin-co-so/d.md": article(title="Tin nháp", status="draft"),
      "tin-co-so/a.md": article(title="Tin a", body="Xem [tin]({filename}d.md).")},
     ['content/tin-co-so/a.md: link "/drafts/tin-nhap.html" leads to content/tin-co-so/d.md, which is '
      "not published (its Status is draft); remove the link, or publish that file"]),
    ({"tin-co-so/d.md": article(title="Tin ẩn", status="hidden"),
      "tin-co-so/a.md": article(title="Tin a", body="Xem [tin]({filename}d.md).")},
     ['content/tin-co-so/a.md: link "/tin-co-so/tin-an.html" leads to content/tin-co-so/d.md, which is '
      "not published (its Status is hidden); remove the link, or publish that file"]),
], ids=["filename-to-a-pdf", "filename-to-a-photo", "static-to-an-article", "filename-to-md-txt",
        "unknown-link-kind", "link-in-summary", "attach-twice", "two-pages-one-slug", "link-to-a-draft",
        "link-to-a-hidden-article"])
def test_what_pelican_would_warn_about_names_the_file_and_the_fix(built, files, expected):
    for path, text in files.items():
        built.write(path, text)
    assert failure_lines(built) == expected


def test_a_link_to_a_file_that_cannot_be_read_names_the_linking_file_too(built):
    """Pelican: "Unable to find 'b.md', skipping url replacement.", named "pelican"."""
    built.write("tin-co-so/b.md", article(title="Tin b", date="2020-13-01"))
    built.write("tin-co-so/a.md", article(title="Tin a", body="Xem [tin b]({filename}b.md)."))
    assert failure_lines(built) == [
        'content/tin-co-so/a.md: link to "b.md" leads to no article, page or file that the site '
        "publishes; correct the name, or fix the linked file if it has a problem of its own",
        'content/tin-co-so/b.md:2: Date "2020-13-01" is not a real date; write it as 2020-09-14 or '
        "2020-09-14 08:30"]


def test_every_link_pelican_cannot_resolve_is_named_even_when_worded_alike(built):
    """Pelican names four such links, then says "Other resources were not
    found and their urls not replaced"; and a link worded like one logged
    before (the same typo in two articles) it does not name again."""
    for number in range(6):
        built.write(f"tin-co-so/b{number}.md", article(title=f"Tin {number}", date="2020-13-01"))
    body = " ".join(f"[{number}]({{filename}}b{number}.md)" for number in range(6))
    built.write("tin-co-so/a.md", article(title="Tin a", body=body))
    for name in ("c", "d"):
        built.write(f"tin-co-so/{name}.md", article(title=f"Tin {name}", body="[x]({fielname}/x.md)"))
    linking = [line for line in failure_lines(built) if not line.startswith("content/tin-co-so/b")]
    assert linking == [
        f'content/tin-co-so/a.md: link to "b{number}.md" leads to no article, page or file that the '
        "site publishes; correct the name, or fix the linked file if it has a problem of its own"
        for number in range(6)] + [
        f'content/tin-co-so/{name}.md: link "{{fielname}}/x.md" is not a kind of link the site knows; '
        "write {filename}/... for an article or page, {static}/... for a photo or a file to download"
        for name in ("c", "d")]


def test_a_date_in_a_file_name_is_only_a_name(built):
    """Pelican read a date from "2024-02-31-tin.md" and failed with
    "tin-co-so/2024-02-31-tin.md: '2024-02-31' is not a valid date"."""
    built.write("tin-co-so/2024-02-31-tin.md", article(title="Tin có ngày", date="2024-05-01"))
    built.write("pages/2023-01-01-gioi-thieu.md", "Title: Giới thiệu\n\nNội dung.\n")
    output = built.build()
    assert parse(output / "tin-co-so" / "tin-co-ngay.html").find("time")["datetime"].startswith("2024-05-01")
    assert (output / "gioi-thieu.html").is_file()


# --- A mistake in a template of the theme: its file and line -----------------
# Jinja's messages name neither ("pelican: No filter named 'x'." before).

AN_ACTIVE_POLL = """\
id: thu
question: Bạn thấy trang mới thế nào?
start: 2024-05-01
end: 2024-05-31
options:
  - Tốt
  - Chưa tốt
vote_endpoint: https://binhchon.example.vn/vote
"""
FIX = "correct the template at that line (a file of the site's theme, not an article)"


@pytest.mark.parametrize("template, mistake, expected", [
    ("partials/footer.html", "{% endfor %}", "Encountered unknown tag 'endfor'"),
    ("partials/footer.html", "{{ SITENAME | khong_co }}", "No filter named 'khong_co'"),
    ("partials/article_meta.html", "{{ article.khong_co.x }}",
     "'pelican.contents.Article object' has no attribute 'khong_co'"),
    ("partials/footer.html", '{% include "partials/khong-co.html" %}',
     'includes "partials/khong-co.html", which is not in the theme'),
    # Rendered outside Pelican, by the build (the polls block; this was a traceback) and
    # while reading an article (its photos).
    ("partials/poll_form.html", "{{ 1 + 'a' }}", "TypeError: unsupported operand type(s) for +: 'int' and 'str'"),
    ("partials/photo_figure.html", "{{ 1 + 'a' }}",
     "TypeError: unsupported operand type(s) for +: 'int' and 'str'; " + FIX
     + "; it failed while reading content/tin-co-so/anh.md"),
], ids=["unknown-tag", "unknown-filter", "undefined", "missing-include", "poll-block", "photo"])
def test_a_mistake_in_a_template_names_the_template_and_its_line(built, template, mistake, expected):
    theme = built.root / "theme"
    shutil.copytree(ROOT / "theme", theme)
    built.write("polls/thu.yaml", AN_ACTIVE_POLL)
    small_jpeg(built.content / "images" / "anh.jpg")
    built.write("tin-co-so/anh.md", article(title="Tin ảnh", body="![Hội nghị]({static}/images/anh.jpg)"))
    built.build(THEME=str(theme), POLLS_NOW="2024-05-10 12:00")
    changed = theme / "templates" / template
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text + mistake + "\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    message = expected if "; " in expected else f"{expected}; {FIX}"
    assert failure_lines(built, THEME=str(theme), POLLS_NOW="2024-05-10 12:00") == [
        f"theme/templates/{template}:{line}: {message}"]


def test_a_template_whose_filter_fails_names_the_template_and_the_filters_code(built):
    theme = built.root / "theme"
    shutil.copytree(ROOT / "theme", theme)
    built.build(THEME=str(theme))
    footer = theme / "templates" / "partials" / "footer.html"
    text = footer.read_text(encoding="utf-8")
    footer.write_text(text + '{{ "css/khong-co.css" | asset }}\n', encoding="utf-8")
    [line] = failure_lines(built, THEME=str(theme))
    # Python's message is only the key: the kind of error and where it was raised say more.
    assert line.startswith(f"theme/templates/partials/footer.html:{len(text.splitlines()) + 1}: "
                           "KeyError: 'css/khong-co.css' (raised in ")
    assert "plugins/portal/render/template_filters.py:" in line and line.endswith(FIX)


def test_a_page_template_missing_from_the_theme_is_named(built):
    theme = built.root / "theme"
    shutil.copytree(ROOT / "theme", theme)
    built.build(THEME=str(theme))
    (theme / "templates" / "documents.html").unlink()  # our own: Pelican's theme has none
    assert failure_lines(built, THEME=str(theme)) == [
        "theme/templates/documents.html: is missing from the theme, and Pelican needs it to write "
        "pages; restore the file from the repository"]


# --- Every problem of a file in one build -------------------------------------

def test_every_problem_of_a_file_is_listed_in_one_build_in_line_order(built):
    """A bad date and a misspelt category took two rounds of corrections."""
    lines = "\n".join(f"Đoạn {number}." for number in range(4))
    built.write("tin-co-so/bad.md", "Title: Tin nhiều lỗi\nDate: 2024-02-31\nAuthor: Lê Văn A\n"
                "Category: Tin co so\nTags: Thử nghiệm\nStatus: nhap\n\n" + lines + "\n\n"
                "![](anh.jpg)\n\nXem [tin]({filename}khong-co.md).\n\nTheo [kế hoạch]({van-ban}99).\n")
    assert failure_lines(built) == [
        'content/tin-co-so/bad.md:2: Date "2024-02-31" is not a real date; write it as 2020-09-14 or '
        "2020-09-14 08:30",
        'content/tin-co-so/bad.md:4: Category "Tin co so" is not one of the site\'s categories; did '
        f'you mean "Tin cơ sở"? (the categories are: {CATEGORIES})',
        'content/tin-co-so/bad.md:6: Status "nhap" is unknown; use one of: published, draft, hidden',
        'content/tin-co-so/bad.md:13: image "anh.jpg" has no alt text; describe it in the brackets: '
        "![Mô tả ảnh](đường-dẫn-ảnh)",
        'content/tin-co-so/bad.md:15: link to "khong-co.md" points to no file in content/; check the '
        "name and folder of the article, page or image",
        # The documents feature's check, although the file never becomes an article.
        'content/tin-co-so/bad.md:17: link {van-ban}99: no document has the number "99"; check the '
        "number, or add that document to content/van-ban/ first",
    ]


def test_every_field_of_the_header_is_checked_even_after_a_bad_one(built):
    built.write("tin-co-so/bad.md", "Title: Tin\nTitle: Tin nữa\nSubtitle: Phụ\nDate: 31/02/2020\n"
                "Author: ,\nCategory: Thể thao\nTags: ???\nSlug: Tin Mới\n\nNội dung.\n")
    assert [line.split(": ", 1)[0] for line in failure_lines(built)] == [
        "content/tin-co-so/bad.md:2", "content/tin-co-so/bad.md:3", "content/tin-co-so/bad.md:4",
        "content/tin-co-so/bad.md:5", "content/tin-co-so/bad.md:6", "content/tin-co-so/bad.md:7",
        "content/tin-co-so/bad.md:8"]


# --- A check on a built page names the source file -----------------------------

def test_a_check_that_fails_on_an_article_page_names_its_md_file(built):
    """It named only output/tin-co-so/tin-rong.html."""
    built.write("tin-co-so/rong.md", article(title="Tin rỗng", body=""))
    assert failure_lines(built) == [
        "content/tin-co-so/rong.md: article body (.app-article__body) is empty (on its page "
        "output/tin-co-so/tin-rong.html)"]


# --- Categories typed another way ------------------------------------------------

@pytest.mark.parametrize("typed, meant", [
    ("Tin Cơ Sở", "Tin cơ sở"), ("Tin co so", "Tin cơ sở"), ("tin cơ sở", "Tin cơ sở"),
    ("TIN CO SO", "Tin cơ sở"), ("Tin cơ sơ", "Tin cơ sở"), ("Tin tuc su kien", "Tin tức - Sự kiện"),
    ("Xây dựng đảng", "Xây dựng Đảng"), ("Kinh te xa hoi", "Kinh tế - Xã hội"), ("Tin co soo", "Tin cơ sở"),
])
def test_a_category_typed_another_way_gets_did_you_mean(built, typed, meant):
    built.write("tin-co-so/bad.md", article(category=typed))
    assert failure_lines(built) == [
        f'content/tin-co-so/bad.md:4: Category "{typed}" is not one of the site\'s categories; did '
        f'you mean "{meant}"? (the categories are: {CATEGORIES})']


def test_no_message_to_an_editor_says_to_edit_the_settings(built):
    built.write("tin-co-so/bad.md", article(category="Thể thao"))
    [line] = failure_lines(built)
    assert "pelicanconf" not in line and "PORTAL_CATEGORIES" not in line
    assert "copy one of them exactly" in line


# --- Files the build would ignore ----------------------------------------------------

UNPUBLISHED = {
    "tin-co-so/bai.md.txt": 'is not published: its name ends in ".txt" (Notepad adds it), so it is not '
                            'read as an article; rename the file to "bai.md"',
    "tin-co-so/bao-cao.docx": 'is not published: a Word or office document is not read as an article; '
                              'copy its text into a file "bao-cao.md" (README, "Viết bài"), or link to it '
                              "from an article with ({static}bao-cao.docx) to offer it as a download",
    "tin-co-so/cu.doc": 'is not published: a Word or office document is not read as an article; copy its '
                        'text into a file "cu.md" (README, "Viết bài"), or link to it from an article '
                        "with ({static}cu.doc) to offer it as a download",
    "xay-dung-dang/tin.odt": 'is not published: a Word or office document is not read as an article; '
                             'copy its text into a file "tin.md" (README, "Viết bài"), or link to it '
                             "from an article with ({static}tin.odt) to offer it as a download",
    "xay-dung-dang/tin.rtf": 'is not published: a Word or office document is not read as an article; '
                             'copy its text into a file "tin.md" (README, "Viết bài"), or link to it '
                             "from an article with ({static}tin.rtf) to offer it as a download",
    "tin-co-so/ghi-chu.txt": 'is not published: only .md files are read as articles and pages; if it is '
                             'one, save it as "ghi-chu.md"',
    "pages/lien-he.html": 'is not published: only .md files are read as articles and pages; if it is one, '
                          'save it as "lien-he.md"',
    "tin-co-so/bang.xlsx": "is not published: no article links to it; link to it from an article with "
                           "({static}bang.xlsx), or remove it",
}


def test_files_the_build_would_ignore_are_named_with_what_to_do(built, caplog):
    for path in UNPUBLISHED:
        built.write(path, b"not an article")
    # Beside them, files the build does use: no word about those.
    built.write("tin-co-so/dinh-kem.docx", b"PK\x03\x04")
    built.write("tin-co-so/co-tep.md", article(title="Có tệp", body="[Tải về]({static}dinh-kem.docx)"))
    built.write("tin-co-so/markdown.markdown", article(title="Tin đuôi markdown"))
    built.write("tin-co-so/anh-chua-dung.jpg", b"\xff\xd8")
    built.write("files/bieu-mau.docx", b"PK\x03\x04")
    caplog.clear()
    output = built.build()  # warnings: the build goes on
    assert sorted(portal_warnings(caplog)) == sorted(
        f"portal: content/{path}: {message}" for path, message in UNPUBLISHED.items())
    assert (output / "tin-co-so" / "tin-duoi-markdown.html").is_file()
    assert (output / "tin-co-so" / "dinh-kem.docx").is_file()


# --- Notepad's encodings ---------------------------------------------------------------

@pytest.mark.parametrize("encoding, mark", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_a_byte_order_mark_is_read(built, encoding, mark):
    """Notepad's "Unicode" and "Unicode big endian": "the file is not UTF-8
    text (byte 0xFF)" before."""
    text = article(title="Tin lưu bằng Notepad", body="Đảng bộ huyện Đakrông.").replace("\n", "\r\n")
    built.write("tin-co-so/notepad.md", mark + text.encode(encoding))
    output = built.build()
    page = parse(output / "tin-co-so" / "tin-luu-bang-notepad.html")
    assert page.h1.get_text() == "Tin lưu bằng Notepad"
    assert "Đảng bộ huyện Đakrông." in page.select_one(".app-article__body").get_text()


def test_utf16_without_a_byte_order_mark_gets_a_clear_line(built):
    """It was "an invisible control character (U+0000) at column 2"."""
    built.write("tin-co-so/bad.md", article(title="Tin không BOM").encode("utf-16-le"))
    assert failure_lines(built) == [
        "content/tin-co-so/bad.md: the file is UTF-16 text without a byte-order mark, which cannot be "
        "read safely; save it again with the encoding UTF-8"]


# --- Folder and category ---------------------------------------------------------------

def test_an_article_filed_under_another_categorys_folder_gets_a_warning(built, caplog):
    built.write("xay-dung-dang/lac.md", article(title="Tin lạc thư mục", category="Tin cơ sở"))
    built.write("xay-dung-dang/dung.md", article(title="Tin đúng thư mục", category="Xây dựng Đảng"))
    built.write("2024/khac.md", article(title="Tin thư mục năm", category="Tin cơ sở"))
    caplog.clear()
    output = built.build()
    assert portal_warnings(caplog) == [
        'portal: content/xay-dung-dang/lac.md: Category "Tin cơ sở" is not "Xây dựng Đảng", the category '
        'of its folder xay-dung-dang/; it is published under "Tin cơ sở": correct the Category, or move '
        "the file into tin-co-so/"]
    assert (output / "tin-co-so" / "tin-lac-thu-muc.html").is_file()
