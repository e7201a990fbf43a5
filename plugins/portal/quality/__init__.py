"""The quality gate: real, independent tools run over a built site.

One module per tool: html_validator (W3C Nu validator), links (internal
links and resources), feeds (Atom feeds, sitemap.xml, robots.txt),
accessibility (axe-core and keyboard checks in Chromium), lighthouse and
screenshots. Each returns problems as `Problem` lines, never raises on a
finding, so a task or a test can list them all at once.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
# npm packages pinned in package.json; `make node_modules/.installed` puts them here.
NODE_MODULES = PROJECT_ROOT / "node_modules"


def site_address(output: Path) -> str:
    """The SITEURL `output` was built for: the publish one when it holds a sitemap, else ""."""
    if not (output / "sitemap.xml").is_file():
        return ""  # a preview build: root-relative addresses
    from pelican.settings import read_settings

    return read_settings(str(PROJECT_ROOT / "publishconf.py"))["SITEURL"]


def problems_report(problems: list, what: str) -> str:
    """The problems, one a line, and a closing count."""
    count = len(problems)
    lines = [str(problem) for problem in problems]
    lines.append(f"{what}: {count} problem{'s' if count != 1 else ''}" if count else f"{what}: no problems")
    return "\n".join(lines)
