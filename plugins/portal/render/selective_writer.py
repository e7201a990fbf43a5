"""Writers that render only some pages.

- IncrementalWriter, for every build (build.site asks for it with
  PORTAL_RENDERED_PAGES): a page whose inputs (render.page_inputs) are those
  of the last build's page, or whose new bytes are that page's, is not
  written: the last build's file is linked into the new site instead.
  When pages are rendered on every core (render.parallel_writer, off by
  default), it holds Pelican's pages until its generators have all asked.
- SelectiveWriter, for the preview server's fast rebuilds (build.preview):
  only the pages named in PORTAL_WRITE_ONLY, into PORTAL_WRITE_INTO.

The last build's site is never written through: a page is linked into the
new site only where nothing is, every other write replaces what is there
with a new file (Pelican's writer would open a linked page and truncate it,
changing the live site). The other writers after Pelican (check-and-fill's
slots, render.slots) also replace files rather than rewrite them.
"""

import hashlib
import io
import os
import shutil

from pelican.utils import sanitised_join
from pelican.writers import Writer

from .page_inputs import PageInputs, code_digest, theme_digest
from .parallel_writer import WriteCall, holds_pages, render_calls


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def blocks_digest(blocks) -> str:
    """The poll blocks a page was rendered with (filled in again after), as
    text: a build has them as Markup, the preview's rebuilds as str."""
    return text_digest(repr(sorted((name, str(text)) for name, text in (blocks or {}).items())))


class LastBuild:
    """The pages of the last good build, as build.site remembered them:
    {page: [inputs digest, rendered digest, inode, size, mtime_ns]} in
    `folder`. A page is used only while its file is the very file that
    build left (same inode, size and time): `invoke polls`, `make check`
    or the preview's fast path replace files, and then it is rendered anew."""

    def __init__(self, remembered: dict | None):
        remembered = remembered or {}
        self.folder = remembered.get("folder")
        self.pages = remembered.get("pages", {}) if self.folder else {}
        self.blocks = remembered.get("blocks")

    def entry(self, page: str):
        return self.pages.get(page)

    def file_if_made_of(self, page: str, inputs: str) -> str | None:
        """The file of `page` when the last build made it of these `inputs`
        (file_if_unchanged)."""
        entry = self.pages.get(page)
        return self.file_if_unchanged(page) if entry and entry[0] == inputs else None

    def file_if_unchanged(self, page: str) -> str | None:
        entry = self.pages.get(page)
        if not entry:
            return None
        path = os.path.join(self.folder, page)
        try:
            stat = os.lstat(path)
        except OSError:
            return None
        if [stat.st_ino, stat.st_size, stat.st_mtime_ns] != list(entry[2:5]):
            return None
        return path


class _RendersIfChanged:
    """The template Pelican renders a page with, asking the writer first."""

    def __init__(self, template, writer: "IncrementalWriter"):
        self.template = template
        self.writer = writer
        self.name = template.name

    def render(self, localcontext) -> str:
        return self.writer.render_or_keep(self.template, localcontext)


class _Announces:
    """The template of a page written already: nothing to render."""

    def __init__(self, template):
        self.name = template.name

    def render(self, localcontext) -> str:
        return ""


class IncrementalWriter(Writer):
    """Pelican's writer, rendering and writing only the pages that change.

    Records in PORTAL_RENDERED_PAGES["pages"] {page: [inputs, rendered
    digest]} for the next build, and which pages it rendered and kept."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.last = LastBuild(settings.get("PORTAL_LAST_PAGES"))
        self.same_blocks = self.last.blocks == blocks_digest(settings.get("PORTAL_POLL_BLOCKS"))
        self.record = settings["PORTAL_RENDERED_PAGES"]
        # rendered: pages written anew; kept: the last build's files, with
        # same_bytes: those rendered again to the very same bytes.
        self.record.update(pages={}, rendered=[], kept=[], same_bytes=[],
                           blocks=blocks_digest(settings.get("PORTAL_POLL_BLOCKS")),
                           same_blocks=self.same_blocks)
        # The files kept because nothing they are made of changed: the last
        # build checked them, so while the checks are the same, the check
        # need not read them again (build.site, check.check_and_fill).
        self.record.setdefault("unchanged", set())
        self.inputs = PageInputs(theme_digest(settings) + code_digest())
        self.context: dict = {}
        self.keeping: dict[str, str] = {}  # {path in the new site: the last build's file}
        # Pelican's requests, held until its generators have all asked, to
        # be rendered on every core (render.parallel_writer); None: at once.
        self.held: list[WriteCall] | None = [] if holds_pages() else None
        self.files_written: list[str] | None = None  # while parallel_writer renders a chunk
        self.announcing = False
        # The preview's build keeps every request, to render pages again
        # from them after an edit, and what the pages were made of
        # (build.resident.KeptBuild).
        self.kept = settings.get("PORTAL_KEPT_BUILD")
        if self.kept is not None:
            self.kept.inputs = self.inputs

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        call = WriteCall(name, template, context, relative_urls, paginated, template_name,
                         override_output, url, kwargs)
        if self.kept is not None and name:
            self.kept.keep_call(call, self.settings)
        if self.held is not None and name:
            self.held.append(call)
            return None
        return self.write_call(call)

    def render_held_pages(self) -> None:
        """parallel_writer.RenderHeldPages: the generators have all asked."""
        held, self.held = self.held, None
        if held:
            render_calls(self, held)

    def write_call(self, call: WriteCall):
        self.context = call.context
        template = _Announces(call.template) if self.announcing else _RendersIfChanged(call.template, self)
        return super().write_file(call.name, template, call.context, call.relative_urls,
                                  call.paginated, call.template_name, call.override_output,
                                  call.url, **call.kwargs)

    def announce(self, call: WriteCall) -> None:
        """Pelican's content_written signal for each file of `call`, which
        a worker wrote: Pelican's own writer sends it, with each page's own
        context, and writes nothing (_open_w)."""
        self.announcing = True
        try:
            self.write_call(call)
        finally:
            self.announcing = False

    def render_or_keep(self, template, localcontext) -> str:
        page = os.path.normpath(localcontext["output_file"])
        path = sanitised_join(self.output_path, localcontext["output_file"])
        inputs = self._inputs_of(page, template.name, localcontext)
        entry = self.last.entry(page)
        kept = self.last.file_if_made_of(page, inputs)
        if kept:
            self.record["unchanged"].add(path)
            return self._keep(page, path, kept, inputs, entry[1])
        text = template.render(localcontext)
        rendered = text_digest(text)
        if entry and entry[1] == rendered and self.same_blocks:
            kept = self.last.file_if_unchanged(page)
            if kept:  # new inputs, the same bytes (a link whose target moved, say)
                self.record["same_bytes"].append(page)
                return self._keep(page, path, kept, inputs, rendered)
        self.record["pages"][page] = [inputs, rendered]
        self.record["rendered"].append(page)
        return text

    def _inputs_of(self, page: str, template_name: str, localcontext: dict) -> str:
        return self.inputs.page_digest(template_name, self.context, localcontext)

    def _keep(self, page, path, kept, inputs, rendered) -> str:
        self.keeping[path] = kept
        self.record["pages"][page] = [inputs, rendered]
        self.record["kept"].append(page)
        return ""  # written to nowhere: _open_w links the kept file instead

    def _open_w(self, filename, encoding, override=False):
        if self.announcing:
            return io.StringIO()  # written already, and known to _written_files
        if self.files_written is not None:
            self.files_written.append(filename)
        kept = self.keeping.pop(filename, None)
        first = not (override or filename in self._written_files or filename in self._overridden_files)
        if kept is not None and first:
            # What Pelican's _open_w records of a first write, without making
            # a file that the kept one would replace.
            self._written_files.add(filename)
            _link(kept, filename)
            # Its compressed copies too, in a build that makes them (a publish
            # build), when the page keeps every byte (the same poll blocks will
            # be filled in): the compression step (build.hosting) keeps a copy
            # already there.
            for suffix in COMPRESSED if self.same_blocks and self.settings.get("PRECOMPRESS") else ():
                if os.path.isfile(kept + suffix):
                    _link(kept + suffix, filename + suffix)
            return io.StringIO()  # Pelican writes the empty rendering into it
        if os.path.lexists(filename) and filename not in self._overridden_files:
            os.unlink(filename)  # a new file, never a write through a link to the last site
        return super()._open_w(filename, encoding, override)


class ChangedPagesWriter(IncrementalWriter):
    """The preview's edits that move articles between pages (build.resident):
    the pages whose inputs changed since the site in place (PORTAL_LAST_PAGES)
    are rendered into PORTAL_WRITE_INTO; the others are left where they are,
    and nothing is written for them."""

    def __init__(self, output_path, settings=None, carried=None):
        super().__init__(settings["PORTAL_WRITE_INTO"], settings=settings)
        self._asked: dict[str, str] = {}  # {page: its inputs}, described by _stays for Pelican's writer
        if carried:  # the articles unchanged since the last pages (PageInputs.carry)
            self.inputs = PageInputs(self.inputs.fixed, carried)
            if self.kept is not None:
                self.kept.inputs = self.inputs

    def write_call(self, call: WriteCall):
        if call.name and not call.relative_urls and self._stays(call):
            return None
        return super().write_call(call)

    def _stays(self, call: WriteCall) -> bool:
        """Whether the site's pages of `call` all stay as they are: asked
        before Pelican's writer, which would make each one's folder here
        (16,000 folders at 10,000 articles, two seconds to make and remove).
        A local context made otherwise than Pelican's would give inputs the
        record does not have: the pages would be asked of Pelican, never kept."""
        asked = {}
        for name, localcontext in call.local_contexts(self.settings):
            page = os.path.normpath(name)
            asked[page] = self.inputs.page_digest(call.template.name, call.context, localcontext)
            if not self.last.file_if_made_of(page, asked[page]):
                self._asked.update(asked)  # not described again as Pelican's writer asks for them
                return False
        self.record["pages"].update({page: [inputs, self.last.entry(page)[1]] for page, inputs in asked.items()})
        self.record["kept"].extend(asked)
        return True

    def _inputs_of(self, page: str, template_name: str, localcontext: dict) -> str:
        inputs = self._asked.pop(page, None)
        return inputs or super()._inputs_of(page, template_name, localcontext)

    def _open_w(self, filename, encoding, override=False):
        if self.keeping.pop(filename, None) is not None:
            self._written_files.add(filename)
            return io.StringIO()  # the site's own file stays
        return super()._open_w(filename, encoding, override)


# The compressed copies of a page that hosts serve (PRECOMPRESS).
COMPRESSED = (".gz", ".br")


def _link(existing: str, new: str) -> None:
    try:
        os.link(existing, new)
    except OSError:  # a file system without hard links: a copy, as new
        shutil.copyfile(existing, new)


class _RendersOnly:
    """A template that renders only the wanted pages of a paginated list
    (by Pelican's `output_file` variable); the others come out empty, and
    SelectiveWriter writes no file for them."""

    def __init__(self, template, wanted: set[str]):
        self.template = template
        self.wanted = wanted

    def render(self, context) -> str:
        if os.path.normpath(context["output_file"]) in self.wanted:
            return self.template.render(context)
        return ""


class SelectiveWriter(Writer):
    """Pelican's writer, writing only the pages named in PORTAL_WRITE_ONLY,
    into PORTAL_WRITE_INTO instead of the live site."""

    def __init__(self, output_path, settings=None):
        super().__init__(settings["PORTAL_WRITE_INTO"], settings=settings)

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        wanted = self.settings["PORTAL_WRITE_ONLY"]
        call = WriteCall(name, template, context, relative_urls, paginated, template_name,
                         override_output, url, kwargs)
        files = call.names(self.settings) if name else []
        if not any(os.path.normpath(page) in wanted for page in files):
            return None
        if len(files) > 1:  # the home page's list alone has 100 pages at 1,000 articles
            template = _RendersOnly(template, wanted)
        return super().write_file(name, template, context, relative_urls, paginated,
                                  template_name, override_output, url, **kwargs)

    def write_feed(self, *args, **kwargs):
        return None  # the preview has no feeds

    def _open_w(self, filename, encoding, override=False):
        # The other pages of a paginated list render empty (_RendersOnly):
        # no file for them (at 10,000 articles, 1,500 files a title edit).
        if os.path.relpath(filename, self.output_path) not in self.settings["PORTAL_WRITE_ONLY"]:
            return io.StringIO()
        return super()._open_w(filename, encoding, override)


def selective_writer(pelican):
    """Pelican's get_writer signal: the preview's fast path, or a build's."""
    if pelican.settings.get("PORTAL_WRITE_ONLY") is not None:
        return SelectiveWriter
    if pelican.settings.get("PORTAL_RENDERED_PAGES") is not None:
        return IncrementalWriter
    return None
