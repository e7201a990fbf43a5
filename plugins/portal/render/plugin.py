"""The render stage's Pelican signal handlers (module level: Pelican's
signals keep weak references)."""

from pelican import signals

from .archive_pages import archive_months_generator
from .assets import add_theme_assets, rename_assets
from .listings import prepare_listings
from .parallel_writer import rendering_generator
from .security import add_content_security_policy
from .selective_writer import selective_writer
from .template_filters import add_template_filters


def register():
    signals.initialized.connect(add_content_security_policy)
    signals.initialized.connect(add_theme_assets)
    signals.generator_init.connect(add_template_filters)
    signals.article_generator_finalized.connect(prepare_listings)
    signals.get_writer.connect(selective_writer)
    signals.get_generators.connect(archive_months_generator)
    signals.get_generators.connect(rendering_generator)  # renders what the writer held
    signals.finalized.connect(rename_assets)
