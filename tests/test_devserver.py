"""`invoke livereload`: serves on 127.0.0.1 only and rebuilds on change."""

import os
import subprocess
import time
import urllib.request

from browser_fixtures import free_port
from conftest import INVOKE, ROOT, FixtureSite, article, copy_project


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
            if "Tin vừa viết" in fetch(url):
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the new article did not appear after a rebuild")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_body_edit_re_renders_only_that_page_and_the_rest_stays(fixture_site, monkeypatch):
    from portal.build.devserver import Preview

    monkeypatch.chdir(fixture_site.root)
    edited = fixture_site.write("tin-co-so/a.md", article(title="Tin một", summary="Tóm tắt."))
    fixture_site.write("tin-co-so/b.md", article(title="Tin hai", summary="Tóm tắt."))
    preview = Preview(str(ROOT / "pelicanconf.py"),
                      PATH=str(fixture_site.content), OUTPUT_PATH=str(fixture_site.output),
                      CACHE_PATH=str(fixture_site.root / "cache"))
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
    from portal.build.devserver import PREVIEW_SETTINGS, Preview

    monkeypatch.chdir(fixture_site.root)
    texts = many_articles(fixture_site)
    preview = Preview(str(ROOT / "pelicanconf.py"),
                      PATH=str(fixture_site.content), OUTPUT_PATH=str(fixture_site.output),
                      CACHE_PATH=str(fixture_site.root / "cache"))
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
    assert preview.rebuild() and preview.last == "rebuilt"  # a date moves the article between pages


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
    preview = devserver.Preview(str(ROOT / "pelicanconf.py"),
                                PATH=str(fixture_site.content), OUTPUT_PATH=str(fixture_site.output),
                                CACHE_PATH=str(fixture_site.root / "cache"))
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
