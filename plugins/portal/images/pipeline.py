"""A build's photos: each copy made once, on every core, kept in the photo
cache outside output/, and put into output/ as a hard link.

Copies are asked for while Pelican reads the articles (markup.py), so the
worker processes make them while Pelican reads and writes the rest; the
build waits for them only when Pelican has written the articles. A copy is
keyed by the source's bytes and the photo settings (Photo.key): a second
build, or the staging build of `make publish`, makes none.
"""

import os
import shutil
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..core.workers import forked_pool, workers_can_help
from .photos import Copy, Photo, PhotoSettings, SourceIndex
from .processing import make_copies


@dataclass
class PhotoStats:
    """What a build did with photos: for the log, the tests and the bench."""

    made: int = 0  # copies encoded in this build
    reused: int = 0  # copies found in the cache
    published: int = 0  # files put into output/
    sources: set = field(default_factory=set)  # digests of the photos processed


# What this process has seen, so that the preview server's rebuilds (one
# process, build after build) do not look at every copy again: copies found
# in the cache, and copies linked into a live output folder by a fast rebuild.
_IN_CACHE: set[tuple[Path, str, Copy]] = set()
_IN_LIVE_OUTPUT: set[tuple[Path, str]] = set()


@dataclass
class _Wanted:
    photo: Photo
    copies: set[Copy] = field(default_factory=set)
    users: list[tuple[str, str]] = field(default_factory=list)  # (article file, the photo as written)


class PhotoBuild:
    """The photos of one build (or of one bench run)."""

    def __init__(self, settings):
        self.photo_settings = PhotoSettings.from_settings(settings)
        self.max_pixels = self.photo_settings.max_pixels
        self.cache_dir = Path(settings["CACHE_PATH"]).resolve() / "photos"
        # The preview's fast rebuild links into the live output/ (its pages
        # are renamed into it): what it linked there before is still there.
        self.into_live_output = settings.get("PORTAL_WRITE_ONLY") is not None
        self.templates_stamp: tuple = ()  # the photo templates' (markup.templates_stamp), once a build
        self.index = SourceIndex(self.cache_dir)
        # By published name: two files with the same bytes ("a.jpg" copied to
        # "b.jpg") share their copies in the cache but each keeps its own name.
        self.wanted: dict[str, _Wanted] = {}
        self.stems_of_key: dict[str, list[str]] = {}
        self.coming: set[tuple[str, Copy]] = set()  # (key, copy) being made
        self.failed: set[str] = set()  # keys of photos that could not be made (reported)
        self.jobs: list[tuple[str, list[Copy], Future | None, tuple]] = []
        self.pool: ProcessPoolExecutor | None = None
        self.stats = PhotoStats()

    def photo(self, path: str, relative: str) -> Photo:
        """The photo at `path` (PhotoError when it cannot be one)."""
        return self.index.photo(path, relative, self.max_pixels)

    def cached(self, key: str, copy: Copy) -> Path:
        return self.cache_dir / key / copy.file_name

    def want(self, photo: Photo, copies, user: tuple[str, str]) -> None:
        """Ask for `copies` of `photo`; those not in the cache start at once."""
        key = photo.key(self.photo_settings)
        stem = photo.published_stem(self.photo_settings)
        if stem not in self.wanted:
            self.wanted[stem] = _Wanted(photo)
            self.stems_of_key.setdefault(key, []).append(stem)
        wanted = self.wanted[stem]
        if user not in wanted.users:
            wanted.users.append(user)
        new = [copy for copy in copies if copy not in wanted.copies]
        wanted.copies.update(new)
        new = [copy for copy in new if (key, copy) not in self.coming]
        missing = [copy for copy in new if (self.cache_dir, key, copy) not in _IN_CACHE
                   and not self.cached(key, copy).is_file()]
        _IN_CACHE.update((self.cache_dir, key, copy) for copy in new if copy not in missing)
        self.stats.reused += len(new) - len(missing)
        if missing:
            self.coming.update((key, copy) for copy in missing)
            self._start(key, photo, missing)

    def _start(self, key: str, photo: Photo, copies: list[Copy]) -> None:
        arguments = (photo.path, str(self.cache_dir / key), copies,
                     dict(self.photo_settings.quality), self.max_pixels)
        if self.pool is None and workers_can_help():
            self.pool = forked_pool()
        future = self.pool.submit(make_copies, *arguments) if self.pool else None
        self.jobs.append((key, copies, future, arguments))

    def finish_copies(self) -> list[tuple[tuple[str, str], str, str]]:
        """Wait for every copy; the problems as (user, photo, reason)."""
        problems, told = [], set()
        for key, copies, future, arguments in self.jobs:
            try:
                made = future.result() if future else make_copies(*arguments)
            except ValueError as error:
                self.failed.add(key)
                for wanted in self._with_key(key):
                    for user in wanted.users:  # each article once, with the photo as it wrote it
                        if (key, user[0]) not in told:
                            told.add((key, user[0]))
                            problems.append((user, wanted.photo.relative, str(error)))
                continue
            self.stats.made += made
            _IN_CACHE.update((self.cache_dir, key, copy) for copy in copies)
            self.stats.sources.update(wanted.photo.digest for wanted in self._with_key(key))
        self.jobs = []
        return problems

    def _with_key(self, key: str) -> list[_Wanted]:
        return [self.wanted[stem] for stem in self.stems_of_key.get(key, [])]

    def publish(self, output: str | os.PathLike, stems: set[str] | None = None) -> int:
        """Link the copies of the photos published as `stems` (all wanted, by
        default) into `output`; a file already there is left as it is (names
        are content-addressed: the same name is the same bytes)."""
        output = Path(output).resolve()
        count = 0
        for stem, wanted in self.wanted.items():
            if stems is not None and stem not in stems:
                continue
            if self.into_live_output and (output, stem) in _IN_LIVE_OUTPUT:
                continue
            key = wanted.photo.key(self.photo_settings)
            if key in self.failed:
                continue
            for copy in wanted.copies:
                target = output / wanted.photo.published_path(copy, self.photo_settings)
                if target.exists():
                    continue
                source = self.cached(key, copy)
                if not source.is_file():  # the cache was emptied meanwhile: made again here
                    _IN_CACHE.discard((self.cache_dir, key, copy))
                    try:
                        make_copies(wanted.photo.path, str(source.parent), [copy],
                                    dict(self.photo_settings.quality), self.max_pixels)
                    except ValueError:
                        continue  # damaged since: the link check names the page's missing copy
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(source, target)  # no bytes copied; the cache may be deleted later
                except OSError:
                    shutil.copyfile(source, target)
                count += 1
            if self.into_live_output:
                _IN_LIVE_OUTPUT.add((output, stem))
        self.stats.published += count
        return count

    def close(self) -> None:
        self.index.save()
        if self.pool:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
