"""The polls block: the slot every page has, and what the check-and-fill
step puts in it (the active polls, or the placeholder when there are none).
"""

import re

import jinja2

SLOT_START = "<!--polls-slot-->"
SLOT_END = "<!--/polls-slot-->"
# What lies between the markers is ours to replace; the markers stay, so
# filling again over filled output finds the same place.
_SLOT_CONTENT = re.compile(re.escape(SLOT_START) + ".*?" + re.escape(SLOT_END), re.S)


def active_polls(at, settings) -> list:
    """Polls open at `at`. None exist until poll data is added (issue #4)."""
    return []


def theme_environment(settings) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(f"{settings['THEME']}/templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_polls_block(settings, polls) -> str:
    template = theme_environment(settings).get_template("partials/polls.html")
    return template.render(
        polls=polls,
        POLLS_HEADING=settings["POLLS_HEADING"],
        POLLS_EMPTY_TEXT=settings["POLLS_EMPTY_TEXT"],
    ).strip()


def fill_polls_slot(html: str, block: str) -> str:
    """The page with `block` between the slot's markers (a targeted edit:
    the rest of the page keeps every byte)."""
    return _SLOT_CONTENT.sub(lambda _: SLOT_START + block + SLOT_END, html, count=1)
