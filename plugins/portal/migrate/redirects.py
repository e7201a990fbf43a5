"""The redirects table: every old address and the page it now leads to.

One CSV file (REDIRECTS_FILE, content/redirects.csv by default), written by
`invoke import` and open to the officer's edits, is the one source of truth:
the build turns it into what each kind of host understands (build.hosting).

    old,new
    /news/tin-co-so/dai-hoi-12.html,{filename}/tin-co-so/dai-hoi-12.md
    /Blog/ViewPost.aspx?ItemID=123,{filename}/tin-co-so/hoi-nghi-123.md
    /uploads/news/2020_09/anh.jpg,{static}/images/cu/2020_09/anh.jpg

`old` is a path, with the query parameters that pick the page when there
are any (an address matches when it has each of them, in any order, among
others). `new` names the file the page is made from, as editors link
({filename} / {static}), so the redirect follows the article when its
address changes; or a plain path on the new site.
"""

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from ..core.problems import Problem, display_path

HEADER = ["old", "new"]
PREAMBLE = (
    "# Old addresses of the portal -> the page each now leads to (see README, \"Chuyển cổng cũ\").\n"
    "# Written by `invoke import`; rows may be added or corrected by hand. The build turns this\n"
    "# table into nginx, Apache, Netlify/Cloudflare redirects and stub pages.\n"
)
NEW_PREFIXES = ("{filename}/", "{static}/", "/")


@dataclass(frozen=True)
class OldAddress:
    path: str  # decoded, as web servers compare it
    params: tuple[tuple[str, str], ...] = ()  # (lower-case name, value), sorted

    @classmethod
    def parse(cls, address: str) -> "OldAddress":
        """'/Blog/ViewPost.aspx?pageid=5&ItemID=123' or a full URL; the
        parameters kept are those given."""
        parts = urlsplit(address.strip())
        path = unquote(parts.path) or "/"
        params = tuple(sorted((name.lower(), value) for name, value in parse_qsl(parts.query)))
        return cls(path, params)

    def __str__(self) -> str:
        query = "&".join(f"{name}={value}" for name, value in self.params)
        return quote(self.path, safe="/-_.~!$'()*+,;=:@") + (f"?{query}" if query else "")

    def param_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.params)


@dataclass(frozen=True)
class Redirect:
    old: OldAddress
    new: str  # as written: {filename}/..., {static}/... or /path
    line: int = 0


class RedirectTableError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def table_path(settings) -> Path:
    return Path(settings["PATH"]) / settings.get("REDIRECTS_FILE", "redirects.csv")


def read_table(path: Path) -> list[Redirect]:
    """The rows of the table; RedirectTableError names each bad line."""
    if not path.is_file():
        return []
    shown = display_path(path)
    rows, problems, seen = [], [], {}
    text = path.read_text(encoding="utf-8-sig")
    for number, fields in _numbered_rows(text):
        if fields == HEADER:
            continue
        if len(fields) != 2 or not all(field.strip() for field in fields):
            problems.append(Problem(f"{shown}:{number}", 'write two columns: the old address, a comma, the new page'))
            continue
        old_text, new = (field.strip() for field in fields)
        if not old_text.startswith(("/", "http://", "https://")):
            problems.append(Problem(f"{shown}:{number}", f'old address "{old_text}" must start with / (a path of the old site)'))
            continue
        if not new.startswith(NEW_PREFIXES):
            problems.append(Problem(f"{shown}:{number}", f'new page "{new}" must be {{filename}}/folder/file.md, '
                                    "{static}/images/file.jpg or a path starting with /"))
            continue
        old = OldAddress.parse(old_text)
        if old in seen:
            problems.append(Problem(f"{shown}:{number}", f'"{old_text}" is also on line {seen[old]}; keep one of them'))
            continue
        seen[old] = number
        rows.append(Redirect(old, new, number))
    if problems:
        raise RedirectTableError(problems)
    return rows


def _numbered_rows(text: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, next(csv.reader([line]))


def merge_into_table(path: Path, wanted: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Add the rows (old, new) the table lacks; an old address already in
    it keeps its row (the officer may have corrected it). Returns what was
    added; the file is replaced in one step."""
    existing = read_table(path)
    known = {row.old for row in existing}
    added = []
    for old, new in wanted:
        parsed = OldAddress.parse(old)
        if parsed not in known:
            known.add(parsed)
            added.append((str(parsed), new))
    if not added:
        return []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if path.is_file():
        buffer.write(path.read_text(encoding="utf-8-sig").rstrip("\n") + "\n")
    else:
        buffer.write(PREAMBLE)
        writer.writerow(HEADER)
    writer.writerows(added)
    write_atomically(path, buffer.getvalue())
    return added


def write_atomically(path: Path, text: str) -> None:
    """Never a half-written file: write beside it, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
