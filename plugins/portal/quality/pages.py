"""Which built page stands for each page type; building the publish
settings for a local address and serving a build on 127.0.0.1.

Our templates mark each page with <body data-page-type="...">; the browser
checks run on one page of each type rather than on every page.
"""

import functools
import os
import re
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..core.problems import BuildFailed, Problem
from . import PROJECT_ROOT

PAGE_TYPE = re.compile(r'<body[^>]*\sdata-page-type="([^"]+)"')
WIDTHS = (375, 1280)  # a small phone and a desktop


def page_of_each_type(output: Path) -> dict[str, str]:
    """{page type: address} for the shortest-addressed page of each type."""
    chosen: dict[str, str] = {}
    for path in sorted(output.rglob("*.html"), key=lambda p: (len(p.parts), p.as_posix())):
        found = PAGE_TYPE.search(path.read_text(encoding="utf-8"))
        if found and found.group(1) not in chosen:
            relative = path.relative_to(output).as_posix()
            chosen[found.group(1)] = "/" + relative.removesuffix("index.html")
    return dict(sorted(chosen.items()))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_published(output: Path, siteurl: str, content: Path | None = None) -> Path:
    """A build with publishconf.py (absolute URLs, feeds, sitemap, robots.txt) for `siteurl`,
    of the project's content or of the `content` folder given.

    It runs in a child process: pelican-sitemap connects to Pelican's signals
    for the life of a process, so every later preview build in this one
    would write a sitemap too.
    """
    content_path = f", PATH={str(content)!r}" if content else ""
    script = ("import sys; sys.path.insert(0, 'plugins'); from portal.build.site import build_site; "
              f"build_site('publishconf.py', OUTPUT_PATH={str(output)!r}, "
              f"CACHE_PATH={str(output.parent / '.cache-publish')!r}{content_path})")
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, env={**os.environ, "PORTAL_SITEURL": siteurl})
    if result.returncode != 0:
        raise BuildFailed([Problem("publishconf.py", result.stderr.strip()[-2000:])], "publish build")
    return output


@contextmanager
def served(output: Path, port: int = 0):
    """Serve `output` on 127.0.0.1 for as long as the block runs; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
