"""Article bodies through an allowlist (nh3): what an editor pasted from
anywhere can format text, never run code.
"""

import re
from html.parser import HTMLParser

import nh3

from .addresses import is_other_site

BODY_TAGS = nh3.ALLOWED_TAGS - {"center", "strike", "tt", "acronym", "map", "area"}
BODY_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "width", "height", "title", "loading"},
    "th": {"scope", "colspan", "rowspan", "headers"},
    "td": {"colspan", "rowspan", "headers"},
    "*": {"id", "lang", "title"},
}
# The classes Python-Markdown's footnotes write: kept, so that footnotes
# work as written and their editor gets no warning about them.
MARKDOWN_CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTERNAL_REL = "noopener noreferrer"


class _Markup(HTMLParser):
    """The tags and attributes of a fragment, to tell what cleaning removed."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name == "rel":
                continue  # ours to set
            if name in ("href", "src") and value:
                value = re.sub(r"\s", "", value).lower()
                self.found.append(f"{name}={value[:40]}")
            else:
                self.found.append(f"{name}=")


def removed_markup(before: str, after: str) -> list[str]:
    """What `before` had that `after` lost, e.g. ['<script>', 'onclick=']."""
    kept = _Markup(after).found
    lost = []
    for item in _Markup(before).found:
        if item in kept:
            kept.remove(item)
        elif item not in lost:
            lost.append(item)
    return lost


def clean_body(html: str) -> str:
    """The body with only allowed tags, attributes and URL schemes, and
    rel="noopener noreferrer" on links to other sites.

    Comments go too: editors leave notes to each other in them.
    """
    cleaned = nh3.clean(
        html,
        tags=BODY_TAGS,
        clean_content_tags={"script", "style"},
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        allowed_classes=MARKDOWN_CLASSES,
        link_rel=None,
        strip_comments=True,
    )
    return _mark_external_links(cleaned)


class _OtherSiteLinks(HTMLParser):
    """Where the start tags of links to other sites end, in the cleaned HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self._line_starts = [0] + [newline.end() for newline in re.finditer("\n", html)]
        self.tag_ends: list[int] = []  # the offsets of their closing ">"
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and is_other_site(href):
            line, column = self.getpos()
            start = self._line_starts[line - 1] + column
            self.tag_ends.append(start + len(self.get_starttag_text()) - 1)


def _mark_external_links(html: str) -> str:
    """rel="noopener noreferrer" on every link to another site, wherever
    its href stands among the attributes, and on no link inside the site.
    (nh3's own link_rel would mark every link.) Only the rel is inserted:
    the rest of the cleaned HTML stays byte for byte."""
    marked, done = [], 0
    for end in _OtherSiteLinks(html).tag_ends:
        marked += [html[done:end], f' rel="{EXTERNAL_REL}"']
        done = end
    return "".join(marked) + html[done:]
