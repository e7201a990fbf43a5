"""The editor's part in the preview server (build/devserver.py): it starts
the editor server beside it, and serves output/ through a file handler that

- adds the error banner's script to every page as it is sent (the pages in
  output/ stay exactly as the build wrote them, so no build ever holds it);
- answers /_editor/status.json (the last build's problems) and the banner's
  script and style;
- leads /admin/ to the editor server.
"""

import json
from pathlib import Path

from livereload.handlers import StaticFileHandler

from . import status
from .backend import STATIC, EditorServer, start_editor

BANNER_PATH = "_editor/"
BANNER_TAG = b'<script src="/_editor/banner.js" defer></script>'
_HEAD_END = b"</head>"


def attach_editor(server, settings: dict, settings_file: str, host: str, port: int) -> EditorServer | None:
    """Start the editor beside the livereload `server`, and have that server
    send pages with the banner. The editor may be missing; the banner is not."""
    project = Path(settings_file).resolve().parent
    if settings.get("DOCUMENTS_PATH"):
        status.label_documents_in(Path(settings["PATH"]) / settings["DOCUMENTS_PATH"])
    editor = start_editor(settings, project, f"http://{host}:{port}", port)
    server.SFH = type("PreviewPages", (PreviewPages,), {"editor": editor})
    return editor


def with_banner(page: bytes) -> bytes:
    """A page with the banner's script at the end of its head."""
    at = page.find(_HEAD_END)
    return page if at < 0 else page[:at] + BANNER_TAG + page[at:]


class PreviewPages(StaticFileHandler):
    """livereload's handler for output/, plus the editor's few addresses."""

    editor: EditorServer | None = None

    async def get(self, path: str, include_body: bool = True) -> None:
        if path == "admin" or path.startswith("admin/"):
            if self.editor is None:
                self.set_status(503)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                self.finish("Trình soạn bài không chạy: xem dòng “Editor:” trong cửa sổ `make serve`.")
                return
            self.redirect(self.editor.url)
            return
        if path.startswith(BANNER_PATH):
            self._editor_file(path.removeprefix(BANNER_PATH))
            return
        await super().get(path, include_body)

    def _editor_file(self, name: str) -> None:
        self.set_header("Cache-Control", "no-store")
        if name == "status.json":
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps(status.current(), ensure_ascii=False))
        elif name in ("banner.js", "banner.css"):
            kind = "text/javascript" if name.endswith(".js") else "text/css"
            self.set_header("Content-Type", f"{kind}; charset=utf-8")
            self.finish((STATIC / name).read_bytes())
        else:
            self.send_error(404)

    def compute_etag(self):
        # The editor's own answers are no files of output/: nothing to tag.
        return super().compute_etag() if getattr(self, "absolute_path", None) else None

    @classmethod
    def get_content(cls, abspath, start=None, end=None):
        if not abspath.endswith(".html"):
            return super().get_content(abspath, start, end)
        with open(abspath, "rb") as page:
            return with_banner(page.read())[start:end]

    def get_content_size(self) -> int:
        if not self.absolute_path.endswith(".html"):
            return super().get_content_size()
        with open(self.absolute_path, "rb") as page:
            return len(with_banner(page.read()))
