"""Addresses in an article as a browser reads them: on this site, on
another site, or on the editor's own computer.

A browser forgives what a simple parser does not: it drops spaces and
control characters around an address and tabs or newlines inside it, and
reads a backslash as a slash, so " //host/x" and "/\\host/x" both lead to
another site (WHATWG URL Standard, "basic URL parser").
"""

import re
from urllib.parse import urlsplit

_AROUND = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_INSIDE = re.compile(r"[\t\n\r]")
_DRIVE = re.compile(r"^[a-z]:[/\\]", re.IGNORECASE)


def as_browser_reads(url: str) -> str:
    return _INSIDE.sub("", _AROUND.sub("", url)).replace("\\", "/")


def is_other_site(url: str) -> bool:
    """A web address of another site ("https://...", "//host/...")."""
    read = as_browser_reads(url)
    return read.startswith("//") or urlsplit(read).scheme.lower() in ("http", "https")


def is_on_this_site(url: str) -> bool:
    """A path of this site: relative, from the root, or Pelican's {static} and {filename}."""
    read = as_browser_reads(url)
    return bool(read) and not read.startswith("//") and not urlsplit(read).scheme


def is_on_editors_computer(url: str) -> bool:
    """A file on the computer the article was written on (file:, C:\\, \\\\server)."""
    return (url.lower().startswith("file:") or bool(_DRIVE.match(url.strip()))
            or url.strip().startswith("\\\\"))
