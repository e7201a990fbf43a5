"""The polls block and the polls archive: what goes into their marked slots
(render.slots), from the poll files and an explicit time.

Pelican renders them into every page; the check-and-fill step verifies them,
and `invoke polls` refreshes them in an existing output/ (e.g. from a
scheduled job at a poll's start or end) without rebuilding the site.
"""

import datetime
import functools
import os
from pathlib import Path

import jinja2

from ..core.build_time import BuildTimeError
from ..core.build_time import build_time as core_build_time
from ..core.problems import BuildFailed, Problem
from ..core.settings import load_settings
from ..core.vietnamese import number as vietnamese_number
from ..core.vietnamese import site_timezone
from ..render.slots import fill_page
from .data import Poll, PollDataError, load_polls

# --- Time -----------------------------------------------------------------------


def build_time(settings, environ=os.environ) -> datetime.datetime:
    """The build's moment (core.build_time), at which polls are judged open
    or ended; a wrong POLLS_NOW or SOURCE_DATE_EPOCH is a poll problem."""
    try:
        return core_build_time(settings, environ)
    except BuildTimeError as error:
        raise PollDataError(error.problems) from None


def active_polls(at, settings, polls=None) -> list[Poll]:
    """Polls open at `at` (start <= at < end), the one ending first first."""
    polls = load_polls(settings) if polls is None else polls
    return sorted((p for p in polls if p.is_active(at)), key=lambda p: (p.end, p.id))


def past_polls(at, settings, polls=None) -> list[Poll]:
    """Polls ended by `at`, newest (latest end) first."""
    polls = load_polls(settings) if polls is None else polls
    return sorted((p for p in polls if p.has_ended(at)), key=lambda p: (p.end, p.id), reverse=True)


# --- What the templates show ----------------------------------------------------


def next_change(settings, after: datetime.datetime) -> datetime.datetime | None:
    """The first moment after `after` at which a poll opens or closes: the
    poll blocks a site was built with are right until then."""
    moments = [moment for poll in load_polls(settings) for moment in (poll.start, poll.end)
               if moment > after]
    return min(moments, default=None)


def vi_time(moment: datetime.datetime, zone) -> str:
    """'17:00 ngày 31/05/2024', in the site's time zone."""
    return moment.astimezone(zone).strftime("%H:%M ngày %d/%m/%Y")


def poll_view(poll: Poll, zone) -> dict:
    """A poll as the partials show it: ids, texts and percentages prepared."""
    view = {
        "id": poll.id,
        "question": poll.question,
        "multiple": poll.multiple,
        "endpoint": poll.vote_endpoint,
        "end_iso": poll.end.isoformat(),
        "start_text": vi_time(poll.start, zone),
        "end_text": vi_time(poll.end, zone),
        "options": [
            {"text": text, "input_id": f"poll-{poll.id}-{number}"}
            for number, text in enumerate(poll.options, start=1)
        ],
        "results": None,
    }
    if poll.results:
        total = sum(poll.results.counts)
        view["results"] = {
            "taken_text": vi_time(poll.results.taken, zone),
            "total_text": vietnamese_number(total),
            "rows": [
                {
                    "text": text,
                    "count_text": vietnamese_number(count),
                    "percent_text": f"{round(100 * count / total) if total else 0}%",
                    # The bar's length, as an SVG attribute: no inline style for the CSP.
                    "bar_width": f"{100 * count / total if total else 0:.1f}%",
                }
                for text, count in zip(poll.options, poll.results.counts)
            ],
        }
    return view


def theme_environment(settings) -> jinja2.Environment:
    return _environment(f"{settings['THEME']}/templates")


@functools.lru_cache(maxsize=4)
def _environment(templates: str) -> jinja2.Environment:
    # One environment per theme, kept: the loader still notices edited
    # templates (auto_reload), so the preview server sees them.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_polls_block(settings, polls) -> str:
    """The sidebar block: the active polls, or the placeholder when none."""
    template = theme_environment(settings).get_template("partials/polls.html")
    zone = site_timezone(settings)
    return template.render(
        polls=[poll_view(p, zone) for p in polls],
        POLLS_HEADING=settings["POLLS_HEADING"],
        POLLS_EMPTY_TEXT=settings["POLLS_EMPTY_TEXT"],
    ).strip()


def render_archive(settings, polls) -> str:
    """The list on the polls archive page: ended polls, newest first."""
    template = theme_environment(settings).get_template("partials/poll_archive.html")
    zone = site_timezone(settings)
    return template.render(
        polls=[poll_view(p, zone) for p in polls],
        POLL_RESULTS_EMPTY_TEXT=settings.get(
            "POLL_RESULTS_EMPTY_TEXT", "Chưa có cuộc bình chọn nào kết thúc."),
    ).strip()


def poll_blocks(settings, at) -> dict[str, str]:
    """Both slots' contents at `at`, from the poll files read once;
    PollDataError when a poll file is wrong."""
    polls = load_polls(settings)
    return {
        "polls": render_polls_block(settings, active_polls(at, settings, polls)),
        "archive": render_archive(settings, past_polls(at, settings, polls)),
    }


# --- Filling pages --------------------------------------------------------------


def refresh_polls(output_dir, settings, at=None) -> int:
    """Refill the poll slots of every page in `output_dir`; the number of pages
    that changed. No parsing and no page checks: fast enough for a scheduled job."""
    at = at or build_time(settings)
    blocks = poll_blocks(settings, at)
    return sum(fill_page(path, path.read_text(encoding="utf-8"), blocks)
               for path in sorted(Path(output_dir).rglob("*.html")))


def refresh_output(settings_file="pelicanconf.py", at=None) -> tuple[Path, int]:
    """`invoke polls`: refresh output/'s poll blocks and archive; BuildFailed
    naming every wrong poll file (then no page is touched)."""
    settings = load_settings(settings_file)
    output = Path(settings["OUTPUT_PATH"])
    if not output.is_dir():
        raise BuildFailed([Problem(output.name, "no site here yet; run `make build` first")], "polls")
    try:
        return output, refresh_polls(output, settings, at)
    except PollDataError as error:
        raise BuildFailed(error.problems, "polls") from None
