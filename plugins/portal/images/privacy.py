"""What metadata an image file still carries, read from its bytes: the
check that no published photo tells where it was taken or by which camera.

JPEG: APP1 (EXIF, XMP), APP2 (ICC profile), APP13 (IPTC, Photoshop) and
COM (comments) segments. WebP: EXIF, XMP and ICCP chunks. PNG: eXIf, iTXt,
tEXt, zTXt, iCCP chunks. Other formats: checked by Pillow's `info`.
"""

import struct
from pathlib import Path

from PIL import Image

_JPEG_SEGMENTS = {0xE1: "EXIF/XMP (APP1)", 0xE2: "ICC profile (APP2)", 0xED: "IPTC (APP13)",
                  0xFE: "comment (COM)"}
_WEBP_CHUNKS = {b"EXIF": "EXIF", b"XMP ": "XMP", b"ICCP": "ICC profile"}
_PNG_CHUNKS = {b"eXIf": "EXIF", b"iTXt": "text", b"tEXt": "text", b"zTXt": "text",
               b"iCCP": "ICC profile"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".webp", ".png", ".avif", ".gif", ".heic", ".heif", ".tif", ".tiff"}


def metadata_in(path: str | Path) -> list[str]:
    """The kinds of metadata `path` carries ([] for none)."""
    data = Path(path).read_bytes()
    if data[:2] == b"\xff\xd8":
        return _jpeg(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _riff(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _png(data)
    with Image.open(path) as image:
        return sorted(key for key in ("exif", "xmp", "icc_profile", "comment") if image.info.get(key))


def _jpeg(data: bytes) -> list[str]:
    found, position = [], 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the pixels follow
            break
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        if marker in _JPEG_SEGMENTS and _JPEG_SEGMENTS[marker] not in found:
            found.append(_JPEG_SEGMENTS[marker])
        position += 2 + length
    return found


def _riff(data: bytes) -> list[str]:
    found, position = [], 12
    while position + 8 <= len(data):
        kind, size = data[position:position + 4], struct.unpack("<I", data[position + 4:position + 8])[0]
        if kind in _WEBP_CHUNKS:
            found.append(_WEBP_CHUNKS[kind])
        position += 8 + size + (size & 1)
    return found


def _png(data: bytes) -> list[str]:
    found, position = [], 8
    while position + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[position:position + 8])
        if kind in _PNG_CHUNKS and _PNG_CHUNKS[kind] not in found:
            found.append(_PNG_CHUNKS[kind])
        position += 12 + size
    return found


def images_with_metadata(folder: str | Path) -> dict[str, list[str]]:
    """{image file (relative): its metadata} for every image under `folder` that has any."""
    folder = Path(folder)
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
            kinds = metadata_in(path)
            if kinds:
                found[path.relative_to(folder).as_posix()] = kinds
    return found
