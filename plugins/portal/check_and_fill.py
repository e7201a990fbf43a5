"""The build's last step: check every generated page and fill its poll slots
(the sidebar's polls block; the list on the poll results page).

Idempotent: the fill is a targeted edit between fixed markers, and a page
is written only when its bytes change, so running it again changes nothing.

Cheap: parsing a page with BeautifulSoup costs about 10 ms, so a page whose
bytes already passed the same checks (remembered in CACHE_PATH) is not
parsed again, and the pages that are parsed are shared among the cores.
"""

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import bs4
from bs4 import BeautifulSoup

from . import page_checks
from .page_checks import check_page, check_text_form
from .poll_data import PollDataError
from .polls import build_time, fill_page, poll_blocks
from .problems import Problem
from .visit_stats import check_visit_stats_settings

# Below this many pages to parse, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


def html_pages(output_dir: Path):
    return sorted(p for p in output_dir.rglob("*.html") if p.is_file())


def problems_in_page(html: str) -> list[str]:
    return check_text_form(html) + check_page(BeautifulSoup(html, "lxml"))


def _problems_in_file(path: Path) -> list[str]:
    return problems_in_page(path.read_text(encoding="utf-8"))


class CheckedPages:
    """Digests of pages that passed the checks, kept between builds.

    The checks look at a page's bytes only, so the same bytes pass again.
    The memory is tied to the code of the checks: change them and every
    page is checked anew.
    """

    def __init__(self, cache_dir):
        self.path = Path(cache_dir, "checked-pages.json") if cache_dir else None
        self.version = hashlib.sha256(
            Path(page_checks.__file__).read_bytes() + bs4.__version__.encode()
        ).hexdigest()
        self.digests: set[str] = set()
        if self.path and self.path.is_file():
            try:
                saved = json.loads(self.path.read_text(encoding="utf-8"))
                if saved.get("version") == self.version:
                    self.digests = set(saved["digests"])
            except (ValueError, KeyError, TypeError):
                pass  # an unreadable memory only means checking everything

    def save(self) -> None:
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = {"version": self.version, "digests": sorted(self.digests)}
            self.path.write_text(json.dumps(data), encoding="utf-8")


def digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def find_problems(paths: list[Path]) -> list[list[str]]:
    """The problems of each page, parsing on every core when there are many."""
    if len(paths) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return [_problems_in_file(path) for path in paths]
    with ProcessPoolExecutor(mp_context=get_context("fork")) as pool:
        return list(pool.map(_problems_in_file, paths, chunksize=32))


def check_and_fill(output_dir, settings, shown_as="output", now=None, only=None) -> list[Problem]:
    """Problems found in `output_dir`; pages are filled in place.

    `shown_as` names the folder in messages: the build checks a staging
    folder that becomes output/ only when nothing is wrong. `only` limits
    the step to those pages (the preview re-renders a few pages).
    """
    output_dir = Path(output_dir)
    problems = check_visit_stats_settings(settings)
    try:
        # Polls are judged at an explicit time (POLLS_NOW, SOURCE_DATE_EPOCH
        # or the clock), so a build is reproducible and tests are exact.
        blocks = poll_blocks(settings, now or build_time(settings))
    except PollDataError as error:
        problems.extend(error.problems)
    if problems:
        return problems  # pages are left unfilled; the build fails anyway

    memory = CheckedPages(settings.get("CACHE_PATH"))
    paths = html_pages(output_dir) if only is None else [Path(p) for p in only if Path(p).is_file()]
    pages = {path: path.read_text(encoding="utf-8") for path in paths}
    digests = {path: digest(html) for path, html in pages.items()}
    unchecked = [path for path in pages if digests[path] not in memory.digests]
    found = dict(zip(unchecked, find_problems(unchecked)))

    for path, html in pages.items():
        messages = found.get(path, [])
        if messages:
            shown = f"{shown_as}/{path.relative_to(output_dir).as_posix()}"
            problems.extend(Problem(shown, message) for message in messages)
            continue
        memory.digests.add(digests[path])
        fill_page(path, html, blocks)
    memory.save()
    return problems
