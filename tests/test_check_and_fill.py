"""The check-and-fill step: placeholder everywhere, idempotent, and loud
about pages that lack what their type needs."""

import json
import subprocess
import sys

import pytest

from conftest import SEED_ARTICLE_URL, copy_project, damage, parse
from portal.build.site import build_site
from portal.build.site import check_and_fill
from portal.check.check_and_fill import checking_as_written
from portal.core.problems import BuildFailed

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
    from portal.build import site as build

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
    from portal.check import check_and_fill as step

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
    from portal.check import check_and_fill as step

    monkeypatch.setattr(step, "PARALLEL_FROM", 2)  # this small site, as if it were large
    output = copy_of(site)
    damage(output, "luu-tru/index.html", "data-polls-slot", "data-something-else")
    problems = [str(p) for p in check_and_fill(output, {**settings, "CACHE_PATH": str(tmp_path)})]
    assert problems == [
        "output/luu-tru/index.html: has 0 polls slots ([data-polls-slot]); it must have exactly 1"
    ]


# Each check, on a deliberately broken copy of a real page: a check that
# looked in the wrong place would show here as a missing problem or as a
# problem on a good page.
BROKEN_PAGES = [
    ("404.html", "<title>", "<title></title><x-title>", "<title> is missing or empty"),
    ("index.html", 'data-page-type="home"', 'data-page-type="nonsense"',
     "not made by our theme (no known body[data-page-type])"),
    (SEED_ARTICLE_URL, '<div class="app-article__body">', '<div class="app-article__body"><h1>Thêm</h1>',
     "article has 2 <h1>; it must have exactly 1"),
    (SEED_ARTICLE_URL, '<meta property="og:title" content="Đảng bộ',
     '<meta property="og:title" content="Khác: Đảng bộ',
     '<h1> "Đảng bộ huyện Đakrông quyết tâm đưa Nghị quyết Đại hội Đảng bộ lần thứ VI, nhiệm kỳ '
     '2020-2025 đi vào cuộc sống" differs from the title "Khác: Đảng bộ huyện Đakrông quyết tâm đưa '
     'Nghị quyết Đại hội Đảng bộ lần thứ VI, nhiệm kỳ 2020-2025 đi vào cuộc sống"'),
    (SEED_ARTICLE_URL, 'datetime="2020-09-14T00:00:00+07:00"', 'data-x="1"', "article has no <time datetime>"),
    (SEED_ARTICLE_URL, 'datetime="2020-09-14T00:00:00+07:00"', 'datetime="14/09/2020"',
     '<time datetime="14/09/2020"> is not ISO 8601'),
    (SEED_ARTICLE_URL, 'class="app-article-meta__author"', 'class="x"',
     "article shows no author (.app-article-meta__author)"),
    (SEED_ARTICLE_URL, 'class="app-article__body"', 'class="x"', "article body (.app-article__body) is empty"),
    (SEED_ARTICLE_URL, 'rel="canonical"', 'rel="x"', 'article has no <link rel="canonical" href>'),
    ("van-ban/2020/ke-hoach-01.html", 'class="app-document__fields"', 'class="x"',
     "document page has no list of its fields (dl.app-document__fields)"),
    ("ket-qua-binh-chon/index.html", "<!--/poll-archive-->", "",
     "the poll archive slot lacks its <!--poll-archive--> ... <!--/poll-archive--> markers"),
    ("404.html", "Trang", "Tra\u0300ng", "text is not in composed Unicode (NFC); "
     "a source file or template needs saving as NFC"),
]


@pytest.mark.parametrize("page, old, new, expected", BROKEN_PAGES,
                         ids=[case[3][:40] for case in BROKEN_PAGES])
def test_each_check_finds_its_problem(site, settings, copy_of, page, old, new, expected):
    output = copy_of(site)
    damage(output, page, old, new)
    problems = [str(p) for p in check_and_fill(output, settings)]
    assert problems == [f"output/{page}: {expected}"]


def test_an_empty_page_is_one_problem_saying_so(site, settings, copy_of):
    output = copy_of(site)
    (output / "404.html").write_text("", encoding="utf-8")
    assert [str(p) for p in check_and_fill(output, settings)] == ["output/404.html: the page is empty"]


@pytest.fixture
def workers_for_small_sites(monkeypatch):
    """Workers check pages as they are written, even on this small site."""
    from portal.check import check_and_fill as step

    monkeypatch.setattr(step, "PARALLEL_FROM", 2)
    monkeypatch.setattr(step.ChecksAsWritten, "BATCH", 2)
    return step


def test_pages_are_checked_by_workers_while_pelican_writes(tmp_path, monkeypatch, workers_for_small_sites):
    step = workers_for_small_sites
    # Every batch handed out is answered by a worker (none taken back), and counted.
    monkeypatch.setattr(step.ChecksAsWritten, "take_back_unstarted", lambda self: None)
    answered = []
    real_answers = step.ChecksAsWritten.answers
    monkeypatch.setattr(step.ChecksAsWritten, "answers",
                        lambda self: answered.append(real_answers(self)) or answered[-1])
    project = copy_project(tmp_path)
    damage(project / "theme" / "templates", "partials/article_meta.html",
           'class="app-article-meta__author"', 'class="x"')

    with pytest.raises(BuildFailed) as failure:
        build_site(str(project / "pelicanconf.py"), CACHE_PATH=str(tmp_path / "cache"))

    # The line names the article's source file first (issue 15), then its page.
    assert failure.value.report().splitlines()[0].endswith(
        "content/tin-co-so/dang-bo-huyen-dakrong-quyet-tam-dua-nghi-quyet-dai-hoi-vao-cuoc-song.md: "
        f"article shows no author (.app-article-meta__author) (on its page output/{SEED_ARTICLE_URL})")
    assert len(answered) == 1
    problems = [found for found in answered[0].values() if found]
    assert problems == [["article shows no author (.app-article-meta__author)"]]
    assert len(answered[0]) >= 10  # most of the site's pages were checked by workers


def test_a_page_changed_after_a_worker_checked_it_is_checked_again(site, settings, copy_of, tmp_path,
                                                                   workers_for_small_sites):
    settings = {**settings, "CACHE_PATH": str(tmp_path / "cache")}  # no page checked before
    output = copy_of(site)
    with checking_as_written(settings) as checked:
        for page in sorted(output.rglob("*.html")):
            checked.page_written(page)  # as Pelican's content_written signal does
        assert len(checked.answers()) >= 10  # the workers have checked these pages
        damage(output, SEED_ARTICLE_URL, "<h1", "<h2")  # after the worker's check
        problems = [str(p) for p in check_and_fill(output, settings, checked=checked)]
    assert problems == [f"output/{SEED_ARTICLE_URL}: article has 0 <h1>; it must have exactly 1"]


# --- The memory of checked pages cannot let a bad page pass (issue 12) -----


def run_python(project, code: str, **options) -> subprocess.Popen:
    """Python in `project`, with its own copy of the plugin."""
    return subprocess.Popen([sys.executable, "-c", code], cwd=project, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, **options)


CHECK_WHEN_TOLD = """
import json, sys
sys.path.insert(0, "plugins")
from portal.build.site import check_and_fill
from portal.core.settings import load_settings
print("imported", flush=True)
sys.stdin.readline()
settings = load_settings("pelicanconf.py", CACHE_PATH=sys.argv[1])
print(json.dumps([str(problem) for problem in check_and_fill(sys.argv[2], settings)]), flush=True)
"""


def check_in_process(project, cache, output, changing_the_checks_before_checking=None) -> list[str]:
    process = run_python(project, CHECK_WHEN_TOLD.replace("sys.argv[1]", repr(str(cache)))
                         .replace("sys.argv[2]", repr(str(output))))
    assert process.stdout.readline().strip() == "imported"
    if changing_the_checks_before_checking:
        changing_the_checks_before_checking()
    answer, _ = process.communicate("go\n", timeout=120)
    return json.loads(answer.strip().splitlines()[-1])


def test_the_memory_belongs_to_the_checks_as_loaded_not_as_on_disk(site, copy_of, tmp_path):
    """The preview server runs the checks it imported; page_checks.py may
    have changed on disk since. What it remembers as passed must not pass
    pages in a process that runs the new checks."""
    project = copy_project(tmp_path)
    checks = project / "plugins" / "portal" / "check" / "page_checks.py"
    strict = checks.read_text(encoding="utf-8")
    lax = strict.replace('if canonical is None or not canonical.get("href"):', "if False:")
    assert lax != strict
    checks.write_text(lax, encoding="utf-8")
    output = copy_of(site)
    damage(output, SEED_ARTICLE_URL, 'rel="canonical"', 'rel="x"')
    cache = tmp_path / "cache"

    # A long-running process imported the lax checks; the strict ones are saved meanwhile.
    assert check_in_process(project, cache, output,
                            lambda: checks.write_text(strict, encoding="utf-8")) == []
    assert check_in_process(project, cache, output) == [
        f'output/{SEED_ARTICLE_URL}: article has no <link rel="canonical" href>']


def checks_identity_in(project) -> str:
    process = run_python(project, 'import sys; sys.path.insert(0, "plugins")\n'
                                  "from portal.check.check_and_fill import checks_identity\n"
                                  "print(checks_identity())")
    return process.communicate(timeout=60)[0].strip()


def test_the_memory_is_tied_to_the_slots_markers_and_the_parser(tmp_path, monkeypatch):
    from lxml import etree

    from portal.check import check_and_fill as step

    project = copy_project(tmp_path)
    before = checks_identity_in(project)
    assert before == step.checks_identity()
    slots = project / "plugins" / "portal" / "render" / "slots.py"
    slots.write_text(slots.read_text(encoding="utf-8").replace(
        '"<!--polls-slot-->"', '"<!--polls-->"'), encoding="utf-8")
    assert checks_identity_in(project) != before  # the checks look for other markers now

    for library, name in ((etree, "LXML_VERSION"), (etree, "LIBXML_VERSION")):
        with monkeypatch.context() as patched:
            patched.setattr(library, name, "another version")
            assert step.checks_identity() != before, name


def test_the_memory_holds_the_pages_of_the_latest_site_only(site, settings, copy_of, tmp_path):
    own_settings = {**settings, "CACHE_PATH": str(tmp_path / "cache")}
    output = copy_of(site)
    pages = sorted(output.rglob("*.html"))
    for build in range(4):  # four builds, each with new bytes on every page
        for page in pages:
            page.write_text(page.read_text(encoding="utf-8") + f"<!-- build {build} -->", encoding="utf-8")
        assert check_and_fill(output, own_settings) == []
    memory = json.loads((tmp_path / "cache" / "checked-pages.json").read_text(encoding="utf-8"))
    assert sorted(memory["pages"]) == sorted(page.relative_to(output).as_posix() for page in pages)

    pages[0].unlink()  # a page the site no longer has is forgotten
    assert check_and_fill(output, own_settings) == []
    memory = json.loads((tmp_path / "cache" / "checked-pages.json").read_text(encoding="utf-8"))
    assert len(memory["pages"]) == len(pages) - 1
