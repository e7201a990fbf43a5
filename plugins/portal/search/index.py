"""Site search with Pagefind: indexed at build time, searched in the browser.

Pages that Pagefind indexes (articles and pages) carry a hidden copy of their
words with đ folded to d (see `folded_words`), so a reader typing without
Vietnamese marks finds "Đakrông" with "dakrong"; search.js folds the query
the same way and merges both result lists.
"""

import html
import re
import sys

from ..core.external_tools import ToolTimedOut, run_tool
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


# Pagefind indexes 5,000 articles in well under a minute here; ten minutes
# means it hangs (as it once did for 15 minutes), and a build must end.
PAGEFIND_TIMEOUT = 600  # seconds


def build_search_index(site_dir, timeout: float | None = None) -> list[Problem]:
    """Run Pagefind over the built site; its errors, or its running longer
    than `timeout` seconds (PAGEFIND_TIMEOUT), become problems."""
    try:
        result = run_tool([sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"],
                          PAGEFIND_TIMEOUT if timeout is None else timeout, name="pagefind")
    except ToolTimedOut as stopped:
        return [Problem("pagefind", f"search index failed: {stopped}")]
    except OSError as error:
        return [Problem("pagefind", f"search index failed: {error}")]
    if result.returncode != 0:
        message = " ".join((result.stderr or result.stdout).split())[:300]
        return [Problem("pagefind", f"search index failed: {message}")]
    return []
