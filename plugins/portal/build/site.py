"""Build, check, then swap into place: a failed build never touches output/.

Pelican writes into a staging folder beside output/; the check-and-fill step
runs over it; only when both found nothing wrong does the staging folder
take output/'s place, in one atomic exchange where the system offers it.
"""

import logging
import os
import shutil
from pathlib import Path

from pelican import Pelican
from pelican.log import LimitFilter

from ..check.check_and_fill import check_pages, checking_as_written
from ..core import problems as problem_log
from ..core.problems import BuildFailed, Problem, ProblemCollector
from ..core.settings import load_settings
from ..polls.blocks import build_time, poll_blocks
from ..polls.data import PollDataError
from ..read.read_ahead import reading_ahead
from ..search.index import build_search_index
from ..visit_stats.counter import check_visit_stats_settings
from .hosting import finish_for_hosting
from .swap import replace_directory


def forget_logged_messages() -> None:
    """Pelican's loggers drop any warning already logged in this process
    (its LimitFilter). The preview server runs build after build in one
    process, and each build must report all of its problems."""
    LimitFilter._raised_messages.clear()
    LimitFilter._ignore.clear()
    LimitFilter._group_count.clear()


def run_pelican(settings: dict) -> list[Problem]:
    """Run Pelican in-process; every warning or error becomes a problem."""
    forget_logged_messages()
    collector = ProblemCollector()
    pelican_logger = logging.getLogger("pelican")
    saved = (pelican_logger.handlers[:], pelican_logger.propagate, pelican_logger.level)
    pelican_logger.handlers = [collector]
    pelican_logger.propagate = False
    pelican_logger.setLevel(logging.WARNING)
    problem_log.active_collector = collector
    try:
        with reading_ahead():
            Pelican(settings).run()
    except Exception as error:  # a crash is one more problem, never a traceback
        collector.problems.append(Problem("pelican", " ".join(str(error).split())))
    finally:
        problem_log.active_collector = None
        pelican_logger.handlers, pelican_logger.propagate, level = saved
        pelican_logger.setLevel(level)
    return collector.problems


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


def build_site(settings_file: str = "pelicanconf.py", **overrides) -> Path:
    """Build into staging, check and fill, then replace OUTPUT_PATH.

    Raises BuildFailed, listing every problem, and leaves OUTPUT_PATH as it was.
    """
    settings = load_settings(settings_file, **overrides)
    output = Path(settings["OUTPUT_PATH"])
    staging = output.with_name(f".{output.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    settings["OUTPUT_PATH"] = str(staging)
    blocks, slot_problems = slot_blocks(settings)
    settings["PORTAL_POLL_BLOCKS"] = blocks  # rendered by Pelican, verified by the check
    try:
        with checking_as_written(settings) as checked:
            found = run_pelican(settings)
            if found:
                raise BuildFailed(found + slot_problems, "build")
            if slot_problems:
                raise BuildFailed(slot_problems, "check")
            found = check_and_fill(staging, settings, shown_as=output.name, checked=checked,
                                   blocks=blocks)
        if found:
            raise BuildFailed(found, "check")
        found = build_search_index(staging)
        if found:
            raise BuildFailed(found, "search index")
        finish_for_hosting(staging, settings)
        replace_directory(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    settings["OUTPUT_PATH"] = str(output)
    return output


def check_output(settings_file: str = "pelicanconf.py") -> Path:
    """The check-and-fill step alone, over an existing output/."""
    settings = load_settings(settings_file)
    output = Path(settings["OUTPUT_PATH"])
    if not output.is_dir():
        raise BuildFailed([Problem(output.name, "no site here yet; run `make build` first")], "check")
    found = check_and_fill(output, settings, shown_as=os.path.basename(output))
    if found:
        raise BuildFailed(found, "check")
    return output


def clean(settings_file: str = "pelicanconf.py") -> None:
    settings = load_settings(settings_file)
    for folder in (settings["OUTPUT_PATH"], settings["CACHE_PATH"]):
        shutil.rmtree(folder, ignore_errors=True)
