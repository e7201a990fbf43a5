"""What the last good build rendered, kept in CACHE_PATH for the next one.

{"folder": the site folder, "blocks": the poll blocks' digest, "checks":
the page checks' identity, "pages": {page: [inputs digest, rendered
digest, inode, size, mtime_ns]}}: the
incremental writer (render.selective_writer) keeps a page of that folder
when its inputs are the same, and only while its file is the one this
build left there (the same inode, size and time).

The record is removed before a build replaces the site and written after,
so it never describes a site other than the one in place: a crash between
the two leaves none, and the next build renders every page.
"""

import json
import os
from pathlib import Path

from ..check.check_and_fill import checks_identity

FILE = "rendered-pages.json"


def _record_path(settings) -> Path:
    return Path(settings["CACHE_PATH"], FILE)


def last_build(settings, site_folder: Path) -> dict | None:
    """The record of the build now in `site_folder`, or None (render everything)."""
    try:
        record = json.loads(_record_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("folder") != str(site_folder):
        return None
    return record


def forget(settings) -> None:
    _record_path(settings).unlink(missing_ok=True)


def remember(settings, staging: Path, site_folder: Path, rendered: dict) -> dict:
    """The record of `staging` as it will be at `site_folder` (a rename keeps
    every file's inode and time), from what the writer recorded."""
    pages = {}
    for page, (inputs, digest) in rendered.get("pages", {}).items():
        try:
            stat = os.lstat(staging / page)
        except OSError:
            continue
        pages[page] = [inputs, digest, stat.st_ino, stat.st_size, stat.st_mtime_ns]
    return {"folder": str(site_folder), "blocks": rendered.get("blocks"),
            "checks": checks_identity(), "pages": pages}


def update(settings, site_folder: Path, replaced: dict, gone) -> None:
    """After pages of the site in `site_folder` were replaced in place (the
    preview's kept build, grouped again: build.resident), their entries
    ({page: [inputs digest, rendered digest]}) as their files are now, and
    the pages deleted forgotten: the next edit keeps them if it can.
    Nothing when the record is not that site's."""
    record = last_build(settings, site_folder)
    if record is None:
        return
    pages = record.setdefault("pages", {})
    for page, (inputs, digest) in replaced.items():
        try:
            stat = os.lstat(site_folder / page)
        except OSError:
            pages.pop(page, None)
            continue
        pages[page] = [inputs, digest, stat.st_ino, stat.st_size, stat.st_mtime_ns]
    for page in gone:
        pages.pop(page, None)
    save(settings, record)


def save(settings, record: dict) -> None:
    path = _record_path(settings)
    aside = path.with_name(f".{FILE}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        aside.write_text(json.dumps(record), encoding="utf-8")
        os.replace(aside, path)
    except OSError:  # a full disk, say: the next build renders every page
        aside.unlink(missing_ok=True)
