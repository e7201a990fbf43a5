"""A document's files (the PDF, Word or Excel file of the document): where
they are, what they are, and how a reader sees them ("PDF, 245 KB").

They stay where the editor put them under content/, in a folder the site
publishes as it is (STATIC_PATHS, e.g. content/files/van-ban/): Pelican
copies them, and the document page links to the copy.
"""

import fnmatch
import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from babel.numbers import format_decimal

from ..read.content_files import leads_out_of
from ..read.links import same_name_other_case

# The formats a document may be published in, and how to recognise each
# by its first bytes: a photo renamed to .pdf would reach readers broken.
FORMATS = {".pdf": "PDF", ".doc": "DOC", ".docx": "DOCX", ".xlsx": "XLSX"}
MEDIA_TYPES = {
    "PDF": "application/pdf",
    "DOC": "application/msword",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc)
_ZIP_MEMBER = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


class AttachmentError(ValueError):
    """Why an attachment cannot be published, for people."""


@dataclass(frozen=True)
class Attachment:
    relative: str  # under content/, with slashes
    path: Path
    format: str  # "PDF"
    size: int  # bytes

    @property
    def name(self) -> str:
        return self.relative.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        """The copy's address, relative to the site (names may hold spaces or marks)."""
        return quote(self.relative)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def label(self) -> str:
        """'PDF, 245 KB': the format and size a reader sees beside the link."""
        return f"{self.format}, {file_size(self.size)}"


def file_size(size: int) -> str:
    """245 KB, 1,2 MB: as a file manager shows it (1 KB = 1024 bytes), the Vietnamese way."""
    if size < 1024 * 1024:
        return f"{max(1, math.ceil(size / 1024))} KB"
    return f"{format_decimal(round(size / 1024 / 1024, 1), locale='vi')} MB"


def read_attachment(written: str, settings) -> Attachment:
    """The attachment an editor named ("files/van-ban/a.pdf", under content/);
    AttachmentError saying what to do when it cannot be published."""
    relative = written.strip().replace("\\", "/").lstrip("/")
    suffix = os.path.splitext(relative)[1].lower()
    if suffix not in FORMATS:
        raise AttachmentError(
            f'"{written}" is not a PDF, Word (.doc, .docx) or Excel (.xlsx) file; publish the '
            "document in one of these formats")
    content_root = settings["PATH"]
    path = Path(content_root) / relative
    if leads_out_of(path, content_root):
        raise AttachmentError(f'"{written}" leads out of content/; copy the file into content/files/')
    if not path.is_file():
        other = same_name_other_case(path)
        hint = (f'; "{other.name}" is there: write the name exactly as the file\'s' if other
                else "; check its name and folder (the path starts from content/, e.g. "
                "files/van-ban/2024/quyet-dinh-125.pdf)")
        raise AttachmentError(f'"{written}" is not in content/{hint}')
    if not _published_as_is(relative, settings):
        raise AttachmentError(
            f'"{written}" is in a folder the site does not publish; move it into content/files/ '
            "(e.g. content/files/van-ban/) and write that path")
    if not _looks_like(path, suffix):
        raise AttachmentError(
            f'"{written}" is not really a {FORMATS[suffix]} file (its contents are something '
            "else, or it is damaged); save the document again in that format")
    return Attachment(relative, path, FORMATS[suffix], path.stat().st_size)


def _published_as_is(relative: str, settings) -> bool:
    """Whether Pelican copies this file into the site (a static path, not ignored)."""
    if any(fnmatch.fnmatch(part, pattern) for part in relative.split("/")
           for pattern in settings.get("IGNORE_FILES", [])):
        return False
    for folder in settings.get("STATIC_PATHS", []):
        folder = folder.strip("/")
        if relative == folder or relative.startswith(folder + "/"):
            return True
    return False


def _looks_like(path: Path, suffix: str) -> bool:
    with open(path, "rb") as source:
        start = source.read(8)
    if suffix == ".pdf":
        return start.startswith(b"%PDF-")
    if suffix == ".doc":
        return start == _OLE
    try:
        with zipfile.ZipFile(path) as archive:
            return _ZIP_MEMBER[suffix] in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
