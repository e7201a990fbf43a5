"""The words of a document's PDF, for the search index: a reader searching
for a phrase of the decision itself finds it, not only by its trích yếu.

Only text a PDF really holds is taken (a scan has none: it stays findable by
its fields), and only when it reads as Vietnamese: a PDF typed with the old
TCVN3 or VNI fonts gives mojibake ("QuyÕt ®Þnh"), which would only pollute
results. Extracting is slow for a long PDF, so each file's text is kept in
CACHE_PATH under a digest of its bytes.
"""

import hashlib
import logging
import unicodedata
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger("portal")

# Enough for the search to know what a document is about (its first pages);
# the page carries this text for the index, so it is not unbounded.
MAX_CHARACTERS = 20_000
MAX_PAGES = 30
CACHE_FOLDER = "document-text"
# Letters no Vietnamese word has, which TCVN3 and VNI text read as Unicode is full of.
_NOT_VIETNAMESE = set("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ")
MAX_FOREIGN_SHARE = 0.005


def reads_as_vietnamese(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    if len(letters) < 20:
        return False  # a scan's stray characters, a form with no text
    foreign = sum(char in _NOT_VIETNAMESE for char in letters)
    return foreign / len(letters) <= MAX_FOREIGN_SHARE


def pdf_text(path: Path, cache_dir) -> str:
    """The PDF's text (whitespace collapsed, NFC, at most MAX_CHARACTERS), or
    "" when it has none worth indexing."""
    data = path.read_bytes()
    cached = Path(cache_dir, CACHE_FOLDER, hashlib.sha256(data).hexdigest() + ".txt") if cache_dir else None
    if cached and cached.is_file():
        return cached.read_text(encoding="utf-8")
    text = _extract(path)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(text, encoding="utf-8")
    return text


def _extract(path: Path) -> str:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            return ""
        parts, length = [], 0
        for page in reader.pages[:MAX_PAGES]:
            words = " ".join((page.extract_text() or "").split())
            parts.append(words)
            length += len(words)
            if length >= MAX_CHARACTERS:
                break
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        # Readers can still download it; only its words are not searchable.
        logger.info("portal: %s: its text could not be read for the search (%s)", path, error)
        return ""
    text = unicodedata.normalize("NFC", " ".join(part for part in parts if part))[:MAX_CHARACTERS]
    return text if reads_as_vietnamese(text) else ""
