"""What every generated page must have, by page type.

Each template marks its type in <body data-page-type="...">. A page without
the marker was not made by our theme (Pelican falls back to its own theme
when ours lacks a template), and that is a problem too.

Pages are read with lxml alone: 0.3 ms a page, against 2.4 ms for
BeautifulSoup over lxml (even building only the parts read), on the 1,811
pages of the bench's 1,000 articles; at 10,000 articles the checks were
some 40 CPU-seconds of a clean build.
"""

import datetime
import unicodedata

import lxml.html
from lxml import etree

from ..render.slots import POLL_ARCHIVE, POLLS, Slot

_PARSER = lxml.html.HTMLParser(encoding="utf-8")


def _text(element) -> str:
    """Its text as a reader sees it: every piece, spaces folded (comments left out)."""
    return " ".join(" ".join(element.itertext()).split()) if element is not None else ""


def _first(root, path: str):
    found = root.xpath(path)
    return found[0] if found else None


def _has(attribute: str, word: str) -> str:
    """An XPath test: `word` is one of the words of `attribute` (a class, a rel)."""
    return f'contains(concat(" ", normalize-space(@{attribute}), " "), " {word} ")'


def problems_in_page(html: str) -> list[str]:
    """Every problem with one generated page (its HTML text)."""
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=_PARSER)
    except etree.ParserError:
        return ["the page is empty"]
    return check_text_form(html) + check_page(root)


def check_every_page(root) -> list[str]:
    problems = []
    if root.get("lang") != "vi":
        problems.append('<html> must have lang="vi"')
    if not _text(_first(root, "//title")):
        problems.append("<title> is missing or empty")
    if _first(root, '//meta[@name="viewport"]') is None:
        problems.append('<meta name="viewport"> is missing')
    problems.extend(check_polls_slot(root))
    return problems


def check_marked_slot(root, slot: Slot) -> list[str]:
    """Exactly one element with the slot's attribute, holding the start and
    end comments that the fill (and `invoke polls`) finds again."""
    slots = root.xpath(f"//*[@{slot.attribute}]")
    if len(slots) != 1:
        return [f"has {len(slots)} {slot.name}s ([{slot.attribute}]); it must have exactly 1"]
    markers = [(comment.text or "").strip() for comment in slots[0].iter(etree.Comment)]
    if markers.count(slot.start[4:-3]) != 1 or markers.count(slot.end[4:-3]) != 1:
        return [f"the {slot.name} lacks its {slot.start} ... {slot.end} markers"]
    return []


def check_polls_slot(root) -> list[str]:
    return check_marked_slot(root, POLLS)


def check_poll_archive(root) -> list[str]:
    """The poll results page keeps the markers `invoke polls` refills."""
    return check_marked_slot(root, POLL_ARCHIVE)


def check_article(root) -> list[str]:
    problems = []
    headings = root.xpath("//h1")
    declared = _first(root, '//meta[@property="og:title"]')
    title = " ".join((declared.get("content") or "").split()) if declared is not None else ""
    if len(headings) != 1:
        problems.append(f"article has {len(headings)} <h1>; it must have exactly 1")
    elif _text(headings[0]) != title:
        problems.append(f'<h1> "{_text(headings[0])}" differs from the title "{title}"')
    time = _first(root, "//time[@datetime]")
    if time is None:
        problems.append("article has no <time datetime>")
    else:
        try:
            datetime.datetime.fromisoformat(time.get("datetime"))
        except ValueError:
            problems.append(f'<time datetime="{time.get("datetime")}"> is not ISO 8601')
    if not _text(_first(root, f"//*[{_has('class', 'app-article-meta__author')}]")):
        problems.append("article shows no author (.app-article-meta__author)")
    body = _first(root, f"//*[{_has('class', 'app-article__body')}]")
    if not _text(body) and (body is None or _first(body, ".//img") is None):  # one photo is a body too
        problems.append("article body (.app-article__body) is empty")
    problems.extend(_canonical_problems(root, "article"))
    return problems


def check_document(root) -> list[str]:
    """A document's page: one heading, its fields, its date, its address."""
    problems = []
    headings = root.xpath("//h1")
    if len(headings) != 1 or not _text(headings[0]):
        problems.append(f"document page has {len(headings)} <h1>; it must have exactly 1, not empty")
    fields = _first(root, f"//*[{_has('class', 'app-document__fields')}]")
    if fields is None or fields.tag != "dl" or _first(fields, ".//dt") is None:
        problems.append("document page has no list of its fields (dl.app-document__fields)")
    if _first(root, "//time[@datetime]") is None:
        problems.append("document page has no <time datetime> (its date)")
    problems.extend(_canonical_problems(root, "document page"))
    return problems


def _canonical_problems(root, what: str) -> list[str]:
    canonical = _first(root, f"//link[{_has('rel', 'canonical')}]")
    if canonical is None or not canonical.get("href"):
        return [f'{what} has no <link rel="canonical" href>']
    return []


PAGE_TYPES = {
    "home": [],
    "article": [check_article],
    "page": [],
    "category": [],
    "tag": [],
    "author": [],
    "categories": [],
    "tags": [],
    "authors": [],
    "archives": [],
    "archive-month": [],
    "search": [],
    "poll-results": [check_poll_archive],
    "documents": [],
    "document-type": [],
    "document-year": [],
    "document": [check_document],
    "organisation": [],
    "contact": [],
    "not-found": [],
}


def check_text_form(html: str) -> list[str]:
    """Decomposed Unicode (NFD) looks right but breaks search and sorting."""
    if unicodedata.is_normalized("NFC", html):
        return []
    return ["text is not in composed Unicode (NFC); a source file or template needs saving as NFC"]


def check_page(root) -> list[str]:
    """Every problem with one generated page (its parsed <html>), one short
    phrase each."""
    body = _first(root, "/html/body")
    page_type = body.get("data-page-type") if body is not None else None
    if page_type not in PAGE_TYPES:
        return ["not made by our theme (no known body[data-page-type])"]
    problems = check_every_page(root)
    for check in PAGE_TYPES[page_type]:
        problems.extend(check(root))
    return problems
