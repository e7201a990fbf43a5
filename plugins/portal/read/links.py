"""Links and images in article bodies: every one must lead somewhere.

`{filename}` / `{static}` links are checked when a file is read (the line is
known then); plain links inside the site ("/tin-co-so/abc.html") once the
site is written, against the files Pelican wrote.
"""

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..core.problems import ContentError, display_path, report_problem, shortened
from .addresses import is_on_editors_computer, is_on_this_site, is_other_site
from .content_files import (DOCUMENT_SUFFIXES, MARKDOWN_SUFFIXES, PHOTO_SUFFIXES, is_unread_markdown,
                            leads_out_of)

_PELICAN_LINK = re.compile(r'(?:href|src)="(?:\{|\|)(filename|static|attach)(?:\}|\|)([^"#?]*)')
_PLAIN_LINK = re.compile(r'(?:href|src)="([^"]*)"')


class _Images(HTMLParser):
    """The attributes of every <img> of a fragment."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append(dict(attrs))


def image_sources(html: str) -> list[str]:
    """Each image's src as written ("" when it has none)."""
    return [image.get("src") or "" for image in _Images(html).found]


def line_of(text: str, needle: str) -> int | None:
    position = text.find(needle) if needle else -1
    return text.count("\n", 0, position) + 1 if position >= 0 else None


def check_images_have_alt(html: str, text: str, shown: str) -> None:
    _raise_all(images_without_alt(html, text, shown))


def images_without_alt(html: str, text: str, shown: str) -> list[ContentError]:
    problems = []
    for image in _Images(html).found:
        if not (image.get("alt") or "").strip():
            src = image.get("src") or "?"
            problems.append(ContentError(
                shown,
                f'image "{os.path.basename(src)}" has no alt text; describe it '
                "in the brackets: ![Mô tả ảnh](đường-dẫn-ảnh)",
                line_of(text, src),
            ))
    return problems


def check_images_are_on_this_site(sources: list[str], text: str, shown: str) -> None:
    _raise_all(images_not_on_this_site(sources, text, shown))


def images_not_on_this_site(sources: list[str], text: str, shown: str) -> list[ContentError]:
    """Every image a file of this site. The published pages' policy
    (render/security.py: img-src 'self' data:) blocks images from other
    sites, so the preview would show what readers never see; and the
    sanitiser removes data: and other addresses, leaving an empty frame."""
    problems = []
    for src in sources:
        if is_on_this_site(src):
            continue
        if not src.strip():
            problems.append(ContentError(
                shown, "an image has no address; write the picture's file after "
                "its description: ![Mô tả ảnh]({static}/images/anh.jpg)"))
            continue
        name = os.path.basename(urlparse(src.replace("\\", "/")).path) or "anh.jpg"
        how = f"save it into content/images/ and link it with {{static}}/images/{name}"
        if is_on_editors_computer(src):
            where = "is a file on your computer, not on the site"
        elif src.lower().lstrip().startswith("data:"):
            where = "is written into the text"
            how = "save it as a file into content/images/ and link it with {static}/images/…"
        elif is_other_site(src):
            where = "is on another site, and the published page would not show it"
        else:
            where = "is not the address of a picture"
            how = "save the picture into content/images/ and link it with {static}/images/…"
        problems.append(ContentError(
            shown, f'image "{shortened(src, 80)}" {where}; {how}', line_of(text, src)))
    return problems


def check_linked_files_exist(html: str, text: str, source_path: str, shown: str, content_root: str) -> None:
    _raise_all(linked_file_problems(html, text, source_path, shown, content_root))


def linked_file_problems(html: str, text: str, source_path: str, shown: str,
                         content_root: str) -> list[ContentError]:
    """Each {filename}, {static} or {attach} link of `html` that leads to no
    file in content/, out of it, or to a file of the other kind (Pelican
    would leave it unresolved, naming neither the file nor the line)."""
    problems = []
    for kind, target in _PELICAN_LINK.findall(html):
        relative = unquote(target)
        if relative.startswith("/"):
            linked = Path(content_root) / relative.lstrip("/")
        else:
            linked = Path(source_path).parent / relative
        line = line_of(text, target)
        if leads_out_of(linked, content_root):
            # Pelican would copy it into the site: "{static}/../pelicanconf.py".
            problems.append(ContentError(
                shown, f'link to "{relative}" leads out of content/; link only to files in content/', line))
        elif not linked.is_file():
            other = same_name_other_case(linked)
            hint = (f'; "{other.name}" is there: write the name exactly as the file\'s'
                    if other else "; check the name and folder of the article, page or image")
            problems.append(ContentError(
                shown, f'link to "{relative}" points to no file in content/{hint}', line))
        else:
            wrong_kind = link_kind_problem(kind, relative)
            if wrong_kind:
                problems.append(ContentError(shown, wrong_kind, line))
    return problems


def link_kind_problem(kind: str, relative: str) -> str | None:
    """{filename} leads to articles and pages (Markdown files), {static} and
    {attach} to photos and files to download: the other way round, Pelican
    finds nothing, or warns."""
    name = relative.rsplit("/", 1)[-1]
    if kind == "filename" and is_unread_markdown(name):
        return (f'link to "{relative}": that file\'s name ends in "{Path(name).suffix}" (Notepad '
                "adds it), so it is not read as an article; rename the file to "
                f'"{Path(name).stem}" and link to that')
    if kind == "filename" and name.lower().endswith(PHOTO_SUFFIXES + DOCUMENT_SUFFIXES):
        return (f'link to "{relative}" uses {{filename}}, which is for articles and pages; write '
                f"{{static}}{relative} for a photo or a file to download")
    if kind in ("static", "attach") and name.lower().endswith(MARKDOWN_SUFFIXES):
        return (f'link to "{relative}" uses {{{kind}}}, which is for photos and files to download; '
                f"write {{filename}}{relative} to link an article or page")
    return None


def _raise_all(problems: list[ContentError]) -> None:
    if problems:
        raise ContentError.together(problems)


def same_name_other_case(path: Path) -> Path | None:
    """The file beside `path` whose name differs only in case ("Hoi-nghi.JPG"
    for "hoi-nghi.jpg"): what the editor meant, on a case-sensitive server."""
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return None
    wanted = path.name.casefold()
    return next((p for p in siblings if p.name.casefold() == wanted and p.is_file()), None)


def check_internal_links(contents, output_path: str, siteurl: str,
                         unpublished: dict[str, tuple[str, str]] | None = None) -> None:
    """Plain links to this site that lead to no written file. `unpublished`
    holds the addresses drafts and hidden articles would have: {address:
    (source file, status)}, a link to which ({filename} makes one) is named so."""
    output = Path(output_path)
    unpublished = unpublished or {}
    for content in contents:
        for url in _PLAIN_LINK.findall(content.content):
            path = _site_path(url, siteurl)
            if path is None:
                continue
            target = output / path.lstrip("/")
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            if target.is_file():
                continue
            if path in unpublished:
                source, status = unpublished[path]
                message = (f'link "{url}" leads to {display_path(source)}, which is not published '
                           f"(its Status is {status}); remove the link, or publish that file")
            else:
                message = (f'link "{url}" leads to no page of the site; correct it, '
                           "or link with {filename} to the article's file")
            report_problem(ContentError(display_path(content.source_path), message), content.source_path)


def _site_path(url: str, siteurl: str) -> str | None:
    """The path of a link into this site, or None for other sites, anchors, mail."""
    if siteurl and url.startswith(siteurl):
        url = url[len(siteurl):] or "/"
    if is_other_site(url):
        return None  # "/\\host/x" too, which a browser reads as //host/x
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/"):
        return None
    return unquote(parsed.path)
