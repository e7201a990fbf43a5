"""Pelican signal handlers. They are defined at module level on purpose:
Pelican's signals keep weak references, so a handler defined inside
register() would be silently dropped.
"""

import logging
import os
from collections import defaultdict

from markupsafe import Markup
from pelican import signals

from . import vietnamese
from .assets import rename_fingerprinted, theme_assets
from .check_and_fill import page_written
from .links import check_internal_links
from .poll_data import PollDataError
from .polls import build_time, poll_blocks
from .preview import selective_writer
from .read_ahead import read_articles_ahead, read_pages_ahead, stop_reading_ahead
from .problems import ContentError, display_path, report_problem
from .search import folded_words
from .security import add_content_security_policy
from .sources import PortalMarkdownReader

logger = logging.getLogger("portal")

SAME_CATEGORY_COUNT = 5


def use_portal_reader(readers):
    for extension in PortalMarkdownReader.file_extensions:
        readers.reader_classes[extension] = PortalMarkdownReader


def add_theme_assets(pelican):
    pelican.settings["THEME_ASSETS"] = theme_assets(pelican.settings)


def rename_assets(pelican):
    rename_fingerprinted(pelican.settings["OUTPUT_PATH"], pelican.settings,
                         pelican.settings["THEME_ASSETS"])


def render_poll_blocks(pelican):
    """The poll blocks current at build time, for the templates: pages come
    out of Pelican filled, so the fill step that follows rewrites none."""
    try:
        blocks = poll_blocks(pelican.settings, build_time(pelican.settings))
    except PollDataError:
        blocks = {}  # check_and_fill reports it, naming the file; the slots stay empty
    pelican.settings["PORTAL_POLL_BLOCKS"] = {slot: Markup(block) for slot, block in blocks.items()}


def add_template_helpers(generator):
    settings = generator.settings

    def asset(relative):
        """{{ "css/site.css"|asset }}: the address of a theme file, fingerprinted when publishing."""
        return f"{settings['SITEURL']}/{settings['THEME_ASSETS'][relative]}"

    generator.env.filters.update(
        asset=asset,
        search_words=search_words,
        vi_long_date=vietnamese.long_date,
        vi_short_date=vietnamese.short_date,
        vi_month_year=vietnamese.month_year,
    )


def reject_duplicate_slugs(generator):
    """Two articles at one address: Pelican would keep one and hide the other."""
    everything = (
        generator.articles
        + generator.translations
        + generator.drafts
        + generator.drafts_translations
        + generator.hidden_articles
        + generator.hidden_translations
    )
    by_address = defaultdict(list)
    for article in everything:
        by_address[(article.slug, article.lang)].append(article)
    for (slug, _lang), articles in by_address.items():
        if len(articles) > 1:
            files = sorted(display_path(a.source_path) for a in articles)
            error = ContentError(
                files[0],
                f'Slug "{slug}" is also used by {", ".join(files[1:])}; '
                "give one of them another 'Slug:' or title",
            )
            report_problem(error, articles[0].source_path)
            _drop(generator, articles[1:])  # the build fails; this avoids a second, vaguer error


def _drop(generator, unwanted):
    for name in ("articles", "translations", "drafts", "drafts_translations",
                 "hidden_articles", "hidden_translations"):
        setattr(generator, name, [a for a in getattr(generator, name) if a not in unwanted])


def prepare_listings(generator):
    """Menu, sort orders and per-article links the templates only display."""
    context = generator.context
    key = vietnamese.vietnamese_sort_key

    generator.categories.sort(key=lambda item: key(item[0].name))
    generator.authors.sort(key=lambda item: key(item[0].name))
    tags = sorted(generator.tags.items(), key=lambda item: key(item[0].name))
    context["categories"] = generator.categories
    context["authors"] = generator.authors
    context["tags"] = tags

    order = {name: rank for rank, name in enumerate(context.get("PORTAL_CATEGORIES", []))}
    context["PORTAL_MENU"] = sorted(
        (category for category, _ in generator.categories),
        key=lambda category: (order.get(category.name, len(order)), key(category.name)),
    )

    months = defaultdict(list)
    for article in generator.dates:  # newest first
        months[article.date.date().replace(day=1)].append(article)
    context["ARCHIVE_MONTHS"] = list(months.items())

    for category, articles in generator.categories:
        for article in articles:
            article.same_category = [
                other for other in articles if other is not article
            ][:SAME_CATEGORY_COUNT]


def search_words(content) -> str:
    """{{ article|search_words }}: what a page's search entry matches besides
    its visible text. A filter, so only pages that are written pay for it."""
    authors = " ".join(author.name for author in getattr(content, "authors", []))
    tags = " ".join(tag.name for tag in getattr(content, "tags", []))
    return folded_words(content.title, content.content, tags, authors)


def prepare_pages(generator):
    generator.hidden_pages = []  # "hidden" means private here: see keep_hidden_private
    generator.hidden_translations = []


def keep_hidden_private(generator):
    """Pelican writes Status: hidden articles (unlisted); a government portal
    treats them like drafts: not published at all."""
    generator.hidden_articles = []
    generator.hidden_translations = []


# Contents whose plain internal links are checked once the site is written.
_written_contents = []
# {source file: (the page it becomes, the address links use)}, of the last
# build in this process: the preview server re-renders only the pages that
# show the files an editor changed.
pages_of_sources: dict[str, tuple[str, str]] = {}


def remember_contents(generators):
    _written_contents.clear()
    pages_of_sources.clear()
    for generator in generators:
        for name in ("articles", "translations", "pages"):
            for content in getattr(generator, name, []):
                _written_contents.append(content)
                pages_of_sources[os.path.abspath(content.source_path)] = (
                    content.save_as, f"{generator.settings['SITEURL']}/{content.url}")


def check_links_after_writing(pelican):
    check_internal_links(_written_contents, pelican.settings["OUTPUT_PATH"], pelican.settings["SITEURL"])
    _written_contents.clear()


def register():
    signals.initialized.connect(add_content_security_policy)
    signals.initialized.connect(add_theme_assets)
    signals.initialized.connect(render_poll_blocks)
    signals.finalized.connect(rename_assets)
    signals.readers_init.connect(use_portal_reader)
    signals.generator_init.connect(add_template_helpers)
    signals.article_generator_pretaxonomy.connect(reject_duplicate_slugs)
    signals.article_generator_finalized.connect(prepare_listings)
    signals.page_generator_finalized.connect(prepare_pages)
    signals.article_generator_finalized.connect(keep_hidden_private)
    signals.all_generators_finalized.connect(remember_contents)
    signals.finalized.connect(check_links_after_writing)
    signals.get_writer.connect(selective_writer)
    signals.article_generator_init.connect(read_articles_ahead)
    signals.page_generator_init.connect(read_pages_ahead)
    signals.all_generators_finalized.connect(stop_reading_ahead)
    signals.content_written.connect(page_written)
