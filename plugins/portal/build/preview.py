"""Fast preview rebuilds: when an editor changes an article's body, title
or summary, the preview server re-renders only the pages that can show it.

A full build renders every page (about 1,700 at 1,000 articles). How far an
edit reaches (`edit_reach`):

- the body alone, with the article's own Summary in an unchanged header:
  only the article's page;
- the title or the Summary (with an explicit Slug, so the address stays),
  or the body of an article without a Summary (lists show its start): the
  article's page and every page that links to it, since an article's title
  and summary are shown only beside links to it (lists, neighbours,
  same-category lists);
- anything else (date, tags, a document cited or no longer cited, a
  photo of the body, a new or deleted file...) moves articles between
  pages: the last whole build, kept in memory, is grouped again with the
  edit and renders the pages whose inputs changed (build.resident); what it
  cannot show (a new address, a category, a document, a poll...) is a build
  of the whole site (build.site), which is incremental too: it renders only
  the pages whose inputs changed (render.page_inputs), links the others
  from output/, and swaps.

Those pages are rendered beside the site from the last whole build, kept
in the preview server's memory with the edit patched in (build.resident),
or, when none is kept, by Pelican with a writer that writes only them; the
check runs on them, and each replaces its old version in one atomic rename
(pages no longer made are deleted then).
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import markupsafe

from ..core.problems import BuildFailed
from ..documents.citations import MARKER as CITATION_MARKER
from ..read.content_files import published_contents
from ..read.header import read_header
from ..search.slices import INDEX_FOLDER
from . import rendered_pages
from .hosting import forget_sources
from .lock import build_lock
from .safe_folders import new_work_folder, real_folder, remove
from .site import check_and_fill, run_pelican, slot_blocks


# {source file: (the page it becomes, the address links use)}, of the last
# build in this process: the preview server re-renders only the pages that
# show the files an editor changed.
pages_of_sources: dict[str, tuple[str, str]] = {}


def remember_pages_of_sources(generators):
    """Pelican's all_generators_finalized signal."""
    pages_of_sources.clear()
    for source, generator, content in published_contents(generators):
        pages_of_sources[source] = (content.save_as, f"{generator.settings['SITEURL']}/{content.url}")


def header_of(path) -> str | None:
    """The metadata block of a Markdown file as written (up to the first
    blank line), continued lines included, and what of its body other pages
    show, as more fields (BODY_SHOWN_ELSEWHERE); None when it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    header, _, body = text.replace("\r\n", "\n").partition("\n\n")
    for field, pattern in BODY_SHOWN_ELSEWHERE.items():
        found = ["".join(filter(None, match.groups())) for match in pattern.finditer(body)]
        if found:
            header += f"\n{field}: {' | '.join(found)}"
    return header


# What of an article's body pages other than its own show, so that a body
# edit changing it is judged as a header edit (a full build):
# - the documents it cites ({van-ban}01): a document's page and the home
#   page's newest documents list the articles citing each;
# - its photos, in order: without an Image field, lists show the first as
#   the article's thumbnail.
BODY_SHOWN_ELSEWHERE = {
    "X-Cites-Documents": re.compile(re.escape(CITATION_MARKER) + r"([^\s)\"'<>#?]*)"),
    "X-Body-Photos": re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*?\bsrc=[\"']([^\"']+)"),
}


# Shown on the article's page and beside every link to it, nowhere else.
SHOWN_BESIDE_LINKS = {"title", "summary"}


def _values(header: str) -> dict[str, str]:
    return {key: value for key, (_, value) in read_header(header).items()}


def _placing(values: dict[str, str]) -> dict[str, str]:
    """The fields that decide where an article is listed and at what address."""
    return {key: value for key, value in values.items() if key not in SHOWN_BESIDE_LINKS}


def edit_reach(headers_now: dict, headers_before: dict) -> str | None:
    """How far edits to these files reach: "own" (their own pages), "links"
    (and every page linking to them) or None (only a full build is safe)."""
    reach = "own"
    for path, header in headers_now.items():
        before = headers_before.get(path)
        if header is None or before is None:
            return None
        now, then = _values(header), _values(before)
        if header == before and "summary" in now:
            continue
        if _placing(now) != _placing(then):
            return None  # date, tags, category...: articles move between pages
        if now.get("title") != then.get("title") and "slug" not in now:
            return None  # the address follows the title
        reach = "links"
    return reach if headers_now else None


def pages_linking_to(output, addresses: set[str]) -> list[str]:
    """The pages of `output` (paths inside it) with a link to any of `addresses`."""
    output = Path(output)
    # As templates print them: escaped ("a&b" is written "a&amp;b"). Looked
    # for in the bytes: decoding every page took 3.1 s at 10,000 articles,
    # against 0.5 s.
    needles = [f'href="{written}"'.encode() for address in addresses
               for written in {address, str(markupsafe.escape(address))}]
    found = []
    for folder, folders, files in os.walk(output):
        if folder == str(output):
            # Not the site's pages: the search index, where Pagefind, running
            # in the background after the last edit, reads links to them
            # (seen here, they made the next title edit a whole build).
            folders[:] = [name for name in folders if name != INDEX_FOLDER]
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                with open(path, "rb") as page:
                    text = page.read()
                if any(needle in text for needle in needles):
                    found.append(Path(path).relative_to(output).as_posix())
    return sorted(found)


@dataclass
class Rendered:
    """What a renderer made beside the site: the pages to put in its place
    (paths inside OUTPUT_PATH), and the pages the site no longer has."""

    pages: list[str]
    gone: list[str] = field(default_factory=list)
    # {page: [inputs digest, rendered digest]} of `pages`, for the record of
    # the site's pages (build.rendered_pages), when the renderer knows them.
    inputs: dict = field(default_factory=dict)


def rebuild_pages(settings, pages: list[str] | None, render=None) -> Rendered | None:
    """Re-render `pages` (paths inside OUTPUT_PATH) beside the site, check
    them, then put each in place with an atomic rename. `render(settings,
    pages, staging)` writes them into `staging` and says what it made
    (None: it cannot, and a full build must do); by default Pelican reads
    the whole site as usual (links and static files are checked against it)
    and renders only these pages (build.resident renders them from the last
    build, kept in memory, and finds which pages an edit changes: `pages`
    None). BuildFailed leaves the site as it was; so does a page that is
    not made (None: a full build must say why).
    Holds output/'s lock (build.lock), like a full build: never both at once."""
    output = real_folder(Path(settings["OUTPUT_PATH"]), "OUTPUT_PATH")
    with build_lock(output):
        return _rebuild_pages_locked(settings, pages, output, render or render_with_pelican)


def render_with_pelican(settings, pages: list[str], staging: Path) -> Rendered:
    settings = {
        **settings,
        "DELETE_OUTPUT_DIRECTORY": False,
        "THEME_STATIC_PATHS": [],  # unchanged, and already in place
        "STATIC_CHECK_IF_MODIFIED": True,
        "PORTAL_WRITE_ONLY": {os.path.normpath(page) for page in pages},
        "PORTAL_WRITE_INTO": str(staging),
    }
    found = run_pelican(settings)
    if found:
        raise BuildFailed(found, "build")
    return Rendered(pages)


def _rebuild_pages_locked(settings, pages: list[str] | None, output: Path, render) -> Rendered | None:
    blocks, found = slot_blocks(settings)
    if found:
        raise BuildFailed(found, "check")
    staging = new_work_folder(output, "pages")  # this rebuild's own
    settings = {**settings, "PORTAL_POLL_BLOCKS": blocks}
    try:
        rendered = render(settings, pages, staging)
        if not rendered:
            return None
        written = [staging / page for page in rendered.pages]
        if not all(path.is_file() for path in written):
            return None
        found = check_and_fill(staging, settings, shown_as=output.name, only=written, blocks=blocks)
        if found:
            raise BuildFailed(found, "check")
        for page in rendered.pages:
            (output / page).parent.mkdir(parents=True, exist_ok=True)  # a new tag's page, say
            os.replace(staging / page, output / page)
        for page in rendered.gone:
            (output / page).unlink(missing_ok=True)
        if rendered.inputs or rendered.gone:
            rendered_pages.update(settings, output, rendered.inputs, rendered.gone)
        return rendered
    finally:
        forget_sources()
        remove(staging)
