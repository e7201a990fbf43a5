"""Links and images in article bodies: every one must lead somewhere.

`{filename}` / `{static}` links are checked when a file is read (the line is
known then); plain links inside the site ("/tin-co-so/abc.html") once the
site is written, against the files Pelican wrote.
"""

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..core.problems import ContentError, display_path, report_problem

_PELICAN_LINK = re.compile(r'(?:href|src)="(?:\{|\|)(filename|static|attach)(?:\}|\|)([^"#?]*)')
_PLAIN_LINK = re.compile(r'(?:href|src)="([^"]*)"')
_IMAGE = re.compile(r"<img\b[^>]*>")
_ALT = re.compile(r'\balt="([^"]*)"')
_SRC = re.compile(r'\bsrc="([^"]*)"')


def line_of(text: str, needle: str) -> int | None:
    position = text.find(needle)
    return text.count("\n", 0, position) + 1 if position >= 0 else None


def check_images_have_alt(html: str, text: str, shown: str) -> None:
    for image in _IMAGE.findall(html):
        alt = _ALT.search(image)
        if alt is None or not alt.group(1).strip():
            source = _SRC.search(image)
            src = source.group(1) if source else "?"
            raise ContentError(
                shown,
                f'image "{os.path.basename(src)}" has no alt text; describe it '
                "in the brackets: ![Mô tả ảnh](đường-dẫn-ảnh)",
                line_of(text, src),
            )


def check_linked_files_exist(html: str, text: str, source_path: str, shown: str, content_root: str) -> None:
    for _kind, target in _PELICAN_LINK.findall(html):
        relative = unquote(target)
        if relative.startswith("/"):
            linked = Path(content_root) / relative.lstrip("/")
        else:
            linked = Path(source_path).parent / relative
        if not linked.is_file():
            raise ContentError(
                shown,
                f'link to "{relative}" points to no file in content/; check the name '
                "and folder of the article, page or image",
                line_of(text, target),
            )


def check_internal_links(contents, output_path: str, siteurl: str) -> None:
    """Plain links to this site that lead to no written file."""
    output = Path(output_path)
    for content in contents:
        for url in _PLAIN_LINK.findall(content.content):
            path = _site_path(url, siteurl)
            if path is None:
                continue
            target = output / path.lstrip("/")
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                report_problem(
                    ContentError(
                        display_path(content.source_path),
                        f'link "{url}" leads to no page of the site; correct it, '
                        "or link with {filename} to the article's file",
                    ),
                    content.source_path,
                )


def _site_path(url: str, siteurl: str) -> str | None:
    """The path of a link into this site, or None for other sites, anchors, mail."""
    if siteurl and url.startswith(siteurl):
        url = url[len(siteurl):] or "/"
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/"):
        return None
    return unquote(parsed.path)
