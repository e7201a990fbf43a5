"""The check-and-fill step: placeholder everywhere, idempotent, and loud
about pages that lack what their type needs."""

import pytest

from conftest import SEED_ARTICLE_URL, damage, parse
from portal.check_and_fill import check_and_fill
from portal.problems import BuildFailed

PLACEHOLDER = "Hiện tại không có bình chọn nào đang hoạt động."


def test_every_page_has_the_polls_placeholder_exactly_once(all_pages):
    assert len(all_pages) >= 10
    for name, soup in all_pages.items():
        slots = soup.select("[data-polls-slot]")
        assert len(slots) == 1, name
        assert slots[0].h2.get_text() == "Bình chọn", name
        assert soup.get_text().count(PLACEHOLDER) == 1, name
        assert slots[0].select_one("p").get_text() == PLACEHOLDER, name


def test_running_the_step_again_changes_no_byte(site, settings, copy_of):
    output = copy_of(site)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert check_and_fill(output, settings) == []
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before


def test_an_article_without_its_h1_fails_naming_the_page(site, settings, copy_of):
    output = copy_of(site)
    soup = parse(output / SEED_ARTICLE_URL)
    heading = str(soup.h1)
    damage(output, SEED_ARTICLE_URL, heading, "")
    problems = [str(p) for p in check_and_fill(output, settings)]
    assert problems == [f"output/{SEED_ARTICLE_URL}: article has 0 <h1>; it must have exactly 1"]


def test_a_page_without_its_polls_slot_fails_naming_the_page(site, settings, copy_of):
    output = copy_of(site)
    damage(output, "luu-tru/index.html", "data-polls-slot", "data-something-else")
    problems = [str(p) for p in check_and_fill(output, settings)]
    assert problems == [
        "output/luu-tru/index.html: has 0 polls slots ([data-polls-slot]); it must have exactly 1"
    ]


def test_each_problem_is_one_line_and_the_task_exits_non_zero(site, settings, copy_of, monkeypatch):
    output = copy_of(site)
    damage(output, "index.html", 'lang="vi"', 'lang="en"')
    damage(output, "404.html", '<meta name="viewport"', '<meta name="x"')
    from portal import build

    monkeypatch.setattr(build, "load_settings", lambda *_: {**settings, "OUTPUT_PATH": str(output)})
    with pytest.raises(BuildFailed) as failure:
        build.check_output()
    lines = failure.value.report().splitlines()
    assert lines == [
        f'{output.name}/404.html: <meta name="viewport"> is missing',
        f'{output.name}/index.html: <html> must have lang="vi"',
        "check failed: 2 problems; nothing was replaced.",
    ]


def test_a_page_not_made_by_our_theme_is_a_problem(site, settings, copy_of):
    output = copy_of(site)
    damage(output, "chu-de/index.html", 'data-page-type="tags"', 'data-page-type=""')
    problems = [str(p) for p in check_and_fill(output, settings)]
    assert problems == [
        "output/chu-de/index.html: not made by our theme (no known body[data-page-type])"
    ]


def test_unchanged_pages_are_not_parsed_again_and_a_changed_page_is(site, settings, copy_of, tmp_path, monkeypatch):
    from portal import check_and_fill as step

    parsed = []
    real = step.problems_in_page

    def counting(html):
        parsed.append(html)
        return real(html)

    monkeypatch.setattr(step, "problems_in_page", counting)
    own_settings = {**settings, "CACHE_PATH": str(tmp_path / "cache")}
    output = copy_of(site)
    pages = len(list(output.rglob("*.html")))

    assert check_and_fill(output, own_settings) == []
    assert len(parsed) == pages  # a new cache: every page is checked
    parsed.clear()
    assert check_and_fill(output, own_settings) == []
    assert parsed == []  # the same bytes passed the same checks already

    damage(output, SEED_ARTICLE_URL, "<h1", "<h2")
    problems = [str(p) for p in check_and_fill(output, own_settings)]
    assert len(parsed) == 1
    assert problems == [f"output/{SEED_ARTICLE_URL}: article has 0 <h1>; it must have exactly 1"]


def test_many_pages_are_checked_on_every_core_with_the_same_result(site, settings, copy_of, tmp_path, monkeypatch):
    from portal import check_and_fill as step

    monkeypatch.setattr(step, "PARALLEL_FROM", 2)  # this small site, as if it were large
    output = copy_of(site)
    damage(output, "luu-tru/index.html", "data-polls-slot", "data-something-else")
    problems = [str(p) for p in check_and_fill(output, {**settings, "CACHE_PATH": str(tmp_path)})]
    assert problems == [
        "output/luu-tru/index.html: has 0 polls slots ([data-polls-slot]); it must have exactly 1"
    ]
