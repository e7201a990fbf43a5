"""Where the old pages come from: a saved copy (a folder), the live site, or
a WARC. Each source yields the old site's pages as (address, status, bytes)
and fetches a file (a photo, an attachment) by its old address.

The live site is read politely: one request at a time, a pause between
requests, a User-Agent naming the portal. Article pages and files are kept
in old-site/cache/, so an interrupted import resumes where it stopped and a
second run downloads nothing it already has; the lists (sitemaps, category
pages) are read again on each run, to find what is new.
"""

import gzip
import hashlib
import json
import os
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from .profiles import address_match

HTML_SUFFIXES = {".html", ".htm", ".aspx", ".php", ""}


@dataclass
class Page:
    url: str
    status: int
    body: bytes


class SourceError(Exception):
    """The source itself cannot be read (missing folder, unreachable site)."""


def same_site(url: str, base: str) -> bool:
    return urlsplit(url).netloc.lower() == urlsplit(base).netloc.lower()


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


# --- A saved copy ---------------------------------------------------------------


class FolderSource:
    """What `wget --mirror` (host/ folder, index.php?nv=... file names,
    "@" for "?" with --restrict-file-names=windows) or a browser's "save
    page" leaves. A page's address is its canonical link when it has one."""

    def __init__(self, folder: Path, base_url: str = ""):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise SourceError(f"{folder}: no such folder")
        hosts = [child for child in self.folder.iterdir() if child.is_dir() and "." in child.name]
        if not base_url and len(hosts) == 1 and not any(self.folder.glob("*.htm*")):
            self.root, base_url = hosts[0], f"http://{hosts[0].name}"  # wget's host/ folder
        else:
            self.root = self.folder
        self.base_url = (base_url or "http://old-site.invalid").rstrip("/")

    def _url_of(self, path: Path) -> str:
        relative = path.relative_to(self.root).as_posix()
        for separator in ("?", "@"):
            if separator in relative and relative.split(separator, 1)[0].endswith((".php", ".aspx")):
                relative = relative.replace(separator, "?", 1)
                break
        return f"{self.base_url}/{relative}"

    def pages(self):
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and (path.suffix.lower() in (".html", ".htm") or ".php?" in path.name
                                   or ".aspx?" in path.name or path.suffix.lower() == ".aspx"):
                yield Page(self._url_of(path), 200, path.read_bytes())

    def fetch(self, url: str, page_url: str = "") -> bytes | None:
        parts = urlsplit(url)
        candidates = []
        if same_site(url, self.base_url) or not parts.netloc:
            name = unquote(parts.path).lstrip("/")
            if parts.query:
                candidates += [f"{name}?{parts.query}", f"{name}@{parts.query}"]
            candidates.append(name)
        if page_url and not url.startswith(("http://", "https://", "/")):
            candidates.append(unquote(urljoin(page_url, url).split(self.base_url, 1)[-1]).lstrip("/"))
        for candidate in candidates:
            path = self.root / candidate
            if path.is_file():
                return path.read_bytes()
        return None


# --- A WARC -----------------------------------------------------------------------


class WarcSource:
    """A web archive (.warc / .warc.gz): each response record is a page or
    a file of the old site, found again by its address."""

    def __init__(self, path: Path):
        from warcio.archiveiterator import ArchiveIterator

        self.path = Path(path)
        if not self.path.is_file():
            raise SourceError(f"{path}: no such file")
        self.offsets: dict[str, int] = {}
        self.html: list[str] = []
        with self.path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = _without_fragment(record.rec_headers.get_header("WARC-Target-URI"))
                self.offsets.setdefault(url, records.get_record_offset())
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" in content_type and url not in self.html:
                    self.html.append(url)
        if not self.offsets:
            raise SourceError(f"{path}: no web pages in this WARC")
        first = urlsplit(next(iter(self.offsets)))
        self.base_url = f"{first.scheme}://{first.netloc}"

    def _record(self, url: str) -> tuple[int, bytes] | None:
        from warcio.archiveiterator import ArchiveIterator

        offset = self.offsets.get(_without_fragment(url))
        if offset is None:
            return None
        with self.path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            return int(record.http_headers.get_statuscode()), record.content_stream().read()

    def pages(self):
        for url in self.html:
            status, body = self._record(url)
            yield Page(url, status, body)

    def fetch(self, url: str, page_url: str = "") -> bytes | None:
        found = self._record(urljoin(page_url or self.base_url, url))
        return found[1] if found and found[0] == 200 else None


# --- The live site -------------------------------------------------------------------


SITEMAP_PATHS = ("/sitemap.xml", "/Blog/BlogSiteMap.ashx", "/SiteMap.ashx")


class SiteCrawler:
    """The old site over HTTP: its sitemaps, then the category pages and
    their pagination for the articles the sitemaps miss."""

    def __init__(self, base_url: str, cache: Path, user_agent: str, delay: float, profiles: dict,
                 dry_run: bool = False):
        parts = urlsplit(base_url)
        self.base_url = f"{parts.scheme}://{parts.netloc}"
        self.start = base_url
        self.cache = Path(cache)
        self.user_agent = user_agent
        self.delay = delay
        self.profiles = profiles
        self.dry_run = dry_run
        self.requests = 0
        self._last_request = 0.0

    # Requests, one at a time with a pause; article pages and files cached.
    def _get(self, url: str, cached: bool) -> tuple[int, bytes]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        body_path, meta_path = self.cache / f"{key}.body", self.cache / f"{key}.json"
        if cached and meta_path.is_file() and body_path.is_file():
            return json.loads(meta_path.read_text())["status"], body_path.read_bytes()
        wait = self._last_request + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent,
                                                       "Accept-Encoding": "identity"})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, b""
        except (urllib.error.URLError, OSError) as error:
            raise SourceError(f"{url}: {getattr(error, 'reason', error)}") from None
        finally:
            self._last_request = time.monotonic()
        if cached and status in (200, 404, 410) and not self.dry_run:
            self.cache.mkdir(parents=True, exist_ok=True)
            partial = body_path.with_suffix(".partial")
            partial.write_bytes(body)
            os.replace(partial, body_path)
            meta_path.write_text(json.dumps({"url": url, "status": status}))
        return status, body

    def _sitemap_urls(self) -> list[str]:
        status, robots = self._get(f"{self.base_url}/robots.txt", cached=False)
        listed = re.findall(rb"(?im)^\s*sitemap:\s*(\S+)", robots) if status == 200 else []
        queue = [url.decode() for url in listed] + [self.base_url + path for path in SITEMAP_PATHS]
        seen, pages = set(), []
        while queue:
            url = queue.pop(0)
            if url in seen or not same_site(url, self.base_url):
                continue
            seen.add(url)
            status, body = self._get(url, cached=False)
            if status != 200 or not body:
                continue
            if body[:2] == b"\x1f\x8b":
                body = gzip.decompress(body)
            soup = BeautifulSoup(body, "xml")
            for loc in soup.select("sitemap > loc"):
                queue.append(self._on_this_host(loc.get_text(strip=True)))
            # a sitemap lists its own site's pages, maybe under its canonical
            # name (www., https:) rather than the address being read
            pages += [self._on_this_host(loc.get_text(strip=True)) for loc in soup.select("url > loc")]
        return pages

    def _on_this_host(self, url: str) -> str:
        parts, base = urlsplit(url), urlsplit(self.base_url)
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))

    def _is_article_address(self, url: str) -> bool:
        return any(address_match(profile, url) for profile in self.profiles.values())

    def _listing_pages(self, found: list[str]) -> None:
        """Follow the home page's and category pages' links and pagination
        (never article pages) to the articles the sitemaps do not list."""
        queue, seen = [self.start], set()
        selectors = ", ".join(profile["listing_links"] for profile in self.profiles.values())
        while queue and len(seen) < 2000:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            status, body = self._get(url, cached=False)
            if status != 200:
                continue
            soup = BeautifulSoup(body, "lxml")
            links = [a for a in soup.select(selectors)] + soup.select("nav a[href], .nav a[href], #menu a[href]")
            for link in links:
                target = _without_fragment(urljoin(url, link.get("href", "")))
                if not same_site(target, self.base_url) or target.startswith("javascript:"):
                    continue
                if self._is_article_address(target):
                    if target not in found:
                        found.append(target)
                elif target not in seen and _looks_like_a_listing(target):
                    queue.append(target)

    def pages(self):
        found = []
        for url in self._sitemap_urls():
            if url not in found:
                found.append(url)
        self._listing_pages(found)
        for url in found:
            status, body = self._get(url, cached=True)
            yield Page(url, status, body)

    def fetch(self, url: str, page_url: str = "") -> bytes | None:
        try:
            status, body = self._get(urljoin(page_url or self.base_url, url), cached=True)
        except SourceError:
            return None  # one missing file is reported, and the import goes on
        return body if status == 200 else None


def _looks_like_a_listing(url: str) -> bool:
    path = urlsplit(url).path.lower()
    suffix = Path(path).suffix
    return suffix in HTML_SUFFIXES and not path.startswith(("/uploads/", "/data/", "/admin"))


def open_source(spec: str, cache: Path, user_agent: str, delay: float, profiles: dict, dry_run=False):
    """The source `spec` names: an http(s) address, a .warc(.gz), or a folder."""
    if spec.startswith(("http://", "https://")):
        return SiteCrawler(spec, cache, user_agent, delay, profiles, dry_run)
    path = Path(spec)
    if path.name.endswith((".warc", ".warc.gz")):
        return WarcSource(path)
    if path.is_dir():
        return FolderSource(path)
    raise SourceError(f"{spec}: not a folder, a .warc(.gz), a .sql(.gz) or an http(s) address")
