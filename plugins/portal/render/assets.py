"""Theme assets for a fast site on slow networks: content-hashed file names,
so hosts may cache them for a year (build.hosting writes those headers).

Fingerprinting is for publishing (ASSET_FINGERPRINTS in publishconf.py): a
changed stylesheet gets a new name, so browsers may keep the old one a year.
"""

import hashlib
import os
from pathlib import Path

FINGERPRINT_LENGTH = 10


def theme_assets(settings) -> dict[str, str]:
    """{"css/site.css": "theme/css/site.css" or "theme/css/site.<hash>.css"}."""
    static = Path(settings["THEME"]) / "static"
    fingerprint = settings.get("ASSET_FINGERPRINTS", False)
    assets = {}
    for path in sorted(p for p in static.rglob("*") if p.is_file()):
        relative = path.relative_to(static).as_posix()
        name = relative
        if fingerprint:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:FINGERPRINT_LENGTH]
            stem, dot, suffix = relative.rpartition(".")
            name = f"{stem}.{digest}{dot}{suffix}"
        assets[relative] = f"{settings['THEME_STATIC_DIR']}/{name}"
    return assets


def rename_fingerprinted(output_path, settings, assets) -> None:
    """Give the copies Pelican wrote their fingerprinted names."""
    output = Path(output_path)
    for relative, url in assets.items():
        plain = output / settings["THEME_STATIC_DIR"] / relative
        if plain.is_file() and url != f"{settings['THEME_STATIC_DIR']}/{relative}":
            os.replace(plain, output / url)


def add_theme_assets(pelican):
    """Pelican's initialized signal: the templates' `asset` filter reads THEME_ASSETS."""
    pelican.settings["THEME_ASSETS"] = theme_assets(pelican.settings)


def rename_assets(pelican):
    """Pelican's finalized signal."""
    rename_fingerprinted(pelican.settings["OUTPUT_PATH"], pelican.settings,
                         pelican.settings["THEME_ASSETS"])
