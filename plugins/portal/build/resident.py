"""The preview's last build, kept in memory, and edits patched into it: an
article's body, title or summary saved shows in about a second, however
many articles the site has; an edit that moves articles between pages in
a second at 1,000 articles, without running Pelican.

Re-rendering one page through Pelican (preview.render_with_pelican) still
runs Pelican over every file: at 10,000 articles, 23 s for one page (reading
each article from the cache, sorting, grouping by tag...). An edit that
keeps the header (preview.edit_reach) changes one article's own fields and
nothing else of that work. So the preview server keeps what its last whole
build made (KeptBuild: Pelican's generators, with their articles and
context, and the writer's request for every page), and for such an edit
(renderer_of_edits):

1. reads each saved file again with its generator's own readers, so that
   what runs as a build reads an article runs again: our reader's checks,
   the photos' markup, the citations (the content_object_init handlers),
   under the same problem collector, with a build of photos;
2. checks its links against the site, as a build does once it is written;
3. only then gives the kept article the fields read: the same object, so
   every list, neighbour and page of the kept build shows the new text;
4. renders the pages the edit reaches with their kept requests, beside the
   site; build.preview checks them and renames each into place.

An edit that moves articles between pages (a date, tags, an author, a
photo or a citation, a new article, a deleted one, a published one made a
draft: renderer_of_regrouping)
is read the same way (new files too), and then the kept build is grouped
again as a build groups what it read: each of Pelican's generators runs its
generate_context over the kept articles instead of reading (_replaying),
with every signal, so that our listings, checks (two articles at one
address...) and the documents' citing articles are made again. Every page
is then asked for, and the writer renders those whose inputs differ from
the page in the site (render.selective_writer.ChangedPagesWriter); the
pages no longer made are deleted with the swap.

What it cannot do as a build would (an address or language that changed,
a new link to a static file, a page it has no request for, a deleted or
unpublished file another links to or whose photos' copies nothing else
publishes, a document, a poll), it leaves to a build
(None). A failure while grouping leaves the kept build to the next whole
build. A whole build replaces what was kept, and the preview forgets it
first: never two builds' objects in memory at once.
"""

import logging
import os
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from ..core.problems import BuildFailed
from ..images.plugin import photos_outside_a_build
from ..read.content_files import published_contents
from ..read.links import check_internal_links
from ..read.plugin import forget_written_contents, unpublished_addresses
from ..render.selective_writer import ChangedPagesWriter, SelectiveWriter
from . import rendered_pages
from .preview import Rendered
from .safe_folders import real_folder
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
        self.inputs = None  # what its pages were made of (render.page_inputs.PageInputs)
        self.complete = False  # the build ran to its end

    def __repr__(self) -> str:  # settings are compared as text (build.up_to_date)
        return f"<KeptBuild of {len(self.calls)} pages>"

    def keep_call(self, call, settings) -> None:
        """render.selective_writer: one request of Pelican's to the writer."""
        for page in call.names(settings):
            self.calls[os.path.normpath(page)] = call

    def published(self) -> dict[str, tuple]:
        """{source file: (its generator, its article or page)} of what it publishes."""
        return {source: (generator, content)
                for source, generator, content in published_contents(self.generators)}

    def contents_of(self, paths) -> dict | None:
        """The published() of `paths`, None when one of them is not a
        published article or page of the kept build."""
        published = self.published()
        found = {path: published[path] for path in set(paths) if path in published}
        return found if len(found) == len(set(paths)) else None


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

    def render(settings, pages: list[str], staging) -> Rendered | None:
        contents = kept.contents_of(changed) if kept.complete else None
        if contents is None or not all(os.path.normpath(page) in kept.calls for page in pages):
            return None
        read = _read_again(kept, contents, settings)
        if read is None:
            return None
        for path, new in read.items():
            _take_fields(contents[path][1], new)
        if kept.inputs:
            kept.inputs.forget(content for _generator, content in contents.values())
        forget_rendered_texts()  # Pelican's memo of the old texts, by object
        try:
            with collecting_problems() as collector:
                _write(kept, pages, staging)
        finally:
            forget_rendered_texts()
        if collector.problems:
            raise BuildFailed(collector.problems, "build")
        return Rendered(pages)

    return render


def renderer_of_regrouping(kept: KeptBuild, changed: set[str]):
    """A renderer for preview.rebuild_pages for edits that move articles
    between pages (a date, tags, an author, a new article...): patches the
    files `changed` into `kept`, groups its articles again as Pelican's
    generators group them, and renders the pages whose inputs changed."""

    def render(settings, pages, staging) -> Rendered | None:
        if not kept.complete:
            return None
        sources = _sources(kept)
        published = kept.published()  # as it was read: the edits are patched in below
        deleted = {path for path in changed if path not in sources}
        if not deleted <= published.keys() or _linked_to(published, deleted):
            # A document, a poll, a photo...; a deleted article that others
            # link to: a build's, which names each link.
            return None
        contents = {path: published[path] for path in changed - deleted if path in published}
        new = {path: sources[path] for path in changed - deleted if path not in contents}
        read = _read_again(kept, contents, settings, new=new, unpublishing=True)
        if read is None:
            return None
        unpublished = {path for path in contents if read.get(path) and read[path].status != "published"}
        if unpublished and _linked_to(published, unpublished):
            return None  # as for a deleted one
        if _leaves_photos_behind(published, changed, read):
            return None
        kept.complete = False  # until grouped again: a failure leaves it to a whole build
        for path, content in read.items():
            if path in contents:
                _take_fields(contents[path][1], content)
        forget_rendered_texts()
        try:
            with collecting_problems() as collector:
                _group_again(kept, sources, published, {path: read[path] for path in new}, deleted)
                if not collector.problems:
                    unchanged = [content for source, (_generator, content) in published.items()
                                 if source not in changed]
                    made = _write_changed(kept, settings, staging, unchanged)
        finally:
            forget_rendered_texts()
        if collector.problems:
            raise BuildFailed(collector.problems, "build")
        kept.unpublished = unpublished_addresses()
        kept.complete = made is not None
        return made

    return render


# A Pelican generator's lists of drafts (hidden files are in none: read.plugin.keep_hidden_private).
DRAFT_LISTS = ("drafts", "drafts_translations", "draft_pages", "draft_translations")

# Pelican's generators that read files, with where they find them and what
# they make of each.
_READING = {ArticlesGenerator: ("ARTICLE_PATHS", "ARTICLE_EXCLUDES", Article),
            PagesGenerator: ("PAGE_PATHS", "PAGE_EXCLUDES", Page)}


def _sources(kept: KeptBuild) -> dict[str, tuple]:
    """{source file (absolute): (its generator, what it makes)} of the files
    Pelican's generators would read now, in the order they find them."""
    found = {}
    for generator in kept.generators:
        where = _READING.get(type(generator))
        if where:
            paths, excludes, content_class = where
            settings = generator.settings
            for relative in generator.get_files(settings[paths], exclude=settings[excludes]):
                found[os.path.abspath(os.path.join(generator.path, relative))] = (generator, content_class)
    return found


def _linked_to(published: dict, deleted: set[str]) -> bool:
    """Whether an article or page `published` ({source: (generator,
    content)}) links to one of the `deleted` files: by its address or its
    file name ({filename}); one that merely names them too is left to a build."""
    needles = {needle for source in deleted for needle in (published[source][1].url, os.path.basename(source))}
    return any(needle in text for source, (_generator, content) in published.items() if source not in deleted
               for text in (content._content or "", getattr(content, "_summary", None) or "")
               for needle in needles)


def _photo_copies(content) -> set:
    """The copies of photos an article or page publishes (images.markup)."""
    return {(photo, copy) for photo, copies in getattr(content, "photo_copies", None) or []
            for copy in copies}


def _leaves_photos_behind(published: dict, changed: set[str], after: dict) -> bool:
    """Whether copies of photos that the `changed` files published (as
    `published` has them: {source: (generator, content)}) would stay in the
    site though nothing publishes them now (`after`: {source: what was read
    from it now}): a build leaves them out of the site, and so does a whole
    build here."""
    lost = set()
    for source in changed & published.keys():
        new = after.get(source)
        still = _photo_copies(new) if new is not None and new.status == "published" else set()
        lost |= _photo_copies(published[source][1]) - still
    for source, (_generator, content) in published.items():
        if lost and source not in changed:
            lost -= _photo_copies(content)
    for content in after.values():
        if lost and content.status == "published":
            lost -= _photo_copies(content)
    return bool(lost)


def _group_again(kept: KeptBuild, sources: dict, published: dict, new: dict, deleted: set[str]) -> None:
    """Pelican's grouping of the kept articles and pages, and what follows it
    (its signals, our listings, the documents' citing articles), as a build
    runs it after reading: each generator's generate_context, given the
    contents it has (`published`, and `new`: those read now) instead of
    reading them; the `deleted` files' are forgotten."""
    found = kept.generators[0].context["generated_content"]  # for {filename} links, as Pelican keeps it
    for name, content in list(found.items()):
        if content is not None and os.path.abspath(content.source_path) in deleted:
            del found[name]
    known = {source: content for source, (_generator, content) in published.items()}
    known.update((os.path.abspath(content.source_path), content) for generator in kept.generators
                 for name in DRAFT_LISTS for content in getattr(generator, name, []))
    known.update(new)
    for generator in kept.generators:
        if type(generator) in _READING:
            files = {os.path.relpath(source, generator.path): source
                     for source, (owner, _class) in sources.items() if owner is generator}
            with _replaying(generator, files, known):
                generator.generate_context()
        elif hasattr(generator, "generate_context") and not isinstance(generator, StaticGenerator):
            generator.generate_context()  # ours: made from the context
    signals.all_generators_finalized.send(kept.generators)
    # Kept for a check no grouping runs: held, the kept articles would
    # outlive the kept build, into the next whole build (400 MB at 10,000).
    forget_written_contents()
    for generator in kept.generators:
        if hasattr(generator, "refresh_metadata_intersite_links"):
            generator.refresh_metadata_intersite_links()


@contextmanager
def _replaying(generator, files: dict[str, str], known: dict):
    """`generator`'s generate_context finds `files` ({as it names them:
    source}) and, for each, the content `known` has for it; one it has not
    (a draft, a hidden article: not kept in the lists) it reads as usual,
    from Pelican's cache. Its cache is not saved: it is the whole build's."""
    for name in ("categories", "tags", "authors"):  # as ArticlesGenerator.__init__ makes them
        if hasattr(generator, name):
            setattr(generator, name, defaultdict(list))
    generator.get_files = lambda paths, exclude=None, extensions=None: list(files)
    generator.get_cached_data = lambda relative, default=None: known.get(files[relative], default)
    generator.save_cache = generator.cache_data = lambda *args: None
    generator.readers.save_cache = lambda: None
    try:
        yield
    finally:
        for name in ("get_files", "get_cached_data", "save_cache", "cache_data"):
            del generator.__dict__[name]
        del generator.readers.__dict__["save_cache"]


def _write_changed(kept: KeptBuild, settings, staging, unchanged: list) -> Rendered | None:
    """Render into `staging` the pages whose inputs differ from those of the
    page in the site (render.selective_writer.ChangedPagesWriter); the pages
    the site has that the kept build no longer makes are gone. The articles
    and pages `unchanged` by the edit are described as for the kept pages
    (PageInputs.carry)."""
    site = real_folder(Path(settings["OUTPUT_PATH"]), "OUTPUT_PATH")
    record = {}
    calls = KeptBuild()
    writer = ChangedPagesWriter(None, settings={
        **kept.settings, "PORTAL_WRITE_INTO": str(staging), "PORTAL_RENDERED_PAGES": record,
        "PORTAL_LAST_PAGES": rendered_pages.last_build(settings, site),
        "PORTAL_POLL_BLOCKS": settings["PORTAL_POLL_BLOCKS"], KEPT_BUILD: calls},
        carried=kept.inputs.carry(unchanged) if kept.inputs else None)
    if not writer.same_blocks:
        return None  # a poll opened or closed: every page's blocks, a build's
    for generator in kept.generators:
        if hasattr(generator, "generate_output") and not isinstance(generator, StaticGenerator):
            generator.generate_output(writer)
    gone = sorted(set(kept.calls) - set(calls.calls))
    kept.calls, kept.inputs = calls.calls, calls.inputs
    return Rendered(sorted(record["rendered"]), gone,
                    inputs={page: record["pages"][page] for page in record["rendered"]})


def _read_again(kept: KeptBuild, contents: dict, settings, new: dict | None = None,
                unpublishing=False) -> dict | None:
    """{source file: the article or page read from it now}, of the kept
    `contents` and the `new` files ({source: (generator, content class)});
    None when a kept one moved (another address, status or language; one
    taken out of the site, a draft now, is not, when `unpublishing`), or
    one links to a static file the site does not have, which a build must
    copy; BuildFailed on a problem."""
    read = {}
    files = {path: (generator, type(old)) for path, (generator, old) in contents.items()}
    files.update(new or {})
    with collecting_problems() as collector:
        with photos_outside_a_build(kept.settings, settings["OUTPUT_PATH"]) as photos:
            for path, (generator, content_class) in files.items():
                content = _read(generator, path, content_class)
                if content is not None:  # else reported
                    read[path] = content
                    if content.status == "published":
                        photos.append(content)
        if any(_moved(contents[path][1], content, unpublishing) for path, content in read.items()
               if path in contents):
            return None  # a build says what it finds
        if any(content.get_static_links() for path, content in read.items() if path not in contents):
            return None
        if not collector.problems:
            published = [content for content in read.values() if content.status == "published"]
            check_internal_links(published, settings["OUTPUT_PATH"], settings["SITEURL"], kept.unpublished)
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


def _moved(old, new, unpublishing: bool) -> bool:
    """Whether `new` is not where `old` was; an article taken out of the
    site (a draft now, or hidden) is not, when `unpublishing` is allowed."""
    if type(old) is not type(new):
        return True
    if unpublishing and new.status != "published":
        return False
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
