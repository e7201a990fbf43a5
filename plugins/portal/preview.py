"""Fast preview rebuilds: when an editor changes only the body of articles
or pages, the preview server re-renders just their pages.

A full build renders every page (about 1,700 at 1,000 articles). After a
body-only edit nothing else can differ, provided the article has its own
Summary (lists show the summary, not the body) and its header is unchanged
(title, date, tags... appear on other pages). Then the site is copied as hard
links, Pelican runs with a writer that writes only those pages, the check
runs on them, and the copy is swapped in like any build.
"""

import os
import shutil
from pathlib import Path

from pelican.writers import Writer

from .build import run_pelican
from .check_and_fill import check_and_fill
from .problems import BuildFailed
from .sources import read_header
from .swap import replace_directory


class SelectiveWriter(Writer):
    """Pelican's writer, writing only the files named in PORTAL_WRITE_ONLY."""

    def _selected(self, name) -> bool:
        path = os.path.abspath(os.path.join(self.output_path, name or ""))
        return path in self.settings["PORTAL_WRITE_ONLY"]

    def write_file(self, name, *args, **kwargs):
        if name and self._selected(name):
            target = os.path.join(self.output_path, name)
            if os.path.exists(target):
                os.unlink(target)  # a hard link to the live site: never write through it
            return super().write_file(name, *args, **kwargs)
        return None

    def write_feed(self, *args, **kwargs):
        return None  # the preview has no feeds


def selective_writer(pelican):
    """Pelican's get_writer signal: our writer only when a preview asks for it."""
    if pelican.settings.get("PORTAL_WRITE_ONLY") is not None:
        return SelectiveWriter
    return None


def link_copy(source: Path, target: Path) -> None:
    """`target` as a copy of `source` made of hard links: instant, no bytes copied."""
    for folder, _subfolders, files in os.walk(source):
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            os.link(Path(folder, name), target / relative / name)


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
    """Re-render `pages` (paths inside OUTPUT_PATH) over a copy of the site,
    check them, and swap the copy in. BuildFailed leaves the site as it was."""
    output = Path(settings["OUTPUT_PATH"])
    staging = output.with_name(f".{output.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    link_copy(output, staging)
    selected = {os.path.abspath(staging / page) for page in pages}
    settings = {
        **settings,
        "OUTPUT_PATH": str(staging),
        "DELETE_OUTPUT_DIRECTORY": False,
        "THEME_STATIC_PATHS": [],  # unchanged: already in the copy
        "STATIC_CHECK_IF_MODIFIED": True,
        "PORTAL_WRITE_ONLY": selected,
    }
    try:
        found = run_pelican(settings)
        if found:
            raise BuildFailed(found, "build")
        found = check_and_fill(staging, settings, shown_as=output.name, only=sorted(selected))
        if found:
            raise BuildFailed(found, "check")
        replace_directory(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
