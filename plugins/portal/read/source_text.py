"""An editor's file as text: UTF-8 (a byte-order mark accepted silently),
in composed Unicode (NFC), or one clear line saying why it cannot be read."""

import logging

from ..core.problems import ContentError, display_path
from ..core.vietnamese import to_nfc

logger = logging.getLogger("portal")


def read_source_text(path: str) -> str:
    """The file's text, or a ContentError saying why it cannot be read."""
    shown = display_path(path)
    with open(path, "rb") as source:
        raw = source.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark from Windows editors: harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            shown,
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02X}); "
            "save it again with the encoding UTF-8",
            line,
        ) from None
    if not text.strip():
        raise ContentError(
            shown, "the file is empty; start it with a line 'Title: ...'"
        )
    text, changed = to_nfc(text)
    if changed:
        logger.warning(
            "portal: %s: text was not in composed Unicode (NFC); "
            "it was normalised for this build, save the file again to fix it",
            shown,
        )
    return text
