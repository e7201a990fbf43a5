"""A real web server and a real browser for the tests that need them.

The built site is served by a separate process on 127.0.0.1; Debian's
chromium is driven by Playwright (never a downloaded browser).
"""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlencode

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_folder(folder) -> tuple[subprocess.Popen, str]:
    """Start a static web server on 127.0.0.1 for `folder`; returns it and its URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError(f"the web server for {folder} did not start")


def search_results(page, url, **parameters) -> list[str]:
    """The addresses the site's search page lists for `parameters` (q, and
    the documents' filters), once its script says the search is done."""
    page.goto(f"{url}/tim-kiem/?{urlencode(parameters)}")
    page.wait_for_selector("[data-search-results][data-search-done]", timeout=15000, state="attached")
    assert page.get_attribute("[data-search-results]", "data-search-done") != "error"
    return [link.get_attribute("href") for link in page.query_selector_all(".app-search-results__link")]


@pytest.fixture(scope="session")
def site_url(site):
    """The real built site, served over HTTP on 127.0.0.1."""
    server, url = serve_folder(site)
    yield url
    server.terminate()
    server.wait()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed: run .ci/run or apt-get install chromium")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    tab = context.new_page()
    yield tab
    context.close()
