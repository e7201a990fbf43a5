"""The Content-Security-Policy every page carries: only the site's own
scripts and styles, no inline script, nothing loaded from another host."""

from urllib.parse import urlparse


def content_security_policy(settings) -> str:
    connect = ["'self'"]
    stats_url = settings.get("VISIT_STATS_URL") or ""
    stats = urlparse(stats_url)
    if stats.scheme and stats.netloc:
        connect.append(f"{stats.scheme}://{stats.netloc}")
    directives = [
        "default-src 'self'",
        # Pagefind's search runs as WebAssembly, which needs this (and no eval).
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src " + " ".join(connect),
        # Poll forms post to the vote endpoint the poll names, over HTTPS.
        "form-action 'self' https:",
        "object-src 'none'",
        "base-uri 'self'",
    ]
    return "; ".join(directives)


def add_content_security_policy(pelican):
    # The preview server injects an inline live-reload script, so it builds
    # with CONTENT_SECURITY_POLICY = "" (see devserver.py).
    if pelican.settings.get("CONTENT_SECURITY_POLICY") is None:
        pelican.settings["CONTENT_SECURITY_POLICY"] = content_security_policy(pelican.settings)
