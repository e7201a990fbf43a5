"""What a browser downloads for one Pagefind search over a built site.

Serves the site on 127.0.0.1, opens it in Debian's Chromium through
Playwright, runs one search with Pagefind's own JavaScript API, loads the
first five results (as a results list shows them) and sums the bytes of
every /pagefind/ response.
"""

import functools
import http.server
import threading
from collections import defaultdict
from pathlib import Path

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"]
SEARCH = """async (query) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const search = await pagefind.search(query);
  const shown = await Promise.all(search.results.slice(0, 5).map(r => r.data()));
  return {results: search.results.length, shown: shown.map(d => d.url)};
}"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def kind_of(url: str) -> str:
    name = url.rsplit("/", 1)[-1]
    if "/fragment/" in url:
        return "fragments"
    if "/index/" in url:
        return "index chunks"
    if name.startswith("wasm."):
        return "wasm"
    if name.endswith(".pf_meta"):
        return "meta"
    return name


def measure(site: Path, query: str) -> dict:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sizes = defaultdict(int)
    counts = defaultdict(int)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.goto(base + "/404.html")
            downloads = []
            page.on("response", lambda r: downloads.append(r) if "/pagefind/" in r.url else None)
            found = page.evaluate(SEARCH, query)
            page.wait_for_timeout(300)
            for response in downloads:
                kind = kind_of(response.url)
                sizes[kind] += len(response.body())
                counts[kind] += 1
            browser.close()
    finally:
        server.shutdown()
    return {"query": query, "found": found, "sizes": dict(sizes), "counts": dict(counts)}


def report(site: Path, query: str) -> dict:
    result = measure(site, query)
    total = sum(result["sizes"].values())
    print(f"\nPagefind: one search for {query!r} ({result['found']['results']} results, "
          "first 5 loaded) downloads:")
    print("| file | files | KB |")
    print("|---|---|---|")
    for kind, size in sorted(result["sizes"].items(), key=lambda item: -item[1]):
        print(f"| {kind} | {result['counts'][kind]} | {size / 1024:.1f} |")
    print(f"| total | {sum(result['counts'].values())} | {total / 1024:.1f} |")
    index = Path(site) / "pagefind"
    on_disk = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    print(f"(the whole index on disk: {on_disk / 1024:,.0f} KB in "
          f"{sum(1 for p in index.rglob('*') if p.is_file()):,} files)")
    return result
