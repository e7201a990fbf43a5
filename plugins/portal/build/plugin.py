"""The build stage's Pelican signal handlers (module level: Pelican's
signals keep weak references)."""

from pelican import signals

from .content_cache import forget_readings_naming_gone_files
from .hosting import remember_pages_for_redirects
from .preview import remember_pages_of_sources
from .resident import keep_generators, keep_unpublished
from .site import remember_file_written


def register():
    signals.article_generator_init.connect(forget_readings_naming_gone_files)
    signals.page_generator_init.connect(forget_readings_naming_gone_files)
    signals.all_generators_finalized.connect(remember_pages_of_sources)
    signals.all_generators_finalized.connect(remember_pages_for_redirects)
    signals.content_written.connect(remember_file_written)
    signals.all_generators_finalized.connect(keep_generators)
    signals.finalized.connect(keep_unpublished)
