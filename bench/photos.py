"""The photo part of `make bench`: our processing of real-size photos
against Hugo's image processing, on the same photos, widths and formats.

    .venv/bin/python bench/photos.py [--photos 50] [--runs 3] [--keep DIR]
    (also run by bench/run.py unless --photos 0)

The photos (made once per run, or kept with --keep): 12 MP JPEGs from a
phone (4000 × 3000, EXIF with GPS), some of them portrait (stored sideways
with orientation 6), and PNG screenshots (2560 × 1600). They are synthetic
but cost what photos cost to encode: shapes, gradients, detail at every
scale and the sensor's grain. `--photos-dir DIR` uses your own instead (for
instance the camera JPEGs in Debian's desktop-background packages:
`apt-get download`, then `dpkg-deb -x`).

Ours is the build's own code (portal.images.pipeline.PhotoBuild): identify
each photo (digest, upright size), make the copies on every core, link them
into an output folder. First with an empty photo cache, then again with the
cache (what every later build does). Hugo builds one page bundle per photo
(bench/hugo-photos), which it renders on every core; first with an empty
resource cache, then again with it.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "plugins"))


def scene(width, height, seed):
    """A picture that costs what a photo costs: edges, gradients, detail, grain."""
    from PIL import Image, ImageDraw, ImageFilter

    rnd = random.Random(seed)
    small = (width // 4, height // 4)
    base = Image.merge("RGB", [Image.linear_gradient("L").rotate(rnd.randint(0, 359)).resize(small)
                               for _ in range(3)])
    draw = ImageDraw.Draw(base)
    for _ in range(60):
        x, y, r = rnd.randrange(small[0]), rnd.randrange(small[1]), rnd.randrange(4, small[0] // 5)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rnd.randrange(256) for _ in range(3)))
    base = base.filter(ImageFilter.GaussianBlur(1)).resize((width, height), Image.Resampling.BICUBIC)
    coarse = [Image.effect_noise((width // 5, height // 5), 60).resize((width, height), Image.Resampling.BICUBIC)
              for _ in range(3)]
    base = Image.blend(base, Image.merge("RGB", coarse), 0.3)
    grain = Image.effect_noise((width, height), 40)
    return Image.blend(base, Image.merge("RGB", [grain] * 3), 0.12)


def make_photos(folder: Path, count: int) -> list[Path]:
    """`count` photos: about 1 in 8 portrait (orientation 6), 1 in 12 a PNG screenshot."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for number in range(count):
        if number % 12 == 11:
            path = folder / f"man-hinh-{number:02}.png"
            if not path.exists():
                scene(2560, 1600, number).save(path, "PNG", compress_level=6)
        else:
            path = folder / f"anh-{number:02}.jpg"
            if not path.exists():
                exif = Image.Exif()
                exif[0x0112] = 6 if number % 8 == 7 else 1
                exif[0x8825] = {1: "N", 2: (16.0, 40.0, 12.5), 3: "E", 4: (106.0, 50.0, 1.0)}
                scene(4000, 3000, number).save(path, "JPEG", quality=90, exif=exif.tobytes())
        made.append(path)
    return made


def ours(photos: list[Path], cache: Path, output: Path) -> dict:
    """Seconds of our pipeline over `photos`, and the copies it made."""
    from portal.core.settings import load_settings
    from portal.images.pipeline import PhotoBuild

    settings = load_settings(str(REPO / "pelicanconf.py"), CACHE_PATH=str(cache))
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    build = PhotoBuild(settings)
    for path in photos:
        photo = build.photo(str(path), f"images/{path.name}")
        build.want(photo, photo.body_copies(build.photo_settings), (str(path), path.name))
    problems = build.finish_copies()
    build.publish(output)
    build.close()
    seconds = time.perf_counter() - started
    assert not problems, problems
    return {"seconds": seconds, "made": build.stats.made, "reused": build.stats.reused}


def hugo(photos: list[Path], site: Path, settings: dict, clean: bool) -> float:
    """Seconds of one `hugo` run over a page bundle per photo."""
    from run import hugo_binary

    if clean:
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(BENCH / "hugo-photos", site)
        params = {"widths": settings["PHOTO_WIDTHS"], "webp_quality": settings["PHOTO_QUALITY"]["webp"],
                  "jpeg_quality": settings["PHOTO_QUALITY"]["jpeg"]}
        with (site / "hugo.toml").open("a", encoding="utf-8") as config:
            config.write("\n[params]\n" + "".join(f"  {k} = {json.dumps(v)}\n" for k, v in params.items()))
        for number, path in enumerate(photos):
            bundle = site / "content" / f"p{number:02}"
            bundle.mkdir(parents=True)
            (bundle / "index.md").write_text(f"---\ntitle: p{number}\n---\n", encoding="utf-8")
            os.link(path, bundle / path.name)
    started = time.perf_counter()
    subprocess.run([hugo_binary(), "--source", str(site), "--quiet"], check=True)
    return time.perf_counter() - started


def bytes_by_width(folder: Path) -> dict[tuple[str, int], float]:
    """{(format, width): mean bytes of a copy} over the images in `folder`."""
    from PIL import Image

    sizes = defaultdict(list)
    for path in folder.rglob("*"):
        if path.suffix in (".webp", ".jpg") and path.is_file():
            with Image.open(path) as image:
                sizes[(image.format.lower(), image.width)].append(path.stat().st_size)
    return {key: statistics.mean(values) for key, values in sizes.items()}


def run(count=50, runs=3, work: Path | None = None, photos_dir: Path | None = None) -> dict:
    from portal.core.settings import load_settings

    keep = work is not None
    work = work or Path(tempfile.mkdtemp(prefix="portal-photos-"))
    try:
        started = time.perf_counter()
        photos = (sorted(p for p in photos_dir.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))[:count]
                  if photos_dir else make_photos(work / "photos", count))
        print(f"photos: {len(photos)} photos ready in {time.perf_counter() - started:.1f} s "
              f"({sum(p.stat().st_size for p in photos) / 1e6:.0f} MB)", flush=True)
        settings = load_settings(str(REPO / "pelicanconf.py"))
        first, cached, hugo_first, hugo_cached = [], [], [], []
        for _ in range(runs):
            shutil.rmtree(work / "ours-cache", ignore_errors=True)
            first.append(ours(photos, work / "ours-cache", work / "ours-output"))
            cached.append(ours(photos, work / "ours-cache", work / "ours-output"))
            hugo_first.append(hugo(photos, work / "hugo", settings, clean=True))
            hugo_cached.append(hugo(photos, work / "hugo", settings, clean=False))
        figures = {
            "photos": len(photos),
            "ours_first": statistics.median(r["seconds"] for r in first),
            "ours_cached": statistics.median(r["seconds"] for r in cached),
            "copies": first[0]["made"], "made_when_cached": cached[0]["made"],
            "hugo_first": statistics.median(hugo_first),
            "hugo_cached": statistics.median(hugo_cached),
            "ours_bytes": bytes_by_width(work / "ours-output"),
            "hugo_bytes": bytes_by_width(work / "hugo" / "public"),
        }
        print_table(figures, runs)
        return figures
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def print_table(f: dict, runs: int) -> None:
    load = os.getloadavg()
    print(f"\n{f['photos']} photos, median of {runs} run(s); {os.cpu_count()} CPUs, "
          f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("| | ours (Pillow) | Hugo | ours / Hugo |\n|---|---|---|---|")
    print(f"| First processing (empty cache), s | {f['ours_first']:.2f} | {f['hugo_first']:.2f} | "
          f"{f['ours_first'] / f['hugo_first']:.2f}× |")
    print(f"| Again with the cache, s | {f['ours_cached']:.3f} | {f['hugo_cached']:.2f} | "
          f"{f['ours_cached'] / f['hugo_cached']:.2f}× |")
    print(f"| Copies made: first / with the cache | {f['copies']} / {f['made_when_cached']} | | |")
    print("\nMean bytes of one copy, by format and width:\n")
    print("| format | width | ours, KB | Hugo, KB | ours / Hugo |\n|---|---|---|---|---|")
    for key in sorted(f["ours_bytes"]):
        ours_kb = f["ours_bytes"][key] / 1024
        hugo_kb = f["hugo_bytes"].get(key, 0) / 1024
        ratio = f"{ours_kb / hugo_kb:.2f}×" if hugo_kb else "—"
        print(f"| {key[0]} | {key[1]} | {ours_kb:.1f} | {hugo_kb:.1f} | {ratio} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (and the photos)")
    parser.add_argument("--photos-dir", type=Path, help="use these JPEG/PNG photos instead of made ones")
    options = parser.parse_args()
    run(options.photos, options.runs, options.keep, options.photos_dir)


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH))
    main()
