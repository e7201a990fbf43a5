"""The build's last step: check every generated page and fill its poll slots
(the sidebar's polls block; the list on the poll results page).

Idempotent: the fill is a targeted edit between fixed markers, and a page
is written only when its bytes change, so running it again changes nothing.
"""

from pathlib import Path

from bs4 import BeautifulSoup

from .page_checks import check_page, check_text_form
from .poll_data import PollDataError
from .polls import build_time, fill_poll_slots, poll_blocks
from .problems import Problem
from .visit_stats import check_visit_stats_settings


def html_pages(output_dir: Path):
    return sorted(p for p in output_dir.rglob("*.html") if p.is_file())


def check_and_fill(output_dir, settings, shown_as="output", now=None) -> list[Problem]:
    """Problems found in `output_dir`; pages are filled in place.

    `shown_as` names the folder in messages: the build checks a staging
    folder that becomes output/ only when nothing is wrong.
    """
    output_dir = Path(output_dir)
    problems = check_visit_stats_settings(settings)
    try:
        # Polls are judged at an explicit time (POLLS_NOW, SOURCE_DATE_EPOCH
        # or the clock), so a build is reproducible and tests are exact.
        blocks = poll_blocks(settings, now or build_time(settings))
    except PollDataError as error:
        problems.extend(error.problems)
    if problems:
        return problems  # pages are left unfilled; the build fails anyway
    for path in html_pages(output_dir):
        shown = f"{shown_as}/{path.relative_to(output_dir).as_posix()}"
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "lxml")
        found = check_text_form(html) + check_page(soup)
        problems.extend(Problem(shown, message) for message in found)
        if found:
            continue
        filled = fill_poll_slots(html, blocks)
        if filled != html:
            path.write_text(filled, encoding="utf-8")
    return problems
