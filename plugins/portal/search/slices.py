"""Which pages go into which slice of the search index, and what each
slice's indexed content is, as a digest.

Pagefind holds every page it parses in memory until it writes its index
(about 0.4 MB a Vietnamese article; 4 GB at 10,000 articles), with no
setting to bound it. So the site is indexed in slices, one Pagefind run
each, never more pages at once than one full slice (index._index_slices:
two small ones side by side): slices by the year of the pages' dates (a year with
more than MAX_PAGES_PER_SLICE pages is cut between months, and years with
few pages are grouped, see slice_pages), the documents apart from the
articles (index_slices). The browser merges them (search.js).

A slice is indexed again only when its digest changes: the digest covers,
for each of its pages, the address and the part Pagefind reads (the
data-pagefind-body element and the page's language), so a change to a list
beside the article (its neighbours, the same category's latest) does not
count, and an edit to a 2024 article leaves 2015–2023 as they are.
"""

import hashlib
import os
import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

# About 0.4 MB of Pagefind's memory a page: 1,200 pages keep its run near
# 500 MB, beside the build's own Python process, under 1 GB together.
MAX_PAGES_PER_SLICE = 1200
# Each slice ranks its results by its own word statistics (how many of its
# pages hold a word): in a slice of a few pages every word looks common and
# its pages rank low against the others'. Slices of several hundred pages
# rank alike; a small site is one slice.
MIN_PAGES_PER_SLICE = 400
UNDATED = "trang"  # the slice of pages with no date (Giới thiệu, Liên hệ...)
FILTERED_PREFIX = "van-ban-"  # the documents' slices: "van-ban-2015-2024"
INDEX_FOLDER = "pagefind"

_BODY_MARK = b"data-pagefind-body"
_TAG_NAME = re.compile(rb"<([a-zA-Z][\w-]*)")
_LANGUAGE = re.compile(rb"<html\b[^>]*\slang=\"([^\"]*)\"")
# partials/search_words.html: the year and month of the page's date.
_MONTH_MARK = b'data-search-month="'
_MONTH = re.compile(rb'(\d{4})-(\d{2})"')


@dataclass(frozen=True)
class IndexedPage:
    path: str  # relative to the site, with "/"
    month: tuple[int, int] | None  # (year, month) of its date; None for undated pages
    digest: str  # of what Pagefind reads from it
    filtered: bool = False  # it declares search filters (data-pagefind-filter): a document


def indexed_part(html: bytes) -> bytes | None:
    """The data-pagefind-body element of a page, whole (None: not indexed).
    If its end cannot be found, the rest of the page: a digest covering too
    much only costs a needless run, one covering too little a stale index.
    (Plain byte searches, not a parser: every page of the site is read on
    every build, 16,500 pages at 10,000 articles.)"""
    mark = html.find(_BODY_MARK)
    if mark < 0:
        return None
    opening = html.rfind(b"<", 0, mark)
    tag = _TAG_NAME.match(html, opening) if opening >= 0 else None
    end_of_opening = html.find(b">", mark)
    if tag is None or end_of_opening < 0:
        return None
    name = re.escape(tag.group(1))
    depth = 1
    for found in re.compile(rb"<(/?)" + name + rb"\b[^>]*>", re.IGNORECASE).finditer(
            html, end_of_opening + 1):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return html[opening:found.end()]
    return html[opening:]


def indexed_pages(site: Path) -> list[IndexedPage]:
    """Every page of `site` that Pagefind indexes, in path order."""
    pages = []
    for folder, subfolders, files in os.walk(site):
        if folder == str(site):
            subfolders[:] = [name for name in subfolders if name != INDEX_FOLDER]
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as page_file:
                html = page_file.read()
            part = indexed_part(html)
            if part is None:
                continue
            language = _LANGUAGE.search(html, 0, html.find(b">", html.find(b"<html")) + 1)
            digest = hashlib.sha256(part)
            digest.update(b"\0" + (language.group(1) if language else b""))
            month_at = part.find(_MONTH_MARK)
            month = _MONTH.match(part, month_at + len(_MONTH_MARK)) if month_at >= 0 else None
            pages.append(IndexedPage(
                path=os.path.relpath(path, site).replace(os.sep, "/"),
                month=(int(month.group(1)), int(month.group(2))) if month else None,
                digest=digest.hexdigest(),
                filtered=b"data-pagefind-filter" in part,
            ))
    return sorted(pages, key=lambda page: page.path)


@dataclass(frozen=True)
class Slice:
    name: str
    pages: list[IndexedPage]
    filtered: bool  # its pages are the documents, which the search filters select

    @property
    def years(self) -> list[int] | None:
        """[first, last] year of its dated pages; None if none has a date."""
        years = [page.month[0] for page in self.pages if page.month]
        return [min(years), max(years)] if years else None


def index_slices(pages: list[IndexedPage]) -> list[Slice]:
    """The slices of the index, newest first. Documents (pages with search
    filters) have slices of their own: a search by filter or by a
    document's number then loads only theirs, never the articles'. Their
    names start with FILTERED_PREFIX."""
    found = [Slice(name, of_slice, False)
             for name, of_slice in slice_pages([p for p in pages if not p.filtered]).items()]
    found += [Slice(FILTERED_PREFIX + name, of_slice, True)
              for name, of_slice in slice_pages([p for p in pages if p.filtered]).items()]
    # Newest first by the last year of each; at the same year, articles first.
    return sorted(found, key=lambda piece: (-(piece.years or [0, 0])[1], piece.filtered))


def slice_pages(pages: list[IndexedPage], min_pages: int | None = None,
                max_pages: int | None = None) -> dict[str, list[IndexedPage]]:
    """{slice name: its pages}, newest first.

    Years are grouped from the oldest on, each group closed once it holds
    `min_pages` (MIN_PAGES_PER_SLICE), so that an edit to this year's
    articles leaves the older groups as they are; a newest group smaller
    than that joins the one before it. A year of more than `max_pages`
    (MAX_PAGES_PER_SLICE) is cut between months. Pages without a date go
    with the oldest group. Names: "2024", "2015-2018", "2024-thang-01-06";
    "trang" when no page has a date."""
    min_pages = MIN_PAGES_PER_SLICE if min_pages is None else min_pages
    max_pages = MAX_PAGES_PER_SLICE if max_pages is None else max_pages
    dated = sorted((page for page in pages if page.month), key=lambda page: page.month)
    undated = [page for page in pages if not page.month]
    if not dated:
        return {UNDATED: undated} if undated else {}
    groups: list[_Group] = []  # oldest first
    open_group = None
    for year, of_year in groupby(dated, key=lambda page: page.month[0]):
        of_year = list(of_year)
        if len(of_year) > max_pages:
            groups += [open_group] if open_group else []
            open_group = None
            groups += _cut_between_months(year, of_year, max_pages)
            continue
        open_group = open_group.joined(_Group(year, year, of_year)) if open_group \
            else _Group(year, year, of_year)
        if len(open_group.pages) >= min_pages:
            groups.append(open_group)
            open_group = None
    if open_group:
        before = groups[-1] if groups else None
        if before and not before.months and len(before.pages) + len(open_group.pages) <= max_pages:
            open_group = groups.pop().joined(open_group)
        groups.append(open_group)
    groups[0] = _Group(groups[0].first, groups[0].last, undated + groups[0].pages, groups[0].months)
    return {group.name: group.pages for group in reversed(groups)}


@dataclass(frozen=True)
class _Group:
    first: int  # year
    last: int
    pages: list[IndexedPage]
    months: tuple[int, int] | None = None  # a part of one year, cut between months

    @property
    def name(self) -> str:
        if self.months:
            return f"{self.first}-thang-{self.months[0]:02d}-{self.months[1]:02d}"
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    def joined(self, later: "_Group") -> "_Group":
        return _Group(self.first, later.last, self.pages + later.pages)


def _cut_between_months(year, pages, max_pages) -> list[_Group]:
    """One year's `pages` (oldest first) in as few parts of at most
    `max_pages` as it takes, of about equal size, cut between months (a
    month with more is a part of its own)."""
    target = len(pages) / -(-len(pages) // max_pages)
    parts, part = [], []
    for _, of_month in groupby(pages, key=lambda page: page.month):
        of_month = list(of_month)
        if part and len(part) + len(of_month) > max_pages:
            parts.append(part)
            part = []
        part += of_month
        if len(part) >= target:
            parts.append(part)
            part = []
    if part:
        parts.append(part)
    return [_Group(year, year, part, (part[0].month[1], part[-1].month[1])) for part in parts]


def slice_digest(pages: list[IndexedPage], indexer: str) -> str:
    """What a slice's index is made from: its pages and the indexer
    (Pagefind's version), so a new Pagefind rebuilds every slice."""
    digest = hashlib.sha256(indexer.encode("utf-8"))
    for page in sorted(pages, key=lambda page: page.path):
        digest.update(f"\n{page.path}\0{page.digest}".encode("utf-8"))
    return digest.hexdigest()
