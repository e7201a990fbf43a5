"""How a document is named from elsewhere: by its number (Số, ký hiệu), in an
article's `{van-ban}125/QĐ-UBND` link or a document's Replaces/Related field.

A number is compared as a reader types it: without regard to case, spaces
or the stroke of Đ ("125/qd-ubnd" is "125/QĐ-UBND"). When several documents
share a number (a plan "01" every year), `@` adds the year or the type's
address: `01@2020`, `01@ke-hoach`, `01@2020@ke-hoach`.
"""

import re
import unicodedata
from dataclasses import dataclass

from ..core.vietnamese import fold_d

QUALIFIER = "@"
_YEAR = re.compile(r"^\d{4}$")


def number_key(number: str) -> str:
    """'125/QĐ-UBND' -> '125/qd-ubnd': what two numbers are compared by, and
    the value of the search index's number filter (search.js folds a query
    the same way)."""
    text = unicodedata.normalize("NFC", number)
    return "".join(fold_d(text).casefold().split())


def plain_words(text: str) -> str:
    """Text without marks, case or extra spaces: "Huyện uỷ" and "Huyện ủy"
    (two placements of one tone), "Kế hoạch" and "ke hoach" are the same."""
    decomposed = unicodedata.normalize("NFD", fold_d(text))
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.casefold().split())


@dataclass(frozen=True)
class Reference:
    written: str
    number: str  # number_key of the number part
    years: tuple[int, ...]
    types: tuple[str, ...]  # types' addresses, e.g. "ke-hoach"


def parse_reference(written: str) -> Reference:
    number, *qualifiers = written.strip().split(QUALIFIER)
    years = tuple(int(q) for q in qualifiers if _YEAR.match(q.strip()))
    types = tuple(q.strip().lower() for q in qualifiers if q.strip() and not _YEAR.match(q.strip()))
    return Reference(written.strip(), number_key(number), years, types)


def matching(reference: Reference, documents) -> list:
    """The documents a reference can mean."""
    return [document for document in documents
            if document.number_key == reference.number
            and all(year == document.date.year for year in reference.years)
            and all(kind == document.type_slug for kind in reference.types)]


def why_not_one(reference: Reference, found: list) -> str | None:
    """None when the reference names exactly one document; else why not,
    and what to write instead."""
    if len(found) == 1:
        return None
    if not found:
        return (f'no document has the number "{reference.written}"; check the number, or add '
                "that document to content/van-ban/ first")
    found = sorted(found, key=lambda document: document.source)
    files = ", ".join(document.source for document in found)
    document = found[0]
    return (f'{len(found)} documents have the number "{reference.written}" ({files}); add the '
            f"year or the type after @, e.g. {reference.written}{QUALIFIER}{document.date.year} or "
            f"{reference.written}{QUALIFIER}{document.type_slug}")
