"""Feeds, sitemap.xml and robots.txt: what other software reads.

feedparser parses but does not validate (a feed without <id> still parses
cleanly), so the elements Atom requires are checked here one by one. The
sitemap is validated against the sitemaps.org schema, vendored beside this
module so the check runs offline.
"""

from pathlib import Path

import feedparser
import lxml.etree

from ..core.problems import Problem

SITEMAP_XSD = Path(__file__).with_name("sitemap.xsd")
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NOT_PUBLIC = {"404.html"}  # served for missing addresses, never listed


def feed_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.atom.xml")) + sorted(output.rglob("*.rss.xml"))


def feed_problems(output: Path) -> list[Problem]:
    """Each feed parses and has id, title, updated, and entries with id, link, updated."""
    problems = []
    for path in feed_files(output):
        where = path.relative_to(output).as_posix()
        feed = feedparser.parse(path.read_bytes())
        if feed.bozo:
            problems.append(Problem(where, f"does not parse: {feed.bozo_exception}"))
            continue
        for field in ("id", "title", "updated"):
            if not feed.feed.get(field):
                problems.append(Problem(where, f"the feed has no <{field}>"))
        if not feed.entries:
            problems.append(Problem(where, "the feed has no entries"))
        for number, entry in enumerate(feed.entries, 1):
            for field in ("id", "link", "updated"):
                if not entry.get(field):
                    title = entry.get("title", "")
                    problems.append(Problem(where, f'entry {number} "{title}" has no <{field}>'))
    return problems


def public_page_urls(output: Path, siteurl: str) -> set[str]:
    """The address of every page a search engine should know."""
    urls = set()
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if relative in NOT_PUBLIC or _says_noindex(path):
            continue
        if relative == "index.html" or relative.endswith("/index.html"):
            relative = relative[: -len("index.html")]
        urls.add(f"{siteurl.rstrip('/')}/{relative}")
    return urls


def sitemap_problems(output: Path, siteurl: str) -> list[Problem]:
    """sitemap.xml is valid and lists every public page exactly once."""
    path = output / "sitemap.xml"
    if not path.is_file():
        return [Problem("sitemap.xml", "missing")]
    try:
        document = lxml.etree.parse(str(path))
    except lxml.etree.XMLSyntaxError as error:
        return [Problem("sitemap.xml", f"not well-formed XML: {error}")]
    schema = lxml.etree.XMLSchema(lxml.etree.parse(str(SITEMAP_XSD)))
    problems = [Problem(f"sitemap.xml:{error.line}", error.message)
                for error in ([] if schema.validate(document) else schema.error_log)]
    listed = [(loc.text or "").strip() for loc in document.iter(f"{SITEMAP_NS}loc")]
    seen = set()
    for url in listed:
        if url in seen:
            problems.append(Problem("sitemap.xml", f"{url} is listed more than once"))
        seen.add(url)
    public = public_page_urls(output, siteurl)
    for url in sorted(public - seen):
        problems.append(Problem("sitemap.xml", f"{url} is a public page but is not listed"))
    for url in sorted(seen - public):
        problems.append(Problem("sitemap.xml", f"{url} is listed but is not a public page"))
    return problems


def robots_problems(output: Path, siteurl: str) -> list[Problem]:
    """robots.txt names the sitemap by its absolute address."""
    path = output / "robots.txt"
    if not path.is_file():
        return [Problem("robots.txt", "missing")]
    wanted = f"{siteurl.rstrip('/')}/sitemap.xml"
    sitemaps = [line.partition(":")[2].strip() for line in path.read_text(encoding="utf-8").splitlines()
                if line.partition(":")[0].strip().lower() == "sitemap"]
    if wanted not in sitemaps:
        return [Problem("robots.txt", f"has no line `Sitemap: {wanted}`")]
    return []


def _says_noindex(path: Path) -> bool:
    head = path.read_text(encoding="utf-8").split("</head>", 1)[0].lower()
    return 'name="robots"' in head and "noindex" in head


def published_files_problems(output: Path, siteurl: str) -> list[Problem]:
    """Feeds, sitemap and robots.txt of a publish build; a preview build (no siteurl) has none."""
    if not siteurl:
        return []
    return feed_problems(output) + sitemap_problems(output, siteurl) + robots_problems(output, siteurl)
