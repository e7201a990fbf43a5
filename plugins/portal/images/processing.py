"""Making a photo's published copies: upright, in sRGB, resized, encoded
with no metadata at all (no EXIF, XMP, IPTC or colour profile: a phone's
photo would otherwise publish where it was taken and the camera's serial).

Runs in worker processes (pipeline.py). Pillow, chosen by measurement over
pyvips (bench/README.md, "Photos"): about as fast on these encoders, and
the one library that also reads iPhones' HEIC (through pillow-heif).
"""

import io
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from . import photos  # noqa: F401 - registers the HEIC opener in the worker too
from .photos import Copy, damaged_message

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# Resizing in steps: first the JPEG decoder's own scaling (draft), then
# Lanczos from at most this many times the target size: sharp and fast.
REDUCING_GAP = 3.0


def make_copies(path: str, folder: str, copies: list[Copy], qualities: dict[str, int],
                max_pixels: int) -> int:
    """Write `copies` of the photo at `path` into `folder`, each atomically;
    how many were made. Raises ValueError with a reason for a damaged file."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    try:
        upright = upright_srgb(path, copies)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValueError(damaged_message(error)) from None
    for copy in copies:
        encoded = encode(resized(upright, copy), copy, qualities[copy.format])
        _write_atomically(target / copy.file_name, encoded)
    return len(copies)


def upright_srgb(path: str, copies: list[Copy]) -> Image.Image:
    """The photo decoded (at the smallest scale the largest copy allows),
    turned upright, in sRGB, RGB or RGBA, with no metadata left on it."""
    image = Image.open(path)
    need = max(max(copy.width, copy.height) for copy in copies)
    if image.format == "JPEG":
        # The decoder scales by 1/2, 1/4, 1/8 for free; keep 2× the need.
        longest = max(image.size)
        scale = max(need * 2 / longest, 1 / 8)
        image.draft(None, (round(image.size[0] * scale), round(image.size[1] * scale)))
    image.load()
    image = ImageOps.exif_transpose(image)
    image = to_srgb(image)
    image.info = {}
    return image


def to_srgb(image: Image.Image) -> Image.Image:
    """RGB(A) in sRGB: an embedded profile (Adobe RGB, Display P3, a CMYK
    press profile) is converted, not dropped, so colours look as shot."""
    profile = image.info.get("icc_profile")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        image = image.convert("RGBA" if has_alpha else "RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            mode = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode,
                                              renderingIntent=ImageCms.Intent.PERCEPTUAL)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are beat no photo
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    return image


def resized(image: Image.Image, copy: Copy) -> Image.Image:
    if copy.cropped:
        return ImageOps.fit(image, (copy.width, copy.height), Image.Resampling.LANCZOS,
                            centering=(0.5, 0.4))  # faces and heads sit a little above the middle
    if image.size == (copy.width, copy.height):
        return image
    return image.resize((copy.width, copy.height), Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)


def encode(image: Image.Image, copy: Copy, quality: int) -> bytes:
    """The copy's bytes, with nothing but pixels: no exif, no icc_profile, no xmp."""
    buffer = io.BytesIO()
    if copy.format == "jpeg":
        if image.mode == "RGBA":  # a screenshot's transparency, on white
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    elif copy.format == "webp":
        image.save(buffer, "WEBP", quality=quality, method=4)
    elif copy.format == "avif":
        image.save(buffer, "AVIF", quality=quality)
    else:
        raise ValueError(f"PHOTO_FORMATS: unknown format {copy.format!r}")
    return buffer.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    """A copy appears whole or not at all: an interrupted build leaves no half file in the cache."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
