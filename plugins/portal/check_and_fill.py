"""The build's last step: check every generated page and fill its polls slot.

Idempotent: the fill is a targeted edit between fixed markers, and a page
is written only when its bytes change, so running it again changes nothing.
"""

import datetime
from pathlib import Path

from bs4 import BeautifulSoup

from .page_checks import check_page
from .polls import active_polls, fill_polls_slot, render_polls_block
from .problems import Problem


def html_pages(output_dir: Path):
    return sorted(p for p in output_dir.rglob("*.html") if p.is_file())


def check_and_fill(output_dir, settings, shown_as="output", now=None) -> list[Problem]:
    """Problems found in `output_dir`; pages are filled in place.

    `shown_as` names the folder in messages: the build checks a staging
    folder that becomes output/ only when nothing is wrong.
    """
    output_dir = Path(output_dir)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    block = render_polls_block(settings, active_polls(now, settings))
    problems = []
    for path in html_pages(output_dir):
        shown = f"{shown_as}/{path.relative_to(output_dir).as_posix()}"
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "lxml")
        found = check_page(soup)
        problems.extend(Problem(shown, message) for message in found)
        if found:
            continue
        filled = fill_polls_slot(html, block)
        if filled != html:
            path.write_text(filled, encoding="utf-8")
    return problems
