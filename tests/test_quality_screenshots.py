"""Screenshots of each page type at each width, for a person to look at."""

import struct

from portal.quality.pages import WIDTHS, page_of_each_type
from portal.quality.screenshots import take_screenshots


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def test_a_full_page_png_of_every_page_type_at_each_width(site, site_url, browser, tmp_path):
    written = take_screenshots(browser, site, site_url, tmp_path)
    types = page_of_each_type(site)
    assert sorted(p.name for p in written) == sorted(f"{t}-{w}.png" for t in types for w in WIDTHS)
    for path in written:
        width, height = png_size(path)
        assert width == int(path.stem.rsplit("-", 1)[1])
        assert height >= 600  # the whole page, not a blank strip
