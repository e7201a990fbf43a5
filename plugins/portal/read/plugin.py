"""The read stage's Pelican signal handlers. Defined at module level on
purpose: Pelican's signals keep weak references, so a handler defined inside
register() would be silently dropped.
"""

from collections import defaultdict

from pelican import signals

from ..core.problems import ContentError, display_path, report_problem
from .links import check_internal_links
from .read_ahead import read_articles_ahead, read_pages_ahead, stop_reading_ahead
from .reader import PortalMarkdownReader


def use_portal_reader(readers):
    for extension in PortalMarkdownReader.file_extensions:
        readers.reader_classes[extension] = PortalMarkdownReader


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


def remember_contents(generators):
    _written_contents.clear()
    for generator in generators:
        for name in ("articles", "translations", "pages"):
            _written_contents.extend(getattr(generator, name, []))


def check_links_after_writing(pelican):
    check_internal_links(_written_contents, pelican.settings["OUTPUT_PATH"], pelican.settings["SITEURL"])
    _written_contents.clear()


def register():
    signals.readers_init.connect(use_portal_reader)
    signals.article_generator_init.connect(read_articles_ahead)
    signals.page_generator_init.connect(read_pages_ahead)
    signals.all_generators_finalized.connect(stop_reading_ahead)
    signals.article_generator_pretaxonomy.connect(reject_duplicate_slugs)
    signals.article_generator_finalized.connect(keep_hidden_private)
    signals.page_generator_finalized.connect(prepare_pages)
    signals.all_generators_finalized.connect(remember_contents)
    signals.finalized.connect(check_links_after_writing)
