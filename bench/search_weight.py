"""What a browser downloads for one search on the site's own search page.

    .venv/bin/python bench/search_weight.py SITE_DIR [--query "nghi quyet"] [--query ...]

Serves the site on 127.0.0.1, opens the search page (/tim-kiem/?q=...) in
Debian's Chromium through Playwright, as a reader does, waits for the
results (search.js: the slices' manifest, every slice merged, the query as
typed and đ-folded, the first 20 results' excerpts) and adds up the bytes of
every /pagefind/ response:

- the first search: a browser that has never searched the site (Pagefind's
  code and WebAssembly, each slice's entry and metadata, then the query's
  index chunks and the shown results' fragments);
- one search after that: a browser that has searched once before (for
  "dang bo", on every page, which loads only the newest slice), so that
  only what this query needs is new. A URL already fetched counts once:
  Pagefind's files have content-hashed names.
"""

import argparse
import functools
import http.server
import threading
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"]
# Every article holds it: the code and the newest slice load (older slices
# then cost their entry and metadata to the first search that needs them).
WARM_UP_QUERY = "dang bo"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def kind_of(url: str) -> str:
    path = url.split("?", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if "/fragment/" in path:
        return "fragments"
    if "/index/" in path:
        return "index chunks"
    if "/filter/" in path:
        return "filter chunks"
    if name.startswith("wasm."):
        return "code: wasm"
    if name in ("pagefind.js", "pagefind-worker.js"):
        return f"code: {name}"
    if name.endswith(".pf_meta"):
        return "slice metadata"
    if name == "pagefind-entry.json":
        return "slice entries"
    return name


class SearchPage:
    """One browser context (its own cache) on the served site."""

    def __init__(self, browser, base):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.base = base
        self.seen = set()
        self.downloads = []
        self.page.on("response", self._record)

    def _record(self, response):
        if "/pagefind/" in response.url and response.url not in self.seen and response.status == 200:
            self.seen.add(response.url)
            self.downloads.append(response)

    def search(self, query: str) -> dict:
        self.downloads = []
        self.page.goto(f"{self.base}/tim-kiem/?q={quote(query)}")
        self.page.wait_for_selector("[data-search-results][data-search-done]", timeout=120000,
                                    state="attached")
        self.page.wait_for_timeout(300)
        sizes, counts = defaultdict(int), defaultdict(int)
        for response in self.downloads:
            kind = kind_of(response.url)
            sizes[kind] += len(response.body())
            counts[kind] += 1
        first = self.page.query_selector(".app-search-results__link")
        return {"query": query, "results": self.page.get_attribute("[data-search-results]",
                                                                  "data-search-done"),
                "first": first.get_attribute("href") if first else None,
                "status": self.page.inner_text("[data-search-status]"),
                "sizes": dict(sizes), "counts": dict(counts)}


def measure(site: Path, queries: list[str]) -> dict:
    """{"first": the first search's downloads, "after": [one per query]}."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            first = SearchPage(browser, base).search(queries[0])
            after = []
            for query in queries:
                reader = SearchPage(browser, base)
                reader.search(WARM_UP_QUERY)
                after.append(reader.search(query))
            browser.close()
    finally:
        server.shutdown()
    return {"first": first, "after": after}


def print_table(title: str, result: dict) -> float:
    total = sum(result["sizes"].values())
    print(f"\n{title}: {result['status']} The first: {result['first']}")
    print("| file | files | KB |")
    print("|---|---|---|")
    for kind, size in sorted(result["sizes"].items(), key=lambda item: -item[1]):
        print(f"| {kind} | {result['counts'][kind]} | {size / 1024:.1f} |")
    print(f"| total | {sum(result['counts'].values())} | {total / 1024:.1f} |")
    return total


def report(site: Path, query: str, more: tuple[str, ...] = ()) -> dict:
    queries = [query, *more]
    result = measure(site, queries)
    print_table(f"Search page: the first search, for {query!r}", result["first"])
    for searched in result["after"]:
        print_table(f"Search page: a search for {searched['query']!r} after a first one",
                    searched)
    index = Path(site) / "pagefind"
    files = [p for p in index.rglob("*") if p.is_file()]
    slices = sum(1 for p in index.iterdir() if p.is_dir())
    print(f"(the whole index on disk: {sum(p.stat().st_size for p in files) / 1024:,.0f} KB in "
          f"{len(files):,} files, {slices} slice(s))")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append",
                        help="a query (repeat for more; the first is also the first search)")
    options = parser.parse_args()
    queries = options.query or ["nghi quyet", "ta long", "giao thong"]
    report(options.site, queries[0], tuple(queries[1:]))


if __name__ == "__main__":
    main()
