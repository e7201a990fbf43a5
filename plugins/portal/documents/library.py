"""Reading the documents library: every file of content/van-ban/, checked
field by field (core/document_fields.py), then as a whole (numbers unique for a type
and a year, issuers spelled one way, relations leading to documents), with
each document's status at the build's time.

Every mistake is one line naming the file, the line and what to write; all
of a file's mistakes are reported in the same build.
"""

import copy
import datetime
import fnmatch
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import document_fields as F
from ..core.problems import ContentError, display_path, shortened
from ..read.content_files import LINK_OUT_OF_CONTENT, leads_out_of
from ..read.conversion import MarkdownConverter
from ..read.header import address_of, parse_date, read_header
from ..read.links import check_images_are_on_this_site, check_images_have_alt
from ..read.source_text import read_source_text
from .attachments import Attachment, AttachmentError, read_attachment
from .pdf_text import MAX_CHARACTERS, pdf_text
from .references import QUALIFIER, matching, number_key, parse_reference, plain_words, why_not_one

logger = logging.getLogger("portal")

DOCUMENT_SUFFIX = ".md"
MAX_NUMBER_LENGTH = 100
MAX_SUMMARY_LENGTH = 1000
# Links Pelican resolves for articles and pages only: a document's body is ours.
_PELICAN_LINK = re.compile(r'(?:href|src)="\{(?:filename|static|attach)\}')

# A document's status at the build's time: (key for the page's style, words).
IN_FORCE = ("in-force", "Còn hiệu lực")
EXPIRED = ("expired", "Hết hiệu lực")
NOT_YET = ("not-yet", "Chưa có hiệu lực")


@dataclass(eq=False)
class Document:
    source: str  # the file, as editors see it
    path: Path
    number: str
    type: str
    issuer: str
    date: datetime.date
    summary: str
    signer: str = ""
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    subjects: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    body: str = ""  # sanitised HTML, "" when the file has none
    attachment_text: str = ""  # the words of its PDFs, for the search index only (pdf_text.py)
    lines: dict = field(default_factory=dict)  # {field key: line}
    written_references: dict = field(default_factory=dict)  # {"replaces": [text, ...]}
    type_slug: str = ""
    url: str = ""
    save_as: str = ""
    # Filled in once every document is read:
    replaces: list = field(default_factory=list)
    replaced_by: list = field(default_factory=list)
    related: list = field(default_factory=list)
    cited_by: list = field(default_factory=list)  # articles and pages, by build.plugin
    status: tuple[str, str] = IN_FORCE
    status_reason: str = ""

    @property
    def number_key(self) -> str:
        return number_key(self.number)

    @property
    def title(self) -> str:
        """'Kế hoạch số 01': how Vietnamese names a document."""
        return f"{self.type} số {self.number}"

    @property
    def year(self) -> int:
        return self.date.year

    def in_force_from(self) -> datetime.date:
        return self.valid_from or self.date

    @property
    def content(self) -> str:
        """Its words for the search index besides the title (the search
        feature's `search_words` filter folds their đ, as for an article)."""
        return " ".join([self.summary, self.issuer, self.signer, *self.subjects, self.body,
                         self.attachment_text])


class Library:
    """The documents of a build, newest first, and the problems found."""

    def __init__(self, documents: list[Document], problems: list[ContentError], settings,
                 today: datetime.date | None = None):
        self.documents = sorted(documents, key=lambda d: (d.date, d.number_key), reverse=True)
        self.problems = problems
        self.settings = settings
        self.today = today  # the day statuses were judged on

    def find(self, written: str) -> tuple[Document | None, str | None]:
        """The document `written` ("01", "125/QĐ-UBND@2024") names, or why none."""
        reference = parse_reference(written)
        found = matching(reference, self.documents)
        return (found[0], None) if len(found) == 1 else (None, why_not_one(reference, found))

    def types(self) -> list[tuple[str, str, list[Document]]]:
        """[(type, its address, its documents)] in DOCUMENT_TYPES order, used types only."""
        return [(kind, address_of(kind, self.settings),
                 [d for d in self.documents if d.type == kind])
                for kind in self.settings.get("DOCUMENT_TYPES", [])
                if any(d.type == kind for d in self.documents)]

    def years(self) -> list[tuple[int, list[Document]]]:
        """[(year, its documents)], newest year first."""
        years = sorted({d.year for d in self.documents}, reverse=True)
        return [(year, [d for d in self.documents if d.year == year]) for year in years]


def documents_folder(settings) -> Path:
    return Path(settings["PATH"]) / settings.get("DOCUMENTS_PATH", "van-ban")


def document_url(settings, year: int, slug: str) -> str:
    return settings["DOCUMENT_URL"].format(year=year, slug=slug)


def load_library(settings, today: datetime.date | None) -> Library:
    """Every document file, checked; statuses judged on `today` (the build's
    date in the site's time zone; None: not judged)."""
    folder = documents_folder(settings)
    documents, problems = [], []
    if folder.is_dir():
        reader = _DocumentReader(settings)
        ignored = settings.get("IGNORE_FILES", [])
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if any(fnmatch.fnmatch(part, pattern) for part in path.relative_to(folder).parts
                   for pattern in ignored):
                continue  # editors' backup and swap files, as Pelican leaves them out
            if leads_out_of(path, settings["PATH"]):
                problems.append(ContentError(display_path(path), LINK_OUT_OF_CONTENT))
                continue
            if path.suffix.lower() != DOCUMENT_SUFFIX:
                problems.append(ContentError(display_path(path), (
                    "is not a document file; a document is a .md file here, and its PDF, Word "
                    "or Excel file goes into content/files/ (named in the document's Files: line)")))
                continue
            document, found = reader.read(path)
            problems += found
            if document is not None:
                documents.append(document)
    documents = _without_duplicates(documents, problems)
    _check_spellings(documents, problems, "issuer", "Issuer")
    _check_spellings(documents, problems, "subjects", "Subjects")
    library = Library(documents, problems, settings, today)
    _link_relations(library, problems)
    if today is not None:
        for document in library.documents:
            judge_status(document, today)
    return library


def judge_status(document: Document, today: datetime.date) -> None:
    """In force, expired or not yet in force on `today`: by its own dates,
    or expired because a document replacing it is in force."""
    replacing = [d for d in document.replaced_by if d.in_force_from() <= today]
    if document.valid_from and document.valid_from > today:
        document.status, document.status_reason = NOT_YET, ""
    elif document.valid_until and document.valid_until <= today:
        document.status, document.status_reason = EXPIRED, ""
    elif replacing:
        document.status = EXPIRED
        document.status_reason = "được thay thế bởi " + ", ".join(d.title for d in replacing)
    else:
        document.status, document.status_reason = IN_FORCE, ""


class _DocumentReader:
    """Reads one document file, collecting every problem it has."""

    def __init__(self, settings):
        self.settings = settings
        markdown = copy.deepcopy(settings["MARKDOWN"])
        extensions = markdown.setdefault("extensions", [])
        for extension in [*markdown.get("extension_configs", {}), "markdown.extensions.meta"]:
            if extension not in extensions:
                extensions.append(extension)
        self.converter = MarkdownConverter(markdown, ())
        self.types = list(settings.get("DOCUMENT_TYPES", []))

    def read(self, path: Path) -> tuple[Document | None, list[ContentError]]:
        shown = display_path(path)
        try:
            if not path.read_bytes().strip(b"\xef\xbb\xbf \t\r\n"):
                raise ContentError(shown, "the file is empty; start it with a line "
                                   f"'Number: {F.FIELDS[0].example}' (see README.md, \"Văn bản\")")
            text = read_source_text(str(path))
        except ContentError as error:
            return None, [error]
        checker = _FieldChecker(shown, read_header(text), self.settings, self.types)
        values = checker.values()
        body = self._body(text, shown, checker)
        if checker.problems:
            return None, checker.problems
        return self._document(path, shown, values, body, checker.lines), []

    def _document(self, path: Path, shown: str, values: dict, body: str, lines: dict) -> Document:
        kind, number, year = values["type"], values["number"], values["date"].year
        # "Quyết định 125/QĐ-UBND" -> quyet-dinh-125-qd-ubnd: unique, since a
        # number is given once for a type and a year (the year is in the address).
        slug = address_of(f"{kind} {number.replace('/', ' ')}", self.settings)
        attachments = values.get("files", ())
        pdf_words = " ".join(filter(None, (pdf_text(attachment.path, self.settings.get("CACHE_PATH"))
                                           for attachment in attachments if attachment.format == "PDF")))
        return Document(
            source=shown, path=path, number=number, type=kind, issuer=values["issuer"],
            date=values["date"], summary=values["summary"], signer=values.get("signer", ""),
            valid_from=values.get("validfrom"), valid_until=values.get("validuntil"),
            subjects=values.get("subjects", ()), attachments=attachments,
            attachment_text=pdf_words[:MAX_CHARACTERS], body=body, lines=lines,
            written_references={key: values.get(key, ()) for key in ("replaces", "replacedby", "related")},
            type_slug=address_of(kind, self.settings), url=document_url(self.settings, year, slug),
            save_as=self.settings["DOCUMENT_SAVE_AS"].format(year=year, slug=slug),
        )

    def _body(self, text: str, shown: str, checker) -> str:
        prepared = self.converter.prepare(text)
        if prepared.removed:
            logger.warning("portal: %s: removed what could run code or is not allowed in a "
                           "document: %s", shown, ", ".join(prepared.removed))
        try:
            check_images_are_on_this_site(prepared.images, text, shown)
            check_images_have_alt(prepared.content, text, shown)
        except ContentError as error:
            checker.problems.append(error)
        if _PELICAN_LINK.search(prepared.content):
            checker.problems.append(ContentError(
                shown, "links with {filename}, {static} or {attach} work in articles, not in a "
                "document's text; name the document's files in its Files: line, and link to "
                "an article by its address (/tin-co-so/ten-bai.html)"))
        return prepared.content.strip()


class _FieldChecker:
    """The header's fields, parsed by kind; every problem collected."""

    def __init__(self, shown, header, settings, types):
        self.shown, self.header, self.settings, self.types = shown, header, settings, types
        self.problems: list[ContentError] = []
        self.lines = {key: line for key, (line, _value) in header.items()}

    def problem(self, message: str, key: str | None = None) -> None:
        self.problems.append(ContentError(self.shown, message, self.lines.get(key) if key else None))

    def values(self) -> dict:
        header = self.header
        for key, first, again in header.repeats:
            self.problems.append(ContentError(
                self.shown, f"{_name(key)} is given twice (lines {first} and {again}); keep one", again))
        for key, line in header.continued:
            self.problems.append(ContentError(
                self.shown, f"{_name(key)} continues on line {line} (a line that starts with "
                f"spaces continues the field above); write the whole {_name(key)} on one line", line))
        for key in header:
            if key not in F.BY_KEY:
                self.problem(f'"{shortened(_name(key))}" is not a field of a document; remove the '
                             "line or correct its name (the fields are: "
                             f"{', '.join(f.key for f in F.FIELDS)})", key)
        values = {}
        for document_field in F.FIELDS:
            key = document_field.key.lower()
            raw = header.get(key, (None, ""))[1]
            if key not in header and document_field.required:
                self.problem(self._missing(document_field))
                continue
            if not raw:
                if key in header and document_field.required:
                    self.problem(f"{document_field.key} is empty; write the "
                                 f"{document_field.label.lower()} after '{document_field.key}:'", key)
                continue
            value = self.parse(document_field, raw)
            if value is not None:
                values[key] = value
        self.check_together(values)
        return values

    def _missing(self, document_field) -> str:
        message = (f"{document_field.key} ({document_field.label}) is missing; add a line "
                   f"'{document_field.key}: {document_field.example}'")
        if self.header.stray_line is not None:
            message += (f"; the header stops at line {self.header.stray_line}, which is not a "
                        "'Field: value' line")
        return message

    def parse(self, document_field, raw: str):
        key = document_field.key.lower()
        if document_field.kind == F.DATE:
            try:
                return parse_date(raw).date()
            except ValueError as error:
                self.problem(str(error).replace("Date ", f"{document_field.key} ", 1), key)
                return None
        if document_field.kind == F.CHOICE:
            if raw in self.types:
                return raw
            near = [kind for kind in self.types if plain_words(kind) == plain_words(raw)]
            hint = f'did you mean "{near[0]}"?' if near else f"use one of: {', '.join(self.types)}"
            self.problem(f'Type "{shortened(raw)}" is not a type of document; {hint}', key)
            return None
        if document_field.kind == F.LIST:
            return tuple(dict.fromkeys(item.strip() for item in raw.split(",") if item.strip()))
        if document_field.kind == F.FILES:
            attachments = []
            for written in (item.strip() for item in raw.split(",") if item.strip()):
                try:
                    attachments.append(read_attachment(written, self.settings))
                except AttachmentError as error:
                    self.problem(f"Files: {error}", key)
            return tuple(attachments)
        if document_field.kind == F.REFERENCES:
            return tuple(item.strip() for item in raw.split(",") if item.strip())
        return self.text(document_field, raw)

    def text(self, document_field, raw: str) -> str | None:
        key = document_field.key.lower()
        if key == "number":
            if "," in raw or QUALIFIER in raw:
                self.problem(f'Number "{shortened(raw)}" may not contain "," or "{QUALIFIER}"; '
                             "write the number as it is printed on the document", key)
                return None
            if len(raw) > MAX_NUMBER_LENGTH or not any(char.isalnum() for char in raw):
                self.problem(f'Number "{shortened(raw)}" is not a document number; write it as '
                             f"printed on the document, e.g. '{document_field.example}'", key)
                return None
        if key == "summary" and len(raw) > MAX_SUMMARY_LENGTH:
            self.problem(f"Summary is {len(raw)} characters long (at most {MAX_SUMMARY_LENGTH}); "
                         "the trích yếu is one sentence: put the rest in the text below the header", key)
            return None
        return raw

    def check_together(self, values: dict) -> None:
        start, end = values.get("validfrom"), values.get("validuntil")
        if start and end and end <= start:
            self.problem(f"ValidUntil ({end.isoformat()}) is not after ValidFrom "
                         f"({start.isoformat()})", "validuntil")


def _name(key: str) -> str:
    document_field = F.BY_KEY.get(key)
    return document_field.key if document_field else key.capitalize()


def _without_duplicates(documents: list[Document], problems: list) -> list[Document]:
    """One document per number, type and year, and per address."""
    first_of, first_at, kept = {}, {}, []
    for document in sorted(documents, key=lambda d: d.source):
        identity = (document.number_key, document.type, document.year)
        line = document.lines.get("number")
        if identity in first_of:
            problems.append(ContentError(document.source, (
                f"{document.title} of {document.year} is also {first_of[identity].source}; a "
                "number is given once for a type and a year: correct the number, or remove "
                "one of the files"), line))
            continue
        if document.url in first_at:
            problems.append(ContentError(document.source, (
                f'{document.title} would have the same address as {first_at[document.url].title} '
                f"({first_at[document.url].source}); write the numbers exactly as printed"), line))
            continue
        first_of[identity] = first_at[document.url] = document
        kept.append(document)
    return kept


def _check_spellings(documents: list[Document], problems: list, attribute: str, key: str) -> None:
    """An issuer or subject written two ways ("Huyện ủy", "Huyện uỷ") would be
    two entries in the search filters: the first way wins, the others are problems."""
    first = {}
    for document in sorted(documents, key=lambda d: d.source):
        values = getattr(document, attribute)
        for value in (values if isinstance(values, tuple) else (values,)):
            known = first.setdefault(plain_words(value), (value, document.source))
            if known[0] != value:
                problems.append(ContentError(document.source, (
                    f'{key} "{value}" is written "{known[0]}" in {known[1]}; write it the same '
                    "way in both, so that readers find them together"), document.lines.get(key.lower())))


def _link_relations(library: Library, problems: list) -> None:
    """Replaces / ReplacedBy / Related, written on either side, shown on both."""
    pairs = {"replaces": ("replaces", "replaced_by"), "replacedby": ("replaced_by", "replaces"),
             "related": ("related", "related")}
    for document in library.documents:
        for key, (own, other) in pairs.items():
            for written in document.written_references.get(key, ()):
                target, why = library.find(written)
                if target is document:
                    why = "names this document itself"
                if why:
                    problems.append(ContentError(
                        document.source, f'{_name(key)} "{written}": {why}', document.lines.get(key)))
                    continue
                for holder, attribute, linked in ((document, own, target), (target, other, document)):
                    if linked not in getattr(holder, attribute):
                        getattr(holder, attribute).append(linked)
    for document in library.documents:
        for attribute in ("replaces", "replaced_by", "related"):
            getattr(document, attribute).sort(key=lambda d: (d.date, d.number_key), reverse=True)
