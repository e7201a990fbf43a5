"""The preview server: serves output/ on 127.0.0.1 and rebuilds on change.

A rebuild goes through the same build as `invoke build`, except that a
change to articles' bodies, titles or summaries only re-renders the pages
that show them (preview.py) and refreshes the search index in the
background. When a rebuild fails, the
problems are printed and the last good site stays on screen.
"""

import os
import threading
from pathlib import Path

from livereload import Server

from ..core.problems import BuildFailed
from ..core.settings import load_settings
from ..search.index import build_search_index
from . import preview
from .preview import edit_reach, header_of, pages_linking_to, rebuild_pages
from .site import build_site

WATCHED = [
    "pelicanconf.py",
    "{content}/**/*",
    "{theme}/templates/**/*.html",
    "{theme}/static/**/*",
    "plugins/portal/**/*.py",
]
PREVIEW_SETTINGS = {
    "CACHE_CONTENT": True,
    "LOAD_CONTENT_CACHE": True,
    # livereload injects an inline script, which the policy would block
    "CONTENT_SECURITY_POLICY": "",
}


class Preview:
    """Rebuilds for the preview server, remembering what the last one saw."""

    def __init__(self, settings_file="pelicanconf.py", **overrides):
        self.settings_file = settings_file
        self.overrides = {**PREVIEW_SETTINGS, **overrides}
        self.content = Path(load_settings(settings_file, **self.overrides)["PATH"])
        self.mtimes: dict[str, float] = {}
        self.headers: dict[str, dict] = {}
        self.pages_of: dict[str, tuple[str, str]] = {}  # as preview.pages_of_sources after our last build
        self.indexing: threading.Thread | None = None
        self._index_lock = threading.Lock()
        self._index_again = False

    def sources(self) -> dict[str, float]:
        return {os.path.abspath(path): path.stat().st_mtime
                for path in self.content.rglob("*") if path.is_file()}

    def rebuild(self) -> bool:
        now = self.sources()
        changed = {path for path in now.keys() | self.mtimes.keys()
                   if now.get(path) != self.mtimes.get(path)}
        try:
            rendered = self._rebuild_pages(changed)
            if rendered:
                how = f"re-rendered {rendered} page(s)"
            else:
                if self.indexing:
                    self.indexing.join()  # never swap the whole site under a running index
                build_site(self.settings_file, **self.overrides)
                self.headers = {path: header_of(path) for path in now if path.endswith(".md")}
                how = "rebuilt"
        except BuildFailed as failure:
            print(failure.report(), flush=True)
            return False
        self.mtimes = now
        self.pages_of = dict(preview.pages_of_sources)  # another build in this process may change it
        print(f"Preview {how} and checked output/", flush=True)
        self.last = how
        return True

    def _rebuild_pages(self, changed) -> int:
        """Re-render only the pages these edits can change: how many, or 0
        when only a full build will do."""
        if not self.mtimes or not changed or not all(path in self.pages_of for path in changed):
            return 0  # the first build, a theme or settings change, a new, deleted or non-article file
        headers = {path: header_of(path) for path in changed}
        reach = edit_reach(headers, self.headers)
        if reach is None:
            return 0
        settings = load_settings(self.settings_file, **self.overrides)
        pages = {self.pages_of[path][0] for path in changed}
        if reach == "links":
            addresses = {self.pages_of[path][1] for path in changed}
            pages |= set(pages_linking_to(settings["OUTPUT_PATH"], addresses))
        if not rebuild_pages(settings, sorted(pages)):
            return 0
        # The next edit is judged against these headers, now shown everywhere.
        self.headers.update(headers)
        self._index_in_background(settings["OUTPUT_PATH"])
        return len(pages)

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


def serve(host="127.0.0.1", port=8000, settings_file="pelicanconf.py") -> None:
    settings = load_settings(settings_file)
    preview = Preview(settings_file)
    preview.rebuild()
    server = Server()
    for pattern in WATCHED:
        server.watch(pattern.format(content=settings["PATH"], theme=settings["THEME"]),
                     preview.rebuild)
    server.serve(host=host, port=port, root=settings["OUTPUT_PATH"], open_url_delay=None)
