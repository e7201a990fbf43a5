"""Internal links: every address a page, stylesheet, feed, sitemap or
robots.txt gives must resolve to a file in the output, and nothing a page
needs to render may come from another host.

An address is internal when it is relative, root-relative or starts with
the site's own SITEURL; it resolves to `path`, or `path/index.html` for a
folder. A fragment must name an id on the target page.
"""

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from ..core.problems import Problem

# (element, attribute) pairs whose address the browser fetches to render the
# page: these must be our own files, never another host's.
RESOURCE_ATTRIBUTES = {
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"),
    ("source", "srcset"), ("iframe", "src"), ("video", "src"), ("video", "poster"),
    ("audio", "src"), ("track", "src"), ("embed", "src"), ("object", "data"),
    ("input", "src"),
}
# <link rel=...> values the browser loads while rendering.
RESOURCE_LINK_RELS = {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload",
                      "modulepreload", "mask-icon"}
# Addresses that name no file.
NOT_FILES = ("mailto:", "tel:", "javascript:", "data:", "sms:")
# "#" and "#top" scroll to the top of any page (HTML standard), with or without an id.
TOP_OF_PAGE = {"", "top"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def broken_links(output: Path, siteurl: str = "") -> list[Problem]:
    """Every address in `output` that does not resolve to one of its files."""
    checker = _LinkChecker(output.resolve(), siteurl)
    for path in sorted(output.rglob("*.html")):
        checker.check_page(path)
    for path in sorted((output / "theme").rglob("*.css")):
        checker.check_stylesheet(path)
    for path in sorted(output.rglob("*.xml")):
        checker.check_xml(path)
    if (output / "robots.txt").is_file():
        checker.check_robots(output / "robots.txt")
    return checker.problems


class _LinkChecker:
    def __init__(self, output: Path, siteurl: str):
        self.output = output
        self.siteurl = siteurl.rstrip("/")
        self.problems: list[Problem] = []

    def where(self, path: Path) -> str:
        return path.relative_to(self.output).as_posix()

    def page_url(self, path: Path) -> str:
        """The address a file is served at, as a base for relative links."""
        relative = self.where(path)
        return f"{self.siteurl or ''}/{relative}"

    def check_page(self, path: Path) -> None:
        document = _parse_html(path)
        base = self.page_url(path)
        for element in document.iter():
            if not isinstance(element.tag, str):
                continue
            tag = element.tag
            for attribute in ("href", "src", "srcset", "poster", "data"):
                value = element.get(attribute)
                if value is None:
                    continue
                is_resource = (tag, attribute) in RESOURCE_ATTRIBUTES or (
                    tag == "link" and RESOURCE_LINK_RELS & set(element.get("rel", "").lower().split())
                )
                addresses = _srcset(value) if attribute == "srcset" else [value.strip()]
                for address in addresses:
                    self.check_address(path, base, address, f"<{tag} {attribute}>", bool(is_resource))

    def check_stylesheet(self, path: Path) -> None:
        base = self.page_url(path)
        for address in CSS_URL.findall(path.read_text(encoding="utf-8")):
            self.check_address(path, base, address.strip(), "url()", resource=True)

    def check_xml(self, path: Path) -> None:
        try:
            tree = lxml.etree.parse(str(path))
        except lxml.etree.XMLSyntaxError as error:
            self.problems.append(Problem(self.where(path), f"not well-formed XML: {error}"))
            return
        base = self.page_url(path)
        for link in tree.iter(f"{ATOM}link"):
            self.check_address(path, base, link.get("href", ""), "<link href>", resource=False)
        for loc in tree.iter(f"{SITEMAP}loc"):
            self.check_address(path, base, (loc.text or "").strip(), "<loc>", resource=False)

    def check_robots(self, path: Path) -> None:
        for line in path.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition(":")
            if name.strip().lower() == "sitemap":
                self.check_address(path, self.page_url(path), value.strip(), "Sitemap:", resource=False)

    def check_address(self, path: Path, base: str, address: str, context: str, resource: bool) -> None:
        if not address or address.lower().startswith(NOT_FILES):
            return
        parts = urlsplit(urljoin(base, address))
        if parts.scheme and parts.scheme not in ("http", "https"):
            return
        own = urlsplit(self.siteurl or "/")
        if parts.netloc and (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
            if resource:
                self.problems.append(Problem(
                    self.where(path), f"{context} {address}: loads from another host; "
                    "serve it from the site itself"))
            return
        prefix = own.path.rstrip("/")
        if not parts.path.startswith(prefix + "/"):
            self.problems.append(Problem(self.where(path), f"{context} {address}: outside the site"))
            return
        target = self.output / unquote(parts.path[len(prefix) + 1:])
        if parts.path.endswith("/"):
            target = target / "index.html"
        elif target.is_dir():
            target = target / "index.html"
        if not target.is_file() or self.output not in target.resolve().parents:
            self.problems.append(Problem(self.where(path), f"{context} {address}: no such file in the output"))
            return
        fragment = unquote(parts.fragment)
        if fragment not in TOP_OF_PAGE and target.suffix == ".html" and fragment not in _ids(target):
            self.problems.append(Problem(
                self.where(path), f'{context} {address}: {self.where(target)} has no id="{fragment}"'))


def _srcset(value: str) -> list[str]:
    return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]


@lru_cache(maxsize=256)
def _parse_html_cached(path: Path, mtime: float):
    return lxml.html.parse(str(path)).getroot()


def _parse_html(path: Path):
    return _parse_html_cached(path, path.stat().st_mtime)


def _ids(path: Path) -> set[str]:
    document = _parse_html(path)
    return {element.get("id") for element in document.iter() if isinstance(element.tag, str)
            and element.get("id")} | {element.get("name") for element in document.iter("a")
                                      if element.get("name")}
