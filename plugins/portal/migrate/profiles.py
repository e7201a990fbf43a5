"""Telling NukeViet and mojoPortal pages apart and reading an article off one.

Each platform has a profile: the CSS selectors of its theme (taken from the
platforms' own templates: NukeViet 4 themes/default/modules/news/detail.tpl,
mojoPortal Blog/Controls/BlogViewControl.ascx) and the shape of its
addresses. A customised theme moves things around: the officer adjusts any
selector in old-site/profiles.yaml without touching code, e.g.

    nukeviet:
      date: ".chi-tiet .ngay-dang"

Pages of any other platform go through a main-content extractor
(readability) with the page's own metadata.
"""

import copy
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup

from ..core.problems import display_path

# NukeViet prints the weekday in Vietnamese before the date: "Thứ năm - 09/03/2017 21:41".
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\D+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(SA|CH|AM|PM))?)?")
# .NET's vi-VN long pattern (mojoPortal's default BlogDateTimeFormat): "14 Tháng Chín 2020 8:30:00 SA".
_VI_MONTHS = {"giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
              "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12}
_VI_LONG_DATE = re.compile(
    r"(\d{1,2})\s+tháng\s+(mười một|mười hai|[^\W\d_]+|\d{1,2})[,\s]+(\d{4})"
    r"(?:\D+?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(SA|CH|AM|PM))?)?", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")

PROFILES = {
    "nukeviet": {
        "detect": 'meta[name="generator"][content*="NukeViet"], #news-bodyhtml',
        "article": "#news-bodyhtml",
        "title": "h1.title[itemprop=headline], h1[itemprop=headline], h1.title",
        # the visible date; the hidden datePublished is the edit time, and
        # article:published_time is malformed ("2017-03-09ICT21:41:00")
        "date": ".news_column .row span.h5, .news_column span.h5",
        "lead": ".hometext",
        "lead_image": "figure.article img",
        "lead_caption": "figure.article figcaption",
        "body": "#news-bodyhtml",
        "attachments": ".news-download-file a[href]",
        "byline": ".news_column p.h5",
        "author_labels": ["Tác giả"],
        "source_labels": ["Nguồn tin"],
        "tags": ".news_column .h5 em.fa-tags ~ a",
        "category_title": 'meta[property="article:section"]',
        # /vi/news/tin-co-so/dai-hoi-12.html, /index.php/news/..., /tin-co-so/dai-hoi-12.html
        "article_address": r"^(?:/index\.php)?(?:/[a-z]{2})?(?:/news)?/(?P<category>[^/]+)/(?P<alias>[^/]+)-(?P<id>\d+)\.html?$",
        "article_query": r"(?:^|&)op=(?P<category>[^/&]+)/(?P<alias>[^&]+)-(?P<id>\d+)(?:\.html?)?(?:&|$)",
        "listing_links": "ul.pagination a[href], .news_column h3 a[href], .news_column h2 a[href], .list-group a[href]",
        "uploads": "/uploads/",
    },
    "mojoportal": {
        "detect": ".blogview, .blogwrapper",
        "article": ".blogview .blogtext",
        "title": ".blogview .moduletitle",
        "date": ".blogview .blogdate .bdate",
        "lead": "",
        "lead_image": ".blogview img.blog-post__featured-image",
        "lead_caption": "",
        "body": ".blogview .blogtext",
        "attachments": ".blogview audio source[src], .blogview video source[src]",
        "byline": ".blogview .blogdate .blogauthor",
        "author_labels": ["Posted by", "Đăng bởi", "Người đăng", "Tác giả"],
        "source_labels": [],
        "tags": ".blogview .blogdate .blogtags a",
        "category_title": "",
        # friendly addresses end in .aspx; the others carry the post's ItemID
        "article_address": r"^/(?!Blog/|Admin/|Secure/|Data/)(?P<alias>[^?]+?)\.aspx$",
        "article_query": r"(?:^|&)itemid=(?P<id>\d+)(?:&|$)",
        "listing_links": ".blogpager a[href], .blogwrapper .blogtitle a[href], .modulepager a[href]",
        "uploads": "/Data/Sites/",
    },
}
DOCUMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods",
                       ".zip", ".rar", ".7z", ".txt", ".rtf", ".mp3", ".mp4"}


class ProfileError(Exception):
    pass


def load_profiles(path: Path) -> dict:
    """The built-in profiles with the officer's adjustments from `path`."""
    profiles = copy.deepcopy(PROFILES)
    if not path.is_file():
        return profiles
    try:
        changes = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", -1) + 1
        raise ProfileError(f"{display_path(path)}:{line}: not valid YAML; keep the indentation of the example") from None
    for platform, fields in changes.items():
        if platform not in profiles or not isinstance(fields, dict):
            raise ProfileError(f'{display_path(path)}: "{platform}" is not one of: {", ".join(profiles)}')
        for name, value in fields.items():
            if name not in profiles[platform]:
                raise ProfileError(f'{display_path(path)}: {platform}.{name} is not a field of the profile; '
                                   f'use one of: {", ".join(profiles[platform])}')
            profiles[platform][name] = value
    return profiles


@dataclass
class OldFile:
    url: str  # absolute address on the old site
    title: str = ""
    addresses: list[str] = field(default_factory=list)  # other old addresses of it (?download=1&id=0)


@dataclass
class OldArticle:
    platform: str
    old_id: str
    address: str  # where it was read
    title: str
    date: datetime.datetime | None
    author: str = ""
    source: str = ""
    category: str = ""  # the old category's key (alias)
    category_title: str = ""
    alias: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    body_html: str = ""
    lead_image: OldFile | None = None
    lead_alt: str = ""
    lead_caption: str = ""
    attachments: list[OldFile] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)  # every old address of the article

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.old_id}"


class NotAnArticle(Exception):
    """A page of the old site that holds no article (home, category, contact)."""


class UnreadablePage(Exception):
    """An article page missing what an article needs: the reason, for the report."""


def _text(node) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def _first(soup, selector):
    return soup.select_one(selector) if selector else None


def detect_platform(soup, profiles) -> str | None:
    for platform in ("nukeviet", "mojoportal"):
        if soup.select_one(profiles[platform]["detect"]):
            return platform
    return None


def parse_old_date(text: str) -> datetime.datetime | None:
    """The date an old page shows, in its own (site) time."""
    for pattern, month_of in ((_DAY_MONTH_YEAR, int), (_VI_LONG_DATE, _vi_month), (_ISO_DATE, int)):
        found = pattern.search(text)
        if not found:
            continue
        groups = found.groups()
        if pattern is _ISO_DATE:
            year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
        else:
            day, month, year = int(groups[0]), month_of(groups[1]), int(groups[2])
        hour, minute, second = (int(part) if part else 0 for part in groups[3:6])
        meridiem = (groups[6] or "").upper() if len(groups) > 6 else ""
        if meridiem in ("CH", "PM") and hour < 12:
            hour += 12
        elif meridiem in ("SA", "AM") and hour == 12:
            hour = 0
        try:
            return datetime.datetime(year, month, day, hour, minute, second)
        except (ValueError, TypeError):
            return None
    return None


def _vi_month(word: str) -> int:
    word = word.strip().lower()
    return int(word) if word.isdigit() else _VI_MONTHS.get(word, 0)


def _labelled(soup, selector, labels) -> str:
    """The value after 'Tác giả:' in a line such as NukeViet's author and source lines."""
    for node in soup.select(selector) if selector else []:
        text = _text(node)
        for label in labels:
            if text.lower().startswith(label.lower()):
                return text[len(label):].lstrip(" :").strip()
    return ""


def address_match(profile, url: str):
    """The profile's article-address match of `url` (path or query form), or None."""
    parts = urlsplit(url)
    found = re.match(profile["article_address"], unquote(parts.path), re.IGNORECASE)
    if found is None and parts.query:
        found = re.search(profile["article_query"], unquote(parts.query), re.IGNORECASE)
    return found


def read_article_page(url: str, html: bytes | str, profiles: dict) -> OldArticle:
    """An OldArticle from one page; NotAnArticle or UnreadablePage with the reason."""
    soup = BeautifulSoup(html, "lxml")
    canonical = soup.select_one('link[rel="canonical"][href]')
    address = urljoin(url, canonical["href"]) if canonical else url
    platform = detect_platform(soup, profiles)
    if platform is None:
        return _read_with_readability(url, address, soup, html)
    profile = profiles[platform]
    if not soup.select_one(profile["article"]):
        if address_match(profile, url) or address_match(profile, address):
            raise UnreadablePage(f'an article address, but nothing at "{profile["article"]}" ({platform}); '
                                 'a customised theme? adjust the selectors in old-site/profiles.yaml')
        raise NotAnArticle(url)
    title = _text(_first(soup, profile["title"]))
    date_text = _text(_first(soup, profile["date"]))
    date = parse_old_date(date_text)
    if not title:
        raise UnreadablePage(f'no title at "{profile["title"]}" ({platform}); adjust "title" in old-site/profiles.yaml')
    if date is None:
        raise UnreadablePage(f'no date at "{profile["date"]}" ({platform}) (found "{date_text}"); '
                             'adjust "date" in old-site/profiles.yaml')
    old_id, alias, category = _identity(profile, platform, url, address, soup)
    article = OldArticle(platform=platform, old_id=old_id, address=address, title=title, date=date,
                         alias=alias, category=category)
    article.addresses = _unique([url, address])
    byline = profile["byline"]
    article.author = _labelled(soup, byline, profile["author_labels"]) or (
        _text(_first(soup, byline)) if not profile["source_labels"] else "")
    article.source = _labelled(soup, byline, profile["source_labels"])
    article.category_title = _meta_or_text(_first(soup, profile["category_title"])) or category
    article.tags = _unique(_text(tag) for tag in soup.select(profile["tags"])) if profile["tags"] else []
    lead = _first(soup, profile["lead"])
    article.summary = _text(lead)
    body = _first(soup, profile["body"])
    article.body_html = body.decode_contents() if body else ""
    image = _first(soup, profile["lead_image"])
    if image is not None and image.get("src"):
        article.lead_image = OldFile(urljoin(url, image["src"]))
        article.lead_alt = (image.get("alt") or "").strip()
        article.lead_caption = _text(_first(soup, profile["lead_caption"]))
    for link in soup.select(profile["attachments"]) if profile["attachments"] else []:
        target = link.get("href") or link.get("src")
        # NukeViet: "Tập tin 1: <strong>ke-hoach-01.pdf</strong>"; the name is what matters
        title = _text(link.find("strong")) or link.get("title") or _text(link)
        article.attachments.append(OldFile(urljoin(url, target), title))
    return article


def _meta_or_text(node) -> str:
    if node is None:
        return ""
    return (node.get("content") or "").strip() if node.name == "meta" else _text(node)


def _identity(profile, platform, url, address, soup) -> tuple[str, str, str]:
    """(old id, alias, old category) from the page's addresses, or its markup."""
    for candidate in (address, url):
        found = address_match(profile, candidate)
        if found is None:
            continue
        groups = found.groupdict()
        alias = groups.get("alias") or ""
        if groups.get("id"):
            category = groups.get("category") or (_mojo_category(soup, alias) if platform == "mojoportal" else "")
            return groups["id"], alias.rsplit("/", 1)[-1], category
        if platform == "mojoportal" and alias:
            # A friendly address: the ItemID shows only in links that carry it.
            item = soup.select_one('.blogview a[href*="CommentDialog.aspx"][href*="ItemID="], '
                                   '.blogview a[href*="EditPost.aspx"][href*="ItemID="]')
            query = urlsplit(item.get("href") or item.get("action")).query if item else ""
            item_id = {k.lower(): v for k, v in parse_qs(query).items()}.get("itemid", [""])[0]
            return item_id or alias.rsplit("/", 1)[-1], alias.rsplit("/", 1)[-1], _mojo_category(soup, alias)
    raise UnreadablePage(f"the address does not look like a {platform} article "
                         f'(article_address in old-site/profiles.yaml)')


def _mojo_category(soup, alias: str) -> str:
    first_tag = soup.select_one(".blogview .blogdate .blogtags a")
    if first_tag is not None:
        return _text(first_tag)
    return alias.split("/")[0] if "/" in alias else "blog"


def _read_with_readability(url, address, soup, html) -> OldArticle:
    """Any other platform: the main content by readability, the rest from
    the page's metadata. A page without a date is no article."""
    from readability import Document

    published = soup.select_one('meta[property="article:published_time"][content], time[datetime]')
    date = parse_old_date(published.get("content") or published.get("datetime")) if published else None
    if date is None:
        raise NotAnArticle(url)
    heading = soup.select_one('meta[property="og:title"][content]')
    title = (heading["content"].strip() if heading else "") or _text(soup.find("h1")) or _text(soup.title)
    document = Document(html if isinstance(html, str) else html.decode("utf-8", "replace"))
    path = unquote(urlsplit(address).path).strip("/")
    alias = re.sub(r"\.(html?|aspx|php)$", "", path.rsplit("/", 1)[-1]) or "bai"
    author = soup.select_one('meta[name="author"][content]')
    description = soup.select_one('meta[name="description"][content]')
    return OldArticle(platform="page", old_id=path, address=address, title=title, date=date,
                      author=author["content"].strip() if author else "",
                      category=path.split("/")[0] if "/" in path else "",
                      alias=alias, summary=description["content"].strip() if description else "",
                      body_html=document.summary(html_partial=True), addresses=_unique([url, address]))


def _unique(items) -> list:
    seen = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def is_document_link(url: str, profile_uploads: str = "") -> bool:
    path = unquote(urlsplit(url).path).lower()
    query = urlsplit(url).query.lower()
    return (Path(path).suffix in DOCUMENT_EXTENSIONS or "download=1" in query
            or bool(profile_uploads and path.startswith(profile_uploads.lower()) and Path(path).suffix))
