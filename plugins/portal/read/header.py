"""The metadata header of an editor's Markdown file ("Title: ...", one field a
line): read as written, and checked field by field with messages that name
the file, the line and what to write instead."""

import datetime
import os
import re

from ..core.problems import ContentError

STATUSES = ("published", "draft", "hidden")
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:(.*)$")
_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
DATE_HINT = "write it as 2020-09-14 or 2020-09-14 08:30"


def read_header(text: str, repeats: list | None = None) -> dict[str, tuple[int, str]]:
    """The metadata header: {lower-case key: (line number, raw value)}; the
    first line of a key counts. `repeats` collects (key, first line, line)
    of keys given again."""
    header = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        match = _HEADER_LINE.match(line)
        if not match:
            if line.startswith((" ", "\t")):
                continue  # a continued value, as Markdown's meta allows
            break
        key = match.group(1).lower()
        if key in header and repeats is not None:
            repeats.append((key, header[key][0], number))
        header.setdefault(key, (number, match.group(2).strip()))
    return header


def parse_date(value: str) -> datetime.datetime:
    """An editor's Date value; ValueError with what to write instead."""
    match = _ISO_DATE.match(value)
    if not match:
        day_first = _DAY_FIRST_DATE.match(value)
        if day_first:
            day, month, year = (int(part) for part in day_first.groups())
            try:
                suggestion = datetime.date(year, month, day).isoformat()
            except ValueError:
                raise ValueError(f'Date "{value}" is not a real date; {DATE_HINT}')
            raise ValueError(
                f'Date "{value}" is day-first; write it as {suggestion} '
                "(year-month-day)"
            )
        raise ValueError(f'Date "{value}" is not a date; {DATE_HINT}')
    parts = [int(part) if part else 0 for part in match.groups()]
    try:
        return datetime.datetime(*parts)
    except ValueError:
        raise ValueError(f'Date "{value}" is not a real date; {DATE_HINT}') from None


def date_has_time(value: str) -> bool:
    """Whether an editor's (valid) Date value gives a time of day."""
    return bool(_ISO_DATE.match(value).group(4))


def content_kind(source_path: str, settings: dict) -> str:
    """'page' for files under PAGE_PATHS, otherwise 'article'."""
    relative = os.path.relpath(source_path, settings["PATH"]).replace(os.sep, "/")
    for page_path in settings["PAGE_PATHS"]:
        if relative.startswith(page_path.rstrip("/") + "/"):
            return "page"
    return "article"


def check_header(header, shown: str, kind: str, settings: dict, repeats=()) -> None:
    """Raise ContentError for the first field that would break the page."""
    for key, first, again in repeats:
        # Pelican would keep one silently, or crash on a list (Title).
        raise ContentError(
            shown, f"{key.capitalize()} is given twice (lines {first} and {again}); keep one of them", again)

    def field(key):
        return header.get(key, (None, ""))

    line, title = field("title")
    if line is None:
        raise ContentError(
            shown, "Title is missing; add a line 'Title: ...' at the top of the file"
        )
    if not title:
        raise ContentError(shown, "Title is empty; write the headline after 'Title:'", line)

    line, status = field("status")
    if line and status.lower() not in STATUSES:
        raise ContentError(
            shown,
            f'Status "{status}" is unknown; use one of: {", ".join(STATUSES)}',
            line,
        )

    line, date = field("date")
    if line is None and kind == "article":
        raise ContentError(shown, f"Date is missing; add a line 'Date: ...' ({DATE_HINT})")
    if line is not None:
        try:
            parse_date(date)
        except ValueError as error:
            raise ContentError(shown, str(error), line) from None

    if kind != "article":
        return
    line, author = field("author")
    if not author:
        raise ContentError(
            shown,
            "Author is missing; add a line 'Author: ...' with the writer's name",
            line,
        )
    line, category = field("category")
    known = settings.get("PORTAL_CATEGORIES", [])
    if not category:
        raise ContentError(
            shown,
            f"Category is missing; add a line 'Category: ...' with one of: {', '.join(known)}",
            line,
        )
    if known and category not in known:
        raise ContentError(
            shown,
            f'Category "{category}" is not one of: {", ".join(known)}; fix the '
            "spelling, or add it to PORTAL_CATEGORIES in pelicanconf.py",
            line,
        )
