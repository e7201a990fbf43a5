"""Fast preview rebuilds: when an editor changes only the body of articles
or pages, the preview server re-renders just their pages.

A full build renders every page (about 1,700 at 1,000 articles). After a
body-only edit nothing else can differ, provided the article has its own
Summary (lists show the summary, not the body) and its header is unchanged
(title, date, tags... appear on other pages). Then Pelican runs with a
writer that writes only those pages, beside the site; the check runs on
them, and each replaces its old version in one atomic rename.
"""

import os
import shutil
from pathlib import Path

from pelican.writers import Writer

from .build import run_pelican
from .check_and_fill import check_and_fill
from .problems import BuildFailed
from .sources import read_header


class SelectiveWriter(Writer):
    """Pelican's writer, writing only the pages named in PORTAL_WRITE_ONLY,
    into PORTAL_WRITE_INTO instead of the live site."""

    def __init__(self, output_path, settings=None):
        super().__init__(settings["PORTAL_WRITE_INTO"], settings=settings)

    def write_file(self, name, *args, **kwargs):
        if name and os.path.normpath(name) in self.settings["PORTAL_WRITE_ONLY"]:
            return super().write_file(name, *args, **kwargs)
        return None

    def write_feed(self, *args, **kwargs):
        return None  # the preview has no feeds


def selective_writer(pelican):
    """Pelican's get_writer signal: our writer only when a preview asks for it."""
    if pelican.settings.get("PORTAL_WRITE_ONLY") is not None:
        return SelectiveWriter
    return None


def header_of(path) -> str | None:
    """The metadata block of a Markdown file as written (up to the first
    blank line), continued lines included; None when it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return text.split("\n\n", 1)[0].replace("\r\n", "\n")


def only_bodies_changed(headers_now: dict, headers_before: dict) -> bool:
    """Whether every changed file kept its header, and the header gives a
    Summary (else the lists show the start of the body, which changed)."""
    for path, header in headers_now.items():
        if header is None or header != headers_before.get(path):
            return False
        if "summary" not in read_header(header):
            return False
    return bool(headers_now)


def rebuild_pages(settings, pages: list[str]) -> None:
    """Re-render `pages` (paths inside OUTPUT_PATH) beside the site, check
    them, then put each in place with an atomic rename. Pelican reads the
    whole site as usual (links and static files are checked against it) but
    renders only these pages. BuildFailed leaves the site as it was."""
    output = Path(settings["OUTPUT_PATH"])
    staging = output.with_name(f".{output.name}.pages")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    settings = {
        **settings,
        "DELETE_OUTPUT_DIRECTORY": False,
        "THEME_STATIC_PATHS": [],  # unchanged, and already in place
        "STATIC_CHECK_IF_MODIFIED": True,
        "PORTAL_WRITE_ONLY": {os.path.normpath(page) for page in pages},
        "PORTAL_WRITE_INTO": str(staging),
    }
    try:
        found = run_pelican(settings)
        if found:
            raise BuildFailed(found, "build")
        written = [staging / page for page in pages]
        found = check_and_fill(staging, settings, shown_as=output.name, only=written)
        if found:
            raise BuildFailed(found, "check")
        for page in pages:
            os.replace(staging / page, output / page)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
