"""Site search with Pagefind: indexed at build time, searched in the browser.

The index is built in slices (slices.py), each by a Pagefind run of its
own, only when its pages' indexed content changed, and two side by side
when together they are no larger than one slice can be (_index_slices):

    pagefind/slices.json        the slices, newest first, with their digests
    pagefind/2024/              one Pagefind bundle per slice
    pagefind/2015-2017/ ...     (search.js loads the first and merges others
    pagefind/van-ban-2019-2024/  as a search needs them; documents apart)

Pages that Pagefind indexes (articles, pages and documents) carry a hidden
copy of their words with đ folded to d (see `folded_words`), so a reader
typing without Vietnamese marks finds "Đakrông" with "dakrong"; search.js
folds the query the same way and merges both result lists.
"""

import html
import json
import os
import re
import shutil
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from ..core.external_tools import ToolTimedOut, run_tool
from ..core.problems import Problem
from ..core.vietnamese import fold_d
from ..core.workers import workers_can_help
from .slices import INDEX_FOLDER, MAX_PAGES_PER_SLICE, IndexedPage, index_slices, indexed_pages, slice_digest

_TAG = re.compile(r"<[^>]+>")


def folded_words(*texts: str) -> str:
    """The words of `texts` (HTML allowed) that contain đ, folded to d,
    each once: enough for matching, and no duplicated text in results."""
    words = []
    seen = set()
    for text in texts:
        plain = html.unescape(_TAG.sub(" ", text or ""))
        for word in re.findall(r"\w+", plain):
            if ("đ" in word or "Đ" in word) and word.casefold() not in seen:
                seen.add(word.casefold())
                words.append(fold_d(word))
    return " ".join(words)


# Pagefind indexes a slice of about a thousand articles in seconds here;
# ten minutes means it hangs (as it once did for 15 minutes), and a build
# must end. The limit is for each run.
PAGEFIND_TIMEOUT = 600  # seconds
MANIFEST = "slices.json"
# What Pagefind writes beside the index that search.js never loads: its
# ready-made search interfaces (we have our own search page).
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
                       "pagefind-modular-ui.css", "pagefind-component-ui.js",
                       "pagefind-component-ui.css", "pagefind-highlight.js")
# Pagefind splits a slice's words into index chunks of about this many
# word positions (its default is 20,000); a search downloads the whole
# chunk that holds each of its words. Smaller chunks: one search at 5,000
# articles downloads 32 KB of chunks for "nghi quyet" instead of 121 KB
# (bench/search_weight.py), for more, smaller files.
INDEX_CHUNK_SIZE = 1500
# Work folders inside pagefind/ while a slice is made (left by a killed build).
_WORK_PREFIX = ".work-"


def indexer_identity() -> str:
    """Pagefind as it will run: its version, or the binary put in its place."""
    return (f"pagefind {version('pagefind')} {os.environ.get('PAGEFIND_BINARY_PATH', '')} "
            f"chunks of {INDEX_CHUNK_SIZE}")


def read_manifest(site) -> dict[str, str]:
    """{slice name: digest} of the index in `site` (empty if it has none)."""
    try:
        manifest = json.loads((Path(site) / INDEX_FOLDER / MANIFEST).read_text(encoding="utf-8"))
        return {entry["name"]: entry["digest"] for entry in manifest["slices"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def build_search_index(site_dir, timeout: float | None = None, previous=None) -> list[Problem]:
    """Index the built site in `site_dir` with Pagefind, slice by slice.

    A slice whose digest is the one recorded in `site_dir`'s own index (the
    preview indexes output/ in place) or in `previous`'s (a build's staging
    folder gets output/'s bundles as they are) is not indexed again. Each
    Pagefind run's errors, or its running longer than `timeout` seconds
    (PAGEFIND_TIMEOUT), become problems; the manifest is written last.
    """
    site = Path(site_dir)
    index = site / INDEX_FOLDER
    index.mkdir(exist_ok=True)
    _remove_work_folders(index)
    identity = indexer_identity()
    slices = index_slices(indexed_pages(site))
    digests = {piece.name: slice_digest(piece.pages, identity) for piece in slices}
    here = read_manifest(site)
    before = read_manifest(previous) if previous else {}
    changed = []
    for piece in slices:
        name = piece.name
        if here.get(name) == digests[name] and (index / name).is_dir():
            continue
        if before.get(name) == digests[name] and (Path(previous) / INDEX_FOLDER / name).is_dir():
            _replace_folder(index / name, Path(previous) / INDEX_FOLDER / name, copy=True)
            continue
        changed.append(piece)
    found = _index_slices(site, changed, PAGEFIND_TIMEOUT if timeout is None else timeout)
    if found:
        return found
    _remove_all_but(index, {piece.name for piece in slices})
    # search.js reads it: which slices, newest first, which years each holds
    # (it says which it searched) and which hold the documents.
    manifest = {"slices": [{"name": piece.name, "years": piece.years, "documents": piece.filtered,
                            "pages": len(piece.pages), "digest": digests[piece.name]}
                           for piece in slices]}
    _write_atomically(index / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return []


def _index_slices(site: Path, pieces: list, timeout: float) -> list[Problem]:
    """Index `pieces`, two Pagefind runs at a time while their pages together
    are no more than MAX_PAGES_PER_SLICE. Pagefind's memory grows with the
    pages it reads, so two small slices side by side never need more than
    one full slice alone (at 10,000 articles, whose slices are full, they
    run one after another, and a clean build stays under issue 16's 1 GB);
    a small site's index takes about a second less (1,000 articles: 2.0-2.3 s
    against 3.0-3.3 s). The first problem stops the slices not yet started."""
    budget = _PageBudget(MAX_PAGES_PER_SLICE)
    problems: list[list[Problem]] = []

    def index_one(piece) -> None:
        with budget.taking(len(piece.pages)):
            if not problems:
                found = index_slice(site, piece.name, piece.pages, timeout)
                if found:
                    problems.append(found)

    with ThreadPoolExecutor(2 if workers_can_help() else 1) as pool:
        list(pool.map(index_one, pieces))
    return problems[0] if problems else []


class _PageBudget:
    """How many pages the Pagefind runs under way may read together; a run
    larger than the whole budget waits until it has it all, and runs alone."""

    def __init__(self, pages: int):
        self.whole = self.left = pages
        self.changed = threading.Condition()

    @contextmanager
    def taking(self, pages: int):
        pages = min(pages, self.whole)
        with self.changed:
            self.changed.wait_for(lambda: self.left >= pages)
            self.left -= pages
        try:
            yield
        finally:
            with self.changed:
                self.left += pages
                self.changed.notify_all()


def index_slice(site: Path, name: str, pages: list[IndexedPage], timeout: float) -> list[Problem]:
    """One Pagefind run over `pages` alone, into pagefind/`name`/: it reads
    them in a folder of links to them at their addresses, so the results
    point at the real pages."""
    index = site / INDEX_FOLDER
    pages_folder = index / f"{_WORK_PREFIX}pages-{name}"
    bundle = index / f"{_WORK_PREFIX}bundle-{name}"
    try:
        for page in pages:
            linked = pages_folder / page.path
            linked.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(site / page.path, linked)
        found = run_pagefind(pages_folder, bundle, timeout)
        if found:
            return found
        for unused in UNUSED_BUNDLE_FILES:
            (bundle / unused).unlink(missing_ok=True)
        _replace_folder(index / name, bundle)
    finally:
        shutil.rmtree(pages_folder, ignore_errors=True)
        shutil.rmtree(bundle, ignore_errors=True)
    return []


def run_pagefind(pages_folder: Path, bundle: Path, timeout: float) -> list[Problem]:
    command = [sys.executable, "-m", "pagefind", "--site", str(pages_folder),
               "--output-path", str(bundle), "--silent"]
    try:
        result = run_tool(command, timeout, name="pagefind", environment={
            **os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)})
    except ToolTimedOut as stopped:
        return [Problem("pagefind", f"search index failed: {stopped}")]
    except OSError as error:
        return [Problem("pagefind", f"search index failed: {error}")]
    if result.returncode != 0:
        message = " ".join((result.stderr or result.stdout).split())[:300]
        return [Problem("pagefind", f"search index failed: {message}")]
    return []


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: a copy reads the same
        shutil.copy2(source, target)


def _replace_folder(target: Path, source: Path, copy: bool = False) -> None:
    """Put `source` (moved, or with `copy` linked file by file) at `target`,
    replacing what was there. Pagefind's files are never changed in place
    (a new index has new names), so links to the previous site's are safe;
    precompressed copies are left out, the host step makes them anew."""
    staged = target.with_name(f"{_WORK_PREFIX}new-{target.name}")
    shutil.rmtree(staged, ignore_errors=True)
    if copy:
        shutil.copytree(source, staged, copy_function=_link_or_copy,
                        ignore=shutil.ignore_patterns("*.gz", "*.br"))
    else:
        source.rename(staged)
    old = target.with_name(f"{_WORK_PREFIX}old-{target.name}")
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _remove_all_but(index: Path, names: set[str]) -> None:
    """Leave only the slices of `names` (and the manifest): slices whose
    pages are gone, and the single index of older builds, go."""
    for entry in index.iterdir():
        if entry.name in names or entry.name.startswith(MANIFEST):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _remove_work_folders(index: Path) -> None:
    for entry in index.glob(f"{_WORK_PREFIX}*"):
        shutil.rmtree(entry, ignore_errors=True)


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
