"""`invoke livereload`: serves on 127.0.0.1 only and rebuilds on change."""

import contextlib
import ctypes
import os
import shutil
import subprocess
import threading
import time
import urllib.request

import pytest

import photo_files
from browser_fixtures import free_port
from conftest import INVOKE, ROOT, FixtureSite, article, copy_project
from portal.build.site import build_site
from portal.core.settings import load_settings
from portal.read.content_files import published_contents


def fetch(url: str) -> str:
    return urllib.request.urlopen(url, timeout=2).read().decode("utf-8")


def test_preview_server_serves_on_loopback_and_rebuilds_on_change(tmp_path):
    project = copy_project(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [INVOKE, "livereload", "--port", str(port)],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(200):
            try:
                home = fetch(url)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the preview server did not answer")
        assert "Tin mới nhất" in home
        listening = subprocess.run(["ss", "-ltn"], capture_output=True, text=True).stdout
        assert f"127.0.0.1:{port}" in listening and f"0.0.0.0:{port}" not in listening

        (project / "content" / "tin-co-so" / "moi.md").write_text(
            article(title="Tin vừa viết", date="2030-01-01"), encoding="utf-8")
        for _ in range(100):
            try:
                if "Tin vừa viết" in fetch(url):
                    break
            except OSError:
                pass  # the server answers nothing while it rebuilds (one thread); on a busy machine, > 2 s
            time.sleep(0.2)
        else:
            raise AssertionError("the new article did not appear after a rebuild")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_body_edit_re_renders_only_that_page_and_the_rest_stays(fixture_site, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    edited = fixture_site.write("tin-co-so/a.md", article(title="Tin một", summary="Tóm tắt."))
    fixture_site.write("tin-co-so/b.md", article(title="Tin hai", summary="Tóm tắt."))
    preview = preview_of(fixture_site)
    assert preview.rebuild() and preview.last == "rebuilt"
    other = fixture_site.output / "tin-co-so" / "tin-hai.html"
    other_inode = other.stat().st_ino

    edited.write_text(edited.read_text(encoding="utf-8") + "\nĐoạn mới viết thêm.\n", encoding="utf-8")
    os.utime(edited, (time.time() + 5, time.time() + 5))
    assert preview.rebuild() and preview.last == "re-rendered 1 page(s)"
    preview.indexing.join()
    assert "Đoạn mới viết thêm." in (fixture_site.output / "tin-co-so" / "tin-mot.html").read_text(encoding="utf-8")
    assert other.stat().st_ino == other_inode  # not rewritten: the same file, linked over

    before = fixture_site.snapshot()
    edited.write_text(edited.read_text(encoding="utf-8") + "\n![](/khong-co.png)\n", encoding="utf-8")
    os.utime(edited, (time.time() + 10, time.time() + 10))
    assert not preview.rebuild()  # a bad edit: the problem is printed, the preview stays
    assert fixture_site.snapshot() == before

    edited.write_text(article(title="Tin một, sửa tiêu đề", summary="Tóm tắt."), encoding="utf-8")
    os.utime(edited, (time.time() + 15, time.time() + 15))
    assert preview.rebuild() and preview.last == "rebuilt"  # no Slug: the address follows the title
    assert (fixture_site.output / "tin-co-so" / "tin-mot-sua-tieu-de.html").is_file()


def many_articles(site, count=25) -> dict[int, str]:
    """Enough articles for lists of several pages (10 a page), with Slugs."""
    texts = {}
    for number in range(count):
        texts[number] = article(
            title=f"Tin số {number}", slug=f"tin-so-{number}", summary=f"Tóm tắt tin số {number}.",
            date=f"2024-05-{number + 1:02d}", tags=f"Thẻ {number % 3}", author=f"Tác giả {number % 2}",
            body=f"Nội dung tin số {number}.")
        site.write(f"tin-co-so/tin-{number}.md", texts[number])
    return texts


def html_of(output) -> dict[str, str]:
    return {p.relative_to(output).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(output.rglob("*.html"))}


def test_title_and_summary_edits_re_render_what_a_full_build_would_change(fixture_site, tmp_path, monkeypatch):
    from portal.build.devserver import PREVIEW_SETTINGS

    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    preview = preview_of(fixture_site)
    assert preview.rebuild() and preview.last == "rebuilt"
    edited = fixture_site.content / "tin-co-so" / "tin-12.md"
    edits = [
        texts[12].replace("Title: Tin số 12", "Title: Tin số mười hai"),  # shown in lists, tags, neighbours
        texts[12].replace("Summary: Tóm tắt tin số 12.", "Summary: Tóm tắt mới."),
        texts[12],  # and back: the memory of headers follows each fast rebuild
    ]
    for number, text in enumerate(edits, start=1):
        edited.write_text(text, encoding="utf-8")
        os.utime(edited, (time.time() + 5 * number, time.time() + 5 * number))
        assert preview.rebuild()
        assert preview.last.startswith("re-rendered ") and preview.last != "re-rendered 1 page(s)"
        preview.indexing.join()

        # The same content built from nothing, with the preview's settings.
        full = FixtureSite(tmp_path / f"full-{number}")
        for relative in (p.relative_to(fixture_site.content) for p in fixture_site.content.rglob("*.md")):
            full.write(relative.as_posix(), (fixture_site.content / relative).read_text(encoding="utf-8"))
        assert html_of(fixture_site.output) == html_of(full.build(**PREVIEW_SETTINGS)), text.splitlines()[:2]

    edited.write_text(texts[12].replace("Date: 2024-05-13", "Date: 2023-01-01"), encoding="utf-8")
    os.utime(edited, (time.time() + 30, time.time() + 30))
    # A date moves the article between pages: the kept build is grouped again.
    assert preview.rebuild() and preview.last.startswith("re-rendered ")
    preview.finish()
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "full-date")


def test_a_title_edit_while_the_search_index_is_made_is_not_a_whole_build(fixture_site, tmp_path, monkeypatch):
    """Pagefind, run in the background after an edit, reads the pages through
    links to them in a work folder of output/pagefind/: an edit saved
    meanwhile must not take them for pages of the site."""
    from portal.build.preview import pages_linking_to

    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    preview = preview_of(fixture_site)
    assert preview.rebuild()
    preview.finish()
    address = preview.pages_of[str(fixture_site.content / "tin-co-so" / "tin-12.md")][1]
    linking = pages_linking_to(fixture_site.output, {address})
    # As search.index.index_slice lays them out while Pagefind runs.
    work = fixture_site.output / "pagefind" / ".work-pages-2024"
    for page in linking:
        (work / page).parent.mkdir(parents=True, exist_ok=True)
        os.link(fixture_site.output / page, work / page)
    assert linking and pages_linking_to(fixture_site.output, {address}) == linking

    edited = fixture_site.content / "tin-co-so" / "tin-12.md"
    edited.write_text(texts[12].replace("Title: Tin số 12", "Title: Tin số mười hai"), encoding="utf-8")
    os.utime(edited, (time.time() + 5, time.time() + 5))
    assert preview.rebuild() and preview.last == f"re-rendered {len(linking)} page(s)"
    preview.finish()  # the search index made meanwhile, as Pagefind left it
    shutil.rmtree(work, ignore_errors=True)
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "full")


def test_a_new_article_changes_only_the_article_pages_that_list_it(fixture_site, tmp_path, monkeypatch):
    """An article page lists its category's articles nearest in time
    (render.listings.nearest_in_time), not the newest: a new article changes
    the two pages nearest it, not every article page of its category."""
    monkeypatch.chdir(fixture_site.root)
    many_articles(fixture_site)
    preview = preview_of(fixture_site)
    assert preview.rebuild()
    preview.finish()

    def article_pages():
        return {path.name: path.stat().st_ino for path in (fixture_site.output / "tin-co-so").glob("tin-*.html")}

    before = article_pages()
    fixture_site.write("tin-co-so/tin-moi.md", article(title="Tin mới nhất tháng sáu", slug="tin-moi",
                                                       date="2024-06-01", body="Nội dung tin mới."))
    later(fixture_site.content / "tin-co-so" / "tin-moi.md")
    assert preview.rebuild() and preview.last.startswith("re-rendered ")
    preview.finish()
    after = article_pages()
    assert {name for name in after if before.get(name) != after[name]} == {
        "tin-moi.html", "tin-so-24.html", "tin-so-23.html"}  # itself; the two before it
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "full")


# Body edits that change pages other than the article's own, which lists
# show it on: (the body before, the body after).
BODY_SHOWN_ELSEWHERE = {
    # a document's page and the home page's newest documents list the
    # articles citing each
    "citation taken out": ("Theo [Kế hoạch số 01]({van-ban}01).", "Không còn trích dẫn."),
    # without an Image field, lists show the body's first photo
    "first photo added": ("Đoạn đầu.", "Đoạn đầu.\n\n![Ảnh hội nghị của huyện]({static}/images/hoi-nghi.jpg)"),
}


@pytest.mark.parametrize("edit", BODY_SHOWN_ELSEWHERE)
def test_a_body_edit_that_other_pages_show_re_renders_what_a_full_build_changes(fixture_site, tmp_path,
                                                                                   monkeypatch, edit):
    monkeypatch.chdir(fixture_site.root)
    shutil.copytree(ROOT / "content" / "van-ban", fixture_site.content / "van-ban")
    photo_files.small_jpeg(fixture_site.content / "images" / "hoi-nghi.jpg", 800, 600, color=(20, 120, 200))
    before, after = BODY_SHOWN_ELSEWHERE[edit]
    text = article(title="Tin sửa thân bài", summary="Tóm tắt.", slug="tin-sua", body=before)
    edited = fixture_site.write("tin-co-so/tin-sua.md", text)
    fixture_site.write("tin-co-so/tin-khac.md", article(title="Tin khác", slug="tin-khac", date="2024-04-01"))
    preview = preview_of(fixture_site)
    assert preview.rebuild() and preview.last == "rebuilt"
    edited.write_text(text.replace(before, after), encoding="utf-8")
    later(edited)
    # More than the article's own page: the kept build, grouped again.
    assert preview.rebuild() and preview.last.startswith("re-rendered ")
    assert preview.last != "re-rendered 1 page(s)"
    preview.finish()
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "clean")


def test_a_quick_second_edit_does_not_wait_for_the_search_index(fixture_site, monkeypatch):
    import threading

    from portal.build import devserver

    release = threading.Event()
    indexed = []

    def slow_index(output):  # Pagefind, still busy with the first edit
        indexed.append(output)
        release.wait(timeout=30)

    monkeypatch.setattr(devserver, "build_search_index", slow_index)
    monkeypatch.chdir(fixture_site.root)
    edited = fixture_site.write("tin-co-so/a.md", article(title="Tin một", summary="Tóm tắt."))
    preview = preview_of(fixture_site)
    assert preview.rebuild() and preview.last == "rebuilt"
    for number in (1, 2):
        edited.write_text(edited.read_text(encoding="utf-8") + f"\nĐoạn {number}.\n", encoding="utf-8")
        os.utime(edited, (time.time() + 5 * number, time.time() + 5 * number))
        assert preview.rebuild() and preview.last == "re-rendered 1 page(s)"
        assert "Đoạn %d." % number in (fixture_site.output / "tin-co-so" / "tin-mot.html").read_text(encoding="utf-8")
    assert len(indexed) == 1 and preview.indexing.is_alive()  # the second edit did not wait
    release.set()
    preview.indexing.join(timeout=30)
    assert len(indexed) == 2  # one more run, for the edit made while the first ran


# --- What the preview remembers is what its build read (issue 12) ----------


def preview_of(site, **overrides):
    from portal.build.devserver import Preview

    return Preview(str(ROOT / "pelicanconf.py"), PATH=str(site.content), OUTPUT_PATH=str(site.output),
                   CACHE_PATH=str(site.root / "cache"), **overrides)


def clean_build_of(site, folder, **overrides) -> dict[str, str]:
    """The pages a full build makes from `site`'s content as it is now."""
    from portal.build.devserver import PREVIEW_SETTINGS

    full = FixtureSite(folder)
    for path in site.content.rglob("*"):
        if path.is_file():
            full.write(path.relative_to(site.content).as_posix(), path.read_bytes())
    return html_of(full.build(**{**PREVIEW_SETTINGS, **overrides}))


def later(path, seconds=5):
    """As if `path` had been saved a little later (file times are coarse)."""
    moment = time.time() + seconds
    os.utime(path, (moment, moment))


class SavedDuringTheBuild:
    """Saves `text` into `path` once Pelican has read every article and
    before it writes pages (or, `when` "content_written", as the first page
    is written: a fast rebuild reads no other article): an editor pressing
    Ctrl+S mid-rebuild."""

    def __init__(self, path, text, when="article_generator_finalized"):
        from pelican import signals

        self.path, self.text, self.saves = path, text, 0
        self.signal = getattr(signals, when)
        self.signal.connect(self.save)  # weak: this object keeps it alive

    def save(self, sender, **kwargs):
        if self.saves == 0:
            self.path.write_text(self.text, encoding="utf-8")
            later(self.path, 3)
        self.saves += 1

    def stop(self):
        self.signal.disconnect(self.save)


def test_a_title_saved_during_a_full_rebuild_reaches_every_page(fixture_site, tmp_path, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    edited = fixture_site.content / "tin-co-so" / "tin-12.md"
    preview = preview_of(fixture_site)
    saving = SavedDuringTheBuild(edited, texts[12].replace("Title: Tin số 12", "Title: Tin số mười hai"))
    try:
        assert preview.rebuild()
    finally:
        saving.stop()
    assert saving.saves >= 1
    assert preview.rebuild()  # the watcher's next call, as after any save
    preview.finish()
    shown = html_of(fixture_site.output)
    assert shown == clean_build_of(fixture_site, tmp_path / "clean")
    assert sum("Tin số mười hai" in page for page in shown.values()) > 5  # lists, tags, neighbours


def test_a_title_saved_during_a_fast_rebuild_reaches_every_page(fixture_site, tmp_path, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    preview = preview_of(fixture_site)
    assert preview.rebuild() and preview.last == "rebuilt"
    body_edited = fixture_site.content / "tin-co-so" / "tin-3.md"
    body_edited.write_text(texts[3] + "\nThêm một đoạn.\n", encoding="utf-8")
    later(body_edited)
    title_edited = fixture_site.content / "tin-co-so" / "tin-12.md"
    saving = SavedDuringTheBuild(title_edited, texts[12].replace("Title: Tin số 12", "Title: Tin số mười hai"),
                                 when="content_written")
    try:
        assert preview.rebuild()
    finally:
        saving.stop()
    assert saving.saves >= 1
    assert preview.rebuild()
    preview.finish()
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "clean")


def test_a_file_completed_just_after_the_reader_read_it_half_is_rebuilt(fixture_site, tmp_path, monkeypatch):
    """An editor's program writes in two steps and Pelican reads between
    them: Pelican's content cache then holds the half file under the whole
    file's time. The preview must not keep showing the half."""
    from portal.read import reader

    monkeypatch.chdir(fixture_site.root)
    whole = article(title="Tin một", slug="tin-mot", summary="Tóm tắt.",
                    body="Đoạn đầu.\n\nĐoạn cuối, viết xong sau.")
    half = whole.split("Đoạn cuối")[0]
    edited = fixture_site.write("tin-co-so/a.md", whole)
    fixture_site.write("tin-co-so/b.md", article(title="Tin hai", summary="Tóm tắt."))
    preview = preview_of(fixture_site)
    assert preview.rebuild()

    real_read = reader.read_source_text
    reads = []

    def read_while_being_written(path):
        if os.path.samefile(path, edited) and not reads:
            edited.write_text(half, encoding="utf-8")
            later(edited, 3)
            text = real_read(path)  # the half the editor's program has written so far
            edited.write_text(whole, encoding="utf-8")
            later(edited, 4)
            reads.append(text)
            return text
        return real_read(path)

    monkeypatch.setattr(reader, "read_source_text", read_while_being_written)
    edited.write_text(whole.replace("Đoạn đầu.", "Đoạn đầu, sửa."), encoding="utf-8")  # the save that starts it
    later(edited, 2)
    preview.rebuild()
    assert reads == [half]
    monkeypatch.setattr(reader, "read_source_text", real_read)
    assert preview.rebuild()  # the watcher's next call
    preview.finish()
    shown = html_of(fixture_site.output)
    assert "Đoạn cuối, viết xong sau." in shown["tin-co-so/tin-mot.html"]
    assert shown == clean_build_of(fixture_site, tmp_path / "clean")


def test_two_editors_saving_at_once_get_what_a_full_build_shows(fixture_site, tmp_path, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    preview = preview_of(fixture_site)
    assert preview.rebuild()
    first = fixture_site.content / "tin-co-so" / "tin-4.md"
    second = fixture_site.content / "tin-co-so" / "tin-20.md"
    first.write_text(texts[4].replace("Title: Tin số 4", "Title: Tin số bốn"), encoding="utf-8")
    second.write_text(texts[20] + "\nĐoạn thêm.\n", encoding="utf-8")
    later(first)
    later(second)
    assert preview.rebuild() and preview.last.startswith("re-rendered ")
    preview.indexing.join()
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "clean")


# --- The preview's verdicts are a full build's (issue 12, point 6) ---------


def full_build_report(site, folder, **overrides) -> str:
    from portal.build.devserver import PREVIEW_SETTINGS
    from portal.core.problems import BuildFailed

    # The preview's own files (problems name them as it does), built from nothing elsewhere.
    with pytest.raises(BuildFailed) as failure:
        build_site(str(ROOT / "pelicanconf.py"), PATH=str(site.content), OUTPUT_PATH=str(folder / "output"),
                   CACHE_PATH=str(folder / "cache"), **{**PREVIEW_SETTINGS, **overrides})
    return failure.value.report()


def test_a_category_taken_out_of_the_settings_fails_the_preview_as_a_full_build(fixture_site, tmp_path,
                                                                                monkeypatch, capsys):
    monkeypatch.chdir(fixture_site.root)
    fixture_site.write("tin-co-so/a.md", article(title="Tin một"))
    fixture_site.write("xay-dung-dang/b.md", article(title="Tin hai", category="Xây dựng Đảng"))
    assert preview_of(fixture_site).rebuild()

    # pelicanconf.py changed: the preview server restarts with the new settings.
    fewer = ["Tin tức - Sự kiện", "Xây dựng Đảng", "Kinh tế - Xã hội"]
    before = fixture_site.snapshot()
    capsys.readouterr()
    assert not preview_of(fixture_site, PORTAL_CATEGORIES=fewer).rebuild()
    printed = capsys.readouterr().out
    expected = full_build_report(fixture_site, tmp_path / "full", PORTAL_CATEGORIES=fewer)
    assert 'tin-co-so/a.md:4: Category "Tin cơ sở" is not one of' in expected
    assert expected in printed
    assert fixture_site.snapshot() == before


def test_deleting_a_linked_file_names_the_linking_file_and_line(fixture_site, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(fixture_site.root)
    fixture_site.write("tin-co-so/a.md", article(
        title="Tin một", body="Đoạn đầu.\n\nXem thêm [tin hai]({filename}/tin-co-so/b.md)."))
    linked = fixture_site.write("tin-co-so/b.md", article(title="Tin hai"))
    preview = preview_of(fixture_site)
    assert preview.rebuild()

    linked.unlink()
    capsys.readouterr()
    assert not preview.rebuild()
    printed = capsys.readouterr().out
    expected = full_build_report(fixture_site, tmp_path / "full")
    assert 'tin-co-so/a.md:9: link to "/tin-co-so/b.md" points to no file' in expected
    assert expected in printed
    assert "Unable to find" not in printed

    # The same after a restart, or when the file went while no preview ran.
    capsys.readouterr()
    assert not preview_of(fixture_site).rebuild()
    assert expected in capsys.readouterr().out


# --- The fast path: links written with &amp;, editors' own files (point 10)


def test_pages_linking_to_an_address_are_found_as_templates_write_it(tmp_path):
    """Templates escape what they print: an address with "&" is written
    "&amp;" (the read stage now refuses such Slugs; any address a page may
    print escaped is still found)."""
    from portal.build.preview import pages_linking_to

    output = tmp_path / "output"
    (output / "chu-de").mkdir(parents=True)
    (output / "index.html").write_text('<a href="/tin-co-so/hoi-nghi-a&amp;b.html">Hội nghị</a>',
                                       encoding="utf-8")
    (output / "chu-de" / "index.html").write_text('<a href="/tin-co-so/hoi-nghi-a.html">Khác</a>',
                                                  encoding="utf-8")
    (output / "404.html").write_text('<a href="/tin-co-so/hoi-nghi-a&b.html">Hội nghị</a>', encoding="utf-8")
    assert pages_linking_to(output, {"/tin-co-so/hoi-nghi-a&b.html"}) == ["404.html", "index.html"]


EDITORS_OWN_FILES = [".tin-mot.md.swp", "#tin-mot.md#", "tin-mot.md~", "4913", ".#tin-mot.md"]


def test_editors_swap_and_backup_files_change_nothing(fixture_site, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    edited = fixture_site.write("tin-co-so/tin-mot.md", article(title="Tin một", summary="Tóm tắt."))
    fixture_site.write("tin-co-so/tin-hai.md", article(title="Tin hai", summary="Tóm tắt."))
    preview = preview_of(fixture_site)
    assert preview.rebuild()

    # vim open on the article: its swap file and write probe come and go.
    for name in EDITORS_OWN_FILES:
        fixture_site.write(f"tin-co-so/{name}", "tạm")
    edited.write_text(edited.read_text(encoding="utf-8") + "\nĐoạn mới.\n", encoding="utf-8")
    later(edited)
    assert preview.rebuild() and preview.last == "re-rendered 1 page(s)"
    preview.indexing.join()

    before = fixture_site.snapshot()
    for name in EDITORS_OWN_FILES:
        (fixture_site.content / "tin-co-so" / name).write_text("tạm, lần hai", encoding="utf-8")
    (fixture_site.content / "tin-co-so" / "4913").unlink()
    assert preview.rebuild() and preview.last == "unchanged"
    assert fixture_site.snapshot() == before


def test_the_server_watches_what_pelican_reads_and_nothing_pelican_ignores():
    from portal.build.devserver import ignored_by_pelican

    settings = load_settings(str(ROOT / "pelicanconf.py"))
    content = settings["PATH"]
    for name in EDITORS_OWN_FILES:
        assert ignored_by_pelican(f"{content}/tin-co-so/{name}", settings), name
    assert ignored_by_pelican(f"{content}/.git/objects/ab", settings)
    assert not ignored_by_pelican(f"{content}/tin-co-so/tin-mot.md", settings)
    assert not ignored_by_pelican(f"{content}/images/anh-1.jpg", settings)
    # A project under a hidden folder is still watched: only names inside content/ count.
    assert not ignored_by_pelican("/home/x/.du-an/content/tin-co-so/a.md",
                                  {**settings, "PATH": "/home/x/.du-an/content"})


# --- The server runs the code on disk (issue 12, point 5) -------------------


class RunningPreview:
    """`invoke livereload` in a project, its output collected as it comes."""

    def __init__(self, project):
        self.port = free_port()
        self.process = subprocess.Popen([INVOKE, "livereload", "--port", str(self.port)], cwd=project,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.collector = threading.Thread(target=self._collect, daemon=True)
        self.collector.start()

    def _collect(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def page(self, path="/") -> str:
        try:
            return fetch(f"http://127.0.0.1:{self.port}{path}")
        except OSError:
            return ""  # not listening (yet, or again)

    def printed(self, text) -> bool:
        return any(text in line for line in self.lines)

    def wait_for(self, condition, what, attempts=1500):  # up to 5 min: a loaded 2-core CI machine
        for _ in range(attempts):
            if condition():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{what}; the server printed:\n" + "\n".join(self.lines[-30:]))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=30)


@contextlib.contextmanager
def inotify_exhausted():
    """Every inotify instance this user may have, taken (as a machine with
    many watching programs has them), and given back at the end."""
    libc = ctypes.CDLL(None, use_errno=True)
    taken = []
    try:
        while len(taken) < 100_000:
            descriptor = libc.inotify_init1(os.O_CLOEXEC)
            if descriptor < 0:
                break
            taken.append(descriptor)
        yield
    finally:
        for descriptor in taken:
            os.close(descriptor)


@pytest.mark.parametrize("how", ["told by the system", "polling", "inotify exhausted"])
def test_the_watcher_runs_the_task_of_each_changed_file_and_nothing_else(tmp_path, how, capsys):
    """build.watching.SystemWatcher on a real loop and real files, as the
    server uses it; "polling": where the system cannot tell; and, when
    inotify's limits are reached, it looks at the files itself, and says so."""
    import asyncio

    from tornado.ioloop import IOLoop

    from portal.build.watching import SystemWatcher

    content, theme, settings_file = tmp_path / "content", tmp_path / "theme" / "templates", tmp_path / "conf.py"
    (content / "tin-co-so").mkdir(parents=True)
    theme.mkdir(parents=True)
    settings_file.write_text("A = 1\n")
    ran = []
    watcher = SystemWatcher(force_polling=True if how == "polling" else None, reload=lambda: ran.append("reload"))
    watcher.watch(str(settings_file), lambda: ran.append("settings"))
    watcher.watch(f"{content}/**/*", lambda: ran.append("content"), ignore=lambda path: path.endswith(".swp"))
    watcher.watch(f"{theme}/**/*.html", lambda: ran.append("theme"))
    loops = []

    def serve():
        asyncio.set_event_loop(asyncio.new_event_loop())
        loops.append(IOLoop.current())
        watcher.start(watcher.examine)
        loops[0].start()

    if how == "inotify exhausted":
        with inotify_exhausted():
            threading.Thread(target=serve, daemon=True).start()
            for _ in range(100):
                if "looking at the files instead" in capsys.readouterr().out:
                    break
                time.sleep(0.1)
            else:
                raise AssertionError("the watcher did not say it looks at the files")
    else:
        threading.Thread(target=serve, daemon=True).start()

    def after(change, expected):
        time.sleep(0.5)  # the watches are in place (polling: a first look taken)
        ran.clear()
        change()
        for _ in range(100):
            if ran == expected:
                time.sleep(0.5)  # and nothing more comes
                assert ran == expected
                return
            time.sleep(0.1)
        raise AssertionError(f"ran {ran}, not {expected}")

    try:
        after(lambda: (content / "tin-co-so" / "bai.md").write_text("x"), ["content", "reload"])
        # Ignored, or not watched: nothing; then one that is, so that we know the others were seen.
        after(lambda: ((content / "tin-co-so" / ".bai.md.swp").write_text("x"),
                       (theme / "base.css").write_text("x"), (tmp_path / "other.py").write_text("x"),
                       (theme / "base.html").write_text("x")), ["theme", "reload"])
        after(lambda: settings_file.write_text("A = 2\n"), ["settings", "reload"])
        after(lambda: (content / "moi" / "sau").mkdir(parents=True) or (content / "moi" / "sau" / "b.md").write_text("x"),
              ["content", "reload"])
        after(lambda: shutil.rmtree(content / "moi"), ["content", "reload"])
    finally:
        watcher.stop()
        if loops:
            loops[0].add_callback(loops[0].stop)


def test_every_save_is_shown_in_the_open_page_even_one_right_after_another(tmp_path, page):
    """livereload's own watcher reloaded the browser at most once every 3 s:
    a typo fixed and saved again at once was re-rendered, never shown."""
    project = copy_project(tmp_path)
    server = RunningPreview(project)
    try:
        server.wait_for(lambda: "Tin mới nhất" in server.page(), "the first build was not served")
        source = next((project / "content" / "tin-co-so").glob("*.md"))
        page.goto(f"http://127.0.0.1:{server.port}/")
        page.click("a[href^='/tin-co-so/'][href$='.html']")  # the seed article, its only one
        url = page.url
        text = source.read_text(encoding="utf-8")
        for times, word in enumerate(("Lần-sửa-thứ-nhất", "Lần-sửa-thứ-hai"), start=1):
            # The page is listening for the server's reload (livereload's log says so).
            server.wait_for(lambda: sum(f"Browser Connected: {url}" in line for line in server.lines) >= times,
                            "the page did not connect to the server")
            source.write_text(text.replace("\n\n", f"\n\n{word}\n\n", 1), encoding="utf-8")
            # No reload by hand: the server's reload shows it (60 s: a loaded CI machine).
            page.wait_for_function(f"document.body.innerText.includes('{word}')", timeout=60000)
        assert server.printed("Preview re-rendered 1 page(s)")
    finally:
        server.stop()


def test_the_server_restarts_with_new_code_and_stops_for_new_requirements(tmp_path):
    project = copy_project(tmp_path)
    (project / "requirements.txt").write_text("pelican[markdown]==4.12.0\n", encoding="utf-8")
    server = RunningPreview(project)
    try:
        server.wait_for(lambda: "Tin mới nhất" in server.page(), "the first build was not served")
        pid = server.process.pid

        settings = project / "pelicanconf.py"
        settings.write_text(settings.read_text(encoding="utf-8").replace(
            'SITENAME = "Đảng bộ huyện Đakrông"', 'SITENAME = "Đảng bộ huyện Đakrông (mới)"'), encoding="utf-8")
        server.wait_for(lambda: "Đakrông (mới)" in server.page(), "the new settings were not used")
        assert server.printed("pelicanconf.py changed; restarting with the new code")

        # Code that cannot start: one line, and the preview goes on with the code it has.
        checks = project / "plugins" / "portal" / "check" / "page_checks.py"
        working = checks.read_text(encoding="utf-8")
        checks.write_text(working + "\nx = (\n", encoding="utf-8")
        line = len(working.splitlines()) + 2
        server.wait_for(lambda: server.printed(f"page_checks.py:{line}: '(' was never closed; the preview "
                                               "keeps the code it started with until this is fixed"),
                        "the syntax error was not reported")
        assert "Đakrông (mới)" in server.page()

        # A stricter check: the restarted server checks every page with it.
        checks.write_text(working.replace(
            "    problems.extend(check_polls_slot(root))\n",
            "    problems.extend(check_polls_slot(root))\n    problems.append(\"a check added since\")\n"),
            encoding="utf-8")
        server.wait_for(lambda: server.printed("output/index.html: a check added since"),
                        "the new check did not run")
        assert server.printed("page_checks.py changed; restarting with the new code")
        assert "Đakrông (mới)" in server.page()  # the failed build replaced nothing
        assert server.process.pid == pid  # the same process, started again

        (project / "requirements.txt").write_text("pelican[markdown]==4.13.0\n", encoding="utf-8")
        server.wait_for(lambda: server.process.poll() is not None, "the server did not stop")
        server.collector.join(timeout=30)  # every line it printed, read
        assert server.process.returncode == 1
        assert server.lines[-1] == ("requirements.txt changed: the preview server stops here; run "
                                    "`make serve` again to install the new requirements and preview with them")
        assert not any("Traceback" in line for line in server.lines)
    finally:
        server.stop()


def test_the_content_cache_still_spares_reading_when_nothing_it_depends_on_changed(fixture_site, monkeypatch):
    from portal.read import reader

    monkeypatch.chdir(fixture_site.root)
    many_articles(fixture_site, count=5)
    real_read = reader.read_source_text
    read = []
    monkeypatch.setattr(reader, "read_source_text", lambda path: read.append(path) or real_read(path))
    assert preview_of(fixture_site).rebuild()
    assert len(read) == 5
    read.clear()
    preview = preview_of(fixture_site)  # as after a restart
    assert preview.rebuild() and read == []
    assert preview.rebuild_everything() and read == []  # the theme changed: every page again
    edited = fixture_site.content / "tin-co-so" / "tin-2.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Date: 2024-05-03", "Date: 2024-06-03"),
                      encoding="utf-8")
    later(edited)
    assert preview.rebuild_everything() and preview.last == "rebuilt" and read == [str(edited)]


class PelicanRuns:
    """How many times Pelican starts a run in this process meanwhile."""

    def __init__(self):
        from pelican import signals

        self.count = 0
        signals.initialized.connect(self.started)  # weak: this object keeps it alive

    def started(self, pelican):
        self.count += 1

    def stop(self):
        from pelican import signals

        signals.initialized.disconnect(self.started)


def rebuild_counting_pelican_runs(preview) -> tuple[bool, int]:
    """preview.rebuild(), and how many times Pelican started a run meanwhile."""
    runs = PelicanRuns()
    try:
        return preview.rebuild(), runs.count
    finally:
        runs.stop()


def assert_shown_without_pelican(site, preview, tmp_path, edits) -> None:
    """Each edit ((file in content/, its new text)) in turn is shown without
    a Pelican run, and the site is then what a clean build makes."""
    for number, (name, text) in enumerate(edits, start=1):
        edited = site.content / name
        edited.write_text(text, encoding="utf-8")
        later(edited, 5 * number)
        rebuilt, runs = rebuild_counting_pelican_runs(preview)
        assert rebuilt and preview.last.startswith("re-rendered "), name
        assert runs == 0, name
        preview.finish()
        assert html_of(site.output) == clean_build_of(site, tmp_path / f"clean-{number}"), name


def test_edits_are_patched_into_the_kept_build_without_running_pelican(fixture_site, tmp_path, monkeypatch):
    """build.resident: a body, title or summary edit re-renders from the
    last whole build kept in memory, and shows what a clean build shows."""
    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    page = "Title: Giới thiệu\nSlug: gioi-thieu\nSummary: Về Đảng bộ huyện.\n\nLịch sử Đảng bộ.\n"
    fixture_site.write("pages/gioi-thieu.md", page)
    preview = preview_of(fixture_site)
    assert preview.rebuild() and preview.last == "rebuilt"
    assert_shown_without_pelican(fixture_site, preview, tmp_path, [
        # its page only
        ("tin-co-so/tin-3.md", texts[3] + "\nMột đoạn mới, có [liên kết](/tin-co-so/tin-so-4.html).\n"),
        # lists, tags...
        ("tin-co-so/tin-12.md", texts[12].replace("Title: Tin số 12", "Title: Tin số mười hai")),
        ("tin-co-so/tin-7.md",
         texts[7].replace("Summary: Tóm tắt tin số 7.", "Summary: Tóm tắt mới của tin bảy.")),
        ("pages/gioi-thieu.md", page + "\nThêm một đoạn về truyền thống.\n"),  # a page, not an article
    ])


def test_a_patched_edit_with_a_mistake_leaves_the_site_and_the_kept_build_as_they_were(
        fixture_site, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    fixture_site.write("tin-co-so/nhap.md", article(title="Bản nháp", slug="nhap", status="draft"))
    preview = preview_of(fixture_site)
    assert preview.rebuild()
    before = fixture_site.snapshot()
    edited = fixture_site.content / "tin-co-so" / "tin-3.md"
    edited.write_text(texts[3] + "\nXem [bản nháp]({filename}nhap.md).\n", encoding="utf-8")
    later(edited)
    capsys.readouterr()
    rebuilt, runs = rebuild_counting_pelican_runs(preview)
    assert not rebuilt
    assert runs == 0  # found as the edit was patched in
    printed = capsys.readouterr().out
    assert ('content/tin-co-so/tin-3.md: link "/drafts/nhap.html" leads to content/tin-co-so/nhap.md, '
            "which is not published (its Status is draft)") in printed
    assert fixture_site.snapshot() == before

    edited.write_text(texts[3] + "\nĐã sửa: không còn liên kết.\n", encoding="utf-8")
    later(edited, 10)
    assert preview.rebuild() and preview.last == "re-rendered 1 page(s)"
    preview.finish()
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "clean")


def test_an_edit_a_kept_build_cannot_show_is_left_to_a_whole_build(fixture_site, tmp_path, monkeypatch):
    """A new {static} link: the file is a build's to copy."""
    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    fixture_site.write("files/ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n")
    preview = preview_of(fixture_site)
    assert preview.rebuild()
    edited = fixture_site.content / "tin-co-so" / "tin-3.md"
    edited.write_text(texts[3] + "\nTải [kế hoạch]({static}/files/ke-hoach.pdf).\n", encoding="utf-8")
    later(edited)
    assert preview.rebuild() and preview.last == "rebuilt"
    preview.finish()
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "clean")


def test_the_previews_whole_builds_keep_the_pages_an_edit_does_not_change(fixture_site, tmp_path, monkeypatch):
    """A date edit is a whole build in the preview, and an incremental one:
    the pages whose inputs did not change are kept without being rendered.
    (The kept build, in the settings, filled up as the build went: every
    page's inputs looked new, and every page was rendered again.)"""
    from portal.build import site

    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    preview = preview_of(fixture_site)
    assert preview.rebuild()
    edited = fixture_site.content / "tin-co-so" / "tin-12.md"
    edited.write_text(texts[12].replace("Date: 2024-05-13", "Date: 2024-05-14"), encoding="utf-8")
    later(edited)
    assert preview.rebuild_everything() and preview.last == "rebuilt"  # as after a template's edit
    stats = dict(site.last_build_stats)
    pages = stats["rendered"] + stats["kept"]
    assert stats["kept"] - stats["same_bytes"] > pages // 2, stats  # kept on their inputs alone
    preview.finish()
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "clean")


def test_edits_that_move_articles_are_grouped_again_in_the_kept_build(fixture_site, tmp_path, monkeypatch):
    """build.resident: a date, tags, an author, a new article, a new draft, a
    month left without articles: the kept build groups its articles again
    without running Pelican, and the site is what a clean build makes."""
    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    preview = preview_of(fixture_site)
    assert preview.rebuild() and preview.last == "rebuilt"
    new_article = article(title="Tin mới nhất", slug="tin-moi-nhat", date="2024-06-30", tags="Thẻ mới",
                          author="Tác giả mới", summary="Tin mới nhất.", body="Nội dung tin mới nhất.")
    assert_shown_without_pelican(fixture_site, preview, tmp_path, [
        ("tin-co-so/tin-3.md", texts[3].replace("Date: 2024-05-04", "Date: 2024-05-20")),  # moves in every list
        ("tin-co-so/tin-12.md", texts[12].replace("Tags: Thẻ 0", "Tags: Thẻ 1, Thẻ hai")),  # a new tag's page
        ("tin-co-so/tin-7.md", texts[7].replace("Author: Tác giả 1", "Author: Tác giả 0")),
        ("tin-co-so/tin-moi.md", new_article),  # a new article, first in every list
        ("tin-co-so/nhap.md", article(title="Bản nháp", slug="nhap", status="draft")),
        ("tin-co-so/tin-moi.md", new_article.replace("Date: 2024-06-30", "Date: 2023-01-01")),  # a month gone
    ])


def test_a_deleted_article_or_a_mistake_in_a_grouped_edit_is_as_a_build_says(
        fixture_site, tmp_path, monkeypatch, capsys):
    """A deleted article nobody links to, and one made a draft, are grouped
    out of the kept build; one another article links to, and a new article
    at a taken address, fail with the build's own line and leave the site
    as it was."""
    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    linking = fixture_site.content / "tin-co-so" / "tin-5.md"
    linking.write_text(texts[5] + "\nXem [tin sáu]({filename}tin-6.md).\n", encoding="utf-8")
    preview = preview_of(fixture_site)
    assert preview.rebuild()

    (fixture_site.content / "tin-co-so" / "tin-20.md").unlink()
    rebuilt, runs = rebuild_counting_pelican_runs(preview)
    assert rebuilt and preview.last.startswith("re-rendered ")
    assert runs == 0
    preview.finish()
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "clean-deleted")
    # The record of the site's pages follows: the next edit renders none of
    # these again unless it changes them.
    from portal.build import rendered_pages
    from portal.render.selective_writer import LastBuild

    settings = load_settings(str(ROOT / "pelicanconf.py"), CACHE_PATH=str(fixture_site.root / "cache"))
    last = LastBuild(rendered_pages.last_build(settings, fixture_site.output))
    assert sorted(last.pages) == sorted(html_of(fixture_site.output))
    assert all(last.file_if_unchanged(page) for page in last.pages)

    unpublished = fixture_site.content / "tin-co-so" / "tin-21.md"
    unpublished.write_text(texts[21].replace("Title: ", "Status: draft\nTitle: ", 1), encoding="utf-8")
    later(unpublished)
    assert preview.rebuild() and preview.last.startswith("re-rendered ")
    preview.finish()
    assert not (fixture_site.output / "tin-co-so" / "tin-so-21.html").exists()
    assert html_of(fixture_site.output) == clean_build_of(fixture_site, tmp_path / "clean-unpublished")

    before = fixture_site.snapshot()
    taken = fixture_site.content / "tin-co-so" / "trung.md"
    taken.write_text(article(title="Trùng địa chỉ", slug="tin-so-3"), encoding="utf-8")
    later(taken)
    capsys.readouterr()
    rebuilt, runs = rebuild_counting_pelican_runs(preview)
    assert not rebuilt
    assert runs == 0  # found as the kept build was grouped again
    assert ('content/tin-co-so/tin-3.md: Slug "tin-so-3" is also used by content/tin-co-so/trung.md'
            in capsys.readouterr().out)
    assert fixture_site.snapshot() == before
    taken.unlink()

    (fixture_site.content / "tin-co-so" / "tin-6.md").unlink()
    assert not preview.rebuild()
    assert 'content/tin-co-so/tin-5.md:11: link to "tin-6.md" points to no file' in capsys.readouterr().out
    assert fixture_site.snapshot() == before


def test_a_kept_build_grouped_again_is_let_go_before_the_next_whole_build(fixture_site, monkeypatch):
    """Nothing outside the kept build holds its articles once it is grouped
    again: the preview lets it go before a whole build makes another (two
    builds' articles at once were 400 MB more at 10,000 articles)."""
    import gc
    import weakref

    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    preview = preview_of(fixture_site)
    assert preview.rebuild()
    edited = fixture_site.content / "tin-co-so" / "tin-3.md"
    edited.write_text(texts[3].replace("Date: 2024-05-04", "Date: 2024-05-20"), encoding="utf-8")
    later(edited)
    assert preview.rebuild() and preview.last.startswith("re-rendered ")
    preview.finish()
    articles = [weakref.ref(content)
                for _source, _generator, content in published_contents(preview.kept.generators)]
    assert len(articles) == 25
    preview.kept = None  # as the preview does before a whole build
    gc.collect()
    assert [ref() for ref in articles if ref() is not None] == []
