"""What every generated page must have, by page type.

Each template marks its type in <body data-page-type="...">. A page without
the marker was not made by our theme (Pelican falls back to its own theme
when ours lacks a template), and that is a problem too.
"""

import datetime
import unicodedata

from bs4 import BeautifulSoup, Comment
from bs4.filter import ElementFilter

from ..render.slots import POLL_ARCHIVE, POLLS, Slot


def _text(element) -> str:
    return " ".join(element.get_text(" ").split()) if element else ""


class PartsTheChecksRead(ElementFilter):
    """Builds only the elements the checks below read, and their contents.

    Building a whole page into BeautifulSoup costs about 3.5 ms; these parts
    about 2 ms, and most of that is lxml handing every tag to Python. <html>
    and <body> are not built (their contents would be the whole page), but
    their attributes are kept as they pass. A check that reads another
    element must name it here, or it finds nothing and reports a problem.
    """

    ELEMENTS = frozenset({"title", "meta", "link", "h1", "time"})
    MARKED = (POLLS.attribute, POLL_ARCHIVE.attribute)
    CLASSES = frozenset({"app-article-meta__author", "app-article__body", "app-document__fields"})

    def __init__(self):
        super().__init__()
        self.roots: dict[str, dict] = {}  # "html", "body": their attributes

    def allow_tag_creation(self, nsprefix, name, attrs) -> bool:
        if name in self.ELEMENTS:
            return True
        if name in ("html", "body"):
            self.roots.setdefault(name, dict(attrs or {}))
            return False
        if not attrs:
            return False
        if any(mark in attrs for mark in self.MARKED):
            return True
        classes = attrs.get("class") or ""
        if isinstance(classes, str):
            classes = classes.split()
        return not self.CLASSES.isdisjoint(classes)

    def allow_string_creation(self, string) -> bool:
        return False  # text outside the parts above: only the NFC check reads it, on the raw page


def problems_in_page(html: str) -> list[str]:
    """Every problem with one generated page (its HTML text)."""
    parts = PartsTheChecksRead()
    soup = BeautifulSoup(html, "lxml", parse_only=parts)
    return check_text_form(html) + check_page(soup, parts.roots)


def check_every_page(soup: BeautifulSoup, roots: dict) -> list[str]:
    problems = []
    if roots.get("html", {}).get("lang") != "vi":
        problems.append('<html> must have lang="vi"')
    if not _text(soup.find("title")):
        problems.append("<title> is missing or empty")
    if soup.find("meta", attrs={"name": "viewport"}) is None:
        problems.append('<meta name="viewport"> is missing')
    problems.extend(check_polls_slot(soup))
    return problems


def check_marked_slot(soup: BeautifulSoup, slot: Slot) -> list[str]:
    """Exactly one element with the slot's attribute, holding the start and
    end comments that the fill (and `invoke polls`) finds again."""
    slots = soup.find_all(attrs={slot.attribute: True})
    if len(slots) != 1:
        return [f"has {len(slots)} {slot.name}s ([{slot.attribute}]); it must have exactly 1"]
    markers = [c.strip() for c in slots[0].find_all(string=lambda s: isinstance(s, Comment))]
    if markers.count(slot.start[4:-3]) != 1 or markers.count(slot.end[4:-3]) != 1:
        return [f"the {slot.name} lacks its {slot.start} ... {slot.end} markers"]
    return []


def check_polls_slot(soup: BeautifulSoup) -> list[str]:
    return check_marked_slot(soup, POLLS)


def check_poll_archive(soup: BeautifulSoup) -> list[str]:
    """The poll results page keeps the markers `invoke polls` refills."""
    return check_marked_slot(soup, POLL_ARCHIVE)


def check_article(soup: BeautifulSoup) -> list[str]:
    problems = []
    headings = soup.find_all("h1")
    declared = soup.find("meta", attrs={"property": "og:title"})
    title = " ".join(declared.get("content", "").split()) if declared else ""
    if len(headings) != 1:
        problems.append(f"article has {len(headings)} <h1>; it must have exactly 1")
    elif _text(headings[0]) != title:
        problems.append(f'<h1> "{_text(headings[0])}" differs from the title "{title}"')
    time = soup.find("time", datetime=True)
    if time is None:
        problems.append("article has no <time datetime>")
    else:
        try:
            datetime.datetime.fromisoformat(time["datetime"])
        except ValueError:
            problems.append(f'<time datetime="{time["datetime"]}"> is not ISO 8601')
    if not _text(soup.find(class_="app-article-meta__author")):
        problems.append("article shows no author (.app-article-meta__author)")
    body = soup.find(class_="app-article__body")
    if not _text(body) and (body is None or body.find("img") is None):  # one photo is a body too
        problems.append("article body (.app-article__body) is empty")
    canonical = soup.find("link", rel="canonical")
    if canonical is None or not canonical.get("href"):
        problems.append('article has no <link rel="canonical" href>')
    return problems


def check_document(soup: BeautifulSoup) -> list[str]:
    """A document's page: one heading, its fields, its date, its address."""
    problems = []
    headings = soup.find_all("h1")
    if len(headings) != 1 or not _text(headings[0]):
        problems.append(f"document page has {len(headings)} <h1>; it must have exactly 1, not empty")
    fields = soup.find(class_="app-document__fields")
    if fields is None or fields.name != "dl" or not fields.find("dt"):
        problems.append("document page has no list of its fields (dl.app-document__fields)")
    if soup.find("time", datetime=True) is None:
        problems.append("document page has no <time datetime> (its date)")
    canonical = soup.find("link", rel="canonical")
    if canonical is None or not canonical.get("href"):
        problems.append('document page has no <link rel="canonical" href>')
    return problems


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


def check_page(soup: BeautifulSoup, roots: dict) -> list[str]:
    """Every problem with one generated page, one short phrase each; `roots`
    holds the attributes of its <html> and <body>."""
    page_type = roots.get("body", {}).get("data-page-type")
    if page_type not in PAGE_TYPES:
        return ["not made by our theme (no known body[data-page-type])"]
    problems = check_every_page(soup, roots)
    for check in PAGE_TYPES[page_type]:
        problems.extend(check(soup))
    return problems
