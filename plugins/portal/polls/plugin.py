"""The polls feature's Pelican signal handler (module level: Pelican's
signals keep weak references)."""

import logging

from markupsafe import Markup
from pelican import signals

from .blocks import build_time, poll_blocks
from .data import PollDataError

logger = logging.getLogger("portal")


def render_poll_blocks(pelican):
    """The poll blocks current at build time, for the templates: pages come
    out of Pelican filled, so the check-and-fill step rewrites none.

    build.site.build_site reads the poll files once and hands the blocks
    in; only a Pelican started by hand reads them here."""
    settings = pelican.settings
    blocks = settings.get("PORTAL_POLL_BLOCKS")
    if blocks is None:
        try:
            blocks = poll_blocks(settings, build_time(settings))
        except PollDataError as error:
            for problem in error.problems:
                logger.error("portal: %s", problem)
            blocks = {}  # the slots stay empty
    settings["PORTAL_POLL_BLOCKS"] = {slot: Markup(block) for slot, block in blocks.items()}


def register():
    signals.initialized.connect(render_poll_blocks)
