"""Real image files for the photo tests, made by Pillow: a phone's JPEG with
an orientation tag and GPS position, a CMYK JPEG, a wide-gamut one, a PNG
screenshot with transparency, an iPhone's HEIC, a truncated file.

Large ones look like photos to an encoder (shapes, gradients, fine noise),
so the bytes the tests weigh are near what a real photo gives.
"""

import io
import random
import struct
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFilter

ORIENTATION = 0x0112
GPS_IFD = 0x8825
CAMERA_SERIAL = 0xA431
# Where a phone would say the photo was taken (Krông Klang, Đakrông).
GPS = {1: "N", 2: (16.0, 40.0, 12.5), 3: "E", 4: (106.0, 50.0, 1.0)}


def scene(width: int, height: int, seed: int = 1) -> Image.Image:
    """An RGB picture with what makes photos cost bytes: edges, gradients, grain."""
    rnd = random.Random(seed)
    small = (max(1, width // 4), max(1, height // 4))
    base = Image.merge("RGB", [Image.linear_gradient("L").rotate(rnd.randint(0, 359)).resize(small)
                               for _ in range(3)])
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y, r = rnd.randrange(small[0]), rnd.randrange(small[1]), rnd.randrange(4, max(5, small[0] // 5))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rnd.randrange(256) for _ in range(3)))
    base = base.filter(ImageFilter.GaussianBlur(1)).resize((width, height), Image.Resampling.BICUBIC)
    # Detail at every scale a reader sees: leaves, cloth, faces (coarse), and
    # the sensor's grain (fine), so that small copies cost what a photo's do.
    coarse = [Image.effect_noise((max(1, width // 5), max(1, height // 5)), 60)
              .resize((width, height), Image.Resampling.BICUBIC) for _ in range(3)]
    base = Image.blend(base, Image.merge("RGB", coarse), 0.3)
    grain = Image.effect_noise((width, height), 40)
    return Image.blend(base, Image.merge("RGB", [grain] * 3), 0.12)


def phone_jpeg(path: Path, width=4000, height=3000, orientation=1, seed=1) -> Path:
    """A phone's JPEG: stored sideways when `orientation` is 6 (as phones do
    for portrait shots), with GPS coordinates, a maker and a camera serial."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 13"
    exif[GPS_IFD] = GPS
    exif.get_ifd(0x8769)[CAMERA_SERIAL] = "C39XK1ABCDEF"
    path.parent.mkdir(parents=True, exist_ok=True)
    scene(width, height, seed).save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def marked_sideways(path: Path, width=60, height=40) -> Path:
    """A small JPEG stored sideways with orientation 6: its top-left corner is
    red, so the upright photo must have red at its top right."""
    image = Image.new("RGB", (width, height), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, width // 3, height // 3))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = GPS
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=95, exif=exif.tobytes())
    return path


def cmyk_jpeg(path: Path, width=80, height=60) -> Path:
    """A press photo in CMYK: pure cyan."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("CMYK", (width, height), (255, 0, 0, 0)).save(path, "JPEG", quality=95)
    return path


def profiled_jpeg(path: Path, width=80, height=60, color=(40, 200, 60)) -> Path:
    """A wide-gamut camera's JPEG: it carries a Display P3 profile, so its
    numbers mean more saturated colours than the same numbers in sRGB."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), color).save(path, "JPEG", quality=98, subsampling=0,
                                                  icc_profile=display_p3_profile())
    return path


def display_p3_profile() -> bytes:
    """A matrix/TRC ICC v2 profile with Display P3's primaries (D50-adapted,
    as in Apple's profile) and gamma 2.2: no profile file ships on this machine."""
    def s15(value):
        return struct.pack(">i", round(value * 65536))

    def xyz(x, y, z):
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    description = b"Display P3 (tests)"
    tags = [
        (b"desc", b"desc" + bytes(4) + struct.pack(">I", len(description) + 1) + description + b"\0"
         + bytes(4) + bytes(4) + bytes(2) + bytes(1) + bytes(67)),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.515121, 0.241196, -0.001053)),
        (b"gXYZ", xyz(0.291977, 0.692245, 0.041885)),
        (b"bXYZ", xyz(0.157104, 0.066574, 0.784073)),
        (b"rTRC", b"curv" + bytes(4) + struct.pack(">IH", 1, 0x0233) + bytes(2)),
        (b"cprt", b"text" + bytes(4) + b"none\0\0\0\0"),
    ]
    tags.insert(6, (b"gTRC", tags[5][1]))
    tags.insert(7, (b"bTRC", tags[5][1]))
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"lcms" + struct.pack(">I", 0x02100000) + b"mntr" + b"RGB "
              + b"XYZ " + bytes(12) + b"acsp" + b"APPL" + bytes(4) + bytes(4) + bytes(4) + bytes(8)
              + bytes(4) + s15(0.9642) + s15(1.0) + s15(0.8249) + b"lcms" + bytes(16) + bytes(28))
    return header + struct.pack(">I", len(tags)) + table + data


def as_srgb(color, profile: bytes):
    """What `color` in that profile is in sRGB (LittleCMS)."""
    image = Image.new("RGB", (1, 1), color)
    source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                     outputMode="RGB").getpixel((0, 0))


def screenshot_png(path: Path, width=1280, height=800, seed=3) -> Path:
    """A PNG with a transparent corner, as a screenshot of a window has."""
    image = scene(width, height, seed).convert("RGBA")
    image.paste((0, 0, 0, 0), (0, 0, width // 4, height // 4))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")
    return path


def heic(path: Path, width=640, height=480, seed=4) -> Path:
    """An iPhone's HEIC, with GPS in its EXIF."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif[GPS_IFD] = GPS
    path.parent.mkdir(parents=True, exist_ok=True)
    scene(width, height, seed).save(path, "HEIF", quality=70, exif=exif.tobytes())
    return path


def small_jpeg(path: Path, width=64, height=48, color=(200, 120, 40)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), color).save(path, "JPEG", quality=90)
    return path


def truncated_jpeg(path: Path) -> Path:
    """A JPEG cut short, as an interrupted copy leaves it: its header is whole."""
    buffer = io.BytesIO()
    scene(200, 150).save(buffer, "JPEG", quality=90)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    return path


def damaged_jpeg(path: Path) -> Path:
    """A JPEG whose header and end are whole but whose Huffman tables are
    not: only decoding it finds out, in a worker process."""
    buffer = io.BytesIO()
    scene(200, 150).save(buffer, "JPEG", quality=90)
    data = bytearray(buffer.getvalue())
    tables = data.find(b"\xff\xc4")
    data[tables + 5:tables + 17] = b"\xff" * 12
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))
    return path
