"""Reading ahead: content files converted on every core before Pelican asks.

Pelican reads content files one after another, in one process; at 1,000
articles that is about 40 % of a clean build, most of it Python-Markdown and
the sanitiser. When a generator starts, the Markdown files it is about to
read go to worker processes, which do that pure part (MarkdownConverter).
The reader takes a worker's result only when it was made from the very text
the reader has just read; anything else (an unreadable file, a file changed
in between, a worker error) is prepared in-process, exactly as before, and
every message still comes from the reader in Pelican's process.

Files that Pelican's content cache holds unchanged (the preview server
loads it) are not read at all, so they are not read ahead either.
"""

import logging
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager

from pelican.readers import MarkdownReader

from ..core.workers import forked_pool, text_digest, workers_can_help
from .conversion import MarkdownConverter, Prepared
from .source_text import read_source_text

# Below this many files, starting worker processes costs more than it saves.
READ_AHEAD_FROM = 50
# Files converted ahead of Pelican's reader at most: enough to keep the
# workers busy; more would only hold finished results in memory.
AHEAD = 64


_converter: MarkdownConverter | None = None  # a worker's own


def _start_worker(converter: MarkdownConverter) -> None:
    global _converter
    _converter = converter
    # The reader in Pelican's process reports every warning; a worker's
    # copy of it would only print it twice.
    logging.disable(logging.CRITICAL)


def _prepare_file(path: str) -> Prepared:
    return _converter.prepare(read_source_text(path))


class ReadAhead:
    def __init__(self):
        self.pool: ProcessPoolExecutor | None = None
        self.files: deque[str] = deque()  # in the order Pelican will ask for them
        self.coming: dict[str, Future] = {}

    def start(self, generator, paths_key: str, excludes_key: str) -> None:
        settings = generator.settings
        if not workers_can_help():
            return
        extensions = tuple(f".{extension}" for extension in MarkdownReader.file_extensions)
        files = []
        for name in generator.get_files(settings[paths_key], exclude=settings[excludes_key]):
            path = os.path.abspath(os.path.join(generator.path, name))
            # What Pelican's content cache holds is not read at all.
            if (name.endswith(extensions) and generator.get_cached_data(name, None) is None
                    and generator.readers.get_cached_data(path, None) is None):
                files.append(path)
        if len(files) < READ_AHEAD_FROM:
            return
        # Each worker starts with the reader's converter. Pelican's own order
        # (the same set, iterated the same way) keeps results arriving in time.
        reader = generator.readers.readers["md"]
        self.pool = self.pool or forked_pool(initializer=_start_worker, initargs=(reader.converter,))
        self.files.extend(files)
        self._top_up()

    def _top_up(self) -> None:
        while self.pool and self.files and len(self.coming) < AHEAD:
            path = self.files.popleft()
            self.coming[path] = self.pool.submit(_prepare_file, path)

    def take(self, path: str, text: str) -> Prepared | None:
        """The worker's result for `path`, if it was made from `text`."""
        future = self.coming.pop(os.path.abspath(path), None)
        if future is None:
            return None
        self._top_up()
        try:
            prepared = future.result()
        except Exception:  # noqa: BLE001 - the reader prepares it again and reports properly
            return None
        return prepared if prepared.source_digest == text_digest(text) else None

    def stop(self) -> None:
        self.files.clear()
        self.coming.clear()
        if self.pool:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


_read_ahead: ReadAhead | None = None


@contextmanager
def reading_ahead():
    """Around a Pelican run: its generators' files are read ahead."""
    global _read_ahead
    _read_ahead = ReadAhead()
    try:
        yield _read_ahead
    finally:
        _read_ahead.stop()
        _read_ahead = None


def take(path: str, text: str) -> Prepared | None:
    return _read_ahead.take(path, text) if _read_ahead else None


# Pelican signal handlers (connected in read.plugin.register).

def read_articles_ahead(generator) -> None:
    if _read_ahead:
        _read_ahead.start(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def read_pages_ahead(generator) -> None:
    if _read_ahead:
        _read_ahead.start(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def stop_reading_ahead(generators) -> None:
    """Every file is read: the workers' cores go back to Pelican and the checks."""
    if _read_ahead:
        _read_ahead.stop()
