"""The build stage's Pelican signal handler (module level: Pelican's
signals keep weak references)."""

from pelican import signals

from .preview import remember_pages_of_sources


def register():
    signals.all_generators_finalized.connect(remember_pages_of_sources)
