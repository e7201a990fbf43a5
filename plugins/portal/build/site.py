"""Build, check, then swap into place: a failed build never touches output/.

Pelican writes into a staging folder of this build's own beside output/;
the check-and-fill step runs over it; only when both found nothing wrong,
and the staging folder holds a complete site, does it take output/'s place,
in one atomic exchange where the system offers it. A build holds output/'s
lock throughout (build.lock): a second build waits for the first.

Every build is incremental, and its result is the same, byte for byte, as
a clean build's (tests/test_incremental.py):

- reading: files unchanged since the last build come from Pelican's content
  cache, loaded only when it cannot change a verdict (content_cache.py);
- rendering: a page whose inputs (render.page_inputs) are the last build's
  is not rendered; the staging folder gets a hard link to that page's file
  in output/ (render.selective_writer; rendered_pages.py remembers what each
  build rendered). Nothing is ever written through such a link: every
  writer puts a new file in place, so output/ stays as it was until the
  swap, and after a failure;
- checking: pages whose bytes passed before are not parsed again
  (check.check_and_fill.CheckedPages).
"""

import datetime
import logging
import os
from contextlib import contextmanager
from pathlib import Path

from pelican import Pelican
from pelican.contents import Content
from pelican.log import LimitFilter

from ..check.check_and_fill import check_pages, checking_as_written, checks_identity, html_pages
from ..core import problems as problem_log
from ..core.build_time import BuildTimeError, build_time_is_fixed
from ..core.problems import BuildFailed, Problem, ProblemCollector, crash_problem, display_path
from ..core.settings import load_settings
from ..core.vietnamese import site_timezone
from ..polls.blocks import build_time, next_change, poll_blocks, refresh_output
from ..polls.data import PollDataError
from ..read.read_ahead import reading_ahead
from ..render.assets import theme_assets
from ..search.index import build_search_index
from ..visit_stats.counter import check_visit_stats_settings
from . import rendered_pages
from .content_cache import ContentCache, cache_key, content_stamps
from .hosting import finish_for_hosting, forget_sources
from .lock import build_lock
from .safe_folders import (MARKER, Refused, check_replaceable, make_world_readable, mark_as_site,
                           new_work_folder, project_folders, real_folder, remove, remove_leftovers)
from .swap import replace_directory
from .up_to_date import BuildStamp


def forget_logged_messages() -> None:
    """Pelican's loggers drop any warning already logged in this process
    (its LimitFilter). The preview server runs build after build in one
    process, and each build must report all of its problems."""
    LimitFilter._raised_messages.clear()
    LimitFilter._ignore.clear()
    LimitFilter._group_count.clear()


def run_pelican(settings: dict) -> list[Problem]:
    """Run Pelican in-process; every warning or error becomes a problem."""
    with collecting_problems() as collector:
        try:
            with reading_ahead():
                Pelican(settings).run()
        finally:
            forget_rendered_texts()
    return collector.problems


@contextmanager
def collecting_problems():
    """Inside: every warning or error Pelican logs, every problem our plugins
    report and a crash (never a traceback) become problems of the collector
    yielded (its `problems`)."""
    forget_logged_messages()
    collector = ProblemCollector()
    pelican_logger = logging.getLogger("pelican")
    saved = (pelican_logger.handlers[:], pelican_logger.propagate, pelican_logger.level)
    pelican_logger.handlers = [collector]
    pelican_logger.propagate = False
    pelican_logger.setLevel(logging.WARNING)
    problem_log.active_collector = collector
    try:
        yield collector
    except BuildFailed:
        raise  # problems already
    except Exception as error:  # a crash is one more problem
        collector.problems.append(crash_problem(error))
    finally:
        problem_log.active_collector = None
        pelican_logger.handlers, pelican_logger.propagate, level = saved
        pelican_logger.setLevel(level)


def forget_rendered_texts() -> None:
    """Pelican memoises each article's HTML and summary in one dictionary
    per method, for the whole process, keyed by the article: every article
    of every build stays alive with its text. The preview server builds
    again and again in one process (at 10,000 articles, some 400 MB more
    each full rebuild); once a build is over, nothing asks for them."""
    for name in ("get_content", "get_summary"):
        Content.__dict__[name].cache.clear()


def slot_blocks(settings, now=None) -> tuple[dict[str, str], list[Problem]]:
    """The contents of the marked slots (render.slots) at build time, with
    the poll files read once, and the problems of the poll files and the
    counter settings."""
    problems = check_visit_stats_settings(settings)
    try:
        # Polls are judged at an explicit time (POLLS_NOW, SOURCE_DATE_EPOCH
        # or the clock), so a build is reproducible and tests are exact.
        return poll_blocks(settings, now or build_time(settings)), problems
    except PollDataError as error:
        return {}, problems + error.problems
    except Exception as error:  # a poll template that fails: one line naming it, never a traceback
        return {}, problems + [crash_problem(error)]


def check_and_fill(output_dir, settings, shown_as="output", now=None, only=None,
                   checked=None, blocks=None) -> list[Problem]:
    """The check-and-fill step: the problems of `output_dir`'s pages, whose
    slots are filled in place (check.check_and_fill.check_pages), with the
    slots' contents at `now` unless the build computed them (`blocks`)."""
    if blocks is None:
        blocks, problems = slot_blocks(settings, now)
        if problems:
            return problems  # pages are left unfilled; the build fails anyway
    return check_pages(output_dir, settings, blocks, shown_as=shown_as, only=only, checked=checked)


# {staging folder: the files Pelican wrote into it}, for the builds under
# way in this process: before the swap, each must still be there.
_written_into: dict[str, list[str]] = {}


def remember_file_written(path, context=None) -> None:
    """Pelican's content_written signal."""
    for staging, written in _written_into.items():
        if str(path).startswith(staging + os.sep):
            written.append(str(path))


# How a build reads when its caller does not manage the content cache (the
# preview server does: devserver.py): with Pelican's cache, see content_cache.py.
CACHED_READING = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}


def build_site(settings_file: str = "pelicanconf.py", **overrides) -> Path:
    """Build into a staging folder of its own, check and fill, then replace
    OUTPUT_PATH (where it really is, if it is a link), holding its lock.

    Raises BuildFailed, listing every problem, and leaves OUTPUT_PATH as it was.
    """
    stamp_overrides = dict(overrides)  # as the caller gave them: up_to_date compares them next time
    own_cache = "LOAD_CONTENT_CACHE" not in overrides
    if own_cache:
        overrides = {**CACHED_READING, **overrides}
    settings = load_settings(settings_file, **overrides)
    output = Path(settings["OUTPUT_PATH"])
    where = f"{os.path.basename(settings_file)}: OUTPUT_PATH"
    site_folder = real_folder(output, where)
    project, own = project_folders(settings_file, settings, "CACHE_PATH")
    check_replaceable(site_folder, where, project, own, old_build_ok=True)
    try:
        site_folder.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(site_folder):
            check_replaceable(site_folder, where, project, own, old_build_ok=True)  # as it is now
            remove_leftovers(site_folder)
            stamp = BuildStamp(settings_file, stamp_overrides, settings, site_folder)
            stamp.forget()
            started = _build_moment(settings)
            if own_cache:
                _build_reading_cached(site_folder, settings, output.name)
            else:
                _build_and_swap(site_folder, settings, output.name)
            if started:
                stamp.remember(valid_until(settings, started))
    except OSError as error:  # disk full, no right to write there...: one line, output/ as it was
        raise BuildFailed([Problem(display_path(output), " ".join(str(error).split()))],
                          "build") from None
    return output


def _build_moment(settings) -> datetime.datetime | None:
    try:
        return build_time(settings)
    except BuildTimeError:
        return None  # the build fails on it, and leaves no stamp


def valid_until(settings, built_at: datetime.datetime) -> datetime.datetime | None:
    """Until when a site built at `built_at` is what a build would make: the
    next day (a document's "in force" is judged by the day) or the next poll
    opening or closing, whichever comes first; for ever when the build's
    time is a setting or variable (an input, then: build.up_to_date)."""
    if build_time_is_fixed(settings):
        return None
    zone = site_timezone(settings)
    tomorrow = built_at.astimezone(zone).date() + datetime.timedelta(days=1)
    midnight = datetime.datetime.combine(tomorrow, datetime.time(), tzinfo=zone)
    poll_change = next_change(settings, built_at)
    return min(midnight, poll_change) if poll_change else midnight


def _build_reading_cached(site_folder: Path, settings: dict, shown_as: str) -> None:
    """The build with Pelican's content cache, loaded when it cannot change a
    verdict; kept for the next build only when this one succeeded and no
    file changed while it read (a failed build may have cached a file whose
    warning would not be repeated)."""
    cache = ContentCache(settings["CACHE_PATH"])
    key = cache_key(settings)
    files = content_stamps(settings)
    load = cache.open_for_build(key, set(files), allow_gone=True)
    settings = {**settings, "LOAD_CONTENT_CACHE": load, "PORTAL_CONTENT_GONE": sorted(cache.gone)}
    _build_and_swap(site_folder, settings, shown_as)
    if content_stamps(settings) == files:
        cache.close_after_build(key, set(files))


def _build_and_swap(site_folder: Path, settings: dict, shown_as: str) -> None:
    staging = new_work_folder(site_folder, "staging")
    _written_into[str(staging)] = written = []
    # What the writer renders and keeps, for the next build.
    rendered = {"unchanged": set()}
    settings = {**settings, "PORTAL_LAST_PAGES": rendered_pages.last_build(settings, site_folder),
                "PORTAL_RENDERED_PAGES": rendered}
    try:
        _build_into(staging, settings, shown_as, written)
        record = rendered_pages.remember(settings, staging, site_folder, rendered)
        rendered_pages.forget(settings)  # until the swap is done: never a record of another site
        replace_directory(staging, site_folder, trash=Path(settings["CACHE_PATH"], OLD_SITES))
        rendered_pages.save(settings, record)
        last_build_stats.update({name: len(rendered.get(name, []))
                                 for name in ("rendered", "kept", "same_bytes")})
    finally:
        del _written_into[str(staging)]
        forget_sources()
        remove(staging)  # after a failure, the new site (after a swap, swap.discard took the old)


# In CACHE_PATH: replaced sites, deleted in the background (swap.discard).
OLD_SITES = "old-sites"

# How many pages the last build in this process rendered and kept (bench, tests).
last_build_stats: dict[str, int] = {}


def _build_into(staging: Path, settings: dict, shown_as: str, written: list[str]) -> None:
    """The whole build, into `staging`: BuildFailed unless it is a complete,
    checked site, ready to take output/'s place."""
    # The site this build replaces: its search index slices are reused where
    # their pages did not change (search.index).
    previous_site = settings["OUTPUT_PATH"]
    settings = {**settings, "OUTPUT_PATH": str(staging)}
    blocks, slot_problems = slot_blocks(settings)
    settings["PORTAL_POLL_BLOCKS"] = blocks  # rendered by Pelican, verified by the check
    with checking_as_written(settings) as checked:
        found = run_pelican(settings)
        if found:
            raise BuildFailed(found + slot_problems, "build")
        if slot_problems:
            raise BuildFailed(slot_problems, "check")
        found = check_and_fill(staging, settings, shown_as=shown_as, checked=checked,
                               blocks=blocks, only=_pages_to_check(staging, settings))
    if found:
        raise BuildFailed(found, "check")
    found = build_search_index(staging, previous=previous_site)
    if found:
        raise BuildFailed(found, "search index")
    finish_for_hosting(staging, settings)
    mark_as_site(staging)
    make_world_readable(staging)  # output/ may be a web server's root (a link to /srv/...)
    found = missing_from_site(staging, settings, written, shown_as)
    if found:
        raise BuildFailed(found, "swap")


def _pages_to_check(staging: Path, settings) -> list[Path] | None:
    """The pages of `staging` to check and fill: all (None), except the
    pages an incremental build kept because nothing they are made of changed,
    while the slots' blocks and the checks are the last build's too (which
    checked and filled those very files)."""
    record = settings.get("PORTAL_RENDERED_PAGES") or {}
    unchanged = record.get("unchanged")
    last = settings.get("PORTAL_LAST_PAGES") or {}
    if not unchanged or not record.get("same_blocks") or last.get("checks") != checks_identity():
        return None
    return [path for path in html_pages(staging) if str(path) not in unchanged]


# What every build makes, beside the pages Pelican reports writing.
ALWAYS_BUILT = ("index.html", "404.html", "pagefind/slices.json", MARKER)


def missing_from_site(site: Path, settings, written: list[str], shown_as="output") -> list[Problem]:
    """What a complete site lacks in `site`: the pages Pelican wrote, the
    theme's assets, the home and 404 pages, the search index. A folder
    emptied or changed under the build must never replace output/."""
    expected = [site / name for name in ALWAYS_BUILT]
    expected += [site / url for url in theme_assets(settings).values()]
    expected += [Path(path) for path in written]
    missing = [path.relative_to(site).as_posix() for path in dict.fromkeys(expected)
               if not path.is_file()]
    if not missing:
        return []
    if len(missing) > 3:
        return [Problem(shown_as, f"the new site is incomplete: {len(missing)} files the build "
                        f"wrote are gone (the first: {missing[0]}); was the folder changed "
                        "during the build?")]
    return [Problem(f"{shown_as}/{name}", "missing from the new site") for name in missing]


def refresh_polls(settings_file: str = "pelicanconf.py") -> tuple[Path, int]:
    """`invoke polls` (polls.blocks.refresh_output), holding output/'s lock:
    a build must not swap the folder while its pages' poll blocks are refilled."""
    output = Path(load_settings(settings_file)["OUTPUT_PATH"])
    if not output.is_dir():
        return refresh_output(settings_file)  # which says there is no site yet
    with build_lock(real_folder(output, f"{os.path.basename(settings_file)}: OUTPUT_PATH")):
        return refresh_output(settings_file)


def check_output(settings_file: str = "pelicanconf.py") -> Path:
    """The check-and-fill step alone, over an existing output/ (holding its
    lock: a build must not swap the folder while pages are filled)."""
    settings = load_settings(settings_file)
    output = Path(settings["OUTPUT_PATH"])
    if not output.is_dir():
        raise BuildFailed([Problem(output.name, "no site here yet; run `make build` first")], "check")
    site_folder = real_folder(output, f"{os.path.basename(settings_file)}: OUTPUT_PATH")
    try:
        with build_lock(site_folder):
            found = check_and_fill(site_folder, settings, shown_as=os.path.basename(output))
    except OSError as error:
        raise BuildFailed([Problem(display_path(output), " ".join(str(error).split()))],
                          "check") from None
    if found:
        raise BuildFailed(found, "check")
    return output


def clean(settings_file: str = "pelicanconf.py") -> None:
    """Delete output/ and Pelican's cache, and the work folders of killed
    builds; never through a link, never anything but a site this project
    built and its cache (safe_folders)."""
    settings = load_settings(settings_file)
    name = os.path.basename(settings_file)
    folders = []
    for setting, other in (("OUTPUT_PATH", "CACHE_PATH"), ("CACHE_PATH", "OUTPUT_PATH")):
        where, path = f"{name}: {setting}", Path(settings[setting])
        if path.is_symlink():
            raise Refused(where, f"{display_path(path)} is a link to {os.path.realpath(path)}; "
                          "clean deletes nothing through a link: remove the link or that "
                          "folder yourself")
        folder = real_folder(path, where)
        project, own = project_folders(settings_file, settings, other)
        check_replaceable(folder, where, project, own, marked=setting == "OUTPUT_PATH",
                          old_build_ok=True)
        folders.append(folder)
    site_folder, cache = folders
    try:
        if not site_folder.parent.is_dir():
            return remove(cache)  # no site, so no lock to take
        with build_lock(site_folder):  # never under a build that is writing them
            remove_leftovers(site_folder)
            remove(site_folder)
            remove(cache)
    except OSError as error:
        raise BuildFailed([Problem(display_path(error.filename or site_folder),
                                   " ".join(str(error).split()))], "clean") from None
