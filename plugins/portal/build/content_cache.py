"""The preview's content cache, loaded only when it cannot change a verdict.

The preview server builds with Pelican's content cache (CACHE_CONTENT,
LOAD_CONTENT_CACHE): a file whose time has not changed is not read again,
and so our reader's checks do not run on it either, where a full build
(`make build`) reads and checks every file. For the preview to pass and fail
exactly what a full build does, the cache is loaded only when everything
the reader's verdicts depend on is as it was when the cache was made:

- the settings (PORTAL_CATEGORIES, say), the reader's code as this process
  loaded it, and the installed libraries: the key;
- every content file that existed then: a cached article may link to one
  with {filename}, and that link is checked only when the article is read.
  A build may instead forget, of the cache, every file whose text names a
  file that is gone (`allow_gone`; forget_readings_naming_gone_files);
- the files themselves: Pelican stamps a cache entry with the file's time
  after reading it, so a save in between leaves the old text under the new
  time. The preview tells us when a save overlapped a build (`trusted`).

Otherwise the build starts from an empty cache, as a full build does. The
stamp file beside Pelican's cache holds the key and the files; it is removed
while a build runs and written back after one no save overlapped, so a
crash, a failed write or a racing save leaves no stamp and the next build
reads everything.
"""

import fnmatch
import functools
import hashlib
import json
import os
from pathlib import Path
from urllib.parse import unquote

from pelican.generators import CachingGenerator

from ..core.code_identity import libraries_digest, modules_deciding, source_digest
from ..read import reader
from .up_to_date import walk_stats

# What decides what the reader says about a file besides the file and the
# settings, as this process loaded it (read while this module is imported).
READER_SOURCE = source_digest(modules_deciding(reader))


@functools.cache
def _libraries() -> str:
    return libraries_digest()  # once a process: what it loaded is what it runs


def _settings_value(value):
    """A setting JSON cannot write, the same in every process."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
    return repr(value)


def cache_key(settings: dict) -> str:
    """The settings, the reader's code and the libraries a cache was made with."""
    shown = json.dumps(settings, sort_keys=True, default=_settings_value, ensure_ascii=False)
    return hashlib.sha256("\n".join([shown, READER_SOURCE, _libraries()]).encode()).hexdigest()


# A file's stamp: it changes whenever the file does, also when a program
# puts back an older time (the change time cannot be set) or swaps the file.
Stamp = tuple[int, int, int, int]


def ignored_name(name: str, patterns) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def content_stamps(settings) -> dict[str, Stamp]:
    """Every file of content/ (PATH) that Pelican reads, with its stamp; a
    file gone meanwhile (vim's probe file) is left out: the next look sees it gone."""
    return {os.path.abspath(path): (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
            for path, _, _, stat in walk_stats(settings["PATH"], settings["IGNORE_FILES"], folders=False)
            if stat is not None}


def _pelican_cache_names() -> list[str]:
    """The files Pelican's content cache writes in CACHE_PATH: one per caching
    generator and one for its readers (pelican.generators.CachingGenerator)."""
    names, waiting = [], list(CachingGenerator.__subclasses__())
    while waiting:
        generator = waiting.pop()
        waiting.extend(generator.__subclasses__())
        names += [generator.__name__, f"{generator.__name__}-Readers"]
    return names


class ContentCache:
    STAMP = "preview-content-cache.json"

    def __init__(self, cache_path):
        self.folder = Path(cache_path)
        self.stamp = self.folder / self.STAMP

    def open_for_build(self, key: str, files: set[str], trusted: bool = True,
                       allow_gone: bool = False) -> bool:
        """Whether the coming build may load the cache: made under `key`,
        from files all of which still exist (`files`: every content file
        now) unless `allow_gone` (then `self.gone` names those that do not,
        for forget_readings_naming_gone_files), and `trusted`. When not,
        the cache is emptied first, so that whatever Pelican saves was read
        by this build alone."""
        self.gone = set()
        usable = trusted and self._stamp_allows(key, files, allow_gone)
        self.stamp.unlink(missing_ok=True)
        if not usable:
            for name in _pelican_cache_names():
                (self.folder / name).unlink(missing_ok=True)
        return usable

    def close_after_build(self, key: str, files: set[str]) -> None:
        """The build that just ran read `files` under `key`, and no save overlapped it."""
        aside = self.folder / f".{self.STAMP}.{os.getpid()}"  # renamed into place: never half a stamp
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            aside.write_text(json.dumps({"key": key, "files": sorted(files)}, ensure_ascii=False),
                             encoding="utf-8")
            os.replace(aside, self.stamp)
        except OSError:  # a full disk, say: no stamp, and the next build reads every file
            aside.unlink(missing_ok=True)

    def _stamp_allows(self, key: str, files: set[str], allow_gone: bool) -> bool:
        try:
            stamp = json.loads(self.stamp.read_text(encoding="utf-8"))
            gone = set(stamp["files"]) - files
            if stamp["key"] != key or (gone and not allow_gone):
                return False
        except (OSError, ValueError, KeyError, TypeError):
            return False  # no stamp (a first build, a crash): read everything
        self.gone = gone
        return True


def forget_readings_naming_gone_files(generator) -> None:
    """Pelican's article_generator_init and page_generator_init signals: a
    build that loaded the cache although files are gone (PORTAL_CONTENT_GONE)
    reads again every file whose text names one of them, so that a link to
    a deleted file fails as it does in a clean build. Names are compared
    as written and as decoded from a link (%20...), ignoring case, as the
    reader's link check finds a file whose name differs only in case."""
    gone = generator.settings.get("PORTAL_CONTENT_GONE")
    cache = getattr(getattr(generator, "readers", None), "_cache", None)
    if not gone or not cache:
        return
    names = {os.path.basename(path).casefold() for path in gone}
    for path in list(cache):
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # gone too: Pelican does not ask for it
        written = text.casefold()
        decoded = unquote(text).casefold() if "%" in text else written
        if any(name in written or name in decoded for name in names):
            del cache[path]
