"""The build `make build` and `make publish` run: none at all when the site
in output/ is already what it would make (up_to_date), else build_site.

Pelican and the build are imported only when there is something to build,
so that "nothing changed" is answered in a fraction of a second.
"""

from pathlib import Path

from .up_to_date import current_site


def build_unless_current(settings_file: str = "pelicanconf.py", **overrides) -> tuple[Path, bool]:
    """(OUTPUT_PATH, whether it was built)."""
    current = current_site(settings_file, overrides)
    if current is not None:
        return current, False
    from .site import build_site  # noqa: PLC0415 - Pelican, only when there is work for it

    return build_site(settings_file, **overrides), True
