"""The check stage's Pelican signal handler (module level: Pelican's
signals keep weak references)."""

from pelican import signals

from .check_and_fill import forget_sources_of_pages, page_written, remember_source_of_page


def register():
    # Each page goes to the checking workers as soon as Pelican writes it.
    signals.content_written.connect(page_written)
    # A failed check on an article's page names its .md file.
    signals.initialized.connect(forget_sources_of_pages)
    signals.content_written.connect(remember_source_of_page)
