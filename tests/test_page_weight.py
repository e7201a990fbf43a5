"""Light pages for phones on slow mountain networks: what the article page
needs on first load, measured on the built site (a size, not a time)."""

import gzip
from urllib.parse import urlparse

from conftest import SEED_ARTICLE_URL

MAX_BYTES = 50 * 1024
MAX_GZIP_BYTES = 15 * 1024


def first_load_files(site, soup) -> list:
    """The page itself plus every stylesheet, script, icon and image it loads."""
    urls = [link["href"] for link in soup.find_all("link", href=True)
            if {"stylesheet", "icon"} & set(link.get("rel", []))]
    urls += [script["src"] for script in soup.find_all("script", src=True)]
    urls += [image["src"] for image in soup.find_all("img", src=True)]
    files = []
    for url in urls:
        parsed = urlparse(url)
        assert not parsed.netloc, f"{url} is loaded from another host"
        files.append(site / parsed.path.lstrip("/"))
    return files


def test_the_article_page_is_light(site, seed_page):
    files = [site / SEED_ARTICLE_URL, *first_load_files(site, seed_page)]
    raw = sum(len(path.read_bytes()) for path in files)
    compressed = sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)
    assert raw <= MAX_BYTES, f"{raw} bytes"
    assert compressed <= MAX_GZIP_BYTES, f"{compressed} bytes gzipped"


def test_no_script_blocks_rendering(all_pages):
    for name, soup in all_pages.items():
        for script in soup.head.find_all("script"):
            if script.get("type") == "application/ld+json":
                continue  # data for search engines, never run
            assert script.has_attr("defer") or script.has_attr("async") or script.get("type") == "module", name
