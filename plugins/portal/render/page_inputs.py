"""What a page is made from, as one digest: the incremental build
(render.selective_writer) renders a page only when its digest differs from
the one it had in the last build, and otherwise keeps the last build's file.

A page's inputs:

- the site: every setting and every value the plugins put in the context
  (the menu, the organisation, the documents, the theme's asset names...),
  except the lists of all articles (COLLECTIONS) and the poll blocks (the
  check-and-fill step puts the current ones into every page, kept or not);
- the theme's templates and our plugin's code, and the libraries' versions;
- what Pelican passes for this page alone: the article (its text, fields and
  the fields of the articles it links to: neighbours, same category), or a
  list page's own slice of articles, its number and the number of pages;
- the COLLECTIONS its template shows (TEMPLATE_READS): the archive shows
  every article, the tags page every tag. A template not in that table (a
  new one, or a feature's) is taken to show all of them.

An article's fields, as lists show it (`listing`): everything but its body
and the articles it points to; its summary is included (taken from the body
when it has no Summary line). A value we cannot describe the same way in
every build (an object whose repr holds its address) makes the digest new
each build: the page is rendered again, never wrongly kept.
"""

import datetime
import enum
import hashlib
import os
import types
from itertools import compress, repeat
from operator import is_not
from pathlib import Path, PurePath

from pelican.contents import Content
from pelican.paginator import Page as PaginatorPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

# The context's lists of every article (or tag, category, author) and what is
# made of them: a page depends on them only if its template shows them.
COLLECTIONS = frozenset({
    "articles", "dates", "tags", "categories", "authors", "related_posts",
    "drafts", "hidden_articles", "draft_pages", "hidden_pages", "period_archives",
    "static_content", "generated_content", "static_links", "staticfiles",
    "ARCHIVE_MONTHS", "ARCHIVE_YEARS", "FRONT_SECTIONS", "all_articles",
    # The documents feature's library (no template shows it), and the home
    # page's newest documents (each lists the articles citing it).
    "PORTAL_DOCUMENTS", "LATEST_DOCUMENTS",
})

# Which COLLECTIONS our templates show (theme/templates; the lists pages show
# only their own page of articles, `articles_page`). Keep this table in step
# with the templates: tests/test_incremental.py compares every file of an
# incremental build with a clean one after each kind of edit.
TEMPLATE_READS: dict[str, frozenset] = {
    "article": frozenset(),
    "page": frozenset(),
    # its first page only (partials/news_front.html, latest_documents.html)
    "index": frozenset({"FRONT_SECTIONS", "LATEST_DOCUMENTS"}),
    "category": frozenset(),
    "tag": frozenset(),
    "author": frozenset(),
    "archives": frozenset({"ARCHIVE_YEARS"}),
    # its own month, and the months before and after it, passed for it
    "archive_month": frozenset(),
    "tags": frozenset({"tags"}),
    "categories": frozenset({"categories"}),
    "authors": frozenset({"authors"}),
    "search": frozenset(),
    "404": frozenset(),
    "poll_results": frozenset(),
    "organisation": frozenset(),
    "contact": frozenset(),
    # the documents feature's (documents/pages.py): each shows its own
    # documents, passed for it, and the articles citing them through them
    "documents": frozenset(),
    "document_type": frozenset(),
    "document_year": frozenset(),
    "document": frozenset(),
}

# Not inputs: where this build writes, what it keeps of itself (the
# preview's PORTAL_KEPT_BUILD, which fills up as pages are asked for), and
# what is filled in after it.
NOT_INPUTS = frozenset({
    "OUTPUT_PATH", "PORTAL_WRITE_INTO", "PORTAL_WRITE_ONLY", "PORTAL_POLL_BLOCKS",
    "PORTAL_LAST_PAGES", "PORTAL_RENDERED_PAGES", "PORTAL_KEPT_BUILD", "localsiteurl",
    "output_file", "LOAD_CONTENT_CACHE", "PORTAL_CONTENT_GONE",
})
# What a Pelican content or taxonomy object carries that is not its own data.
_NOT_FIELDS = frozenset({"settings", "_context"})
# An article's fields that are not listed as they are: its body (its summary
# is), and its metadata, whose values Pelican also made its attributes.
_NOT_LISTED = frozenset({"_content", "_summary", "metadata"})
_MAX_DEPTH = 12
_PLAIN = frozenset({str, int, float, bool, bytes, type(None)})


def theme_digest(settings) -> str:
    """The templates as they are now. (A page names the theme's static files
    by THEME_ASSETS, a setting: a stylesheet with a fingerprinted name
    changes every page through it, one without changes none.)"""
    digest = hashlib.sha256()
    for folder in [Path(settings["THEME"], "templates"), *map(Path, settings.get("THEME_TEMPLATES_OVERRIDES") or [])]:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(f"{folder}\0{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    return digest.hexdigest()


# Our subpackages whose code never runs while a template renders: what they
# change in a page reaches it as data, which the digests hold (the reader's
# output as the article's text, say), or they run after the pages are made.
NOT_RENDERING = ("build", "check", "editor", "migrate", "quality", "read")


def code_digest() -> str:
    """The source of our code that may run while templates render (filters,
    the objects they show, the listings) and the versions of the libraries
    that render."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] not in NOT_RENDERING:
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes())
    for name in ("pelican", "jinja2", "markupsafe", "markdown", "babel", "beautifulsoup4", "lxml"):
        try:
            digest.update(f"{name}=={version(name)}".encode())
        except Exception:  # noqa: BLE001 - not installed: nothing it could change
            digest.update(name.encode())
    return digest.hexdigest()


class PageInputs:
    """The digests of one build's pages, sharing the work between pages:
    each article is described once, the site once, and each kind of value
    is looked up once (`_describer_of`)."""

    def __init__(self, fixed: str, carried: dict | None = None):
        self.fixed = fixed  # theme, code: the same for every page
        self._fixed_bytes = fixed.encode()
        # {(id, full): digest} of the articles, pages, tags... described so far
        self._described: dict[tuple[int, bool], str] = {}
        # {id: (article or page, digest)}: as lists show it, and its text as
        # its page shows it; the object is held, so that its id is not another's.
        self._listings: dict[int, tuple[Content, str]] = {}
        self._texts: dict[int, tuple[Content, str]] = {}
        # The same, of the articles unchanged since another PageInputs
        # described them (`carry`): {id: (article, listing, text)}.
        self._carried = carried or {}
        self._collections: dict[str, str] = {}
        self._site: tuple[int, bytes] | None = None
        self._feeding: set[int] = set()  # the objects being described: a cycle stops there
        self._objects: dict[tuple[int, bool], str] = {}  # other objects (a document...) described
        self._listing = False  # describing an article as lists show it
        # {type: how values of it are fed}: the isinstance chain of
        # _describer_of, run once per type rather than once per value.
        self._describers: dict[type, object] = {}

    def page_digest(self, template_name: str, context: dict, localcontext: dict) -> str:
        """The digest of the page Pelican is about to render from `localcontext`
        (the generator's `context` plus what it passes for this page)."""
        name = os.path.splitext(template_name or "")[0]
        reads = TEMPLATE_READS.get(name)  # None: a template we do not know shows everything
        digest = hashlib.sha256(self._fixed_bytes)
        digest.update(self._site_bytes(context))
        digest.update(f"\0template\0{template_name}\0file\0{localcontext.get('output_file')}".encode())
        # What this page has of its own (a value that is not the context's),
        # and the collections, whether the context's or its own.
        # (Some 200 keys a page, compared without a Python loop.)
        own = set(compress(localcontext, map(is_not, map(context.get, localcontext, repeat(_ABSENT)),
                                             localcontext.values())))
        own -= NOT_INPUTS
        own.update(COLLECTIONS.intersection(localcontext))
        for key in sorted(own):
            if key in COLLECTIONS and not self._shows(reads, key, localcontext):
                continue
            value = localcontext[key]
            digest.update(f"\0{key}\0".encode())
            if context.get(key, _ABSENT) is value:
                digest.update(self.collection_digest(key, value).encode())
            else:
                self._feed(digest, value, 0, page_level=True)
        return digest.hexdigest()

    @staticmethod
    def _shows(reads, key: str, localcontext: dict) -> bool:
        if reads is None:
            return True
        if key in ("FRONT_SECTIONS", "LATEST_DOCUMENTS"):
            page = localcontext.get("articles_page")
            return key in reads and (page is None or page.number == 1)
        return key in reads

    def _site_bytes(self, context: dict) -> bytes:
        if self._site and self._site[0] == id(context):
            return self._site[1]
        digest = hashlib.sha256()
        for key in sorted(context):
            if key in COLLECTIONS or key in NOT_INPUTS:
                continue
            digest.update(f"\0{key}\0".encode())
            self._feed(digest, context[key], 0)
        self._site = (id(context), digest.hexdigest().encode())
        return self._site[1]

    def collection_digest(self, key: str, value) -> str:
        if key not in self._collections:
            digest = hashlib.sha256()
            self._feed(digest, value, 0)
            self._collections[key] = digest.hexdigest()
        return self._collections[key]

    def content_digest(self, content: Content, full: bool) -> str:
        """An article or page: `full` for its own page (its body, and the
        listing fields of the articles it points to), else as lists show it."""
        key = (id(content), full)
        if key in self._described:
            return self._described[key]
        carried = self._carried.get(id(content))
        if carried and carried[0] is not content:
            carried = None
        if carried and not full:
            self._listings[id(content)] = (content, carried[1])
            self._described[key] = carried[1]
            return carried[1]
        digest = hashlib.sha256()
        if full:
            digest.update(self.content_digest(content, full=False).encode())
            digest.update(self._text_digest(content, carried).encode())
            for name in sorted(vars(content)):
                value = getattr(content, name)
                if type(value) not in _PLAIN and _points_to_contents(value):
                    digest.update(f"\0{name}\0".encode())
                    self._feed(digest, value, 1)
        else:
            digest.update(f"{type(content).__name__}\0{content.url}\0{content.save_as}\0".encode())
            if content._content is not None:
                digest.update(f"summary\0{content.summary}\0".encode())
            listing, self._listing = self._listing, True
            try:
                for name in sorted(vars(content)):
                    # metadata: the same values as the attributes Pelican made of it
                    if name in _NOT_FIELDS or name in _NOT_LISTED:
                        continue
                    value = getattr(content, name)
                    kind = type(value)
                    if kind in _PLAIN:  # most fields: as _feed would, in one go
                        digest.update(f"\0{name}\0{kind.__name__}:{value!r}\0".encode())
                    elif not _points_to_contents(value):  # its own fields, never its neighbours'
                        digest.update(f"\0{name}\0".encode())
                        self._feed(digest, value, 1)
            finally:
                self._listing = listing
            self._listings[id(content)] = (content, digest.hexdigest())
        self._described[key] = digest.hexdigest()
        return self._described[key]

    def _text_digest(self, content: Content, carried) -> str:
        """Its text as its page shows it (its links made), once."""
        entry = self._texts.get(id(content))
        if entry is None or entry[0] is not content:
            if carried:
                text = carried[2]
            elif content._content is None:  # a static file (Static) has none
                text = "no text"
            else:
                text = hashlib.sha256(f"content\0{content.content}\0".encode()).hexdigest()
            entry = self._texts[id(content)] = (content, text)
        return entry[1]

    def forget(self, contents) -> None:
        """`contents` changed (the preview patched an edit into them): never carried."""
        for content in contents:
            self._listings.pop(id(content), None)
            self._texts.pop(id(content), None)

    def carry(self, unchanged) -> dict:
        """For the PageInputs of the next pages of the same articles (the
        preview's kept build, grouped again after an edit: build.resident):
        what it may take as described here, of the `unchanged` articles and
        pages. Only an article's own fields and text: the articles it points
        to, and every page, are described again."""
        carried = {}
        for content in unchanged:
            listing, text = self._listings.get(id(content)), self._texts.get(id(content))
            if listing and text and listing[0] is content and text[0] is content:
                carried[id(content)] = (content, listing[1], text[1])
        return carried

    def _taxonomy_digest(self, value: URLWrapper) -> str:
        key = (id(value), False)
        if key not in self._described:
            self._described[key] = (f"{type(value).__name__}:{value.name}\0{value.slug}\0{value.url}\0"
                                    f"{value.save_as}\0")
        return self._described[key]

    def _feed(self, digest, value, depth: int, page_level: bool = False) -> None:
        """Add `value` to `digest`, the same way in every build."""
        kind = type(value)
        if kind in _PLAIN:  # most values: first, and without a look-up
            digest.update(f"{kind.__name__}:{value!r}\0".encode())
            return
        if depth > _MAX_DEPTH:
            digest.update(b"\0deep\0")
            return
        describer = self._describers.get(kind)
        if describer is None:
            describer = self._describers[kind] = _describer_of(kind)
        describer(self, digest, value, depth, page_level)

    # How each kind of value is fed (_describer_of chooses).

    def _feed_plain(self, digest, value, depth, page_level):
        digest.update(f"{type(value).__name__}:{value!r}\0".encode())

    def _feed_moment(self, digest, value, depth, page_level):
        digest.update(f"{type(value).__name__}:{value.isoformat()}:{getattr(value, 'tzinfo', None)}\0"
                      .encode())

    def _feed_content(self, digest, value, depth, page_level):
        if self._listing:
            # An article's field pointing to other articles (through a
            # document it cites, the document's other citing articles):
            # no page showing the article shows them.
            digest.update(b"points to an article\0")
        else:
            # An article passed for its own page is described in full.
            described = self._described.get((id(value), page_level))
            if described is None:
                described = self.content_digest(value, full=page_level)
            digest.update(described.encode())

    def _feed_taxonomy(self, digest, value, depth, page_level):
        digest.update(self._taxonomy_digest(value).encode())

    def _feed_paginator_page(self, digest, value, depth, page_level):
        digest.update(f"page:{value.number}\0{value.url}\0{value.save_as}\0"
                      f"{value.paginator.num_pages}\0".encode())
        self._feed(digest, list(value.object_list), depth + 1)

    def _feed_paginator(self, digest, value, depth, page_level):
        # Its pages' own lists are fed with them; the whole list is not shown.
        digest.update(f"paginator:{value.num_pages}\0{value.count}\0{value.per_page}\0".encode())

    def _feed_dict(self, digest, value, depth, page_level):
        digest.update(f"dict:{len(value)}\0".encode())
        for key in sorted(value, key=repr):
            self._feed(digest, key, depth + 1)
            self._feed(digest, value[key], depth + 1)

    def _feed_sequence(self, digest, value, depth, page_level):
        if self._listing and _points_to_contents(value):
            digest.update(b"points to articles\0")  # as for one article, above
            return
        digest.update(f"{type(value).__name__}:{len(value)}\0".encode())
        feed = self._feed
        for item in value:
            feed(digest, item, depth + 1)

    def _feed_set(self, digest, value, depth, page_level):
        parts = []
        for item in value:
            part = hashlib.sha256()
            self._feed(part, item, depth + 1)
            parts.append(part.hexdigest())
        digest.update(("set:" + ",".join(sorted(parts)) + "\0").encode())

    def _feed_named(self, digest, value, depth, page_level):
        digest.update(f"{type(value).__name__}:{value}\0".encode())

    def _feed_module(self, digest, value, depth, page_level):
        digest.update(f"module:{value.__name__}\0".encode())

    def _feed_other(self, digest, value, depth, page_level):
        """Values whose kind alone does not say how to describe them."""
        update = digest.update
        if callable(value) and hasattr(value, "__qualname__"):
            update(f"callable:{getattr(value, '__module__', '')}.{value.__qualname__}\0".encode())
        elif hasattr(value, "__dict__") and not isinstance(value, type):
            key = (id(value), self._listing)
            if key not in self._objects:
                if id(value) in self._feeding:
                    update(b"\0cycle\0")
                    return
                self._feeding.add(id(value))
                try:
                    own = hashlib.sha256(
                        f"object:{type(value).__module__}.{type(value).__qualname__}\0".encode())
                    fields = vars(value)
                    for name in sorted(fields):
                        if name not in _NOT_FIELDS:
                            own.update(f"{name}\0".encode())
                            self._feed(own, fields[name], depth + 1)
                    self._objects[key] = own.hexdigest()
                finally:
                    self._feeding.discard(id(value))
            update(self._objects[key].encode())
        else:
            # An address in a repr ("<object at 0x...>") differs every build:
            # such a page is rendered each time, which is slow but never wrong.
            update(f"repr:{type(value).__qualname__}:{value!r}\0".encode())


_ABSENT = object()


def _describer_of(kind: type):
    """How PageInputs feeds a value of type `kind`, decided by its type as
    the first matching kind in this order (a Markup is a str, a SafeDatetime
    a date...); what an instance alone decides, in _feed_other."""
    for kinds, describer in (
            ((bool, int, float, str, bytes), PageInputs._feed_plain),
            ((datetime.date, datetime.time), PageInputs._feed_moment),
            ((Content,), PageInputs._feed_content),
            ((URLWrapper,), PageInputs._feed_taxonomy),
            ((PaginatorPage,), PageInputs._feed_paginator_page),
            ((Paginator,), PageInputs._feed_paginator),
            ((dict,), PageInputs._feed_dict),
            ((list, tuple), PageInputs._feed_sequence),
            ((set, frozenset), PageInputs._feed_set),
            ((PurePath, enum.Enum, datetime.tzinfo, datetime.timedelta), PageInputs._feed_named),
            ((types.ModuleType,), PageInputs._feed_module)):
        if issubclass(kind, kinds):
            return describer
    return PageInputs._feed_other


def _points_to_contents(value) -> bool:
    if isinstance(value, Content):
        return True
    return isinstance(value, (list, tuple)) and bool(value) and isinstance(value[0], Content)
