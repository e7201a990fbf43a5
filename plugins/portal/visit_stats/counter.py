"""The visit statistics block: off unless a counter endpoint is configured.

The site is static, so it has no counts of its own. The sidebar shows the
block only when VISIT_STATS_URL names a counter (e.g. a self-hosted
GoatCounter or Umami, or a small proxy in front of one); visit-stats.js
fills it from there and keeps it hidden when the counter does not answer.
"""

import re

from ..core.problems import Problem

_FIELD_PATH = re.compile(r"^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$")
FIELD_NAMES = ("online", "total")


def visit_stats_enabled(settings) -> bool:
    return bool(settings.get("VISIT_STATS_URL"))


def check_visit_stats_settings(settings) -> list[Problem]:
    """Problems with the counter settings; none when the block is off."""
    if not visit_stats_enabled(settings):
        return []
    where = "pelicanconf.py"
    problems = []
    url = settings["VISIT_STATS_URL"]
    # HTTPS, or a path on the portal's own host (a proxy to the counter).
    if not (url.startswith("https://") or (url.startswith("/") and not url.startswith("//"))):
        problems.append(Problem(where, f'VISIT_STATS_URL "{url}" must start with https:// '
                                "(or be a path on this site, starting with /)"))
    fields = settings.get("VISIT_STATS_FIELDS") or {}
    for name in FIELD_NAMES:
        path = fields.get(name, "") if isinstance(fields, dict) else ""
        if not _FIELD_PATH.match(path):
            problems.append(Problem(where, f'VISIT_STATS_FIELDS["{name}"] must name the JSON '
                                    'field with the count, e.g. "total" or "pageviews.value"'))
    return problems
