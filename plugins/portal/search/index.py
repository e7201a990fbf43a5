"""Site search with Pagefind: indexed at build time, searched in the browser.

Pages that Pagefind indexes (articles and pages) carry a hidden copy of their
words with đ folded to d (see `folded_words`), so a reader typing without
Vietnamese marks finds "Đakrông" with "dakrong"; search.js folds the query
the same way and merges both result lists.
"""

import html
import re
import subprocess
import sys

from ..core.problems import Problem
from ..core.vietnamese import fold_d

_TAG = re.compile(r"<[^>]+>")


def folded_words(*texts: str) -> str:
    """The words of `texts` (HTML allowed) that contain đ, folded to d,
    each once: enough for matching, and no duplicated text in results."""
    words = []
    seen = set()
    for text in texts:
        plain = html.unescape(_TAG.sub(" ", text or ""))
        for word in re.findall(r"\w+", plain):
            if ("đ" in word or "Đ" in word) and word.casefold() not in seen:
                seen.add(word.casefold())
                words.append(fold_d(word))
    return " ".join(words)


def build_search_index(site_dir) -> list[Problem]:
    """Run Pagefind over the built site; its errors become problems."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        message = " ".join((result.stderr or result.stdout).split())[:300]
        return [Problem("pagefind", f"search index failed: {message}")]
    return []
