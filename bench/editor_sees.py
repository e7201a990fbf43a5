"""What an editor waits for: from a file saved in content/ until the page
open in a real browser shows the change, through `invoke livereload` as
`make serve` runs it (the server learning of the save, the rebuild, the
check, the browser's reload and its fetch of the page).

    .venv/bin/python bench/editor_sees.py --articles 1000 [--runs 2] [--keep DIR]

Needs what `make test` installs (Playwright, with Debian's chromium). The
corpus is bench/corpus.py's, in a copy of the project; each edit is undone
after it is measured, and the undoing is not measured.
"""

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from corpus import CATEGORIES, make_articles, write_pelican_corpus

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser_fixtures import CHROMIUM, CHROMIUM_FLAGS, free_port  # noqa: E402

NEW_TITLE = "Bài mới viết để đo thời gian xem trước"


class Server:
    """`invoke livereload` in `project`, its lines collected as they come."""

    def __init__(self, project: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([str(REPO / ".venv" / "bin" / "invoke"), "livereload", "--port",
                                         str(self.port)], cwd=project, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: list[str] = []
        self.log = project.parent / "server.log"  # each line with its time.monotonic(); kept with --keep
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self):
        with open(self.log, "w", encoding="utf-8") as log:
            for line in self.process.stdout:
                self.lines.append(line.rstrip("\n"))
                log.write(f"{time.monotonic():.2f} {line}")
                log.flush()

    def wait_for(self, condition, what, seconds=1800):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if condition():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise SystemExit(f"{what}; the server printed:\n" + "\n".join(self.lines[-20:]))

    def rebuilds(self) -> int:
        return sum(line.startswith("Preview") for line in self.lines)

    def connections(self, url: str) -> int:
        return sum(f"Browser Connected: {url}" in line for line in self.lines)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)


def make_project(work: Path, articles: int) -> Path:
    project = work / "project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy(REPO / name, project / name)
    for name in ("theme", "plugins"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\n# The bench corpus's eight categories.\nPORTAL_CATEGORIES = {CATEGORIES!r}\n")
    corpus = make_articles(articles)
    write_pelican_corpus(corpus, project / "content")
    return project


def shows(text: str) -> str:
    return f"document.body.innerText.includes({text!r})"


def edits(source: Path, text: str, new_file: Path):
    """(name, the page to watch, what to write, a script true once the page
    shows it): each kind of edit the preview handles its own way."""
    stamp = time.strftime("%H%M%S")
    title = re.search(r"^Title: (.*)$", text, re.M).group(1)
    return [
        ("body", "article", lambda: source.write_text(text.replace("\n\n", f"\n\nCâu mới {stamp}.\n\n", 1)),
         shows(f"Câu mới {stamp}.")),
        ("title", "article", lambda: source.write_text(text.replace(f"Title: {title}", f"Title: {title} {stamp}")),
         shows(f"{title} {stamp}")),
        ("date", "article", lambda: source.write_text(re.sub(r"^Date: \d{4}", "Date: 2030", text, flags=re.M)),
         "document.querySelector('time.app-article-meta__date').getAttribute('datetime').startsWith('2030')"),
        ("tags", "article", lambda: source.write_text(re.sub(r"^(Tags: .*)$", rf"\1, Thẻ đo {stamp}", text, flags=re.M)),
         shows(f"Thẻ đo {stamp}")),
        ("new article", "home", lambda: new_file.write_text(
            f"Title: {NEW_TITLE}\nDate: 2031-01-01 08:00\nAuthor: Văn phòng Huyện ủy\nCategory: Tin cơ sở\n\n"
            "Nội dung bài mới.\n"),
         shows(NEW_TITLE)),
        ("that article deleted", "home", lambda: new_file.unlink(), "!" + shows(NEW_TITLE)),
    ]


def measure(project: Path, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    source = sorted((project / "content" / "tin-co-so").glob("*.md"))[49]
    text = source.read_text(encoding="utf-8")
    new_file = source.parent / "bai-moi-do-thoi-gian.md"
    server = Server(project)
    waited: dict[str, list[float]] = {}
    try:
        started = time.monotonic()
        server.wait_for(lambda: any("Serving on" in line for line in server.lines), "the first build failed")
        print(f"first build and check: {time.monotonic() - started:.1f} s", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            address = _article_address(project, source)
            for run in range(runs):
                for name, where, edit, shown in edits(source, text, new_file):
                    url = server.url + (address if where == "article" else "/")
                    # An editor's saves are further apart than the search index
                    # the last one started takes (10,000 articles: 5-10 s of both cores).
                    server.wait_for(lambda: not indexing(project), "the search index was not done")
                    before = server.connections(url)
                    _go(page, url)
                    server.wait_for(lambda: server.connections(url) > before, "the page did not connect")
                    assert not page.evaluate(shown), f"{name}: shown before the edit"
                    said = len(server.lines)
                    saved = time.monotonic()
                    edit()
                    page.wait_for_function(shown, timeout=300_000, polling=20)
                    waited.setdefault(name, []).append(time.monotonic() - saved)
                    rebuilt = [line for line in server.lines[said:] if line.startswith("Preview")]
                    print(f"run {run + 1}, {name}: shown after {waited[name][-1]:.2f} s ({rebuilt})", flush=True)
                    if where == "article":  # undone, not measured
                        rebuilds, connected = server.rebuilds(), server.connections(url)
                        source.write_text(text, encoding="utf-8")
                        server.wait_for(lambda: server.rebuilds() > rebuilds, "the edit was not undone")
                        server.wait_for(lambda: server.connections(url) > connected, "the page did not reload")
            browser.close()
    finally:
        server.stop()
        source.write_text(text, encoding="utf-8")
        new_file.unlink(missing_ok=True)
    return waited


def indexing(project: Path) -> bool:
    """Whether the server's Pagefind runs (in the background, after an edit)."""
    return subprocess.run(["pgrep", "-f", f"pagefind.*{project}"], capture_output=True).returncode == 0


def _go(page, url: str) -> None:
    from playwright.sync_api import Error

    for _attempt in range(5):
        try:
            page.goto(url)
            return
        except Error:  # the reload after the last edit's undoing came meanwhile
            time.sleep(0.5)
    page.goto(url)


def _article_address(project: Path, source: Path) -> str:
    slug = re.search(r"^Slug: (.*)$", source.read_text(encoding="utf-8"), re.M).group(1)
    page = next((project / "output").rglob(f"{slug}.html"))
    return "/" + page.relative_to(project / "output").as_posix()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    arguments = parser.parse_args()
    work = arguments.keep or Path(tempfile.mkdtemp(prefix="editor-sees-"))
    try:
        project = make_project(work, arguments.articles)
        waited = measure(project, arguments.runs)
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\n| {arguments.articles:,} articles: a save until the open page shows it | median (s) | runs (s) |")
    print("|---|---|---|")
    for name, times in waited.items():
        print(f"| {name} | {statistics.median(times):.2f} | {', '.join(f'{t:.2f}' for t in times)} |")


if __name__ == "__main__":
    main()
