"""Bad content: one clear line naming the file, and output/ left as it was."""


import os

import pytest

from conftest import article, copy_project, parse, run_task
from portal.core.problems import BuildFailed
from portal.read.header import ARTICLE_FIELDS

GOOD = article(title="Tin đúng", date="2024-05-01")


def failure_lines(fixture_site) -> list[str]:
    """Build after a good build; the lines of the failure, with output/ untouched."""
    before = fixture_site.snapshot()
    with pytest.raises(BuildFailed) as failure:
        fixture_site.build()
    assert fixture_site.snapshot() == before, "a failed build changed output/"
    lines = failure.value.report().splitlines()
    assert lines[-1].startswith("build failed: ")
    return lines[:-1]


@pytest.fixture
def built(fixture_site):
    fixture_site.write("tin-co-so/tin-dung.md", GOOD)
    fixture_site.build()
    return fixture_site


CASES = {
    "missing title": (
        "Date: 2024-05-01\nAuthor: A\nCategory: Tin cơ sở\n\nNội dung.\n",
        "content/tin-co-so/bad.md: Title is missing; add a line 'Title: ...' at the top of the file",
    ),
    "empty title": (
        "Title:\nDate: 2024-05-01\nAuthor: A\nCategory: Tin cơ sở\n\nNội dung.\n",
        "content/tin-co-so/bad.md:1: Title is empty; write the headline after 'Title:'",
    ),
    "impossible date": (
        article(date="2020-02-31"),
        'content/tin-co-so/bad.md:2: Date "2020-02-31" is not a real date; '
        "write it as 2020-09-14 or 2020-09-14 08:30",
    ),
    "day-first impossible date": (
        article(date="31/02/2020"),
        'content/tin-co-so/bad.md:2: Date "31/02/2020" is not a real date; '
        "write it as 2020-09-14 or 2020-09-14 08:30",
    ),
    "day-first date": (
        article(date="14/09/2020"),
        'content/tin-co-so/bad.md:2: Date "14/09/2020" is day-first; '
        "write it as 2020-09-14 (year-month-day)",
    ),
    "unknown category": (
        article(category="Thể thao"),
        'content/tin-co-so/bad.md:4: Category "Thể thao" is not one of the site\'s categories: '
        "Tin tức - Sự kiện, Xây dựng Đảng, Kinh tế - Xã hội, Tin cơ sở; copy one of them exactly "
        "(new categories are added by the site's IT officer)",
    ),
    "missing author": (
        "Title: T\nDate: 2024-05-01\nCategory: Tin cơ sở\n\nNội dung.\n",
        "content/tin-co-so/bad.md: Author is missing; add a line 'Author: ...' with the writer's name",
    ),
    "not UTF-8": (
        article(title="Tin tức").encode("cp1258", errors="replace") + "\nĐ".encode("utf-16-le"),
        None,  # checked below: depends on where the first bad byte is
    ),
    "a field given twice": (
        "Title: Tin một\n" + article(title="Tin hai"),
        "content/tin-co-so/bad.md:2: Title is given twice (lines 1 and 2); keep one of them",
    ),
    "empty file": (
        "  \n\n",
        "content/tin-co-so/bad.md: the file is empty; start it with a line 'Title: ...'",
    ),
    # Pelican took the two lines as a list: "expected string or bytes-like object".
    "a title continued on a second line": (
        "Title: Đảng bộ huyện Đakrông tổng kết\n    công tác năm 2024\n"
        + article().split("\n", 1)[1],
        "content/tin-co-so/bad.md:2: Title continues on line 2 (a line that starts with spaces "
        "continues the field above); write the whole Title on one line",
    ),
    # Pelican: "Unable to generate valid slug for Author", naming no file.
    "an author that is only a comma": (
        article(author=","),
        "content/tin-co-so/bad.md:3: Author \",\" is not a name; write the writer's name, "
        "e.g. 'Author: Nguyễn Thị Hảo'",
    ),
    "a tag without a letter": (
        article(tags="Nông thôn mới, ???"),
        "content/tin-co-so/bad.md:5: Tags has \"???\", which is not a tag; write short tags "
        "separated by commas, e.g. 'Tags: Xây dựng Đảng, Nông thôn mới'",
    ),
    # Pelican wrote it as tin-co-so/.html, a hidden file.
    "a title without a letter": (
        article(title="???"),
        "content/tin-co-so/bad.md:1: Title \"???\" has no letter or digit to make the page's "
        "address from; add a line 'Slug: ...' with the address, e.g. 'Slug: hoi-nghi-tong-ket'",
    ),
    "a field that is not one": (
        article(subtitle="Tin phụ"),
        'content/tin-co-so/bad.md:1: "Subtitle" is not a field of an article; remove the line or '
        "correct its name (the fields are: Title, Date, Author, Category, Tags, Summary, Image, "
        "ImageCaption, Slug, Status, OldUrl, OldId)",
    ),
    "fields below a line that is not one": (
        "Title: Tin\nẢnh: hội nghị\nDate: 2024-05-01\nAuthor: A\nCategory: Tin cơ sở\n\n"
        "Nội dung.\n",
        # Every field below the line is missing, and each says so in the same build.
        ["content/tin-co-so/bad.md: Date is missing; add a line 'Date: ...' (write it as 2020-09-14 "
         "or 2020-09-14 08:30); the header stops at line 2, which is not a 'Field: value' line",
         "content/tin-co-so/bad.md: Author is missing; add a line 'Author: ...' with the writer's "
         "name; the header stops at line 2, which is not a 'Field: value' line",
         "content/tin-co-so/bad.md: Category is missing; add a line 'Category: ...' with one of: "
         "Tin tức - Sự kiện, Xây dựng Đảng, Kinh tế - Xã hội, Tin cơ sở; the header stops at line 2, "
         "which is not a 'Field: value' line"],
    ),
    "a control character from Word": (
        article(title="Hội nghị\x0btổng kết"),
        "content/tin-co-so/bad.md:1: an invisible control character (U+000B) at column 16; delete "
        "it and retype the letters around it (copying from Word or a PDF can bring one in)",
    ),
    "a NUL byte": (
        article(body="Đoạn một.\n\nĐoạn\x00 hai."),
        "content/tin-co-so/bad.md:9: an invisible control character (U+0000) at column 5; delete "
        "it and retype the letters around it (copying from Word or a PDF can bring one in)",
    ),
    "a headline of 400 characters": (
        article(title="Tin " * 100),
        "content/tin-co-so/bad.md:1: Title is 399 characters long (at most 300); shorten the "
        "headline and put the rest in 'Summary:'",
    ),
    # Pelican: "[Errno 36] File name too long", a 10 MB line.
    "a title whose address is too long": (
        article(title="Nghị quyết " * 25),
        "content/tin-co-so/bad.md:1: the address made from the Title would be 274 characters long "
        "(at most 200); add a line 'Slug: ...' with a shorter one",
    ),
    "a slug with letters an address cannot have": (
        article(slug="Tin mới"),
        'content/tin-co-so/bad.md:1: Slug "Tin mới" may have only lower-case letters a-z, digits '
        'and hyphens; write it as "tin-moi"',
    ),
    "a file of 1.4 MB": (
        article(body="Nội dung rất dài. " * 60_000),
        "content/tin-co-so/bad.md: the file is 1.4 MB, more than an article or page may be (1 MB); "
        "check that it is the right file, or split the text into several articles",
    ),
    # Pelican: "tin-co-so/deep.md: maximum recursion depth exceeded".
    "lists nested hundreds deep": (
        article(body="".join("    " * depth + "- mục\n" for depth in range(400))),
        "content/tin-co-so/bad.md: lists or quotes inside one another go too deep for Markdown "
        "to read; check the indentation (4 spaces for each level of a list)",
    ),
}

# Fields that tell Pelican where or how to write: `Save_as: index.html`
# replaced the home page without a word.
STEERING = ["Save_as: index.html", "URL: index.html", "Template: index", "Lang: en",
            "Translation: true", "   save_as: index.html"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_article_fails_with_one_line_naming_the_file(built, case, monkeypatch):
    text, expected = CASES[case]
    monkeypatch.chdir(built.root)
    built.write("tin-co-so/bad.md", text)
    lines = failure_lines(built)
    if expected is None:
        assert len(lines) == 1
        assert lines[0].startswith("content/tin-co-so/bad.md:")
        assert "is not UTF-8 text" in lines[0] and "save it again with the encoding UTF-8" in lines[0]
    else:
        assert lines == (expected if isinstance(expected, list) else [expected])


@pytest.mark.parametrize("line", STEERING)
def test_a_header_field_that_steers_pelican_is_refused(built, line, monkeypatch):
    monkeypatch.chdir(built.root)
    name = line.split(":")[0].strip().capitalize().replace("Url", "URL")
    built.write("tin-co-so/bad.md", f"{line}\n" + article(title="Tin chiếm trang chủ"))
    assert failure_lines(built) == [
        f"content/tin-co-so/bad.md:1: {name} would tell Pelican where or how to write this "
        "article, which could replace another page of the site; remove the line (the address "
        "comes from the title, or from 'Slug:')"]


def test_a_slug_cannot_lead_out_of_the_articles_folder(built, monkeypatch):
    """`Slug: ../index` would be written as tin-co-so/../index.html: the home page."""
    monkeypatch.chdir(built.root)
    home = (built.output / "index.html").read_bytes()
    built.write("tin-co-so/bad.md", article(title="Tin chiếm trang chủ", slug="../index"))
    assert failure_lines(built) == [
        'content/tin-co-so/bad.md:1: Slug "../index" may have only lower-case letters a-z, digits '
        'and hyphens; write it as "index"']
    assert (built.output / "index.html").read_bytes() == home


@pytest.mark.parametrize("path, text, expected", [
    ("pages/trang-chu.md", "Title: Index\n\nNội dung.\n",
     "content/pages/trang-chu.md:1: the page would be written as index.html, over a page the site "
     "makes itself; add a line 'Slug: ...' with another address"),
    ("pages/loi.md", "Title: Trang lỗi\nSlug: 404\n\nNội dung.\n",
     "content/pages/loi.md:2: the page would be written as 404.html, over a page the site makes "
     "itself; give it another Slug"),
    ("tin-co-so/bad.md", article(title="Tin cơ sở", slug="index"),
     "content/tin-co-so/bad.md:1: the article would be written as tin-co-so/index.html, over a page "
     "the site makes itself; give it another Slug"),
])
def test_an_address_the_site_uses_itself_is_refused(built, monkeypatch, path, text, expected):
    """Pelican stopped with "Failed to overwrite .output.staging-…/index.html", naming no file."""
    monkeypatch.chdir(built.root)
    built.write(path, text)
    assert failure_lines(built) == [expected]


def test_the_allowed_fields_are_what_the_reader_accepts(fixture_site):
    """ARTICLE_FIELDS is the one list (the editor's form is built from it):
    an article that gives every one of them builds."""
    values = {"title": "Tin đủ trường", "date": "2024-05-01 08:30", "author": "Lê Văn A",
              "category": "Tin cơ sở", "tags": "Nông thôn mới", "summary": "Tóm tắt.",
              "slug": "tin-du-truong", "status": "published", "oldurl": "/tin/123.html",
              "oldid": "123"}
    assert {field.lower() for field in ARTICLE_FIELDS} - {"image", "imagecaption"} == set(values)
    header = "".join(f"{name}: {values[name.lower()]}\n" for name in ARTICLE_FIELDS
                     if name.lower() in values)
    fixture_site.write("tin-co-so/du.md", header + "\nNội dung.\n")
    assert (fixture_site.build() / "tin-co-so" / "tin-du-truong.html").is_file()


def test_crlf_and_a_yaml_fence_are_read_like_unix_lines(fixture_site):
    fixture_site.write("tin-co-so/crlf.md", article(title="Tin từ Windows", tags="Một, Hai")
                       .replace("\n", "\r\n").encode())
    fenced = "---\n" + article(title="Tin có rào").replace("\n\n", "\n---\n", 1)
    fixture_site.write("tin-co-so/yaml.md", fenced)
    output = fixture_site.build()
    page = parse(output / "tin-co-so" / "tin-tu-windows.html")
    assert page.h1.get_text() == "Tin từ Windows"
    assert (output / "chu-de" / "hai" / "index.html").is_file()
    assert parse(output / "tin-co-so" / "tin-co-rao.html").h1.get_text() == "Tin có rào"


def test_file_names_with_spaces_and_vietnamese_letters_build(fixture_site):
    fixture_site.write("tin-co-so/tin mới về hội nghị.md", article(title="Tin mới về hội nghị"))
    fixture_site.write("tin-co-so/a.md", article(
        title="Tin liên kết", body="Xem [tin mới]({filename}tin%20mới%20về%20hội%20nghị.md)."))
    output = fixture_site.build()
    link = parse(output / "tin-co-so" / "tin-lien-ket.html").select_one(".app-article__body a")
    assert link["href"] == "/tin-co-so/tin-moi-ve-hoi-nghi.html"
    assert (output / "tin-co-so" / "tin-moi-ve-hoi-nghi.html").is_file()


def test_a_folder_named_like_an_article_is_walked_not_read(fixture_site):
    (fixture_site.content / "tin-co-so" / "thu-muc.md").mkdir(parents=True)
    fixture_site.write("tin-co-so/thu-muc.md/a.md", article(title="Tin trong thư mục"))
    assert (fixture_site.build() / "tin-co-so" / "tin-trong-thu-muc.html").is_file()


def test_a_named_pipe_among_the_articles_fails_instead_of_hanging(tmp_path):
    """Reading a pipe waits for a writer for ever; the build must not."""
    project = copy_project(tmp_path)
    os.mkfifo(project / "content" / "tin-co-so" / "ong.md")
    result = run_task(project, "build", timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert ("content/tin-co-so/ong.md: is not an ordinary file (a pipe or a device); "
            "remove it from content/") in result.stderr.splitlines()


def test_not_utf8_names_the_line(built, monkeypatch):
    monkeypatch.chdir(built.root)
    built.write("tin-co-so/bad.md", article().encode() + b"\nD\xf4ng\n")
    assert failure_lines(built) == [
        "content/tin-co-so/bad.md:9: the file is not UTF-8 text (byte 0xF4); "
        "save it again with the encoding UTF-8"
    ]


def test_two_articles_with_one_slug_name_both_files(built, monkeypatch):
    monkeypatch.chdir(built.root)
    built.write("tin-co-so/mot.md", article(title="Tin trùng", slug="tin-trung"))
    built.write("xay-dung-dang/hai.md", article(title="Tin trùng khác", slug="tin-trung"))
    assert failure_lines(built) == [
        'content/tin-co-so/mot.md: Slug "tin-trung" is also used by '
        "content/xay-dung-dang/hai.md; give one of them another 'Slug:' or title"
    ]


def test_every_bad_file_is_listed_not_only_the_first(built, monkeypatch):
    monkeypatch.chdir(built.root)
    built.write("tin-co-so/a.md", article(date="2020-13-01"))
    built.write("tin-co-so/b.md", article(category="Thể thao"))
    lines = failure_lines(built)
    assert [line.split(":")[0] for line in lines] == [
        "content/tin-co-so/a.md", "content/tin-co-so/b.md"
    ]


def test_a_byte_order_mark_is_accepted_silently(fixture_site):
    fixture_site.write("tin-co-so/bom.md", b"\xef\xbb\xbf" + article(title="Có BOM").encode())
    output = fixture_site.build()
    assert (output / "tin-co-so" / "co-bom.html").is_file()


def test_invoke_build_exits_non_zero_without_a_traceback(tmp_path):
    project = copy_project(tmp_path)
    (project / "content" / "tin-co-so" / "sai.md").write_text(article(date="31/02/2020"), encoding="utf-8")
    result = run_task(project, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert 'content/tin-co-so/sai.md:2: Date "31/02/2020" is not a real date' in result.stderr
    assert not (project / "output").exists()


def test_a_second_build_in_one_process_reports_its_problems_again(fixture_site, monkeypatch, caplog):
    """The preview server builds again and again in one process; Pelican's
    loggers would drop a message logged before."""
    monkeypatch.chdir(fixture_site.root)
    fixture_site.write("tin-co-so/nfd.md", article(title="Bi\u0300a"))
    for _ in range(2):
        caplog.clear()
        fixture_site.build()
        assert [r.getMessage() for r in caplog.records if "composed Unicode" in r.getMessage()] == [
            "portal: content/tin-co-so/nfd.md: text was not in composed Unicode (NFC); "
            "it was normalised for this build, save the file again to fix it"]
