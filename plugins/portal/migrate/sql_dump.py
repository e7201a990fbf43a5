"""A NukeViet database backup (.sql or .sql.gz, from NukeViet's own
"Sao lưu CSDL" or mysqldump) and the site's uploads/ folder.

Only the news module's tables are read: nv4_vi_news_cat (categories),
nv4_vi_news_rows (title, alias, hometext, lead photo, publtime, author) and
nv4_vi_news_detail (bodyhtml, sourcetext, keywords, files). NukeViet writes
`INSERT INTO `table` VALUES (...), (...);` without column names, in the
order of the CREATE TABLE above it, with addslashes() escaping; mysqldump
writes the same, sometimes with column names.

A small reader of MySQL literals rather than a SQL parser: a dump of ten
thousand articles is hundreds of megabytes, which a general parser reads
in minutes, and these statements have one fixed shape.
"""

import datetime
import gzip
import re
from pathlib import Path
from urllib.parse import quote

from ..core.vietnamese import site_timezone
from .profiles import OldArticle, OldFile

_CREATE = re.compile(r"CREATE TABLE (?:IF NOT EXISTS )?`?(\w+)`?\s*\((.*?)\)\s*(?:ENGINE|TYPE|DEFAULT|;)", re.S | re.I)
_COLUMN = re.compile(r"^\s*`?(\w+)`?\s+\w+", re.M)
_INSERT = re.compile(r"INSERT(?: IGNORE)? INTO `?(\w+)`?\s*(?:\(([^)]*)\))?\s*VALUES\s*", re.I)
_ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "b": "\b"}
NOT_A_KEYWORD = {"PRIMARY", "KEY", "UNIQUE", "INDEX", "FULLTEXT", "CONSTRAINT", "FOREIGN", "CHECK"}


class DumpError(Exception):
    pass


def _values(text: str, start: int):
    """Yield each row (a list of Python values) of the VALUES list at
    `start`, and finally the position after its closing ';'."""
    position, length = start, len(text)
    while position < length:
        while text[position] in " \t\r\n,":
            position += 1
        if text[position] == ";":
            return position + 1
        if text[position] != "(":
            raise DumpError(f"unexpected {text[position:position + 20]!r}")
        position += 1
        row = []
        while True:
            while text[position] in " \t\r\n":
                position += 1
            char = text[position]
            if char == "'":
                value, position = _string(text, position + 1)
                row.append(value)
            else:
                end = position
                while text[end] not in ",)":
                    end += 1
                literal = text[position:end].strip()
                row.append(None if literal.upper() == "NULL" else _number(literal))
                position = end
            while text[position] in " \t\r\n":
                position += 1
            if text[position] == ",":
                position += 1
                continue
            position += 1  # ')'
            yield row
            break
    return position


def _string(text: str, position: int) -> tuple[str, int]:
    parts = []
    while True:
        end = position
        while text[end] not in "'\\":
            end += 1
        parts.append(text[position:end])
        if text[end] == "\\":
            escaped = text[end + 1]
            parts.append(_ESCAPES.get(escaped, escaped))
            position = end + 2
        elif text[end + 1:end + 2] == "'":  # '' inside a string
            parts.append("'")
            position = end + 2
        else:
            return "".join(parts), end + 1


def _number(literal: str):
    try:
        return int(literal)
    except ValueError:
        try:
            return float(literal)
        except ValueError:
            return literal


def read_tables(text: str, wanted: set[str]) -> dict[str, list[dict]]:
    """{table: [row as {column: value}]} for the tables whose names end with one of `wanted`."""
    columns: dict[str, list[str]] = {}
    for name, body in _CREATE.findall(text):
        columns[name] = [column for column in _COLUMN.findall(body) if column.upper() not in NOT_A_KEYWORD]
    tables: dict[str, list[dict]] = {}
    position = 0
    while True:
        found = _INSERT.search(text, position)
        if not found:
            break
        name, listed = found.group(1), found.group(2)
        rows = _values(text, found.end())
        keep = any(name.endswith(suffix) for suffix in wanted)
        names = [c.strip(" `") for c in listed.split(",")] if listed else columns.get(name, [])
        while True:
            try:
                row = next(rows)
            except StopIteration as end:
                position = end.value
                break
            if keep:
                if len(names) != len(row):
                    raise DumpError(f"table {name}: {len(row)} values for {len(names)} columns")
                tables.setdefault(name, []).append(dict(zip(names, row)))
    return tables


class NukeVietDump:
    """The articles of a NukeViet backup; photos and files from `uploads`."""

    def __init__(self, path: Path, uploads: Path | None, settings: dict, base_url: str = ""):
        self.path = Path(path)
        if not self.path.is_file():
            raise DumpError(f"{path}: no such file")
        self.uploads = Path(uploads) if uploads else self.path.parent / "uploads"
        self.timezone = site_timezone(settings)
        self.base_url = (base_url or "http://old-site.invalid").rstrip("/")
        opener = gzip.open if self.path.name.endswith(".gz") else open
        try:
            with opener(self.path, "rt", encoding="utf-8") as stream:
                text = stream.read()
        except (OSError, UnicodeDecodeError) as error:
            raise DumpError(f"{path}: cannot be read as a UTF-8 SQL dump ({error})") from None
        self.tables = read_tables(text, {"_news_rows", "_news_detail", "_news_cat"})
        if not any(name.endswith("_news_rows") for name in self.tables):
            raise DumpError(f"{path}: no nv4_vi_news_rows table in this backup; back up the news module's tables")

    def _table(self, suffix: str) -> list[dict]:
        return next((rows for name, rows in self.tables.items() if name.endswith(suffix)), [])

    def articles(self):
        categories = {row["catid"]: row for row in self._table("_news_cat")}
        details = {row["id"]: row for row in self._table("_news_detail")}
        for row in self._table("_news_rows"):
            if row.get("status", 1) != 1:
                continue  # drafts, waiting, expired: never published
            detail = details.get(row["id"], {})
            category = categories.get(row["catid"], {})
            yield self._article(row, detail, category)

    def _article(self, row, detail, category) -> OldArticle:
        cat_alias = category.get("alias") or f"cat-{row['catid']}"
        path = f"/news/{cat_alias}/{row['alias']}-{row['id']}.html"
        published = datetime.datetime.fromtimestamp(int(row["publtime"]), self.timezone).replace(tzinfo=None)
        article = OldArticle(
            platform="nukeviet", old_id=str(row["id"]), address=self.base_url + path,
            title=row["title"], date=published, author=(row.get("author") or "").strip(),
            category=cat_alias, category_title=category.get("title") or cat_alias, alias=row["alias"],
            tags=[tag.strip() for tag in (detail.get("keywords") or "").split(",") if tag.strip()],
            summary=row.get("hometext") or "", body_html=detail.get("bodyhtml") or "",
            addresses=[self.base_url + path],
        )
        article.source = _source_name(detail.get("sourcetext") or "")
        image = (row.get("homeimgfile") or "").strip()
        if image and row.get("homeimgthumb") in (1, 2):  # 3: an address on another site
            article.lead_image = OldFile(self.upload_url(image))
            article.lead_alt = (row.get("homeimgalt") or "").strip()
        for index, name in enumerate(filter(None, (detail.get("files") or "").split(","))):
            name = name.strip()
            if name.startswith(("http://", "https://")):
                continue
            article.attachments.append(OldFile(self.upload_url(name), Path(name).name,
                                               [f"{self.base_url}{path}?download=1&id={index}"]))
        return article

    def upload_url(self, name: str) -> str:
        return f"{self.base_url}/uploads/news/{quote(name.lstrip('/'))}"

    def fetch(self, url: str, page_url: str = "") -> bytes | None:
        marker = "/uploads/"
        if marker not in url:
            return None
        from urllib.parse import unquote, urlsplit

        relative = unquote(urlsplit(url).path).split(marker, 1)[1]
        path = self.uploads / relative
        return path.read_bytes() if path.is_file() else None


def _source_name(sourcetext: str) -> str:
    """NukeViet's sourcetext is the source's address; its name is in _sources."""
    return "" if sourcetext.startswith(("http://", "https://")) else sourcetext.strip()
