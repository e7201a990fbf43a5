"""Photos and attached files of old articles, fetched once into content/.

Photos go to content/images/trang-cu/..., other files to
content/files/trang-cu/..., keeping the old folders (2020_09/...) with
ASCII names, so the photo pipeline and the documents library take them as
any file an editor adds, and `{static}` links reach them. The manifest
remembers each old address's file: a second run fetches nothing it has.
"""

import hashlib
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from unidecode import unidecode

IMAGE_FOLDER = "images/trang-cu"
FILE_FOLDER = "files/trang-cu"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp", ".heic", ".heif"}
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"RIFF", b"BM", b"<svg", b"<?xml")
_UNSAFE = re.compile(r"[^a-z0-9._-]+")


class DownloadFailed(Exception):
    pass


def ascii_name(name: str) -> str:
    """'Ảnh hội nghị.JPG' -> 'anh-hoi-nghi.jpg': valid in src and srcset."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = _UNSAFE.sub("-", unidecode(stem).lower()).strip("-.") or "tep"
    suffix = _UNSAFE.sub("", unidecode(suffix).lower())
    return f"{stem}.{suffix}" if suffix else stem


def local_path(url: str, title: str, uploads_prefixes, is_image: bool) -> str:
    """Where an old file goes, relative to content/: its old folders under
    the uploads prefix, with ASCII names. An address that names no file
    (NukeViet's "?download=1&id=0") uses the name the page showed."""
    path = unquote(urlsplit(url).path)
    for prefix in uploads_prefixes:
        if prefix and path.lower().startswith(prefix.lower()):
            path = path[len(prefix):]
            break
    parts = [part for part in PurePosixPath(path).parts if part not in ("/", "..", ".")]
    if parts and parts[0].lower() == "news":
        parts = parts[1:]  # NukeViet's module folder: every file here is the news module's
    if not parts or Path(parts[-1]).suffix.lower() not in IMAGE_SUFFIXES | _DOCUMENT_SUFFIXES:
        parts = ["dinh-kem", title or f"tep-{digest(url.encode())[:8]}"]
    folder = IMAGE_FOLDER if is_image else FILE_FOLDER
    return "/".join([folder] + [ascii_name(part) for part in parts])


_DOCUMENT_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods",
                      ".zip", ".rar", ".7z", ".txt", ".rtf", ".mp3", ".mp4"}


def looks_like_image(url: str) -> bool:
    return Path(unquote(urlsplit(url).path)).suffix.lower() in IMAGE_SUFFIXES


def check_downloaded(body: bytes, is_image: bool) -> None:
    """An old server answers a missing file with a web page, often with 200."""
    head = body[:512].lstrip().lower()
    if not body:
        raise DownloadFailed("the file is empty")
    if is_image and not head.startswith(_IMAGE_MAGIC):
        raise DownloadFailed("not an image (the old site answered with something else)")
    if not is_image and head.startswith((b"<!doctype html", b"<html")):
        raise DownloadFailed("the old site answered with a web page, not the file")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
