"""Marked slots: regions of a page, between fixed comment markers, whose
contents are filled after Pelican has written the page.

The polls block (on every page) and the poll archive (on the results page)
depend on the time, not only on the content: the check-and-fill step and
`invoke polls` refresh them in place, without a rebuild. The markers stay,
so filling again over filled output finds the same place, and a fill is a
targeted edit: the rest of the page keeps every byte.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Slot:
    attribute: str  # the element holding the markers carries this attribute
    start: str
    end: str
    name: str  # for messages

    @property
    def pattern(self) -> re.Pattern:
        return re.compile(re.escape(self.start) + ".*?" + re.escape(self.end), re.S)


POLLS = Slot("data-polls-slot", "<!--polls-slot-->", "<!--/polls-slot-->", "polls slot")
POLL_ARCHIVE = Slot("data-poll-archive-slot", "<!--poll-archive-->", "<!--/poll-archive-->",
                    "poll archive slot")
SLOTS = {"polls": POLLS, "archive": POLL_ARCHIVE}


def fill_slot(html: str, slot: str, block: str) -> str:
    """The page with `block` between the markers of `slot`."""
    marked = SLOTS[slot]
    start, end = marked.start, marked.end
    if start not in html or start + block + end in html:
        return html  # no such slot, or filled already: most pages of most builds
    return marked.pattern.sub(lambda _: start + block + end, html, count=1)


def fill_slots(html: str, blocks: dict[str, str]) -> str:
    for slot, block in blocks.items():
        html = fill_slot(html, slot, block)
    return html


def fill_page(path: Path, html: str, blocks: dict[str, str]) -> bool:
    """Fill `path` (whose text is `html`); written only when its bytes change,
    so filling again changes nothing. Whether it was written.

    Written aside and renamed over it, never rewritten in place: the page
    may be a link to the last build's file (render.selective_writer), and a
    reader of a live site sees the old page or the new, never half of one."""
    filled = fill_slots(html, blocks)
    if filled == html:
        return False
    aside = path.with_name(f".{path.name}.{os.getpid()}.filling")
    try:
        aside.write_text(filled, encoding="utf-8")
        os.chmod(aside, os.stat(path).st_mode & 0o7777)
        os.replace(aside, path)
    finally:
        aside.unlink(missing_ok=True)
    return True
