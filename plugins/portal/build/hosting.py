"""What a host needs beside the pages: a headers file for hosts that read
one, and .gz/.br copies of text files for hosts that serve them."""

from pathlib import Path
from types import SimpleNamespace

from pelican.plugins.precompress import compress_files

CACHE_FOREVER = "public, max-age=31536000, immutable"


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
