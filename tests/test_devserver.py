"""`invoke livereload`: serves on 127.0.0.1 only and rebuilds on change."""

import subprocess
import time
import urllib.request

from browser_fixtures import free_port
from conftest import INVOKE, article, copy_project


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
