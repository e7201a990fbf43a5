"""`make build` when nothing changed: answered before Pelican is imported.

Every build is incremental (site.py), but even one that changes nothing
must start Pelican, which makes every article again from its cache and the
digest of every page: seconds at 1,000 articles, half a minute at 10,000.
So a build that succeeded leaves a stamp in CACHE_PATH saying

- what it was made from: every file of content/, the theme and the plugins
  (by name, size, times and inode), the settings files' bytes, the
  environment variables that reach the settings or the build
  (DECIDING_VARIABLES), the installed libraries and the overrides;
- what it left: every file and folder of the site folder, by name, inode,
  size and time;
- until when that site stays right: the first moment after the build's
  own (core.build_time) at which a poll opens or closes or a day begins
  (documents in force or not are judged by the day), unless the build's
  time is fixed (POLLS_NOW, SOURCE_DATE_EPOCH), which then is an input.

The next `make build` or `make publish` that finds all three the same does
nothing: the site in output/ is, byte for byte, what building would make
(tests/test_up_to_date.py). Anything else is a real build: a file saved,
even with the same bytes; a page changed in output/ by `invoke polls`, a
hand or the preview server; a build that failed, since every build removes
the stamp before it starts and only a build that succeeded writes one.

Light on purpose: the standard library and core.problems only, so that the
answer costs an interpreter start, invoke and a few thousand stat calls.
"""

import datetime
import fnmatch
import hashlib
import json
import os
import re
import runpy
import sys
import sysconfig
import time
from pathlib import Path

FILE = "up-to-date.json"

# The environment a build depends on: the settings files read PORTAL_*
# (PORTAL_SITEURL...), the build's time SOURCE_DATE_EPOCH, the search index
# PAGEFIND_BINARY_PATH. tests/test_up_to_date.py finds every variable our
# code and settings read and fails on one this does not cover.
DECIDING_VARIABLES = ("SOURCE_DATE_EPOCH", "PAGEFIND_BINARY_PATH", "TZ", "LANG", "LC_ALL")
DECIDING_PREFIXES = ("PORTAL_",)
# Read at publish time only, never by a build; and keys are never written down.
NOT_DECIDING_PREFIXES = ("PORTAL_S3_",)

# Files in the input folders that no build reads and Python or editors make.
_NOT_INPUTS = ("__pycache__", "*.pyc")


def deciding_environment(environ=os.environ) -> dict[str, str]:
    return {name: value for name, value in sorted(environ.items())
            if (name in DECIDING_VARIABLES or name.startswith(DECIDING_PREFIXES))
            and not name.startswith(NOT_DECIDING_PREFIXES)}


def _stamp_path(settings_file: str, overrides: dict) -> Path | None:
    """Where the stamp is: CACHE_PATH as Pelican will resolve it (relative
    to the settings file), without importing Pelican; None when the
    settings cannot be read this way (the real build will say why)."""
    if "CACHE_PATH" in overrides:
        cache = overrides["CACHE_PATH"]
    else:
        try:
            cache = runpy.run_path(settings_file).get("CACHE_PATH")
        except Exception:  # noqa: BLE001 - a broken settings file: the build reports it
            return None
    if not isinstance(cache, (str, os.PathLike)):
        return None
    folder = os.path.dirname(os.path.abspath(settings_file))
    return Path(os.path.abspath(os.path.join(folder, cache)), FILE)


def walk_stats(folder: str, ignored=(), follow=True, folders=True):
    """(path, path relative to `folder`, whether a folder, its stat or None
    if it went meanwhile) of every entry under `folder` whose name matches
    none of the `ignored` patterns (IGNORE_FILES), in name order, without
    entering ignored folders: what Pelican reads of content/ (following
    links, as it does), also for the content cache's stamps
    (content_cache.content_stamps). `folders`: the folders too. A few
    thousand entries a second matter: one pattern match per name."""
    skip = re.compile("|".join(map(fnmatch.translate, ignored))).match if ignored else None
    stat_of = os.stat if follow else os.lstat
    start = len(os.path.join(folder, ""))
    for where, subfolders, files in os.walk(folder, followlinks=follow):
        subfolders[:] = sorted(name for name in subfolders if not (skip and skip(name)))
        entries = [(name, True) for name in subfolders] if folders else []
        entries += [(name, False) for name in sorted(files) if not (skip and skip(name))]
        for name, is_folder in entries:
            path = os.path.join(where, name)
            try:
                stat = stat_of(path)
            except OSError:
                stat = None
            yield path, path[start:], is_folder, stat


def _tree_listing(folder: str, ignored=(), follow=True) -> list:
    """Every file and folder under `folder` with its stat (following links
    for inputs, as Pelican reads them; not for the site, whose files are
    compared as they are)."""
    listing = []
    for _, relative, is_folder, stat in walk_stats(folder, ignored, follow):
        # A folder's time says whether an entry came or went. An input's
        # change time says whether it was put back with an old time; not
        # the site's: it changes as the replaced site, whose files share
        # its kept pages' inodes, is deleted after the build (swap.discard).
        if stat is None:
            listing.append((relative, "gone"))
        elif is_folder:
            listing.append((relative, stat.st_ino, stat.st_mtime_ns))
        else:
            listing.append((relative, stat.st_ino, stat.st_size, stat.st_mtime_ns,
                            stat.st_ctime_ns if follow else None))
    return listing


def _digest(parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()


def inputs_digest(settings_file: str, overrides: dict, folders: list[str], ignored: list[str]) -> str:
    """Everything a build of `settings_file` with `overrides` is made from,
    `folders` being its content, theme and plugin folders."""
    project = os.path.dirname(os.path.abspath(settings_file))
    settings_sources = sorted(Path(project).glob("*.py"))  # publishconf.py imports pelicanconf.py
    libraries = sysconfig.get_paths()["purelib"]  # an install or upgrade changes its entries
    parts = [
        os.path.abspath(settings_file), repr(sorted(overrides.items())), sys.version,
        [(path.name, path.read_bytes().decode("utf-8", "replace")) for path in settings_sources],
        deciding_environment(), [libraries, os.stat(libraries).st_mtime_ns],
        [(folder, _tree_listing(folder, [*ignored, *_NOT_INPUTS])) for folder in folders],
    ]
    return _digest(parts)


def site_digest(site_folder: str) -> str:
    return _digest(_tree_listing(site_folder, follow=False))


def current_site(settings_file: str, overrides: dict, now: float | None = None) -> Path | None:
    """OUTPUT_PATH when the site there is already what a build would make
    now, else None (build)."""
    path = _stamp_path(settings_file, overrides)
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
        if stamp["valid_until"] is not None and (now or time.time()) >= stamp["valid_until"]:
            return None
        if not os.path.isdir(stamp["site_folder"]):
            return None
        if stamp["inputs"] != inputs_digest(settings_file, overrides, stamp["folders"],
                                            stamp["ignored"]):
            return None
        if stamp["site"] != site_digest(stamp["site_folder"]):
            return None
    except (AttributeError, OSError, ValueError, KeyError, TypeError):
        return None  # no stamp (a first build, a failed one) or not ours: build
    return Path(stamp["output"])


class BuildStamp:
    """The stamp of the build under way: its inputs taken before it reads
    anything (a file saved while it runs makes the stamp stale, and so the
    next build real), written once its site is in place."""

    def __init__(self, settings_file: str, overrides: dict, settings: dict, site_folder: Path):
        self.path = _stamp_path(settings_file, overrides)
        stable = "object at 0x" not in repr(overrides)  # an override we cannot compare next time
        self.folders = [os.path.abspath(folder) for folder in [
            settings["PATH"], settings["THEME"], *settings.get("PLUGIN_PATHS", []),
            *(settings.get("THEME_TEMPLATES_OVERRIDES") or [])]]
        self.ignored = list(settings.get("IGNORE_FILES") or [])
        self.fields = None
        if self.path and stable:
            self.fields = {"output": str(settings["OUTPUT_PATH"]), "site_folder": str(site_folder),
                           "folders": self.folders, "ignored": self.ignored,
                           "inputs": inputs_digest(settings_file, overrides, self.folders, self.ignored)}

    def forget(self) -> None:
        """Before the build changes anything: a failed or killed build leaves no stamp."""
        if self.path:
            self.path.unlink(missing_ok=True)

    def remember(self, valid_until: datetime.datetime | None) -> None:
        """After the site is in place, with the moment it stops being right."""
        if not self.fields:
            return
        stamp = {**self.fields, "site": site_digest(self.fields["site_folder"]),
                 "valid_until": valid_until.timestamp() if valid_until else None}
        aside = self.path.with_name(f".{FILE}.{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            aside.write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")
            os.replace(aside, self.path)
        except OSError:  # a full disk: no stamp, the next build is a real one
            aside.unlink(missing_ok=True)

