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
