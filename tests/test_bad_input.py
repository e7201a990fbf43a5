"""Bad content: one clear line naming the file, and output/ left as it was."""


import pytest

from conftest import article, copy_project, run_task
from portal.core.problems import BuildFailed

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
        article(category="Tin co so"),
        'content/tin-co-so/bad.md:4: Category "Tin co so" is not one of: Tin tức - Sự kiện, '
        "Xây dựng Đảng, Kinh tế - Xã hội, Tin cơ sở; fix the spelling, or add it to "
        "PORTAL_CATEGORIES in pelicanconf.py",
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
}


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
        assert lines == [expected]


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
