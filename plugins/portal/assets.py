"""Theme assets for a fast site on slow networks: content-hashed file names
with long cache lifetimes, a headers file for hosts that read one, and
.gz/.br copies of text files for hosts that serve them.

Fingerprinting is for publishing (ASSET_FINGERPRINTS in publishconf.py): a
changed stylesheet gets a new name, so browsers may keep the old one a year.
"""

import hashlib
import os
from pathlib import Path
from types import SimpleNamespace

from pelican.plugins.precompress import compress_files

FINGERPRINT_LENGTH = 10
CACHE_FOREVER = "public, max-age=31536000, immutable"


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


def headers_file(settings) -> str:
    """Netlify / Cloudflare Pages `_headers`: fingerprinted assets cached for
    a year, and the security headers a meta tag cannot carry."""
    policy = settings.get("CONTENT_SECURITY_POLICY") or ""
    lines = [
        f"/{settings['THEME_STATIC_DIR']}/*",
        f"  Cache-Control: {CACHE_FOREVER}",
        "/*",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: strict-origin-when-cross-origin",
    ]
    if policy:
        lines.append(f"  Content-Security-Policy: {policy}; frame-ancestors 'self'")
    return "\n".join(lines) + "\n"


def finish_for_hosting(site_dir, settings) -> None:
    """The last touches of a publish build, after every page is final."""
    if settings.get("ASSET_FINGERPRINTS"):
        Path(site_dir, "_headers").write_text(headers_file(settings), encoding="utf-8")
    if settings.get("PRECOMPRESS"):
        # pelican-precompress normally runs on Pelican's last signal, which
        # comes before our check-and-fill and Pagefind: its .gz would be stale.
        compress_files(SimpleNamespace(settings={**settings, "OUTPUT_PATH": str(site_dir)}))
