"""Which files under content/ may be read or published.

A symbolic link may not lead out of content/: a link named images/x.jpg to
/etc/passwd would be published as it is. Files a browser would open as a page
or run as a script are never copied from the static folders: they would be
published without the portal's checks, template or security policy. Files
among the articles and pages that the build neither reads nor publishes (a
Word document, "bai.md.txt" as Notepad saves it) are named in a warning:
otherwise the editor waits for an article that never appears.
"""

import os
from pathlib import Path

from pelican.readers import MarkdownReader

# Served as documents or scripts from the portal's own address.
ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs",
                   ".xml", ".xsl", ".xslt")

LINK_OUT_OF_CONTENT = ("is a link to a file outside content/; copy the file itself "
                       "into content/ instead of linking to it")


def leads_out_of(path: str, content_root: str) -> bool:
    """Whether `path`, its symbolic links followed, ends outside content_root."""
    real, root = os.path.realpath(path), os.path.realpath(content_root)
    return os.path.commonpath([real, root]) != root


def static_file_problem(path: str, content_root: str) -> str | None:
    """Why a static file (content/images/...) may not be published, or None."""
    if leads_out_of(path, content_root):
        return LINK_OUT_OF_CONTENT
    if not os.path.isfile(path):
        # A named pipe would hang the copy; a device would copy without end.
        return "is not an ordinary file (a pipe or a device); remove it from content/"
    if path.lower().endswith(ACTIVE_SUFFIXES):
        return ("is a web page or script, which the site would publish as it is, without "
                "its checks and protections; remove it (articles and pages are .md files "
                "in their folders)")
    return None


# What the reader reads (Pelican's Markdown extensions: .md, .markdown, ...).
MARKDOWN_SUFFIXES = tuple(f".{extension}" for extension in MarkdownReader.file_extensions)
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".avif", ".svg",
                  ".tif", ".tiff", ".bmp")
# Files offered for download beside articles (linked with {static}).
DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods",
                     ".odp", ".rtf", ".txt", ".zip", ".rar", ".7z")
# Text an editor may have meant as an article, which no reader here reads
# (READERS in pelicanconf.py turns off Pelican's HTML and reStructuredText).
_TEXT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".rst")
_WORD_SUFFIXES = (".doc", ".docx", ".docm", ".odt", ".rtf", ".wps", ".pages")


def is_unread_markdown(name: str) -> bool:
    """"bai.md.txt": a Markdown file to which Notepad added ".txt"."""
    stem, suffix = os.path.splitext(name.lower())
    return suffix in _TEXT_SUFFIXES and stem.endswith(MARKDOWN_SUFFIXES)


def unpublished_file_problem(path: str) -> str | None:
    """Why a file among the articles and pages, neither read nor published
    (no article links to it), deserves a word to the editor; None for
    files nobody expects on the site by themselves (an unused photo)."""
    name = os.path.basename(path)
    lower = name.lower()
    if is_unread_markdown(name):
        return (f'is not published: its name ends in "{Path(name).suffix}" (Notepad adds it), so '
                f'it is not read as an article; rename the file to "{Path(name).stem}"')
    stem = Path(name).stem
    if lower.endswith(_WORD_SUFFIXES):
        return (f"is not published: a Word or office document is not read as an article; copy its "
                f'text into a file "{stem}.md" (README, "Viết bài"), or link to it from an '
                f"article with ({{static}}{name}) to offer it as a download")
    if lower.endswith(_TEXT_SUFFIXES):
        return (f'is not published: only .md files are read as articles and pages; if it is one, '
                f'save it as "{stem}.md"')
    if lower.endswith(DOCUMENT_SUFFIXES):
        return (f"is not published: no article links to it; link to it from an article with "
                f"({{static}}{name}), or remove it")
    return None


# A Pelican generator's lists of what a build publishes (drafts and hidden
# files are in others, or nowhere: read.plugin.keep_hidden_private).
PUBLISHED_LISTS = ("articles", "translations", "pages")


def published_contents(generators):
    """(source file, its generator, the article or page) for everything
    Pelican's `generators` publish, the source file as an absolute path."""
    for generator in generators:
        for name in PUBLISHED_LISTS:
            for content in getattr(generator, name, []):
                yield os.path.abspath(content.source_path), generator, content
