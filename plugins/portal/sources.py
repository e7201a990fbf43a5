"""Reading editors' Markdown: strict about what would break a page, with
messages that name the file, the line and what to do.

PortalMarkdownReader replaces Pelican's Markdown reader. It decodes the file
itself (UTF-8, a byte-order mark accepted silently), normalises the text to
NFC, checks the metadata header, converts and sanitises the body
(MarkdownConverter, which read_ahead also runs in worker processes), then
lets Pelican's reader turn the metadata into Pelican's values.
"""

import datetime
import logging
import os
import re
from dataclasses import dataclass

from markdown import Markdown
from pelican.readers import MarkdownReader

from .links import check_images_have_alt, check_linked_files_exist
from .sanitise import clean_body, removed_markup
from .problems import ContentError, display_path, report_problem
from .vietnamese import to_nfc
from .workers import text_digest

logger = logging.getLogger("portal")

STATUSES = ("published", "draft", "hidden")
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:(.*)$")
_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
DATE_HINT = "write it as 2020-09-14 or 2020-09-14 08:30"


def read_source_text(path: str) -> str:
    """The file's text, or a ContentError saying why it cannot be read."""
    shown = display_path(path)
    with open(path, "rb") as source:
        raw = source.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark from Windows editors: harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            shown,
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02X}); "
            "save it again with the encoding UTF-8",
            line,
        ) from None
    if not text.strip():
        raise ContentError(
            shown, "the file is empty; start it with a line 'Title: ...'"
        )
    text, changed = to_nfc(text)
    if changed:
        logger.warning(
            "portal: %s: text was not in composed Unicode (NFC); "
            "it was normalised for this build, save the file again to fix it",
            shown,
        )
    return text


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


@dataclass
class Prepared:
    """A source's expensive, pure part: what Markdown and the sanitiser make of it."""

    source_digest: str  # of the text it was made from
    content: str  # the body, sanitised
    removed: list[str]  # what the sanitiser removed, for the warning
    meta: dict  # Markdown's metadata: {key: [lines]}
    formatted: dict  # {a formatted field's text (Summary): its HTML}


class MarkdownConverter:
    """Markdown for bodies (metadata header included) and for formatted
    fields (without, as Pelican's _parse_metadata converts them). Built once
    and reset before each text: building a Markdown object costs about as
    much as converting a short article."""

    def __init__(self, markdown_settings: dict, formatted_fields):
        self.formatted_fields = formatted_fields
        self.bodies = Markdown(**markdown_settings)
        self.fields = Markdown(**markdown_settings)
        self.fields.preprocessors.deregister("meta")

    def prepare(self, text: str) -> Prepared:
        converted = self.bodies.reset().convert(text)
        content = clean_body(converted)
        meta = dict(getattr(self.bodies, "Meta", {}))
        formatted = {}
        for name, lines in meta.items():
            if name.lower() in self.formatted_fields:
                joined = "\n".join(lines)
                formatted[joined] = self.fields.reset().convert(joined)
        return Prepared(text_digest(text), content, removed_markup(converted, content), meta, formatted)


class _FieldsConvertedAlready:
    """Stands in for the Markdown object in Pelican's _parse_metadata, which
    converts formatted fields (Summary) itself: MarkdownConverter did it."""

    def __init__(self, formatted: dict):
        self.formatted = formatted
        self.preprocessors = self  # for preprocessors.deregister("meta")

    def deregister(self, name):
        pass

    def reset(self):
        return self

    def convert(self, text):
        return self.formatted[text]


class PortalMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, behind our checks of the source file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # completes settings["MARKDOWN"] (the meta extension)
        self.converter = MarkdownConverter(self.settings["MARKDOWN"], self.settings["FORMATTED_FIELDS"])

    def read(self, source_path):
        try:
            return self._read_checked(source_path)
        except ContentError as error:
            report_problem(error, source_path)
            raise

    def _read_checked(self, source_path):
        shown = display_path(source_path)
        text = read_source_text(source_path)
        repeats = []
        header = read_header(text, repeats)
        check_header(header, shown, content_kind(source_path, self.settings), self.settings, repeats)

        self._source_path = source_path
        from . import read_ahead  # here: read_ahead imports this module

        prepared = read_ahead.take(source_path, text) or self.converter.prepare(text)
        content = prepared.content
        if prepared.removed:
            logger.warning(
                "portal: %s: removed what could run code or is not allowed in an article: %s",
                shown, ", ".join(prepared.removed),
            )
        check_images_have_alt(content, text, shown)
        check_linked_files_exist(content, text, source_path, shown, self.settings["PATH"])
        self._md = _FieldsConvertedAlready(prepared.formatted)
        metadata = self._parse_metadata(prepared.meta)
        if "date" in header:
            # Shown with its time only when the editor gave one.
            metadata["date_has_time"] = bool(_ISO_DATE.match(header["date"][1]).group(4))
        return content, metadata
