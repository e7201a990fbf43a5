"""Articles citing documents: `[Kế hoạch số 01]({van-ban}01)` in Markdown.

Pelican resolves `{filename}` and `{static}` links itself, but has no hook
for a link kind of our own (an unknown `{kind}` is left as it is, with a
warning). So each article's body is rewritten as soon as Pelican makes the
article (content_object_init), before anything renders it: a known number
becomes the document page's address, an unknown one a problem naming the
article and the line, as a broken `{filename}` link is.
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote

MARKER = "{van-ban}"
# In a sanitised body the link is href="{van-ban}NUMBER" (Markdown writes
# the address as typed, & escaped).
_CITATION = re.compile(r'(href=")\{van-ban\}([^"#?]*)([^"]*")')
# Where the link points when its number is unknown: the build fails on the
# problem; this keeps Pelican and the link check from adding vaguer lines.
_NOWHERE = "#van-ban-khong-co"


@dataclass(frozen=True)
class Unresolved:
    written: str  # as the editor wrote it after {van-ban}
    why: str


def resolve_citations(html: str, library, siteurl: str):
    """`html` with its {van-ban} links made real, the documents it cites (in
    order, once each), and the links that lead to no single document."""
    cited, unresolved = [], []

    def replace(match: re.Match) -> str:
        written = unquote(match.group(2)).replace("&amp;", "&").strip()
        document, why = library.find(written)
        if document is None:
            unresolved.append(Unresolved(written, why))
            return match.group(1) + _NOWHERE + '"'
        if document not in cited:
            cited.append(document)
        return f"{match.group(1)}{siteurl}/{document.url}{match.group(3)}"

    if MARKER not in (html or ""):
        return html, cited, unresolved
    return _CITATION.sub(replace, html), cited, unresolved


def citation_line(text: str, written: str) -> int | None:
    """The line of the source where `{van-ban}written` is typed."""
    position = text.find(MARKER + written)
    if position < 0:
        position = text.find(MARKER)
    return text.count("\n", 0, position) + 1 if position >= 0 else None
