"""An old article's body as clean Markdown (markdownify).

Old portals' bodies were typed in CKEditor or pasted from Word: `mso-`
styles, <o:p>, empty spans, runs of &nbsp;, fonts and colours. What an
article means stays (paragraphs, headings, lists, emphasis, links, photos
with their captions, tables); the rest goes. Tables with merged cells stay
HTML (a Markdown table cannot hold them), cleaned the same way.
"""

import re
import unicodedata

from bs4 import BeautifulSoup, Comment
from markdownify import MarkdownConverter

DROPPED_TAGS = ("script", "style", "meta", "link", "xml", "o:p", "iframe", "object", "embed", "form",
                "input", "button", "noscript")
UNWRAPPED_TAGS = ("span", "font", "o:smarttag", "st1", "center", "section", "article")
KEPT_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                   "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
_NBSP_RUN = re.compile(r"[ \t\u00a0]{2,}|\u00a0")
_BLANK_LINES = re.compile(r"\n{3,}")


class _PortalMarkdown(MarkdownConverter):
    def convert_table(self, el, text, parent_tags):
        merged = el.select("[colspan]:not([colspan='1']), [rowspan]:not([rowspan='1'])")
        if merged:
            return "\n\n" + str(el) + "\n\n"
        return super().convert_table(el, text, parent_tags)

    def convert_figure(self, el, text, parent_tags):
        return "\n\n" + text.strip() + "\n\n"

    def convert_figcaption(self, el, text, parent_tags):
        return ""  # it became the photo's title, which the site shows as its caption


def clean_html(html: str, rewrite_url) -> BeautifulSoup:
    """The body's markup without Word leftovers; every link and photo
    address passed through `rewrite_url(address, kind)` (kind "img" or
    "a"), which returns the new address."""
    soup = BeautifulSoup(html, "lxml")
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()  # Word's <!--[if gte mso 9]> blocks too
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.name and ":" in tag.name:  # <o:p>, <v:shape>, <w:sdt>...
            tag.unwrap()
    for tag in soup.find_all(UNWRAPPED_TAGS):
        tag.unwrap()
    for figure in soup.find_all("figure"):
        caption = figure.find("figcaption")
        image = figure.find("img")
        if caption is not None and image is not None:
            text = " ".join(caption.get_text(" ").split())
            image["title"] = text
            if not (image.get("alt") or "").strip():
                image["alt"] = text
    for tag in soup.find_all(True):
        kept = KEPT_ATTRIBUTES.get(tag.name, set())
        tag.attrs = {name: value for name, value in tag.attrs.items() if name in kept}
    for image in soup.find_all("img"):
        if not image.get("src"):
            image.decompose()
            continue
        image["src"] = rewrite_url(image["src"], "img")
    for link in soup.find_all("a"):
        if link.get("href"):
            link["href"] = rewrite_url(link["href"], "a")
        else:
            link.unwrap()  # an anchor without address (<a name=...>)
    for tag in soup.find_all(["p", "div", "strong", "b", "em", "i", "u"]):
        if not tag.find("img") and not tag.get_text().replace("\u00a0", "").strip():
            tag.decompose()  # empty paragraphs and emphasis: Word's spacing
    return soup


def body_markdown(html: str, rewrite_url) -> str:
    soup = clean_html(html, rewrite_url)
    root = soup.body or soup
    markdown = _PortalMarkdown(heading_style="ATX", bullets="-", strong_em_symbol="*",
                               escape_underscores=False, escape_asterisks=True, newline_style="BACKSLASH",
                               table_infer_header=True).convert_soup(root)
    return tidy_text(markdown)


def tidy_text(text: str) -> str:
    """NFC, no &nbsp; runs, no trailing spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text)
    text = _NBSP_RUN.sub(" ", text)
    lines = [line.rstrip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip() + "\n"


def plain_text(html: str) -> str:
    """A lead or caption as one line of text (old leads may hold markup)."""
    text = BeautifulSoup(html, "lxml").get_text(" ") if "<" in html else html
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())
