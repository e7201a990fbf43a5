"""Loading the site's settings: one place, usable from every stage, every
feature and the tasks (pelicanconf.py for building, publishconf.py for
publishing)."""

from pelican.settings import read_settings


def load_settings(settings_file: str = "pelicanconf.py", **overrides) -> dict:
    return read_settings(settings_file, override=overrides or None)
