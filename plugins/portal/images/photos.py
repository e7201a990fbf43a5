"""A source photo: where it is, what it is, and which copies it gets.

Everything here reads only a photo's header (a few kilobytes), so it runs in
Pelican's process while an article is read; decoding and encoding happen in
processing.py, on every core (pipeline.py).
"""

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import Image, UnidentifiedImageError
from unidecode import unidecode

# HEIC/HEIF, the iPhone's format, through the same Image.open.
pillow_heif.register_heif_opener()

# Files an <img> may show that become processed copies; anything else under
# images/ (an SVG diagram, a PDF) stays a plain static file.
PHOTO_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif",
                              ".tif", ".tiff", ".gif"})
MIME_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "avif": "image/avif"}
EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "avif": "avif"}
# Bumped when processing.py changes what it makes: every copy is made anew.
PROCESSING_VERSION = "1"


class PhotoError(Exception):
    """A photo that cannot be published, with what to do about it (one line)."""


def is_photo(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in PHOTO_EXTENSIONS


@dataclass(frozen=True)
class PhotoSettings:
    """The "# --- Photos" section of pelicanconf.py, in one object."""

    widths: tuple[int, ...]
    formats: tuple[str, ...]
    quality: tuple[tuple[str, int], ...]
    max_pixels: int
    thumb_ratio: tuple[int, int]
    thumb_widths: tuple[int, ...]
    share_size: tuple[int, int]
    output_dir: str
    siteurl: str

    @classmethod
    def from_settings(cls, settings) -> "PhotoSettings":
        return cls(
            widths=tuple(sorted(settings["PHOTO_WIDTHS"])),
            formats=tuple(settings["PHOTO_FORMATS"]),
            quality=tuple(sorted(settings["PHOTO_QUALITY"].items())),
            max_pixels=int(settings["PHOTO_MAX_PIXELS"]),
            thumb_ratio=tuple(settings["PHOTO_THUMB_RATIO"]),
            thumb_widths=tuple(sorted(settings["PHOTO_THUMB_WIDTHS"])),
            share_size=tuple(settings["PHOTO_SHARE_SIZE"]),
            output_dir=settings["PHOTO_OUTPUT_DIR"].strip("/"),
            siteurl=settings.get("SITEURL", ""),
        )

    @functools.cached_property
    def fingerprint(self) -> str:
        """What the copies' bytes depend on besides the source: part of every
        cached copy's key, so changing a setting makes them anew."""
        made_by = (self.widths, self.formats, self.quality, self.thumb_ratio, self.thumb_widths,
                   self.share_size, PROCESSING_VERSION, Image.__version__, pillow_heif.__version__)
        return hashlib.sha256(repr(made_by).encode()).hexdigest()[:16]

    def quality_of(self, image_format: str) -> int:
        return dict(self.quality)[image_format]


@dataclass(frozen=True)
class Copy:
    """One published copy of a photo: its size, format, and whether it is cropped."""

    width: int
    height: int
    format: str  # "webp", "jpeg"
    cropped: bool  # cut to the copy's ratio (thumbnails, the share image), else scaled whole

    @property
    def file_name(self) -> str:
        return f"{self.width}x{self.height}{'c' if self.cropped else ''}.{EXTENSIONS[self.format]}"


@dataclass(frozen=True)
class Photo:
    """A source photo, identified by its bytes. `width`/`height` are as it
    stands upright (its EXIF orientation applied)."""

    path: str  # absolute
    relative: str  # under content/, with slashes: for messages and names
    digest: str  # sha256 of the bytes
    width: int
    height: int

    def key(self, photo_settings: PhotoSettings) -> str:
        return _key(self, photo_settings)

    def published_stem(self, photo_settings: PhotoSettings) -> str:
        """images/2024/anh-hoi-nghi-1a2b3c4d5e: ASCII, valid in src and srcset
        whatever the editor named the file ("Ảnh hội nghị.JPG")."""
        return _published_stem(self, photo_settings)

    def _stem(self, photo_settings: PhotoSettings) -> str:
        parts = self.relative.split("/")
        if parts[0] == "images" and len(parts) > 1:
            parts = parts[1:]
        folders = [ascii_name(part) for part in parts[:-1]]
        stem = ascii_name(os.path.splitext(parts[-1])[0])
        return "/".join([photo_settings.output_dir, *folders, f"{stem}-{self.key(photo_settings)}"])

    def published_path(self, copy: Copy, photo_settings: PhotoSettings) -> str:
        return f"{self.published_stem(photo_settings)}-{copy.file_name}"

    # --- Which copies: never larger than the original ---------------------------

    def body_copies(self, photo_settings: PhotoSettings) -> list[Copy]:
        widths = [w for w in photo_settings.widths if w <= self.width] or [self.width]
        return [Copy(w, max(1, round(self.height * w / self.width)), image_format, False)
                for image_format in photo_settings.formats for w in widths]

    def thumb_copies(self, photo_settings: PhotoSettings) -> list[Copy]:
        ratio_w, ratio_h = photo_settings.thumb_ratio
        largest = _cropped_size(self.width, self.height, ratio_w / ratio_h)
        widths = [w for w in photo_settings.thumb_widths if w <= largest[0]] or [largest[0]]
        return [Copy(w, max(1, round(w * ratio_h / ratio_w)), image_format, True)
                for image_format in photo_settings.formats for w in widths]

    def share_copy(self, photo_settings: PhotoSettings) -> Copy:
        """The og:image: a JPEG of PHOTO_SHARE_SIZE, or of that ratio and smaller
        when the photo is small (never enlarged)."""
        want_w, want_h = photo_settings.share_size
        width, height = _cropped_size(self.width, self.height, want_w / want_h)
        if width > want_w:
            width, height = want_w, want_h
        return Copy(width, height, "jpeg", True)


# Asked for every copy of every photo of every article at each build (the
# preview's fast path too): worked out once per photo and settings.
@functools.lru_cache(maxsize=65536)
def _key(photo: Photo, photo_settings: PhotoSettings) -> str:
    return hashlib.sha256(f"{photo.digest}:{photo_settings.fingerprint}".encode()).hexdigest()[:10]


@functools.lru_cache(maxsize=65536)
def _published_stem(photo: Photo, photo_settings: PhotoSettings) -> str:
    return photo._stem(photo_settings)


def _cropped_size(width: int, height: int, ratio: float) -> tuple[int, int]:
    """The largest size of `ratio` that fits in width × height."""
    if width / height > ratio:
        return max(1, round(height * ratio)), height
    return width, max(1, round(width / ratio))


def ascii_name(text: str) -> str:
    """'Ảnh hội nghị' → 'anh-hoi-nghi' (đ → d); never empty."""
    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-") or "anh"


# --- Identifying a source: its bytes' digest and upright size ----------------------


class SourceIndex:
    """What was learnt of each source file, by its size and modification time,
    so an unchanged photo is neither hashed nor opened again (a rebuild with
    50 unchanged 12 MP photos reads no photo at all). Kept in the photo cache."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / "sources.json" if cache_dir else None
        self.entries: dict[str, list] = {}
        self.changed = False
        if self.path and self.path.is_file():
            try:
                self.entries = json.loads(self.path.read_text(encoding="utf-8"))
            except ValueError:
                self.entries = {}  # unreadable: every photo is looked at again

    def photo(self, path: str, relative: str, max_pixels: int) -> Photo:
        stat = os.stat(path)
        stamp = [stat.st_size, stat.st_mtime_ns]
        known = self.entries.get(path)
        if known and known[:2] == stamp:
            return Photo(path, relative, *known[2:])
        photo = identify(path, relative, max_pixels)
        self.entries[path] = [*stamp, photo.digest, photo.width, photo.height]
        self.changed = True
        return photo

    def save(self) -> None:
        if self.path and self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(self.entries), encoding="utf-8")
            os.replace(temporary, self.path)
            self.changed = False


# EXIF orientations that turn the picture a quarter: width and height swap.
_QUARTER_TURNS = {5, 6, 7, 8}


def identify(path: str, relative: str, max_pixels: int) -> Photo:
    """The photo's digest and upright size from its header; PhotoError when it
    is not an image Pillow reads or has more pixels than allowed."""
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    # Opening reads the header only, nothing is decoded yet: Pillow's own
    # bomb guard is off here so that the message can give the pixel count,
    # and on in the workers that decode (processing.make_copies).
    guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(path) as image:
            width, height = image.size
            try:
                # A PNG's EXIF may follow its pixels: reading it can decode them.
                orientation = image.getexif().get(0x0112, 1)
            except (OSError, SyntaxError, ValueError) as error:
                raise PhotoError(damaged_message(error)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoError(
            "is not a photo this site can read (JPEG, PNG, WebP, HEIC); "
            "open it and export it again as JPEG") from None
    finally:
        Image.MAX_IMAGE_PIXELS = guard
    if width * height > max_pixels:
        raise PhotoError(too_many_pixels_message(max_pixels, width * height))
    if cut_short(data):
        raise PhotoError("is incomplete (its end is missing, as after an interrupted copy); "
                         "copy it again from the camera or phone")
    if orientation in _QUARTER_TURNS:
        width, height = height, width
    return Photo(path, relative, digest, width, height)


def damaged_message(error) -> str:
    return (f"is damaged or incomplete ({' '.join(str(error).split())}); "
            "copy it again from the camera or phone")


def cut_short(data: bytes) -> bool:
    """Whether a JPEG or PNG lacks its end marker: the commonest damage, found
    here, while the article is read, rather than by the decoder later."""
    if data[:2] == b"\xff\xd8":
        return data.rfind(b"\xff\xd9", max(0, len(data) - 4096)) < 0  # some cameras pad after it
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return b"IEND" not in data[-64:]
    return False


def too_many_pixels_message(max_pixels: int, pixels: int) -> str:
    def count(number):
        return f"{number:,}".replace(",", ".")  # 4.000.000, as Vietnamese write it

    return (f"has {count(pixels)} pixels, more than PHOTO_MAX_PIXELS ({count(max_pixels)}) allows; "
            "make it smaller (for example 4000 pixels wide) before adding it")
