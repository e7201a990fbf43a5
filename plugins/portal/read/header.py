"""The metadata header of an editor's Markdown file ("Title: ...", one field a
line): read as Python-Markdown reads it for Pelican, and checked field by
field with messages that name the file, the line and what to write instead."""

import datetime
import difflib
import os
import re
import unicodedata

from pelican.readers import ensure_metadata_list
from pelican.utils import slugify

from ..core.problems import ContentError, shortened

# The fields an editor may write, as written, in the order an editing form
# shows them. One source of truth: the reader refuses every other field
# (Pelican would obey `Save_as: index.html` and replace the home page), and
# the editor's form (issue 14) is built from these. Image and ImageCaption
# are the lead photo (images/markup.py); OldUrl and OldId say where an
# imported article came from (migrate/).
ARTICLE_FIELDS = ("Title", "Date", "Author", "Category", "Tags", "Summary", "Image",
                  "ImageCaption", "Slug", "Status", "OldUrl", "OldId")
PAGE_FIELDS = ("Title", "Date", "Summary", "Image", "ImageCaption", "Slug", "Status")
# Fields that tell Pelican where or how to write a page: named in their
# refusal, so that nobody takes it for a typo.
STEERING_FIELDS = ("Save_as", "URL", "Template", "Lang", "Translation")
_WRITTEN = {field.lower(): field for field in ARTICLE_FIELDS + PAGE_FIELDS + STEERING_FIELDS}
STATUSES = ("published", "draft", "hidden")
# A headline longer than this is a paste gone wrong (the seed's is 111).
MAX_TITLE_LENGTH = 300
# Addresses (slugs) become file and folder names, which may not pass 255
# bytes; 200 also keeps a link short enough to share.
MAX_ADDRESS_LENGTH = 200

# Python-Markdown's meta extension (markdown/extensions/meta.py) decides
# what Pelican gets: read the header with its very rules, or a line it takes
# as a field ("   Save_as: ...", indented) could pass unchecked.
_FIELD_LINE = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)")
_CONTINUED_LINE = re.compile(r"^[ ]{4,}")
_YAML_START = re.compile(r"^-{3}(\s.*)?")
_YAML_END = re.compile(r"^(-{3}|\.{3})(\s.*)?")

_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
DATE_HINT = "write it as 2020-09-14 or 2020-09-14 08:30"


class Header(dict):
    """{lower-case key: (line number, value)}: the first line of a key
    counts. `repeats` lists (key, first line, line) of keys given again,
    `continued` (key, line) of lines that continue a field; `stray_line`
    is the line that ended the header without being blank, if one did."""

    def __init__(self):
        super().__init__()
        self.repeats: list[tuple[str, int, int]] = []
        self.continued: list[tuple[str, int]] = []
        self.stray_line: int | None = None


def read_header(text: str) -> Header:
    """The metadata header, as Python-Markdown's meta extension reads it."""
    header = Header()
    # Markdown first makes every line end in \n and expands tabs (4 columns).
    lines = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
    first = 1 if lines and _YAML_START.match(lines[0]) else 0
    key = None
    for number, line in enumerate(lines[first:], start=first + 1):
        if not line.strip() or _YAML_END.match(line):
            break
        match = _FIELD_LINE.match(line)
        if match:
            key = match.group(1).lower()
            if key in header:
                header.repeats.append((key, header[key][0], number))
            else:
                header[key] = (number, match.group(2).strip())
        elif key and _CONTINUED_LINE.match(line):
            header.continued.append((key, number))
        else:
            header.stray_line = number
            break
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


def address_of(name: str, settings: dict, kind: str = "SLUG") -> str:
    """The address (slug) Pelican makes of a title, author or tag name."""
    substitutions = settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    return slugify(
        name,
        regex_subs=settings.get(f"{kind}_REGEX_SUBSTITUTIONS", substitutions),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def check_header(header: Header, shown: str, kind: str, settings: dict) -> None:
    """Raise ContentError carrying every field that would break the page, so
    that an editor fixes them all in one round (each with its line)."""
    problems = header_problems(header, shown, kind, settings)
    if problems:
        raise ContentError.together(problems)


def header_problems(header: Header, shown: str, kind: str, settings: dict) -> list[ContentError]:
    """Every problem of the header, in the order of its checks."""
    problems = []
    for key, first, again in header.repeats:
        # Pelican would keep one silently, or crash on a list (Title).
        problems.append(ContentError(
            shown, f"{field_name(key)} is given twice (lines {first} and {again}); keep one of them", again))
    problems += _fields_allowed(header, shown, kind, settings)

    title_problems = _title(header, shown)
    problems += title_problems

    line, status = _field(header, "status")
    if line and status.lower() not in STATUSES:
        problems.append(ContentError(
            shown, f'Status "{status}" is unknown; use one of: {", ".join(STATUSES)}', line))

    line, date = _field(header, "date")
    if line is None and kind == "article":
        problems.append(ContentError(
            shown, _missing(header, f"Date is missing; add a line 'Date: ...' ({DATE_HINT})")))
    if line is not None:
        try:
            parse_date(date)
        except ValueError as error:
            problems.append(ContentError(shown, str(error), line))

    # The address is made from the Slug, or from a usable Title.
    address_problems = [] if title_problems and not _field(header, "slug")[1] else \
        _address(header, shown, settings)
    problems += address_problems
    if kind == "article":
        problems += _article_fields(header, shown, settings)
    if not (title_problems or address_problems):
        problems += _not_written_over(header, shown, kind, settings)
    return problems


def _field(header: Header, key: str) -> tuple[int | None, str]:
    return header.get(key, (None, ""))


def _title(header: Header, shown: str) -> list[ContentError]:
    line, title = _field(header, "title")
    if line is None:
        return [ContentError(
            shown, _missing(header, "Title is missing; add a line 'Title: ...' at the top of the file"))]
    if not title:
        return [ContentError(shown, "Title is empty; write the headline after 'Title:'", line)]
    if len(title) > MAX_TITLE_LENGTH:
        return [ContentError(
            shown, f"Title is {len(title)} characters long (at most {MAX_TITLE_LENGTH}); "
            "shorten the headline and put the rest in 'Summary:'", line)]
    return []


def _article_fields(header: Header, shown: str, settings: dict) -> list[ContentError]:
    problems = []
    line, author = _field(header, "author")
    if not author:
        problems.append(ContentError(
            shown, _missing(header, "Author is missing; add a line 'Author: ...' with the writer's name"),
            line))
    elif not address_of(author, settings, "AUTHOR") or len(author) > MAX_ADDRESS_LENGTH:
        problems.append(ContentError(
            shown, f'Author "{shortened(author)}" is not a name; write the writer\'s name, '
            "e.g. 'Author: Nguyễn Thị Hảo'", line))
    problems += _category(header, shown, settings)
    line, tags = _field(header, "tags")
    for tag in ensure_metadata_list(tags):
        if not address_of(tag, settings, "TAG") or len(tag) > MAX_ADDRESS_LENGTH:
            problems.append(ContentError(
                shown, f'Tags has "{shortened(tag)}", which is not a tag; write short '
                "tags separated by commas, e.g. 'Tags: Xây dựng Đảng, Nông thôn mới'", line))
    return problems


def _category(header: Header, shown: str, settings: dict) -> list[ContentError]:
    """The Category must be one of PORTAL_CATEGORIES, exactly: a typo would
    silently add a menu entry. Editors cannot change that list (the IT
    officer can), so the message offers the category they most likely meant."""
    line, category = _field(header, "category")
    known = settings.get("PORTAL_CATEGORIES", [])
    if not category:
        return [ContentError(
            shown, _missing(header, "Category is missing; add a line 'Category: ...' with one of: "
                            + ", ".join(known)), line)]
    if not known or category in known:
        return []
    meant = likely_category(category, known)
    if meant:
        return [ContentError(
            shown, f'Category "{shortened(category)}" is not one of the site\'s categories; '
            f'did you mean "{meant}"? (the categories are: {", ".join(known)})', line)]
    return [ContentError(
        shown, f'Category "{shortened(category)}" is not one of the site\'s categories: '
        f"{', '.join(known)}; copy one of them exactly (new categories are added by the "
        "site's IT officer)", line)]


def _loose_form(text: str) -> str:
    """"Tin Cơ Sở", "tin co so", "Tin  cơ-sở" -> "tin co so": the words
    without accents, case or punctuation, to compare what editors type."""
    without_marks = "".join(char for char in unicodedata.normalize("NFD", text)
                            if not unicodedata.combining(char))
    words = re.findall(r"\w+", without_marks.replace("đ", "d").replace("Đ", "D").casefold())
    return " ".join(words)


def likely_category(typed: str, known) -> str | None:
    """The category an editor most likely meant: the one that differs only
    in accents, case or punctuation, else a close spelling, else None."""
    by_form = {_loose_form(category): category for category in known}
    form = _loose_form(typed)
    if form in by_form:
        return by_form[form]
    close = difflib.get_close_matches(form, by_form, n=1, cutoff=0.8)
    return by_form[close[0]] if close else None


def _not_written_over(header: Header, shown: str, kind: str, settings: dict) -> list[ContentError]:
    """Slug "index" would put a page where the home page is (an article where
    its category's page is): Pelican stops, naming only a file in staging."""
    line, slug = _field(header, "slug")
    if not slug:
        line, title = header["title"]
        slug = address_of(title, settings)
    try:
        if kind == "page":
            own = settings.get("PAGE_SAVE_AS", "{slug}.html").format(slug=slug)
            taken = {settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
                     for name in settings.get("DIRECT_TEMPLATES", ())}
        else:
            category = address_of(_field(header, "category")[1], settings, "CATEGORY")
            own = settings.get("ARTICLE_SAVE_AS", "{slug}.html").format(slug=slug, category=category)
            taken = {settings.get("CATEGORY_SAVE_AS", "").format(slug=category)}
    except (KeyError, IndexError, AttributeError):
        return []  # an address pattern with other parts: Pelican's own check remains
    if own not in taken:
        return []
    how = ("give it another Slug" if _field(header, "slug")[1]
           else "add a line 'Slug: ...' with another address")
    return [ContentError(
        shown, f"the {kind} would be written as {own}, over a page the site makes itself; {how}", line)]


def _missing(header: Header, message: str) -> str:
    """A missing field's message, saying where the header stopped when a
    line that is not a field ended it early (the fields below it are text)."""
    if header.stray_line is None:
        return message
    return f"{message}; the header stops at line {header.stray_line}, which is not a 'Field: value' line"


def field_name(key: str) -> str:
    """A header key as editors write it: "imagecaption" is "ImageCaption"."""
    return _WRITTEN.get(key, key.capitalize())


def _fields_allowed(header: Header, shown: str, kind: str, settings: dict) -> list[ContentError]:
    problems = []
    allowed = ARTICLE_FIELDS if kind == "article" else PAGE_FIELDS
    for key, (line, _value) in header.items():  # in the order of the lines
        if key in (field.lower() for field in STEERING_FIELDS):
            problems.append(ContentError(
                shown, f"{field_name(key)} would tell Pelican where or how to write this {kind}, "
                "which could replace another page of the site; remove the line "
                "(the address comes from the title, or from 'Slug:')", line))
        elif key not in (field.lower() for field in allowed):
            problems.append(ContentError(
                shown, f'"{shortened(field_name(key))}" is not a field of a'
                f'{"n" if kind == "article" else ""} {kind}; remove the line or correct its '
                f"name (the fields are: {', '.join(allowed)})", line))
    formatted = {field.lower() for field in settings.get("FORMATTED_FIELDS", ())}
    for key, line in header.continued:
        if key not in formatted:
            # Pelican would take the field as a list of lines: a crash for
            # Title, a silently dropped line for Author, one odd tag for Tags.
            problems.append(ContentError(
                shown, f"{field_name(key)} continues on line {line} (a line that starts "
                f"with spaces continues the field above); write the whole {field_name(key)} "
                "on one line", line))
    return problems


def _address(header: Header, shown: str, settings: dict) -> list[ContentError]:
    """The page's address: a Slug as Pelican would make it, or a title to make it from."""
    line, slug = _field(header, "slug")
    line_of_title, title = _field(header, "title")
    if slug:  # an empty Slug is no Slug, for Pelican too
        suggestion = address_of(slug, settings) or address_of(title, settings)
        if slug != suggestion:
            # "../index" would write over the home page; "Tin mới" would be
            # an address of escaped letters.
            return [ContentError(
                shown, f'Slug "{shortened(slug)}" may have only lower-case letters a-z, '
                f'digits and hyphens; write it as "{shortened(suggestion) or "tin-moi"}"', line)]
        if len(slug) > MAX_ADDRESS_LENGTH:
            return [ContentError(
                shown, f"Slug is {len(slug)} characters long (at most {MAX_ADDRESS_LENGTH}); "
                "shorten it", line)]
        return []
    made = address_of(title, settings)
    if not made:
        return [ContentError(
            shown, f'Title "{title}" has no letter or digit to make the page\'s address '
            "from; add a line 'Slug: ...' with the address, e.g. 'Slug: hoi-nghi-tong-ket'",
            line_of_title)]
    if len(made) > MAX_ADDRESS_LENGTH:
        return [ContentError(
            shown, f"the address made from the Title would be {len(made)} characters long "
            f"(at most {MAX_ADDRESS_LENGTH}); add a line 'Slug: ...' with a shorter one",
            line_of_title)]
    return []
