"""The documents feature's Pelican signal handlers (module level: Pelican's
signals keep weak references).

- initialized: the library is read and checked, statuses judged at the
  build's time (core.build_time), before any article is read;
- content_object_init: each article's and page's {van-ban} links become
  the documents' addresses (citations.py); an unknown number is a problem;
- get_generators: DocumentsGenerator writes the documents' pages (pages.py).
"""

import functools
import logging
import os

from pelican import signals
from pelican.contents import Article, Page

from ..core.build_time import BuildTimeError, build_time
from ..core.problems import ContentError, display_path, report_problem
from ..core.vietnamese import site_timezone
from ..read.reader import BODY_CHECKS
from .citations import MARKER, citation_line, resolve_citations
from .library import Library, load_library
from .pages import LIBRARY_SETTING, DocumentsGenerator

logger = logging.getLogger("portal")


def start_library(pelican) -> None:
    settings = pelican.settings
    try:
        today = build_time(settings).astimezone(site_timezone(settings)).date()
    except BuildTimeError:
        # The polls feature reports a wrong POLLS_NOW or SOURCE_DATE_EPOCH
        # (build.site.slot_blocks, or polls.plugin for Pelican run by hand),
        # and the build fails on it; one line is enough.
        today = None
    library = load_library(settings, today)
    for error in library.problems:
        report_problem(error, error.problem.where)
    _cite_in_documents(library, settings)
    settings[LIBRARY_SETTING] = library
    settings[BODY_CHECKS] = [*settings.get(BODY_CHECKS, ()), functools.partial(check_citations, library)]


def check_citations(library: Library, html: str, text: str, shown: str) -> list[ContentError]:
    """One of the reader's BODY_CHECKS: the {van-ban} links of a file that
    fails to be read for other reasons (cite_documents checks the others')."""
    if MARKER not in html:
        return []
    _html, _cited, unresolved = resolve_citations(html, library, "")
    return [ContentError(shown, f"link {MARKER}{link.written}: {link.why}", citation_line(text, link.written))
            for link in unresolved]


def _cite_in_documents(library: Library, settings) -> None:
    """A document's own text may cite others, as an article does."""
    for document in library.documents:
        if MARKER not in document.body:
            continue
        document.body, _cited, unresolved = resolve_citations(document.body, library, settings["SITEURL"])
        _report_unresolved(unresolved, document.source, str(document.path))


def cite_documents(content) -> None:
    """Pelican's content_object_init: before anything renders the article."""
    library = getattr(content, "settings", {}).get(LIBRARY_SETTING)
    if library is None or not isinstance(content, (Article, Page)) or not content.source_path:
        return
    siteurl = content.settings["SITEURL"]
    content._content, cited, unresolved = resolve_citations(content._content, library, siteurl)
    if getattr(content, "_summary", None):
        content._summary, also_cited, _ = resolve_citations(content._summary, library, siteurl)
        content.metadata["summary"] = content._summary
        cited += [document for document in also_cited if document not in cited]
    content.cited_documents = cited
    _report_unresolved(unresolved, display_path(content.source_path), content.source_path)


def _report_unresolved(unresolved, shown: str, source_path: str) -> None:
    if not unresolved:
        return
    try:
        with open(source_path, encoding="utf-8-sig") as source:
            text = source.read()
    except (OSError, UnicodeDecodeError):
        text = ""
    for link in unresolved:
        report_problem(ContentError(shown, f"link {MARKER}{link.written}: {link.why}",
                                    citation_line(text, link.written)), source_path)


def add_documents_generator(pelican):
    return DocumentsGenerator


def register():
    signals.initialized.connect(start_library)
    signals.content_object_init.connect(cite_documents)
    signals.get_generators.connect(add_documents_generator)
