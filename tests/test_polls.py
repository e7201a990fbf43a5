"""Polls: editors' YAML files, checked; the sidebar block and the results page
filled at an explicit time; `invoke polls` without a rebuild; polls.js."""

import datetime
import os
import subprocess

import pytest

from browser_fixtures import serve_folder
from conftest import INVOKE, ROOT, FixtureSite, article, copy_project, parse, run_task
from portal.build.lock import build_lock
from portal.polls import blocks as polls_module
from portal.build.site import check_and_fill
from portal.polls.data import PollDataError
from portal.polls.blocks import build_time, refresh_polls
from portal.core.problems import BuildFailed

PLACEHOLDER = "Hiện tại không có bình chọn nào đang hoạt động."
PLACEHOLDER_BLOCK = (
    '<!--polls-slot--><h2 class="app-polls__heading" id="app-polls-heading">Bình chọn</h2>\n'
    f'<p class="app-polls__empty">{PLACEHOLDER}</p><!--/polls-slot-->'
)
RESULTS_PAGE = "ket-qua-binh-chon/index.html"

SINGLE = """\
id: chuyen-doi-so
question: Bạn đánh giá thế nào về dịch vụ công trực tuyến của huyện?
start: 2024-05-01 08:00
end: 2024-05-31 17:00
options:
  - Rất hữu ích
  - Hữu ích
  - Chưa hữu ích
vote_endpoint: https://binhchon.example.vn/vote
"""

MULTIPLE = """\
id: chu-de-quan-tam
question: Bạn quan tâm đến chủ đề nào?
choice: multiple
start: 2024-05-05
end: 2024-06-15
options:
  - Xây dựng Đảng
  - Kinh tế - Xã hội
vote_endpoint: https://binhchon.example.vn/vote
"""

WITH_RESULTS = """\
id: nong-thon-moi
question: Xã nào làm tốt nông thôn mới?
start: 2024-04-01 08:00
end: 2024-04-30 17:00
options:
  - Triệu Nguyên
  - Ba Lòng
results:
  taken: 2024-05-02 09:00
  counts:
    Triệu Nguyên: 1234
    Ba Lòng: 566
"""


def poll_text(base=SINGLE, **changes) -> str:
    """`base` with some top-level one-line fields replaced (None removes)."""
    lines = base.splitlines()
    for key, value in changes.items():
        lines = [line for line in lines if not line.startswith(f"{key}:")]
        if value is not None:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


def built_with(fixture_site, polls: dict, **settings):
    fixture_site.write("tin-co-so/tin.md", article())
    for name, text in polls.items():
        fixture_site.write(f"polls/{name}", text)
    return fixture_site.build(**settings)


def test_a_build_reads_each_poll_file_once(fixture_site, monkeypatch):
    from portal.polls import data

    read = []
    real_read_poll = data.read_poll

    def counting(path, *args):
        read.append(path.name)
        return real_read_poll(path, *args)

    monkeypatch.setattr(data, "read_poll", counting)
    output = built_with(fixture_site, {"a.yaml": SINGLE}, POLLS_NOW="2024-05-10 12:00")
    assert sidebar_slot(output).select_one("form legend") is not None
    assert read == ["a.yaml"]


def files_of(folder) -> dict:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sidebar_slot(output, page="index.html"):
    return parse(output / page).select_one("[data-polls-slot]")


# --- The real site: no poll, the placeholder, an empty results page -----------


def test_the_real_site_shows_the_placeholder_and_links_the_results(all_pages):
    for name, soup in all_pages.items():
        link = soup.select_one(".app-polls-archive-link a")
        assert link["href"] == "/ket-qua-binh-chon/", name
        assert link.get_text() == "Kết quả bình chọn", name
        assert soup.select("[data-poll-end]") == [], name


def test_the_results_page_exists_and_says_there_is_none_yet(all_pages):
    soup = all_pages[RESULTS_PAGE]
    assert soup.body["data-page-type"] == "poll-results"
    assert soup.h1.get_text() == "Kết quả bình chọn"
    assert soup.title.get_text().startswith("Kết quả bình chọn – ")
    assert soup.select_one("[aria-current=page]").get_text() == "Kết quả bình chọn"
    empty = soup.select_one("[data-poll-archive-slot] .app-poll-archive__empty")
    assert empty.get_text() == "Chưa có cuộc bình chọn nào kết thúc."


# --- Active polls as forms ----------------------------------------------------------


def test_an_open_poll_is_a_labelled_form_posting_to_its_endpoint(fixture_site):
    output = built_with(fixture_site, {"a.yaml": SINGLE}, POLLS_NOW="2024-05-10 12:00")
    for page in ("index.html", "gioi-thieu.html", RESULTS_PAGE, "404.html"):
        if (output / page).exists():
            assert PLACEHOLDER not in parse(output / page).get_text(), page
    form = sidebar_slot(output).select_one("form.app-poll")
    assert form["method"] == "post"
    assert form["action"] == "https://binhchon.example.vn/vote"
    assert form["data-poll-end"] == "2024-05-31T17:00:00+07:00"
    assert form.select_one("input[type=hidden][name=poll]")["value"] == "chuyen-doi-so"
    fieldset = form.select_one("fieldset")
    assert fieldset.legend.get_text() == SINGLE.splitlines()[1].removeprefix("question: ")
    radios = fieldset.select("input[type=radio]")
    assert [r["value"] for r in radios] == ["Rất hữu ích", "Hữu ích", "Chưa hữu ích"]
    for radio in radios:
        assert radio["name"] == "option"
        assert form.select_one(f'label[for="{radio["id"]}"]').get_text() == radio["value"]
    assert len({r["id"] for r in radios}) == 3
    assert form.select_one("button[type=submit]").get_text() == "Gửi bình chọn"
    assert "Bình chọn đến 17:00 ngày 31/05/2024." in form.get_text()


def test_a_multiple_choice_poll_uses_checkboxes(fixture_site):
    output = built_with(fixture_site, {"b.yaml": MULTIPLE}, POLLS_NOW="2024-05-10 12:00")
    form = sidebar_slot(output).select_one("form.app-poll")
    assert len(form.select("input[type=checkbox][name=option]")) == 2
    assert form.select("input[type=radio]") == []
    assert form.select_one(".app-poll__hint").get_text() == "Có thể chọn nhiều phương án."


def test_open_polls_are_listed_the_one_ending_first_first(fixture_site):
    output = built_with(fixture_site, {"a.yaml": SINGLE, "b.yaml": MULTIPLE},
                        POLLS_NOW="2024-05-10 12:00")
    questions = [q.get_text() for q in sidebar_slot(output).select("legend")]
    assert questions[0].startswith("Bạn đánh giá") and questions[1].startswith("Bạn quan tâm")


def test_without_an_endpoint_the_results_are_an_accessible_list(fixture_site):
    output = built_with(fixture_site, {"c.yaml": WITH_RESULTS}, POLLS_NOW="2024-04-10 12:00")
    slot = sidebar_slot(output)
    assert slot.select("form, input") == []
    poll = slot.select_one(".app-poll")
    assert poll.h3.get_text() == "Xã nào làm tốt nông thôn mới?"
    items = poll.select("ul.app-poll-results > li")
    assert [" ".join(li.get_text(" ").split()) for li in items] == [
        "Triệu Nguyên 1.234 phiếu (69%)",
        "Ba Lòng 566 phiếu (31%)",
    ]
    assert poll.ul["aria-label"] == "Kết quả: Xã nào làm tốt nông thôn mới?"
    bars = poll.select("svg.app-poll-results__bar")
    assert all(bar["aria-hidden"] == "true" for bar in bars)
    assert [bar.rect["width"] for bar in bars] == ["68.6%", "31.4%"]
    assert "style" not in str(poll)  # no inline styles: the CSP will forbid them
    assert "Tổng số 1.800 phiếu; số liệu đến 09:00 ngày 02/05/2024." in poll.get_text()


def test_without_endpoint_or_results_it_says_results_come_later(fixture_site):
    text = poll_text(SINGLE, vote_endpoint=None)
    output = built_with(fixture_site, {"a.yaml": text}, POLLS_NOW="2024-05-10 12:00")
    assert "Chưa công bố kết quả." in sidebar_slot(output).get_text()


# --- Time is explicit ---------------------------------------------------------------


@pytest.mark.parametrize("now, is_open", [
    ("2024-05-01 07:59", False),
    ("2024-05-01 08:00", True),
    ("2024-05-31 16:59", True),
    ("2024-05-31 17:00", False),
])
def test_a_poll_is_shown_exactly_while_it_is_open(fixture_site, now, is_open):
    output = built_with(fixture_site, {"a.yaml": SINGLE}, POLLS_NOW=now)
    html = (output / "index.html").read_text(encoding="utf-8")
    assert (PLACEHOLDER_BLOCK in html) is (not is_open)
    assert bool(sidebar_slot(output).select("form")) is is_open


def test_build_time_comes_from_the_setting_then_source_date_epoch():
    settings = {"TIMEZONE": "Asia/Ho_Chi_Minh"}
    fixed = build_time({**settings, "POLLS_NOW": "2024-05-10 12:00"}, {"SOURCE_DATE_EPOCH": "0"})
    assert fixed.isoformat() == "2024-05-10T12:00:00+07:00"
    epoch = build_time(settings, {"SOURCE_DATE_EPOCH": "1715317200"})
    assert epoch == datetime.datetime(2024, 5, 10, 12, tzinfo=fixed.tzinfo)
    clock = build_time(settings, {})
    assert abs(clock - datetime.datetime.now(datetime.timezone.utc)) < datetime.timedelta(seconds=5)
    with pytest.raises(PollDataError):
        build_time(settings, {"SOURCE_DATE_EPOCH": "yesterday"})


def test_source_date_epoch_decides_in_a_real_build(fixture_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715317200")  # 2024-05-10 12:00 in Vietnam
    output = built_with(fixture_site, {"a.yaml": SINGLE})
    assert sidebar_slot(output).select("form")


# --- The results page -----------------------------------------------------------------


def test_the_results_page_lists_ended_polls_newest_first(fixture_site):
    output = built_with(fixture_site, {"a.yaml": SINGLE, "b.yaml": MULTIPLE, "c.yaml": WITH_RESULTS},
                        POLLS_NOW="2024-06-01 00:00")
    slot = parse(output / RESULTS_PAGE).select_one("[data-poll-archive-slot]")
    items = slot.select(".app-poll-archive__item")
    assert [item.h2.get_text() for item in items] == [
        "Bạn đánh giá thế nào về dịch vụ công trực tuyến của huyện?",  # ended 31/05
        "Xã nào làm tốt nông thôn mới?",  # ended 30/04
    ]  # the multiple-choice poll is still open on 01/06
    assert items[0].select_one(".app-poll-results__note").get_text() == "Chưa công bố kết quả."
    assert len(items[1].select(".app-poll-results li")) == 2
    assert items[1].select_one(".app-poll-archive__dates").get_text() == (
        "Từ 08:00 ngày 01/04/2024 đến 17:00 ngày 30/04/2024")
    assert slot.select_one(".app-poll-archive__empty") is None


# --- Wrong poll files fail the build, naming file and field -----------------------


BAD_POLLS = {
    "missing question": (poll_text(question=None),
                         ['content/polls/bad.yaml: question is missing; add a line "question: ..."']),
    "one option": (SINGLE.replace("  - Hữu ích\n  - Chưa hữu ích\n", ""),
                   ["content/polls/bad.yaml:5: options has 1 option(s); a poll needs at least 2"]),
    "end before start": (poll_text(end="2024-04-30 17:00"),
                         ["content/polls/bad.yaml:9: end (2024-04-30 17:00) is not after "
                          "start (2024-05-01 08:00)"]),
    "unknown key": (SINGLE + "author: Văn phòng\n",
                    ['content/polls/bad.yaml:10: unknown field "author"; a poll has only: id, '
                     "question, choice, start, end, options, vote_endpoint, results"]),
    "day-first date": (poll_text(start="01/05/2024"),
                       ['content/polls/bad.yaml:9: start: "01/05/2024" is day-first; '
                        "write it as 2024-05-01 (year-month-day)"]),
    "unknown choice": (poll_text(choice="nhieu"),
                       ['content/polls/bad.yaml:10: choice "nhieu" is unknown; use single or multiple']),
    "endpoint without https": (poll_text(vote_endpoint="http://binhchon.example.vn"),
                               ['content/polls/bad.yaml:9: vote_endpoint "http://binhchon.example.vn" '
                                "must be an address starting with https://"]),
    "bad id": (poll_text(id="Chuyển đổi số"),
               ['content/polls/bad.yaml:9: id "Chuyển đổi số" may have only lower-case letters '
                'a-z, digits and hyphens, e.g. "chuyen-doi-so-2024"']),
    "count for a missing option": (WITH_RESULTS.replace("Ba Lòng: 566", "Ba Long: 566"),
                                   ['content/polls/bad.yaml:8: results: counts has "Ba Long", '
                                    "which is not one of the options",
                                    'content/polls/bad.yaml:8: results: counts lacks the option "Ba Lòng"']),
    "count not a number": (WITH_RESULTS.replace("1234", "1.234"),
                           ['content/polls/bad.yaml:8: results: counts of "Triệu Nguyên" is '
                            '"1.234"; write a whole number without dots or spaces, e.g. 1250']),
    # "4²".isdigit() is true and int("4²") a ValueError: a traceback, before.
    "count with a superscript": (WITH_RESULTS.replace("1234", '"4²"'),
                                 ['content/polls/bad.yaml:8: results: counts of "Triệu Nguyên" is '
                                  '"4²"; write a whole number without dots or spaces, e.g. 1250']),
    "colon in a question": (poll_text(question="Theo bạn: việc nào cần làm trước?"),
                            ["content/polls/bad.yaml:9: mapping values are not allowed here; check "
                             'the indentation, and put text that contains ": " in double quotes']),
    "not a poll file": (None, ["content/polls/bad.txt: is not a poll file; a poll file's name ends in .yaml"]),
}


@pytest.fixture
def built(fixture_site):
    built_with(fixture_site, {"good.yaml": MULTIPLE}, POLLS_NOW="2024-05-10 12:00")
    return fixture_site


def poll_failure_lines(fixture_site) -> list[str]:
    before = fixture_site.snapshot()
    with pytest.raises(BuildFailed) as failure:
        fixture_site.build(POLLS_NOW="2024-05-10 12:00")
    assert fixture_site.snapshot() == before, "a failed build changed output/"
    lines = failure.value.report().splitlines()
    assert lines[-1].startswith("check failed: ")
    return lines[:-1]


@pytest.mark.parametrize("case", sorted(BAD_POLLS))
def test_a_wrong_poll_file_fails_the_build_naming_file_and_field(built, case, monkeypatch):
    text, expected = BAD_POLLS[case]
    monkeypatch.chdir(built.root)
    if text is None:
        built.write("polls/bad.txt", SINGLE)
    else:
        built.write("polls/bad.yaml", text)
    assert poll_failure_lines(built) == expected


def test_two_polls_with_one_id_name_both_files(built, monkeypatch):
    monkeypatch.chdir(built.root)
    built.write("polls/z-copy.yaml", MULTIPLE)
    assert poll_failure_lines(built) == [
        'content/polls/z-copy.yaml: id "chu-de-quan-tam" is also used by '
        "content/polls/good.yaml; give each poll its own id"
    ]


def test_notes_and_backup_files_in_the_polls_folder_are_ignored(built):
    built.write("polls/README.md", "# Ghi chú\n")
    built.write("polls/good.yaml~", "rác")
    built.build(POLLS_NOW="2024-05-10 12:00")


# --- Refreshing output/ without a rebuild -----------------------------------------------


def test_refresh_follows_the_clock_and_changes_nothing_when_nothing_changed(fixture_site, settings,
                                                                             monkeypatch):
    output = built_with(fixture_site, {"a.yaml": SINGLE, "c.yaml": WITH_RESULTS},
                        POLLS_NOW="2024-04-20 12:00")
    ours = {**settings, "PATH": str(fixture_site.content)}
    monkeypatch.setattr("portal.build.site.run_pelican", lambda *_: pytest.fail("Pelican ran"))

    opening = datetime.datetime.fromisoformat("2024-05-10T12:00:00+07:00")
    pages = len(list(output.rglob("*.html")))
    assert refresh_polls(output, ours, opening) == pages  # every sidebar changes
    assert sidebar_slot(output).select_one("form legend").get_text().startswith("Bạn đánh giá")
    archive = parse(output / RESULTS_PAGE).select(".app-poll-archive__item h2")
    assert [h.get_text() for h in archive] == ["Xã nào làm tốt nông thôn mới?"]

    before = fixture_site.snapshot()
    assert refresh_polls(output, ours, opening) == 0
    assert check_and_fill(output, ours, now=opening) == []
    assert fixture_site.snapshot() == before


def test_a_full_build_and_a_refresh_at_the_same_time_agree(fixture_site, settings):
    output = built_with(fixture_site, {"a.yaml": SINGLE}, POLLS_NOW="2024-05-10 12:00")
    before = fixture_site.snapshot()
    at = datetime.datetime.fromisoformat("2024-05-10T12:00:00+07:00")
    assert refresh_polls(output, {**settings, "PATH": str(fixture_site.content)}, at) == 0
    assert fixture_site.snapshot() == before


def test_refresh_with_a_wrong_poll_file_touches_no_page(fixture_site, settings, monkeypatch):
    output = built_with(fixture_site, {"a.yaml": SINGLE}, POLLS_NOW="2024-05-10 12:00")
    fixture_site.write("polls/b.yaml", poll_text(question=None))
    ours = {**settings, "PATH": str(fixture_site.content), "OUTPUT_PATH": str(output)}
    monkeypatch.setattr("portal.polls.blocks.load_settings", lambda *_: ours)
    before = fixture_site.snapshot()
    with pytest.raises(BuildFailed) as failure:
        polls_module.refresh_output()
    assert failure.value.report().splitlines()[-1] == "polls failed: 1 problem; nothing was replaced."
    assert fixture_site.snapshot() == before


def test_invoke_polls_refreshes_an_existing_output_without_a_rebuild(tmp_path):
    """The real task, in a copy of the project. (Its speed is measured by the
    benchmark, not asserted here.)"""
    project = copy_project(tmp_path)
    assert run_task(project, "build").returncode == 0
    polls_folder = project / "content" / "polls"
    polls_folder.mkdir(exist_ok=True)
    (polls_folder / "mo.yaml").write_text(poll_text(end="2099-12-31 17:00"), encoding="utf-8")

    first = run_task(project, "polls")
    assert first.returncode == 0, first.stderr
    assert "page(s) changed" in first.stdout and " 0 page(s)" not in first.stdout
    assert parse(project / "output" / "index.html").select_one("[data-polls-slot] form")

    before = files_of(project / "output")
    second = run_task(project, "polls")
    assert second.returncode == 0 and ": 0 page(s) changed" in second.stdout
    assert files_of(project / "output") == before


def test_invoke_polls_waits_for_a_build_under_way(tmp_path):
    """It replaces pages of output/: never while a build swaps the folder."""
    project = copy_project(tmp_path)
    assert run_task(project, "build").returncode == 0
    with build_lock(project / "output"):  # a build under way in this process
        waiting = subprocess.Popen([INVOKE, "polls"], cwd=project, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        line = waiting.stderr.readline()  # returns once it has said why it waits
        assert line == (f"Another build of output/ is running (process {os.getpid()}); "
                        "waiting for it to end.\n")
    stdout, stderr = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, stderr
    assert "Refreshed polls in output/" in stdout


def test_invoke_polls_names_a_bad_count_without_a_traceback(tmp_path):
    project = copy_project(tmp_path)
    assert run_task(project, "build").returncode == 0
    before = files_of(project / "output")
    (project / "content" / "polls" / "so.yaml").write_text(WITH_RESULTS.replace("1234", '"4²"'),
                                                           encoding="utf-8")
    result = run_task(project, "polls")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        'content/polls/so.yaml:8: results: counts of "Triệu Nguyên" is "4²"; write a whole '
        "number without dots or spaces, e.g. 1250",
        "polls failed: 1 problem; nothing was replaced."]
    assert files_of(project / "output") == before


def test_invoke_list_shows_the_polls_task():
    result = run_task(ROOT, "--list")
    assert "polls" in result.stdout


# --- In the browser: an expired poll gives way to the placeholder ------------------------


@pytest.fixture(scope="module")
def stale_site(tmp_path_factory):
    """Built while both polls were open; by the real clock one has ended."""
    site = FixtureSite(tmp_path_factory.mktemp("stale"))
    site.write("tin-co-so/tin.md", article())
    site.write("polls/a.yaml", SINGLE)  # ended 2024-05-31
    site.write("polls/b.yaml", poll_text(MULTIPLE, end="2099-12-31 17:00"))
    output = site.build(POLLS_NOW="2024-05-10 12:00")
    server, url = serve_folder(output)
    yield url
    server.terminate()
    server.wait()


def test_polls_js_removes_a_poll_past_its_end(page, stale_site):
    page.goto(stale_site + "/")
    page.wait_for_function("!document.querySelector('[data-poll-end=\"2024-05-31T17:00:00+07:00\"]')")
    legends = page.locator("[data-polls-slot] legend").all_inner_texts()
    assert legends == ["Bạn quan tâm đến chủ đề nào?"]
    assert page.locator(".app-polls__empty").count() == 0


def test_polls_js_shows_the_placeholder_when_every_poll_has_ended(page, tmp_path):
    site = FixtureSite(tmp_path)
    site.write("tin-co-so/tin.md", article())
    site.write("polls/a.yaml", SINGLE)
    server, url = serve_folder(site.build(POLLS_NOW="2024-05-10 12:00"))
    try:
        page.goto(url + "/")
        empty = page.locator("[data-polls-slot] .app-polls__empty")
        empty.wait_for()
        assert empty.inner_text() == PLACEHOLDER
        assert page.locator("[data-polls-slot] form").count() == 0
        assert page.locator("[data-polls-slot] h2").inner_text().casefold() == "bình chọn"
    finally:
        server.terminate()
        server.wait()


def test_without_javascript_the_built_poll_stays(browser, stale_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(stale_site + "/")
        assert tab.locator("[data-polls-slot] form").count() == 2
    finally:
        context.close()
