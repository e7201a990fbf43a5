"""The photos feature's Pelican signal handlers (module level: Pelican's
signals keep weak references).

A build's photos, in Pelican's order of work:

- initialized: a PhotoBuild for this run (pipeline.py);
- content_object_init: each article or page just read gets its figures and
  lead photo (markup.py); copies not in the cache start in worker processes;
- article/page_generator_init: with Pelican's generator-level content cache
  (CONTENT_CACHING_LAYER = "generator"; ours is the reader level, whose
  articles are made anew each build) a cached article is read again when one
  of its photos changed, since its markup names the copies;
- article/page_generator_finalized: the copies of every published article
  and page are asked for, cached ones included; drafts' photos are never published;
- static_generator_finalized: the originals are never copied to output/;
- article_writer_finalized: wait for the copies, then link them into output/
  (a damaged photo is one line naming the article and the photo);
- finalized: the source index is saved, the workers stop.
"""

import logging
import os
from contextlib import contextmanager
from types import SimpleNamespace

from pelican import signals
from pelican.contents import Article, Page

from ..core.problems import ContentError, display_path, report_problem
from ..read.content_files import published_contents
from ..read.links import line_of
from .markup import add_photos, templates_stamp
from .photos import PhotoError, is_photo
from .pipeline import PhotoBuild, PhotoStats
from .sharing import add_sharing_filters

logger = logging.getLogger("portal")

_build: PhotoBuild | None = None
_published_stems: set[str] = set()
_published_contents: dict = {}  # {source file: article or page}, of those with photos
# What the last build did with photos (tests and the bench read it).
last_stats = PhotoStats()


def start_photos(pelican) -> None:
    global _build, last_stats
    if _build is not None:
        _build.close()  # a build that crashed before `finalized`
    _build = PhotoBuild(pelican.settings)
    _build.templates_stamp = templates_stamp(pelican.settings)
    last_stats = _build.stats
    _published_stems.clear()
    _published_contents.clear()


def photos_of_content(content) -> None:
    if _build is None or not isinstance(content, (Article, Page)) or not content.source_path:
        return
    try:
        add_photos(content, _build, content.settings)
    except ContentError as error:
        report_problem(error, content.source_path)
        raise


def forget_changed_photos(generator) -> None:
    """A cached article whose photo changed (or whose copies were made for
    another SITEURL) is read again, so its markup names the right copies."""
    cache = getattr(generator, "_cache", None)
    if _build is None or not cache:
        return
    for filename, entry in list(cache.items()):
        content = entry[1] if isinstance(entry, tuple) and len(entry) == 2 else None
        for photo, _copies in getattr(content, "photo_copies", None) or []:
            try:
                current = _build.photo(photo.path, photo.relative)
            except (OSError, PhotoError):
                current = None
            if current != photo or content.settings.get("SITEURL") != _build.photo_settings.siteurl:
                del cache[filename]
                break


def want_published_photos(generator) -> None:
    """The copies of what this generator publishes (drafts and hidden
    articles are not among them), cached articles included."""
    if _build is None:
        return
    _want_photos_of(content for _source, _generator, content in published_contents([generator]))


def _want_photos_of(contents) -> None:
    for content in contents:
        if getattr(content, "photo_copies", None):
            _published_contents[os.path.abspath(content.source_path)] = content
        for photo, copies in getattr(content, "photo_copies", None) or []:
            _build.want(photo, copies, (os.path.abspath(content.source_path), photo.relative))
            _published_stems.add(photo.published_stem(_build.photo_settings))


def never_copy_originals(generator) -> None:
    """The originals keep their EXIF (GPS, the camera's serial): not published.
    A `{static}` link to a published photo leads to its largest copy."""
    largest = {}
    if _build is not None:
        for stem, wanted in _build.wanted.items():
            if stem in _published_stems:
                jpegs = sorted((c for c in wanted.copies if c.format == "jpeg" and not c.cropped),
                               key=lambda c: c.width)
                if jpegs:
                    largest[wanted.photo.path] = wanted.photo.published_path(jpegs[-1], _build.photo_settings)
    kept = []
    for static in generator.staticfiles:
        if not is_photo(static.source_path):
            kept.append(static)
        elif os.path.abspath(static.source_path) in largest:
            static.override_url = largest[os.path.abspath(static.source_path)]
    generator.staticfiles[:] = kept


def publish_photos(generator, writer=None) -> None:
    if _build is not None:
        _publish_into(generator.settings["OUTPUT_PATH"])


def _publish_into(output) -> None:
    for (article_path, written), relative, reason in _build.finish_copies():
        error = ContentError(display_path(article_path), f'photo "{written}" {reason}',
                             line_of(_text(article_path), written))
        report_problem(error, article_path)
        _withdraw(_published_contents.get(article_path))
    _build.publish(output, _published_stems)


@contextmanager
def photos_outside_a_build(settings, output):
    """The photo steps of a build around articles read again outside one
    (build.resident): their photos' markup as they are read (the
    content_object_init handler needs a build of photos), then their copies
    made and linked into `output`, the live site, as the preview's fast
    rebuild links them. Yields a list for the articles read."""
    start_photos(SimpleNamespace(settings={**settings, "PORTAL_WRITE_ONLY": frozenset()}))
    read = []
    try:
        yield read
        _want_photos_of(read)
        _publish_into(output)
    finally:
        stop_photos(None)


def _withdraw(content) -> None:
    """An article whose photo could not be made: the build fails on its one
    line; its body is emptied so that the link check does not add a line for
    every copy that was never made. (Pelican memoizes get_content per object.)"""
    if content is None:
        return
    content._content = ""
    cache = getattr(content.get_content, "cache", {})
    for key in [key for key in cache if key and key[0] is content]:
        del cache[key]


def _text(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as source:
            return source.read()
    except (OSError, UnicodeDecodeError):
        return ""


def stop_photos(pelican) -> None:
    global _build
    if _build is not None:
        _build.close()
        _published_contents.clear()
        stats = _build.stats
        logger.info("portal: photos: %d copies made, %d from the cache, %d files published",
                    stats.made, stats.reused, stats.published)
        _build = None


def register():
    signals.initialized.connect(start_photos)
    signals.content_object_init.connect(photos_of_content)
    signals.article_generator_init.connect(forget_changed_photos)
    signals.page_generator_init.connect(forget_changed_photos)
    signals.article_generator_finalized.connect(want_published_photos)
    signals.page_generator_finalized.connect(want_published_photos)
    signals.static_generator_finalized.connect(never_copy_originals)
    signals.article_writer_finalized.connect(publish_photos)
    signals.generator_init.connect(add_sharing_filters)
    signals.finalized.connect(stop_photos)
