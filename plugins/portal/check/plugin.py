"""The check stage's Pelican signal handler (module level: Pelican's
signals keep weak references)."""

from pelican import signals

from .check_and_fill import page_written


def register():
    # Each page goes to the checking workers as soon as Pelican writes it.
    signals.content_written.connect(page_written)
