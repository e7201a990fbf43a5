"""The build stage's Pelican signal handlers (module level: Pelican's
signals keep weak references)."""

from pelican import signals

from .hosting import remember_pages_for_redirects
from .preview import remember_pages_of_sources
from .site import remember_file_written


def register():
    signals.all_generators_finalized.connect(remember_pages_of_sources)
    signals.all_generators_finalized.connect(remember_pages_for_redirects)
    signals.content_written.connect(remember_file_written)
