"""`invoke livereload`: serves on 127.0.0.1 only and rebuilds on change."""

import os
import subprocess
import time
import urllib.request

from browser_fixtures import free_port
from conftest import INVOKE, ROOT, article, copy_project


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
    from portal.devserver import Preview

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
    assert preview.rebuild() and preview.last == "rebuilt"  # the title shows on other pages too
    assert (fixture_site.output / "tin-co-so" / "tin-mot-sua-tieu-de.html").is_file()
