"""A Pelican plugin for the publish build: robots.txt names the sitemap.

The `Sitemap:` line must be an absolute address, which only the publish
settings know, so it cannot live in a static content/extra/robots.txt.
When that file exists its rules are kept and the line is added below them.
"""

import logging
from pathlib import Path

from pelican import signals

logger = logging.getLogger("portal")

DEFAULT_RULES = "User-agent: *\nAllow: /\n"


def write_robots_txt(pelican):
    """At the end of a build with an absolute SITEURL and a sitemap, name it in robots.txt."""
    siteurl = pelican.settings.get("SITEURL", "")
    output = Path(pelican.settings["OUTPUT_PATH"])
    # pelican-sitemap writes sitemap.xml on this same signal, maybe after us:
    # its SITEMAP setting, not the file, says there will be one.
    if not siteurl.startswith(("http://", "https://")) or "SITEMAP" not in pelican.settings:
        return  # a preview build: no public address, no sitemap
    robots = output / "robots.txt"
    rules = robots.read_text(encoding="utf-8") if robots.is_file() else DEFAULT_RULES
    lines = [line for line in rules.rstrip("\n").splitlines()
             if not line.lower().startswith("sitemap:")]
    lines += ["", f"Sitemap: {siteurl.rstrip('/')}/sitemap.xml"]
    robots.write_text("\n".join(lines) + "\n", encoding="utf-8")
    logger.debug("portal: robots.txt names %s/sitemap.xml", siteurl)


def register():
    signals.finalized.connect(write_robots_txt)
