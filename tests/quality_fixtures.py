"""A publish build for the quality gate's tests, made for a loopback address
so that a browser can load it as published (absolute URLs, feeds, sitemap)."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from portal.quality.pages import build_published, free_port


@dataclass(frozen=True)
class PublishedSite:
    output: Path
    siteurl: str
    port: int


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> PublishedSite:
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    output = build_published(tmp_path_factory.mktemp("published") / "output", siteurl)
    return PublishedSite(output, siteurl, port)
