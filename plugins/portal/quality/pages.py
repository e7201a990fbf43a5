"""Which built page stands for each page type, and serving a build locally.

Our templates mark each page with <body data-page-type="...">; the browser
checks run on one page of each type rather than on every page.
"""

import functools
import re
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


@contextmanager
def served(output: Path):
    """Serve `output` on 127.0.0.1 (a free port) for as long as the block runs; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
