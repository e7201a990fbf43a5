"""What indexing less text would save: Pagefind over a copy of a built site
whose article bodies are indexed only up to their first N paragraphs.

    .venv/bin/python bench/index_lead.py SITE_DIR [--paragraphs 2] [--query "nghi quyet"]

A measurement for a product decision (issue 7: Pagefind's memory at 10,000
articles, one search's download at 5,000), not a change to the site: the
title, summary and tags stay indexed either way; the rest of each body gets
data-pagefind-ignore, so a search would no longer find words that only
appear further down an article. The index is built as the site builds it
(portal.search.index: in slices, one Pagefind run at a time), in a child
process; prints its time, the peak memory of its largest Pagefind run, the
index's size and, with --query, what the search page downloads for it.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup


def index_only_the_lead(site: Path, paragraphs: int) -> int:
    """Mark the body after its first `paragraphs` block elements; pages changed."""
    changed = 0
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" not in html:
            continue
        soup = BeautifulSoup(html, "lxml")
        body = soup.find(class_="app-article__body")
        if body is None:
            continue
        for element in body.find_all(recursive=False)[paragraphs:]:
            element["data-pagefind-ignore"] = "all"
        path.write_text(str(soup), encoding="utf-8")
        changed += 1
    return changed


INDEX_IN_A_CHILD = """
import sys
sys.path.insert(0, {plugins!r})
from portal.search.index import build_search_index
problems = build_search_index({site!r})
sys.exit("; ".join(map(str, problems)) if problems else 0)
"""


def run_pagefind(site: Path) -> dict:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    started = time.perf_counter()
    plugins = str(Path(__file__).resolve().parent.parent / "plugins")
    child = subprocess.Popen([sys.executable, "-c",
                              INDEX_IN_A_CHILD.format(plugins=plugins, site=str(site))])
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status):
        sys.exit("index_lead: the search index failed")
    index = site / "pagefind"
    return {
        "seconds": time.perf_counter() - started,
        # on Linux, the largest of the child and the Pagefind runs it waited for
        "peak_mb": usage.ru_maxrss / 1024,
        "index_mb": sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 1e6,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--paragraphs", type=int, default=2)
    parser.add_argument("--query", help="also measure one search's download (Chromium)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        site = Path(work) / "site"
        shutil.copytree(options.site, site, ignore=shutil.ignore_patterns("pagefind"))
        figures = {"whole bodies": run_pagefind(site)}
        pages = index_only_the_lead(site, options.paragraphs)
        figures[f"first {options.paragraphs} paragraphs"] = run_pagefind(site)
        print(f"{pages:,} article pages; Pagefind over the whole bodies, then over their leads only")
        for label, row in figures.items():
            print(f"{label}: {row['seconds']:.1f} s, peak {row['peak_mb']:,.0f} MB, "
                  f"index {row['index_mb']:.1f} MB")
        if options.query:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from search_weight import report

            report(site, options.query)


if __name__ == "__main__":
    main()
