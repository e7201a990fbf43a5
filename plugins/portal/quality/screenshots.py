"""Screenshots of one page of each type at each width, for a person to look at."""

from pathlib import Path

from .browser import chromium
from .pages import WIDTHS, page_of_each_type, served


def take_screenshots(browser, output: Path, base_url: str, folder: Path) -> list[Path]:
    """Full-page PNGs named `{page type}-{width}.png` in `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
        page = context.new_page()
        for page_type, address in page_of_each_type(output).items():
            page.goto(base_url + address)
            path = folder / f"{page_type}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
        context.close()
    return written


def screenshots_of(output: Path, folder: Path) -> list[Path]:
    """Serve `output` on 127.0.0.1 and photograph each page type into `folder`."""
    with served(output) as base_url, chromium() as browser:
        return take_screenshots(browser, output, base_url, folder)
