"""The preview's last build, kept in memory, and edits patched into it: an
article's body, title or summary saved shows in about a second, however
many articles the site has.

Re-rendering one page through Pelican (preview.render_with_pelican) still
runs Pelican over every file: at 10,000 articles, 23 s for one page (reading
each article from the cache, sorting, grouping by tag...). An edit that
keeps the header (preview.edit_reach) changes one article's own fields and
nothing else of that work. So the preview server keeps what its last whole
build made (KeptBuild: Pelican's generators, with their articles and
context, and the writer's request for every page), and for such an edit:

1. reads each saved file again with its generator's own readers, so that
   what runs as a build reads an article runs again: our reader's checks,
   the photos' markup, the citations (the content_object_init handlers),
   under the same problem collector, with a build of photos;
2. checks its links against the site, as a build does once it is written;
3. only then gives the kept article the fields read: the same object, so
   every list, neighbour and page of the kept build shows the new text;
4. renders the pages the edit reaches with their kept requests, beside the
   site; build.preview checks them and renames each into place.

What it cannot do as a build would (an address, status or language that
changed, a new link to a static file, a page it has no request for), it
leaves to a build (False). A whole build replaces what was kept, and the
preview forgets it first: never two builds' objects in memory at once.
"""

import logging
import os

from pelican import signals
from pelican.generators import ArticlesGenerator

from ..core.problems import BuildFailed
from ..images.plugin import photos_outside_a_build
from ..read.content_files import published_contents
from ..read.links import check_internal_links
from ..read.plugin import unpublished_addresses
from ..render.selective_writer import SelectiveWriter
from .site import collecting_problems, forget_rendered_texts

# The setting through which a build fills a KeptBuild (the preview's).
KEPT_BUILD = "PORTAL_KEPT_BUILD"

# Set on an article after it is read (by Pelican's generator): an edit
# patched in keeps the kept object's.
SET_AFTER_READING = frozenset({"translations"})

_MISSING = object()

pelican_generators_log = logging.getLogger("pelican.generators")


class KeptBuild:
    """What one whole build made, kept for the preview's next edits."""

    def __init__(self):
        self.generators: list = []
        self.settings: dict | None = None
        self.calls: dict = {}  # {page: the writer's request that makes it}
        self.unpublished: dict[str, tuple[str, str]] = {}
        self.complete = False  # the build ran to its end

    def __repr__(self) -> str:  # settings are compared as text (build.up_to_date)
        return f"<KeptBuild of {len(self.calls)} pages>"

    def keep_call(self, call, settings) -> None:
        """render.selective_writer: one request of Pelican's to the writer."""
        for page in call.names(settings):
            self.calls[os.path.normpath(page)] = call

    def contents_of(self, paths) -> dict | None:
        """{source file: (its generator, its article or page)}, None when one
        of `paths` is not a published article or page of the kept build."""
        wanted = set(paths)
        found = {source: (generator, content)
                 for source, generator, content in published_contents(self.generators) if source in wanted}
        return found if len(found) == len(wanted) else None


def keep_generators(generators) -> None:
    """Pelican's all_generators_finalized signal."""
    kept = generators[0].settings.get(KEPT_BUILD) if generators else None
    if kept is not None:
        kept.generators = list(generators)
        kept.settings = generators[0].settings


def keep_unpublished(pelican) -> None:
    """Pelican's finalized signal: the build is over."""
    kept = pelican.settings.get(KEPT_BUILD)
    if kept is not None:
        kept.unpublished = unpublished_addresses()
        kept.complete = True


def renderer_of_edits(kept: KeptBuild, changed: set[str]):
    """A renderer for preview.rebuild_pages that patches the files
    `changed` (absolute paths) into `kept` and renders from it."""

    def render(settings, pages: list[str], staging) -> bool:
        contents = kept.contents_of(changed) if kept.complete else None
        if contents is None or not all(os.path.normpath(page) in kept.calls for page in pages):
            return False
        read = _read_again(kept, contents, settings)
        if read is None:
            return False
        for path, new in read.items():
            _take_fields(contents[path][1], new)
        forget_rendered_texts()  # Pelican's memo of the old texts, by object
        try:
            with collecting_problems() as collector:
                _write(kept, pages, staging)
        finally:
            forget_rendered_texts()
        if collector.problems:
            raise BuildFailed(collector.problems, "build")
        return True

    return render


def _read_again(kept: KeptBuild, contents: dict, settings) -> dict | None:
    """{source file: the article or page read from it now}; None when one
    moved (another address, status or language) or links to a static file
    it did not link to, which a build must copy; BuildFailed on a problem."""
    read = {}
    with collecting_problems() as collector:
        with photos_outside_a_build(kept.settings, settings["OUTPUT_PATH"]) as photos:
            for path, (generator, old) in contents.items():
                new = _read(generator, path, type(old))
                if new is not None:  # else reported
                    read[path] = new
                    photos.append(new)
        if any(_moved(contents[path][1], new) for path, new in read.items()):
            return None  # a build says what it finds
        if not collector.problems:
            check_internal_links(list(read.values()), settings["OUTPUT_PATH"], settings["SITEURL"],
                                 kept.unpublished)
    if collector.problems:
        raise BuildFailed(collector.problems, "build")
    return read


def _read(generator, path: str, content_class):
    """The file read as its generator reads it, signals and all."""
    cache = getattr(generator.readers, "_cache", None)
    if cache:
        cache.pop(path, None)  # its stamp may not have moved (two saves in one tick)
    articles = isinstance(generator, ArticlesGenerator)
    relative = os.path.relpath(path, generator.path)
    try:
        return generator.readers.read_file(
            base_path=generator.path, path=relative, content_class=content_class, context=generator.context,
            preread_signal=signals.article_generator_preread if articles else signals.page_generator_preread,
            preread_sender=generator,
            context_signal=signals.article_generator_context if articles else signals.page_generator_context,
            context_sender=generator)
    except Exception:  # noqa: BLE001
        # Logged as Pelican's generator logs it: the collector makes it one
        # line naming the file (or drops it when our reader said why).
        pelican_generators_log.exception("Could not process %s", relative, exc_info=False)
        return None


def _moved(old, new) -> bool:
    if type(old) is not type(new):
        return True
    if any(getattr(old, name, None) != getattr(new, name, None) for name in ("status", "url", "save_as", "lang")):
        return True
    return old.get_static_links() != new.get_static_links()


def _take_fields(old, new) -> None:
    """Give `old` (kept, and shown by every page of the kept build) what was
    read into `new`: its text, title, summary, photos, citations..."""
    gone = {key.lower() for key in old.metadata} - {key.lower() for key in new.metadata}
    if "summary" in gone:
        gone.add("_summary")
    for name in gone:
        old.__dict__.pop(name, None)
    for name, value in new.__dict__.items():
        if name in SET_AFTER_READING:
            continue
        current = old.__dict__.get(name, _MISSING)
        if current is not value and current != value:
            old.__dict__[name] = value


def _write(kept: KeptBuild, pages: list[str], staging) -> None:
    """Render `pages` into `staging` from their kept requests, each request once."""
    wanted = {os.path.normpath(page) for page in pages}
    writer = SelectiveWriter(None, settings={**kept.settings, "PORTAL_WRITE_ONLY": wanted,
                                             "PORTAL_WRITE_INTO": str(staging)})
    calls = list({id(kept.calls[page]): kept.calls[page] for page in sorted(wanted)}.values())
    for call in calls:
        writer.write_file(call.name, call.template, call.context, call.relative_urls, call.paginated,
                          call.template_name, call.override_output, call.url, **call.kwargs)
