"""The preview server: serves output/ on 127.0.0.1 and rebuilds on change.

A rebuild goes through the same build as `invoke build` (incremental: only
the pages whose inputs changed are rendered, build.site), except that an
edit to articles is patched into the last whole build, kept in memory
(resident.py), without running Pelican: a body, title or summary re-renders
the pages that show it in place (preview.py; about a second at any size of
site); a date, tags, a new or deleted article... group the kept build
again, and re-render the pages whose inputs changed (a second at 1,000
articles, 5–10 s at 10,000). The search index is refreshed in the
background. When a rebuild fails, the problems are printed and the last
good site stays on screen.

What the preview shows is what a full build of the files as they are now
would show, and it fails where a full build fails:

- it remembers each file as the build read it (its stamp and header, taken
  before the build); a file saved while a build runs makes it build again,
  reading every file, until a build runs with no save during it;
- Pelican's content cache is loaded only when it cannot change a verdict
  (content_cache.py);
- the code it runs is the code on disk: when our plugin, the settings file
  or the requirements change, the server restarts itself (or, for the
  requirements, stops with one line), between rebuilds, never during one.

Files Pelican ignores (IGNORE_FILES: editors' swap and backup files) are
not watched.
"""

import gc
import hashlib
import os
import subprocess
import sys
import threading
from pathlib import Path

from livereload import Server

from ..core.problems import BuildFailed, display_path
from ..core.settings import load_settings
from ..editor import preview_pages as editor_pages
from ..editor import status as editor_status
from ..search.index import build_search_index
from . import preview
from .content_cache import ContentCache, Stamp, cache_key, content_stamps, ignored_name
from .preview import Rendered, edit_reach, header_of, pages_linking_to, rebuild_pages
from .resident import KEPT_BUILD, KeptBuild, renderer_of_edits, renderer_of_regrouping
from .site import build_site
from .watching import NOTHING_NEW, SystemWatcher

PLUGIN = Path(__file__).resolve().parent.parent  # plugins/portal, as imported
PREVIEW_SETTINGS = {
    "CACHE_CONTENT": True,
    "LOAD_CONTENT_CACHE": True,
    # livereload injects an inline script, which the policy would block
    "CONTENT_SECURITY_POLICY": "",
}


def ignored_by_pelican(path, settings, root=None) -> bool:
    """Whether Pelican leaves `path` out: a file or a folder under `root`
    (PATH by default) with a name matching IGNORE_FILES, as Pelican matches
    them (pelican.generators.Generator.get_files)."""
    relative = Path(os.path.relpath(os.path.abspath(path), root or settings["PATH"]))
    return any(ignored_name(name, settings["IGNORE_FILES"])
               for name in relative.parts if name not in (os.curdir, os.pardir))


class Preview:
    """Rebuilds for the preview server, remembering what the last one read."""

    def __init__(self, settings_file="pelicanconf.py", **overrides):
        self.settings_file = settings_file
        self.overrides = {**PREVIEW_SETTINGS, **overrides}
        self.settings = load_settings(settings_file, **self.overrides)
        self.content = Path(self.settings["PATH"])
        self.content_cache = ContentCache(self.settings["CACHE_PATH"])
        # What the site on screen was built from, as the build read it.
        self.stamps: dict[str, Stamp] = {}
        self.headers: dict[str, str | None] = {}
        self.pages_of: dict[str, tuple[str, str]] = {}  # as preview.pages_of_sources after our last build
        # A save overlapped a build: the site on screen may mix old and new
        # files, so the next build is a full one that reads every file.
        self.unsure = False
        # The last whole build, kept to patch edits into (resident.py).
        self.kept: KeptBuild | None = None
        self.last: str | None = None
        self.indexing: threading.Thread | None = None
        self._index_lock = threading.Lock()
        self._index_again = False

    def sources(self) -> dict[str, Stamp]:
        """Every file of content/ that Pelican reads, with its stamp."""
        return content_stamps(self.settings)

    def rebuild(self, everything=False) -> bool:
        """Bring output/ up to date with content/: re-render what the files
        changed since the last build can change, or build the whole site
        (`everything`: the theme changed). False when the build failed (its
        problems are printed; the last good site stays)."""
        while True:
            before = self.sources()
            succeeded, cache_made_with = self._rebuild_from(before, everything)
            if self.sources() == before:
                if cache_made_with:  # what Pelican cached is what it read
                    self.content_cache.close_after_build(cache_made_with, set(before))
                if succeeded:
                    self.unsure = False
                return succeeded
            # What this build read may be the old file, the new one or half
            # of one: build again, from every file.
            self.unsure = True
            print("Preview: a file changed while the site was being built; building again",
                  flush=True)

    def rebuild_everything(self) -> bool:
        return self.rebuild(everything=True)

    def _rebuild_from(self, files: dict[str, Stamp], everything: bool) -> tuple[bool, str | None]:
        """Build from `files` (their stamps before the build): whether it
        succeeded, and the key of the content cache it used (None: no build)."""
        changed = {path for path in files.keys() | self.stamps.keys()
                   if files.get(path) != self.stamps.get(path)}
        if self.stamps and not changed and not everything and not self.unsure:
            self.last = "unchanged"  # an editor's own file, a save without a change
            return True, None
        settings = load_settings(self.settings_file, **self.overrides)
        key = cache_key(settings)
        load = self.content_cache.open_for_build(key, set(files), trusted=not self.unsure)
        settings["LOAD_CONTENT_CACHE"] = load
        try:
            rendered = None if everything or self.unsure else self._rebuild_pages(changed, settings)
            if rendered is not None:
                how = f"re-rendered {len(rendered.pages)} page(s)"
            else:
                # Read before the build: a file changed after this makes
                # rebuild() build again, so these are what the build read.
                headers = {path: header_of(path) for path in files if path.endswith(".md")}
                self.finish()  # never swap the whole site under a running index
                # Freed before a build makes another: its articles and
                # context refer to each other, so only the collector can.
                self.kept = None
                gc.collect()
                kept = KeptBuild()
                build_site(self.settings_file, **{**self.overrides, "LOAD_CONTENT_CACHE": load,
                                                  KEPT_BUILD: kept})
                self.kept = kept
                self.headers = headers
                # Another build in this process may change it; a fast
                # rebuild never moves a page.
                self.pages_of = dict(preview.pages_of_sources)
                how = "rebuilt"
        except BuildFailed as failure:
            print(failure.report(), flush=True)
            editor_status.record_build(failure)  # the banner on every preview page
            return False, key
        self.stamps = files
        print(f"Preview {how} and checked output/", flush=True)
        editor_status.record_build(None)
        self.last = how
        return True, key

    def _rebuild_pages(self, changed, settings) -> Rendered | None:
        """Re-render only the pages these edits can change: what was
        rendered, or None when only a full build will do."""
        if not self.stamps or not changed:
            return None  # the first build
        headers = {path: header_of(path) for path in changed}
        known = all(path in self.pages_of for path in changed)
        reach = edit_reach(headers, self.headers) if known else None
        if reach is None:
            # Articles move between pages, or a file is new: from the kept
            # build, grouped again, or by a full build.
            if not self.kept:
                return None
            rendered = rebuild_pages(settings, None, renderer_of_regrouping(self.kept, changed))
            if rendered:
                self.pages_of = dict(preview.pages_of_sources)
        else:
            pages = {self.pages_of[path][0] for path in changed}
            if reach == "links":
                addresses = {self.pages_of[path][1] for path in changed}
                pages |= set(pages_linking_to(settings["OUTPUT_PATH"], addresses))
            render = renderer_of_edits(self.kept, changed) if self.kept else None
            rendered = rebuild_pages(settings, sorted(pages), render)
        if not rendered:
            return None
        # The next edit is judged against these headers, now shown everywhere.
        for path, header in headers.items():
            if header is None:
                self.headers.pop(path, None)  # deleted
            else:
                self.headers[path] = header
        self._index_in_background(settings["OUTPUT_PATH"])
        return rendered

    def finish(self) -> None:
        """Wait for the background search index: nothing is left half-done."""
        if self.indexing:
            self.indexing.join()

    def _index_in_background(self, output) -> None:
        """Refresh the search index without making the editor wait. Pages
        replaced meanwhile are atomic renames, so Pagefind reads each whole;
        an edit made while it runs asks for one more run, never a second
        Pagefind writing the same index at once."""
        with self._index_lock:
            if self.indexing and self.indexing.is_alive():
                self._index_again = True
                return
            self._index_again = False
            self.indexing = threading.Thread(target=self._index, args=(output,), daemon=True)
            self.indexing.start()

    def _index(self, output) -> None:
        while True:
            build_search_index(output)
            with self._index_lock:
                if not self._index_again:
                    return
                self._index_again = False


# --- The code the server runs -----------------------------------------------


def code_files(settings_file) -> list[Path]:
    """What the server's behaviour comes from, besides content and theme:
    our plugin's modules, the settings file, the pinned requirements."""
    project = Path(settings_file).resolve().parent
    return [*sorted(PLUGIN.rglob("*.py")), Path(settings_file).resolve(),
            *sorted(project.glob("requirements*.txt"))]


def code_digests(settings_file) -> dict[Path, str]:
    digests = {}
    for path in code_files(settings_file):
        try:
            digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            pass  # gone: it differs from what the server started with
    return digests


class RequirementsChanged(SystemExit):
    """New requirements need installing: the server stops, with one line."""


# Run in a fresh Python before restarting: the new code must import and the
# settings load, or the restart would end the preview with a traceback.
TRY_NEW_CODE = """
import sys, traceback
plugins, settings_file = sys.argv[1:]
sys.path.insert(0, plugins)
try:
    import portal
    portal.register()
    from portal.build import devserver
    from portal.core.settings import load_settings
    load_settings(settings_file)
except BaseException as error:
    if isinstance(error, SyntaxError):
        where = f"{error.filename}:{error.lineno}"
        what = error.msg
    else:
        frames = traceback.extract_tb(error.__traceback__)
        ours = [f for f in frames if f.filename.startswith(plugins) or f.filename.endswith(settings_file)]
        frame = (ours or frames)[-1]
        where = f"{frame.filename}:{frame.lineno}"
        what = f"{type(error).__name__}: {error}"
    print(where, " ".join(what.split()), sep="\t")
    sys.exit(1)
"""


def new_code_problem(settings_file) -> str | None:
    """What stops the code now on disk from starting, in one line, or None."""
    tried = subprocess.run([sys.executable, "-c", TRY_NEW_CODE, str(PLUGIN.parent),
                            str(Path(settings_file).resolve())],
                           capture_output=True, text=True, timeout=120)
    if tried.returncode == 0:
        return None
    where, _, what = (tried.stdout.strip().splitlines() or ["?"])[-1].partition("\t")
    path, _, line = where.rpartition(":")
    return f"{display_path(path)}:{line}: {what or tried.stderr.strip()[-200:]}"


def restart_on_new_code(started_with: dict[Path, str], settings_file, preview: Preview) -> None:
    """Called between rebuilds when a code file may have changed: restart
    the server with the code now on disk (the same command, in this
    process), so that it never builds, checks or caches with an older
    plugin than the files say. Code that cannot start (a syntax error, a
    bad import) waits for the fix; new requirements need installing first,
    so the server stops and says so."""
    now = code_digests(settings_file)
    changed = sorted(path for path in started_with.keys() | now.keys()
                     if started_with.get(path) != now.get(path))
    if not changed:
        return
    preview.finish()
    requirements = [path for path in changed if path.name.startswith("requirements")]
    if requirements:
        raise RequirementsChanged(
            f"{display_path(requirements[0])} changed: the preview server stops here; run "
            "`make serve` again to install the new requirements and preview with them")
    problem = new_code_problem(settings_file)
    if problem:
        print(f"{problem}; the preview keeps the code it started with until this is fixed",
              flush=True)
        return
    more = f" and {len(changed) - 1} more file(s)" if len(changed) > 1 else ""
    print(f"Preview: {display_path(changed[0])}{more} changed; restarting with the new code",
          flush=True)
    sys.stderr.flush()
    os.execv(sys.executable, sys.orig_argv)


def serve(host="127.0.0.1", port=8000, settings_file="pelicanconf.py") -> None:
    started_with = code_digests(settings_file)
    preview = Preview(settings_file)
    settings = preview.settings
    server = Server(watcher=SystemWatcher())
    editor_pages.attach_editor(server, settings, settings_file, host, port)  # editor, banner

    def new_code():
        restart_on_new_code(started_with, settings_file, preview)

    # Watched first: in the poll that sees new code, nothing is built with the old.
    project = Path(settings_file).resolve().parent
    for pattern in (PLUGIN / "**" / "*.py", Path(settings_file).resolve(), project / "requirements*.txt"):
        server.watch(str(pattern), new_code)
    preview.rebuild()

    def content_saved():
        shown = preview.rebuild()
        return NOTHING_NEW if shown and preview.last == "unchanged" else None

    server.watch(f"{settings['PATH']}/**/*", content_saved, ignore=lambda path: ignored_by_pelican(path, settings))
    for pattern in ("templates/**/*.html", "static/**/*"):
        server.watch(f"{settings['THEME']}/{pattern}", preview.rebuild_everything,
                     ignore=lambda path: ignored_by_pelican(path, settings, root=settings["THEME"]))
    server.serve(host=host, port=port, root=settings["OUTPUT_PATH"], open_url_delay=None)
