"""The build's last step: check every generated page and fill its marked
slots (render.slots: the sidebar's polls block, the poll results list), with
contents the build prepared (build.site.check_and_fill).

Idempotent: the fill is a targeted edit between fixed markers, and a page
is written only when its bytes change, so running it again changes nothing.

Cheap: a page whose bytes already passed the same checks (CheckedPages, in
CACHE_PATH: the same checks' code, parser and Python) is not parsed again;
the checks build only the parts of a page they read (about 2 ms a page);
and in a build the pages are checked by worker processes while Pelican is
still writing the others (ChecksAsWritten), so the step that follows
Pelican mostly collects answers and fills slots.
"""

import hashlib
import json
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

from ..core.code_identity import modules_deciding, source_digest
from ..core.problems import Problem, display_path
from ..core.workers import forked_pool, text_digest, workers_can_help
from ..render.slots import fill_page
from . import page_checks
from .page_checks import problems_in_page

# Below this many pages to parse, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


def html_pages(output_dir: Path):
    return sorted(p for p in output_dir.rglob("*.html") if p.is_file())


def _problems_in_file(path: Path) -> list[str]:
    return problems_in_page(path.read_text(encoding="utf-8"))


# The digests of pages that passed before, in a worker process (set when it starts).
_passed_before: frozenset = frozenset()


def _remember_passed(digests: frozenset) -> None:
    global _passed_before
    _passed_before = digests


def _answers_for_files(paths: list[str]) -> list[tuple[str, list[str]]]:
    """(digest, problems) of each page, as its bytes are now."""
    answers = []
    for path in paths:
        html = Path(path).read_text(encoding="utf-8")
        page_digest = text_digest(html)
        answers.append((page_digest, [] if page_digest in _passed_before else problems_in_page(html)))
    return answers


def _worker_pool(workers: int | None = None, passed=frozenset()) -> ProcessPoolExecutor:
    return forked_pool(workers, initializer=_remember_passed, initargs=(passed,))


# The checks' code as this process loaded it: page_checks and every module of
# ours it uses (the slots' markers), read while this module is imported.
CHECKS_SOURCE = source_digest(modules_deciding(page_checks))


def checks_identity() -> str:
    """Everything besides a page's bytes that decides its problems: the
    checks as loaded, the parser (lxml, libxml2) and Python."""
    parts = [CHECKS_SOURCE, etree.LXML_VERSION, etree.LIBXML_VERSION, sys.version]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class CheckedPages:
    """The pages that passed the checks, kept between builds: {page: the
    digest of its bytes}.

    The checks look at a page's bytes only, so the same bytes pass again,
    but only under the same checks: the memory is tied to checks_identity(),
    and other checks, another parser or another Python check every page
    anew. It holds the pages of the latest check of the whole site (plus the
    pages re-rendered since), so it stays the size of the site.
    """

    FILE = "checked-pages.json"

    def __init__(self, cache_dir):
        self.path = Path(cache_dir, self.FILE) if cache_dir else None
        self.version = checks_identity()
        self.pages: dict[str, str] = {}
        if self.path and self.path.is_file():
            try:
                saved = json.loads(self.path.read_text(encoding="utf-8"))
                if saved.get("version") == self.version:
                    self.pages = {str(page): str(digest) for page, digest in saved["pages"].items()}
            except (ValueError, KeyError, TypeError, AttributeError):
                pass  # an unreadable memory only means checking everything
        # Bytes known to pass: the memory's, and this run's as they are checked.
        self.digests: set[str] = set(self.pages.values())

    def passed(self, page: str, digest: str) -> None:
        self.pages[page] = digest
        self.digests.add(digest)

    def failed(self, page: str) -> None:
        self.pages.pop(page, None)

    def keep_only(self, pages: set[str]) -> None:
        """Forget pages the site no longer has."""
        self.pages = {page: digest for page, digest in self.pages.items() if page in pages}

    def save(self) -> None:
        if not self.path:
            return
        # Written aside, then renamed: a build reading it meanwhile sees the
        # old memory or the new, never half of one.
        aside = self.path.with_name(f".{self.FILE}.{os.getpid()}.{threading.get_ident()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            aside.write_text(json.dumps({"version": self.version, "pages": self.pages}, sort_keys=True),
                             encoding="utf-8")
            os.replace(aside, self.path)
        except OSError:  # a full disk, say: a memory not saved only means checking more next time
            aside.unlink(missing_ok=True)


def find_problems(paths: list[Path]) -> list[list[str]]:
    """The problems of each page, parsing on every core when there are many."""
    if len(paths) < PARALLEL_FROM or not workers_can_help():
        return [_problems_in_file(path) for path in paths]
    with _worker_pool() as pool:
        return list(pool.map(_problems_in_file, paths, chunksize=32))


class ChecksAsWritten:
    """Checks pages while Pelican writes the rest of the site.

    Pelican renders on one core. Through its content_written signal each
    new page goes to worker processes, which check it on the other cores
    meanwhile; check_and_fill then uses their answers for every page whose
    bytes are still the ones checked. Small sites (under PARALLEL_FROM
    pages) start no workers: their pages are checked afterwards, in-process.
    """

    BATCH = 16  # pages per task: one page is too little work for a round trip

    def __init__(self, settings):
        self.memory = CheckedPages(settings.get("CACHE_PATH"))
        self.pool: ProcessPoolExecutor | None = None
        self.waiting: list[str] = []  # pages written, not yet handed out
        self.handed_out: list[tuple[list[str], Future]] = []
        self.workers_help = workers_can_help()
        # The pages an incremental build kept as they were (render.selective_writer):
        # not handed out; check_pages reads them, or leaves them when the last
        # build checked those very files with the same checks (build.site).
        record = settings.get("PORTAL_RENDERED_PAGES")
        self.unchanged = record.setdefault("unchanged", set()) if record is not None else set()

    def page_written(self, path) -> None:
        # Only the path travels: the worker reads the page itself, so
        # Pelican's process spends almost nothing here.
        if not self.workers_help or not str(path).endswith(".html") or str(path) in self.unchanged:
            return
        self.waiting.append(str(path))
        if self.pool is None and len(self.waiting) < PARALLEL_FROM:
            return
        if len(self.waiting) >= self.BATCH:
            # One core is Pelican's; the workers get the others.
            self.pool = self.pool or _worker_pool(max(1, (os.cpu_count() or 1) - 1),
                                                  frozenset(self.memory.digests))
            for start in range(0, len(self.waiting), self.BATCH):
                batch = self.waiting[start:start + self.BATCH]
                self.handed_out.append((batch, self.pool.submit(_answers_for_files, batch)))
            self.waiting = []

    def take_back_unstarted(self) -> None:
        """Pelican has finished, so this process is free: the batches no
        worker has started yet are left to check_and_fill (both cores)."""
        self.handed_out = [(paths, future) for paths, future in self.handed_out
                           if not future.cancel()]

    def pages_handed_out(self) -> set[Path]:
        return {Path(path) for paths, _ in self.handed_out for path in paths}

    def answers(self) -> dict[str, list[str]]:
        """{digest: its problems} for every page handed out, once all are back."""
        answers = {}
        for _, future in self.handed_out:
            answers.update(future.result())
        return answers

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown(cancel_futures=True)


_checks_as_written: ChecksAsWritten | None = None

# {a page Pelican wrote: the source file it shows}, for this build's
# articles and pages: a check that fails on such a page names the file the
# editor must correct, not only the page.
sources_of_pages: dict[str, str] = {}


def remember_source_of_page(path, context=None) -> None:
    """Pelican's content_written signal: an article's or page's own page
    is written with it in the context."""
    context = context or {}
    content = context.get("article") or context.get("page")
    save_as = getattr(content, "save_as", None)
    if save_as and os.path.normpath(str(path)).endswith(os.sep + os.path.normpath(save_as)):
        sources_of_pages[os.path.abspath(path)] = content.source_path


def forget_sources_of_pages(pelican) -> None:
    """Pelican's initialized signal: each build records its own pages."""
    sources_of_pages.clear()


def page_written(path, context=None) -> None:
    """Pelican's content_written signal; only a build started by
    checking_as_written() hands pages out."""
    if _checks_as_written is not None:
        _checks_as_written.page_written(path)


@contextmanager
def checking_as_written(settings):
    global _checks_as_written
    _checks_as_written = ChecksAsWritten(settings)
    try:
        yield _checks_as_written
    finally:
        _checks_as_written.close()
        _checks_as_written = None


def check_pages(output_dir, settings, blocks: dict[str, str], shown_as="output", only=None,
                checked: ChecksAsWritten | None = None) -> list[Problem]:
    """Problems found in `output_dir`'s pages; the pages that pass get
    `blocks` ({slot: its contents}, see render.slots) filled in place.

    `shown_as` names the folder in messages: the build checks a staging
    folder that becomes output/ only when nothing is wrong. `only` limits
    the step to those pages (the preview re-renders a few pages). `checked`
    holds the answers of the workers that checked pages while Pelican wrote.
    """
    output_dir = Path(output_dir)
    problems = []
    checked = checked or ChecksAsWritten(settings)  # none handed out: all are checked here
    checked.take_back_unstarted()
    memory = checked.memory
    coming = checked.pages_handed_out()
    paths = html_pages(output_dir) if only is None else [Path(p) for p in only if Path(p).is_file()]
    # Only digests are kept: 16,500 pages would be over 500 MB as text.
    digests = {path: text_digest(path.read_text(encoding="utf-8")) for path in paths}
    unchecked = [path for path in paths if path not in coming and digests[path] not in memory.digests]
    found = dict(zip(unchecked, find_problems(unchecked)))
    answers = checked.answers()  # the workers' last batches ran meanwhile
    # A page answered for other bytes than it has now (written again since) is checked here.
    late = []
    for path in coming & digests.keys():
        if digests[path] in answers:
            found[path] = answers[digests[path]]
        elif digests[path] not in memory.digests:
            late.append(path)
    found.update(zip(late, find_problems(late)))

    pages = {path: path.relative_to(output_dir).as_posix() for path in paths}
    for path, page in pages.items():
        messages = found.get(path, [])
        if messages:
            source = sources_of_pages.get(os.path.abspath(path))
            problems.extend(
                Problem(display_path(source), f"{message} (on its page {shown_as}/{page})") if source
                else Problem(f"{shown_as}/{page}", message) for message in messages)
            memory.failed(page)
            continue
        memory.passed(page, digests[path])
        fill_page(path, path.read_text(encoding="utf-8"), blocks)
    if only is None:
        memory.keep_only(set(pages.values()))
    memory.save()
    return problems
