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
from pelican.settings import read_settings

from . import problems as problem_log
from .check_and_fill import check_and_fill, checking_as_written
from .assets import finish_for_hosting
from .read_ahead import reading_ahead
from .search import build_search_index
from .problems import BuildFailed, Problem, ProblemCollector
from .swap import replace_directory


def load_settings(settings_file: str = "pelicanconf.py", **overrides) -> dict:
    return read_settings(settings_file, override=overrides or None)


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


def build_site(settings_file: str = "pelicanconf.py", **overrides) -> Path:
    """Build into staging, check and fill, then replace OUTPUT_PATH.

    Raises BuildFailed, listing every problem, and leaves OUTPUT_PATH as it was.
    """
    settings = load_settings(settings_file, **overrides)
    output = Path(settings["OUTPUT_PATH"])
    staging = output.with_name(f".{output.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    settings["OUTPUT_PATH"] = str(staging)
    try:
        with checking_as_written(settings) as checked:
            found = run_pelican(settings)
            if found:
                raise BuildFailed(found, "build")
            found = check_and_fill(staging, settings, shown_as=output.name, checked=checked)
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
