"""The search feature's Pelican signal handler (module level: Pelican's
signals keep weak references)."""

from pelican import signals

from .index import folded_words


def search_words(content) -> str:
    """{{ article|search_words }}: what a page's search entry matches besides
    its visible text. A filter, so only pages that are written pay for it."""
    authors = " ".join(author.name for author in getattr(content, "authors", []))
    tags = " ".join(tag.name for tag in getattr(content, "tags", []))
    return folded_words(content.title, content.content, tags, authors)


def add_search_filter(generator):
    generator.env.filters["search_words"] = search_words


def register():
    signals.generator_init.connect(add_search_filter)
