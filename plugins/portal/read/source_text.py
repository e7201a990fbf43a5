"""An editor's file as text: UTF-8, or UTF-16 with a byte-order mark (what
Windows Notepad saves as "Unicode"), a UTF-8 byte-order mark accepted
silently; in composed Unicode (NFC), without control characters, of a sane
size; or one clear line saying why it cannot be read."""

import logging
import os
import re
import stat

from ..core.problems import ContentError, display_path
from ..core.vietnamese import to_nfc

logger = logging.getLogger("portal")

# About 130 times the seed article. Python-Markdown converts about 4 MB a
# second here, but the page, the lists and the search index all hold the
# text, and a bigger file is a wrong file far more often than a long article.
MAX_SOURCE_BYTES = 1_000_000
# Invisible characters that have no place in text (tab, line feed and
# carriage return aside): a browser shows them as boxes or not at all, and
# the HTML checker fails the page. Word's manual line break (U+000B) and
# text decoded with the wrong code page (U+0080-U+009F) bring them in.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# The byte-order marks Windows editors write, and what they mean: Notepad's
# "UTF-8 with BOM", "Unicode" (UTF-16 LE) and "Unicode big endian".
_BYTE_ORDER_MARKS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
SAVE_AS_UTF8 = "save it again with the encoding UTF-8"


def _decoded(raw: bytes, shown: str) -> str:
    encoding = "utf-8"
    for mark, marked_encoding in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            raw, encoding = raw[len(mark):], marked_encoding
            break
    else:
        if looks_like_utf16(raw):
            raise ContentError(
                shown, "the file is UTF-16 text without a byte-order mark, which cannot be read "
                f"safely; {SAVE_AS_UTF8}")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding != "utf-8":
            raise ContentError(
                shown, f"the file starts as {encoding.upper()} text but is damaged; {SAVE_AS_UTF8}"
            ) from None
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            shown, f"the file is not UTF-8 text (byte 0x{raw[error.start]:02X}); {SAVE_AS_UTF8}",
            line,
        ) from None


def looks_like_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: in Vietnamese text nearly every
    character (a-z, and the accented letters up to U+01B0) has one zero
    byte, always at the same side of each pair. UTF-8 text has no zero
    bytes at all."""
    sample = raw[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return False
    zeros_first = sample[0:2 * pairs:2].count(0)
    zeros_second = sample[1:2 * pairs:2].count(0)
    return max(zeros_first, zeros_second) >= pairs / 3 and min(zeros_first, zeros_second) == 0


def read_source_text(path: str) -> str:
    """The file's text, or a ContentError saying why it cannot be read."""
    shown = display_path(path)
    if not stat.S_ISREG(os.stat(path).st_mode):
        # Opening a named pipe would wait for a writer for ever.
        raise ContentError(shown, "is not an ordinary file (a pipe or a device); remove it from content/")
    with open(path, "rb") as source:
        raw = source.read(MAX_SOURCE_BYTES + 1)  # no more: the file may be huge
    if len(raw) > MAX_SOURCE_BYTES:
        raise ContentError(
            shown,
            f"the file is {os.path.getsize(path) / 1_000_000:.1f} MB, more than an article or "
            f"page may be ({MAX_SOURCE_BYTES // 1_000_000} MB); check that it is the right file, "
            "or split the text into several articles",
        )
    text = _decoded(raw, shown)
    if not text.strip():
        raise ContentError(
            shown, "the file is empty; start it with a line 'Title: ...'"
        )
    control = _CONTROL.search(text)
    if control:
        line_start = text.rfind("\n", 0, control.start()) + 1
        raise ContentError(
            shown,
            f"an invisible control character (U+{ord(control.group()):04X}) at column "
            f"{control.start() - line_start + 1}; delete it and retype the letters around it "
            "(copying from Word or a PDF can bring one in)",
            text.count("\n", 0, control.start()) + 1,
        )
    text, changed = to_nfc(text)
    if changed:
        logger.warning(
            "portal: %s: text was not in composed Unicode (NFC); "
            "it was normalised for this build, save the file again to fix it",
            shown,
        )
    return text
