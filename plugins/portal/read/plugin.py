"""The read stage's Pelican signal handlers. Defined at module level on
purpose: Pelican's signals keep weak references, so a handler defined inside
register() would be silently dropped.
"""

import logging
import os
from collections import defaultdict
from urllib.parse import unquote

from pelican import signals

from ..core.problems import ContentError, display_path, report_problem
from .content_files import published_contents, static_file_problem, unpublished_file_problem
from .header import address_of
from .links import check_internal_links
from .read_ahead import read_articles_ahead, read_pages_ahead, stop_reading_ahead
from .reader import PortalMarkdownReader, read_with_warnings

logger = logging.getLogger("portal")


def start_counting_warnings(pelican):
    read_with_warnings.clear()


def uncache_files_with_warnings(generator):
    """Pelican's article_ and page_generator_finalized signals, which come
    just after Pelican saved its content cache: a file whose reading warned
    (text not in NFC, say) is taken out of it, so that the next build reads
    it again and says the warning again, as a clean build would."""
    readers = getattr(generator, "readers", None)
    cache = getattr(readers, "_cache", None)
    if not cache or not read_with_warnings:
        return
    forgotten = [cache.pop(path) for path in list(read_with_warnings) if path in cache]
    if forgotten:
        readers.save_cache()


def use_portal_reader(readers):
    for extension in PortalMarkdownReader.file_extensions:
        readers.reader_classes[extension] = PortalMarkdownReader


# Every list a generator keeps its contents in, published or not.
_ARTICLE_LISTS = ("articles", "translations", "drafts", "drafts_translations",
                  "hidden_articles", "hidden_translations")
_PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations",
               "draft_pages", "draft_translations")


def reject_duplicate_slugs(generator):
    """Two articles at one address: Pelican would keep one and hide the other."""
    _reject_duplicate_slugs(generator, _ARTICLE_LISTS)


def reject_duplicate_page_slugs(generator):
    """Two pages at one address: Pelican would stop at the second, naming
    only a file in the staging folder."""
    _reject_duplicate_slugs(generator, _PAGE_LISTS)


def _reject_duplicate_slugs(generator, lists):
    everything = [content for name in lists for content in getattr(generator, name, [])]
    by_address = defaultdict(list)
    for content in everything:
        by_address[(content.slug, content.lang)].append(content)
    for (slug, _lang), contents in by_address.items():
        if len(contents) > 1:
            files = sorted(display_path(c.source_path) for c in contents)
            error = ContentError(
                files[0],
                f'Slug "{slug}" is also used by {", ".join(files[1:])}; '
                "give one of them another 'Slug:' or title",
            )
            report_problem(error, contents[0].source_path)
            _drop(generator, lists, contents[1:])  # the build fails; this avoids a second, vaguer error


def _drop(generator, lists, unwanted):
    for name in lists:
        setattr(generator, name, [c for c in getattr(generator, name, []) if c not in unwanted])


def warn_of_folder_unlike_category(generator):
    """An article's folder names its category (content/tin-co-so/ holds "Tin
    cơ sở"); one whose Category says another is published under that other
    category, which is rarely what its editor meant."""
    settings = generator.settings
    folders = {address_of(name, settings, "CATEGORY"): name
               for name in settings.get("PORTAL_CATEGORIES", [])}
    for article in generator.articles + generator.drafts:
        relative = os.path.relpath(article.source_path, settings["PATH"]).replace(os.sep, "/")
        folder = relative.split("/")[0] if "/" in relative else None
        if folder in folders and folders[folder] != article.category.name:
            logger.warning(
                'portal: %s: Category "%s" is not "%s", the category of its folder %s/; it is '
                'published under "%s": correct the Category, or move the file into %s/',
                display_path(article.source_path), article.category.name, folders[folder], folder,
                article.category.name, article.category.slug)


def warn_of_unpublished_files(generator):
    """Files among the articles and pages that the build neither reads nor
    publishes: "bai.md.txt" from Notepad, a Word document (content_files)."""
    settings = generator.settings
    published = {os.path.abspath(static.source_path) for static in generator.staticfiles}
    found = set()
    for paths, excludes in (("ARTICLE_PATHS", "ARTICLE_EXCLUDES"), ("PAGE_PATHS", "PAGE_EXCLUDES")):
        found |= generator.get_files(settings[paths], exclude=settings[excludes], extensions=False)
    for relative in sorted(found):
        path = os.path.join(generator.path, relative)
        problem = None if os.path.abspath(path) in published else unpublished_file_problem(path)
        if problem:
            logger.warning("portal: %s: %s", display_path(path), problem)


def prepare_pages(generator):
    _remember_unpublished(generator.hidden_pages + generator.hidden_translations)
    generator.hidden_pages = []  # "hidden" means private here: see keep_hidden_private
    generator.hidden_translations = []


def keep_hidden_private(generator):
    """Pelican writes Status: hidden articles (unlisted); a government portal
    treats them like drafts: not published at all."""
    _remember_unpublished(generator.hidden_articles + generator.hidden_translations)
    generator.hidden_articles = []
    generator.hidden_translations = []


# {the address a draft or hidden article or page would have: its source file
# and status}: a link to one leads to no page, and the message says why.
_unpublished: dict[str, tuple[str, str]] = {}


def _remember_unpublished(contents):
    for content in contents:
        _unpublished["/" + unquote(content.url)] = (content.source_path, content.status)


def forget_unpublished(pelican):
    """Pelican's initialized signal: each build starts afresh."""
    _unpublished.clear()


def refuse_unsafe_static_files(generator):
    """Pelican copies static files (content/images/...) as they are: none may
    lead out of content/ or be a page or script. Before they are written."""
    kept = []
    for static in generator.staticfiles:
        problem = static_file_problem(static.source_path, generator.settings["PATH"])
        if problem:
            report_problem(ContentError(display_path(static.source_path), problem), static.source_path)
        else:
            kept.append(static)
    generator.staticfiles[:] = kept  # the same list is the context's "staticfiles"


# Contents whose plain internal links are checked once the site is written.
_written_contents = []


def remember_contents(generators):
    _written_contents.clear()
    _written_contents.extend(content for _source, _generator, content in published_contents(generators))
    for generator in generators:
        for name in ("drafts", "drafts_translations", "draft_pages", "draft_translations"):
            _remember_unpublished(getattr(generator, name, []))


def forget_written_contents() -> None:
    """Not checked after all (the preview's kept build grouped again:
    build.resident checks what it read): let them go."""
    _written_contents.clear()


def check_links_after_writing(pelican):
    check_internal_links(_written_contents, pelican.settings["OUTPUT_PATH"], pelican.settings["SITEURL"],
                         _unpublished)
    _written_contents.clear()


def unpublished_addresses() -> dict[str, tuple[str, str]]:
    """The last build's unpublished files by the address each would have
    (kept until the next build starts: build.resident checks an edit's links
    against the site that build made)."""
    return dict(_unpublished)


def register():
    # Pelican's log filter drops a warning worded like one logged before and
    # stops after five of a kind ("Other resources were not found"): the same
    # mistyped link in two articles would name only the first. Each fails the
    # build (core.problems names its file), so each one is let through.
    logging.getLogger("pelican.contents").disable_filter()
    signals.initialized.connect(forget_unpublished)
    signals.initialized.connect(start_counting_warnings)
    signals.readers_init.connect(use_portal_reader)
    signals.article_generator_init.connect(read_articles_ahead)
    signals.page_generator_init.connect(read_pages_ahead)
    signals.all_generators_finalized.connect(stop_reading_ahead)
    signals.article_generator_pretaxonomy.connect(reject_duplicate_slugs)
    signals.article_generator_pretaxonomy.connect(warn_of_folder_unlike_category)
    signals.article_generator_finalized.connect(keep_hidden_private)
    signals.article_generator_finalized.connect(uncache_files_with_warnings)
    signals.page_generator_finalized.connect(uncache_files_with_warnings)
    signals.page_generator_finalized.connect(reject_duplicate_page_slugs)
    signals.page_generator_finalized.connect(prepare_pages)
    signals.static_generator_finalized.connect(refuse_unsafe_static_files)
    signals.static_generator_finalized.connect(warn_of_unpublished_files)
    signals.all_generators_finalized.connect(remember_contents)
    signals.finalized.connect(check_links_after_writing)
