"""What each kind of host needs beside the pages, from one source: the
headers (security, cache) and the redirects table (content/redirects.csv).

A publish build (HOSTING_FILES) writes, after every page is final:

    _hosting/nginx/portal-http.conf     the redirect maps (nginx's http {} level)
    _hosting/nginx/portal-server.conf   inside server {}: our 404, headers, cache,
                                        gzip_static, the redirects
    _hosting/nginx/portal-brotli.conf   brotli_static, where nginx has the module
    .htaccess                           Apache: ErrorDocument, headers, cache,
                                        precompressed copies, the redirects
    _headers, _redirects                Netlify and Cloudflare Pages
    old paths as stub pages             GitHub Pages, S3: meta refresh + canonical
    dia-chi-cu.json                     the table the 404 page's script reads for
                                        addresses with a query string (?ItemID=)

and .gz/.br copies of text files for hosts that serve them. README.md,
"Đưa lên mạng", shows how each host uses them.
"""

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

from pelican.plugins.precompress import compress_files

from ..core.problems import BuildFailed, Problem, display_path
from ..migrate.redirects import OldAddress, RedirectTableError, read_table, table_path
from ..read.content_files import published_contents

CACHE_FOREVER = "public, max-age=31536000, immutable"
# Pages, photos and files keep their names when they change: a browser asks again each time
# (a 304 when nothing changed).
CACHE_REVALIDATE = "no-cache"
HOSTING_FOLDER = "_hosting"
DISPATCH_TABLE = "dia-chi-cu.json"
# The files only hosts read: never served to readers.
HOST_ONLY = (HOSTING_FOLDER, ".htaccess", "_headers", "_redirects")
PLACEHOLDER_SITEURL = "https://dangbo.dakrong.example.vn"
COMPRESSED_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript",
                    ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml",
                    ".txt": "text/plain"}


# --- One source: the headers and the cache rules ------------------------------------


def security_headers(settings) -> list[tuple[str, str]]:
    """The headers every response carries; the CSP is the one the pages'
    meta tag holds, plus what only a header can say (frame-ancestors)."""
    headers = [("X-Content-Type-Options", "nosniff"),
               ("Referrer-Policy", "strict-origin-when-cross-origin"),
               ("X-Frame-Options", "SAMEORIGIN")]
    policy = settings.get("CONTENT_SECURITY_POLICY") or ""
    if policy:
        headers.append(("Content-Security-Policy", f"{policy}; frame-ancestors 'self'"))
    return headers


def long_cached_prefix(settings) -> str:
    """Theme files have content-hashed names (render.assets): cached a year."""
    return f"/{settings['THEME_STATIC_DIR']}/"


def cache_control(path: str, settings) -> str:
    return CACHE_FOREVER if path.startswith(long_cached_prefix(settings)) else CACHE_REVALIDATE


def require_public_address(settings_file="publishconf.py") -> None:
    """Publishing with the placeholder address makes a site whose styles
    and search the CSP blocks: stop, saying how to set the real one."""
    from ..core.settings import load_settings

    siteurl = load_settings(settings_file).get("SITEURL", "")
    if siteurl.rstrip("/") == PLACEHOLDER_SITEURL or not siteurl.startswith(("http://", "https://")):
        raise BuildFailed([Problem(settings_file, f'SITEURL is "{siteurl}", a placeholder; set the portal\'s real '
                                   "address: PORTAL_SITEURL=https://your.domain make publish (or SITEURL in "
                                   "publishconf.py)")], "publish")


# --- The redirects table, resolved against the built site ------------------------------


@dataclass(frozen=True)
class Destination:
    old: OldAddress
    url: str  # a path on the new site
    line: int


def resolved_redirects(site_dir: Path, settings, pages_of_sources: "BySource",
                       files: "BySource | None" = None) -> list[Destination]:
    """Each row of the table with the address of its page in this build
    (`pages_of_sources`: each article's or page's `save_as`; `files`: each
    photo's or file's address). BuildFailed names each row that leads nowhere."""
    table = table_path(settings)
    try:
        rows = read_table(table)
    except RedirectTableError as error:
        raise BuildFailed(error.problems, "redirects") from None
    content = settings["PATH"]
    found, problems = [], []
    for row in rows:
        url = _new_url(row.new, content, pages_of_sources, Path(site_dir), files or BySource({}))
        if url is None:
            problems.append(Problem(f"{display_path(table)}:{row.line}",
                                    f'"{row.new}" is no page or file of the site; correct it or delete the row'))
        elif url is not False:
            found.append(Destination(row.old, url, row.line))
    if problems:
        raise BuildFailed(problems, "redirects")
    return found


class BySource:
    """{source file: what the build made of it}, looked up by a file's path
    as the redirects table names it. Most rows name a source as Pelican
    does (content/ joined with the name): found as written, with no look-up
    on disk. Otherwise (a link on the way, `..`), by real paths, as the
    file system sees them: each source's is worked out then, once."""

    def __init__(self, by_path: dict[str, object], value=lambda found: found):
        self.by_path = by_path  # by absolute path, as Pelican named the source
        self.value = value  # what a lookup gives of what it found
        self._by_real_path: dict[str, object] | None = None

    def get(self, path: str):
        found = None
        if ".." not in Path(path).parts:  # `..` after a link is not the folder before it
            found = self.by_path.get(os.path.abspath(path))
        if found is None:
            if self._by_real_path is None:
                self._by_real_path = {os.path.realpath(known): item for known, item in self.by_path.items()}
            found = self._by_real_path.get(os.path.realpath(path))
        return None if found is None else self.value(found)


def _new_url(new: str, content: str, by_source: BySource, site: Path, files: BySource):
    """The address `new` has in the built site; None when it has none;
    False for a file of content/ the build does not publish (a photo only
    drafts show)."""
    if new.startswith("{filename}/"):
        save_as = by_source.get(os.path.join(content, new.removeprefix("{filename}/")))
        return None if save_as is None else "/" + _page_address(save_as)
    if new.startswith("{static}/"):
        relative = new.removeprefix("{static}/")
        if (site / relative).is_file():
            return "/" + relative
        # A photo is published only as copies under other names (the
        # original keeps its EXIF): its address is the one `{static}` links
        # get, the largest JPEG copy (images.plugin.never_copy_originals).
        published = files.get(os.path.join(content, relative))
        if published and (site / published).is_file():
            return "/" + published
        return False if (Path(content) / relative).is_file() else None
    return new


def _page_address(save_as: str) -> str:
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as


def _groups(destinations: list[Destination]) -> dict[tuple[str, ...], list[Destination]]:
    """By the query parameters they match: () for plain paths."""
    groups: dict[tuple[str, ...], list[Destination]] = {}
    for destination in destinations:
        groups.setdefault(destination.old.param_names(), []).append(destination)
    return dict(sorted(groups.items(), key=lambda item: -len(item[0])))  # query rows first


# --- nginx ---------------------------------------------------------------------------------


def _nginx_string(text: str) -> str:
    """A quoted nginx string; "$" (rare in addresses) as %24, so nginx reads no variable in it."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "%24") + '"'


def _map_key(names: tuple[str, ...]) -> str:
    return "$uri" + ("?" + "&".join(f"{name}=$arg_{name}" for name in names) if names else "")


def nginx_http(destinations: list[Destination]) -> str:
    lines = ["# The portal's redirect maps: include inside http { }, before the server block.",
             "# Written by the build from content/redirects.csv; do not edit.",
             "map_hash_max_size 262144;", "map_hash_bucket_size 256;"]
    for number, (names, rows) in enumerate(_groups(destinations).items()):
        lines.append(f'map "{_map_key(names)}" $portal_redirect_{number} {{')
        lines.append('    default "";')
        for row in rows:
            key = row.old.path + ("?" + "&".join(f"{n}={v}" for n, v in row.old.params) if names else "")
            lines.append(f"    {_nginx_string(key)} {_nginx_string(row.url)};")
        lines.append("}")
    return "\n".join(lines) + "\n"


def nginx_server(destinations: list[Destination], settings) -> str:
    headers = [f"add_header {name} {_nginx_string(value)} always;" for name, value in security_headers(settings)]
    lines = ["# The portal inside server { } (after listen, server_name and root): include this file.",
             "# Written by the build; do not edit.",
             "charset utf-8;", "index index.html;",
             "error_page 404 /404.html;", "error_page 403 =404 /404.html;",
             "gzip_static on;", "gzip_vary on;",
             "location = /404.html { internal; }"]
    for number, _group in enumerate(_groups(destinations)):
        lines.append(f"if ($portal_redirect_{number}) {{ return 301 $portal_redirect_{number}; }}")
    lines.append(f"location ^~ /{HOSTING_FOLDER}/ {{ return 404; }}")
    lines.append("location ~ (^|/)(\\.htaccess|_headers|_redirects)$ { return 404; }")
    # add_header in a location replaces the server's: each block repeats them all.
    lines += headers + [f'add_header Cache-Control "{CACHE_REVALIDATE}" always;']
    lines.append(f"location ^~ {long_cached_prefix(settings)} {{")
    lines += [f"    {header}" for header in headers] + [f'    add_header Cache-Control "{CACHE_FOREVER}" always;', "}"]
    return "\n".join(lines) + "\n"


# --- Apache -------------------------------------------------------------------------------------


def _apache_regex(path: str) -> str:
    return re.escape(path.lstrip("/")).replace("/", "/")


def htaccess(destinations: list[Destination], settings) -> str:
    lines = ["# The portal on Apache (mod_rewrite, mod_headers; AllowOverride All).",
             "# Written by the build from its settings and content/redirects.csv; do not edit.",
             "ErrorDocument 404 /404.html", "AddDefaultCharset utf-8", "DirectoryIndex index.html", "",
             "<IfModule mod_headers.c>"]
    for name, value in security_headers(settings):
        lines.append(f'    Header always set {name} "{value}"')
    prefix = long_cached_prefix(settings)
    lines += [f'    Header always set Cache-Control "{CACHE_REVALIDATE}"',
              f'    <If "%{{REQUEST_URI}} =~ m#^{prefix}#">',
              f'        Header always set Cache-Control "{CACHE_FOREVER}"', "    </If>", "</IfModule>", "",
              "RewriteEngine On",
              f"RewriteRule ^({'|'.join(re.escape(name) for name in HOST_ONLY)})(/|$) - [R=404,L]"]
    for names, rows in _groups(destinations).items():
        if names:
            for row in rows:
                for name, value in row.old.params:
                    lines.append(f"RewriteCond %{{QUERY_STRING}} (?:^|&){re.escape(name)}={re.escape(value)}(?:&|$) [NC]")
                lines.append(f'RewriteRule ^{_apache_regex(row.old.path)}$ "{row.url}" [R=301,L,QSD]')
        else:
            by_target: dict[str, list[str]] = {}
            for row in rows:
                by_target.setdefault(row.url, []).append(_apache_regex(row.old.path))
            for url, paths in by_target.items():
                # one rule per page, its old addresses as alternatives: fewer rules to read per request
                lines.append(f'RewriteRule ^(?:{"|".join(paths)})$ "{url}" [R=301,L,QSD]')
    lines += ["", "# Precompressed copies for clients that accept them (.br, then .gz)."]
    extensions = "|".join(ext.lstrip(".") for ext in COMPRESSED_TYPES)
    for encoding, suffix in (("br", "br"), ("gzip", "gz")):
        lines += [f"RewriteCond %{{HTTP:Accept-Encoding}} \\b{encoding}\\b",
                  f"RewriteCond %{{REQUEST_FILENAME}}.{suffix} -s",
                  f"RewriteRule ^(.*\\.({extensions}))$ $1.{suffix} [L]"]
    for extension, mime in COMPRESSED_TYPES.items():
        ext = re.escape(extension)
        lines.append(f"RewriteRule {ext}\\.(gz|br)$ - [T={mime},E=no-gzip:1,E=no-brotli:1]")
    lines += ["<IfModule mod_headers.c>",
              '    <FilesMatch "\\.gz$">', "        Header set Content-Encoding gzip",
              "        Header append Vary Accept-Encoding", "    </FilesMatch>",
              '    <FilesMatch "\\.br$">', "        Header set Content-Encoding br",
              "        Header append Vary Accept-Encoding", "    </FilesMatch>", "</IfModule>",
              "<IfModule mod_mime.c>", "    RemoveEncoding .gz .br", "    RemoveType .gz .br", "</IfModule>"]
    return "\n".join(lines) + "\n"


# --- Netlify and Cloudflare Pages ------------------------------------------------------------------


def headers_file(settings) -> str:
    """Netlify / Cloudflare Pages `_headers`: fingerprinted assets cached for
    a year, and the security headers a meta tag cannot carry."""
    lines = [f"{long_cached_prefix(settings)}*", f"  Cache-Control: {CACHE_FOREVER}", "/*"]
    lines += [f"  {name}: {value}" for name, value in security_headers(settings)]
    return "\n".join(lines) + "\n"


def redirects_file(destinations: list[Destination]) -> str:
    """Netlify `_redirects` (query parameters matched too); Cloudflare Pages
    reads the path rows and skips the others (the 404 page's script takes them)."""
    lines = ["# Written by the build from content/redirects.csv; do not edit."]
    for names, rows in _groups(destinations).items():
        for row in rows:
            query = "  ".join(f"{name}={value}" for name, value in row.old.params)
            lines.append(f"{quote(row.old.path)}  {query + '  ' if query else ''}{row.url}  301")
    return "\n".join(lines) + "\n"


# --- Hosts that only serve files ---------------------------------------------------------------------


STUB = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Trang đã chuyển</title>
<link rel="canonical" href="{url}">
<meta http-equiv="refresh" content="0; url={url}">
<meta name="robots" content="noindex">
</head>
<body>
<p>Trang này đã chuyển đến <a href="{url}">{url}</a>.</p>
</body>
</html>
"""


def write_stub_pages(site: Path, destinations: list[Destination], siteurl: str) -> int:
    """A page at each old path that leads to the new one: for hosts with no
    redirects of their own. Never over a file of the site."""
    written = 0
    for row in destinations:
        if row.old.params or not row.old.path.lower().endswith((".html", ".htm", "/")):
            # Query strings, .aspx and .php (which such hosts send as downloads),
            # photos and files: the 404 page's script.
            continue
        relative = row.old.path.lstrip("/") + ("index.html" if row.old.path.endswith("/") else "")
        target = site / relative
        if target.exists() or any(parent.is_file() for parent in target.parents if site in parent.parents):
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            continue
        url = siteurl.rstrip("/") + row.url
        target.write_text(STUB.format(url=url.replace("&", "&amp;").replace('"', "&quot;")), encoding="utf-8")
        written += 1
    return written


def dispatch_table(destinations: list[Destination]) -> str:
    """What the 404 page's script (theme/static/js/old-addresses.js) reads:
    query-string addresses, and old paths without a stub page (photos, files)."""
    queries = [{"path": row.old.path, "params": dict(row.old.params), "to": row.url}
               for row in destinations if row.old.params]
    paths = {row.old.path: row.url for row in destinations if not row.old.params}
    return json.dumps({"queries": queries, "paths": paths}, ensure_ascii=False, separators=(",", ":"))


# --- A publish build's last step -------------------------------------------------------------------------


def write_hosting_files(site_dir: Path, settings, destinations: list[Destination]) -> None:
    site = Path(site_dir)
    nginx = site / HOSTING_FOLDER / "nginx"
    nginx.mkdir(parents=True, exist_ok=True)
    (nginx / "portal-http.conf").write_text(nginx_http(destinations), encoding="utf-8")
    (nginx / "portal-server.conf").write_text(nginx_server(destinations, settings), encoding="utf-8")
    (nginx / "portal-brotli.conf").write_text(
        "# With Debian's libnginx-mod-http-brotli-static: include inside server { } too.\nbrotli_static on;\n",
        encoding="utf-8")
    (site / ".htaccess").write_text(htaccess(destinations, settings), encoding="utf-8")
    (site / "_headers").write_text(headers_file(settings), encoding="utf-8")
    (site / "_redirects").write_text(redirects_file(destinations), encoding="utf-8")
    (site / DISPATCH_TABLE).write_text(dispatch_table(destinations), encoding="utf-8")
    write_stub_pages(site, destinations, settings.get("SITEURL", ""))


# {source file: its article or page} of the last build in this process: the
# redirects table names sources, hosts need addresses. An address is worked
# out only for the sources the table names (Pelican expands its URL
# settings at each ask: some 0.1 ms, for each of thousands of articles).
contents_of_sources: dict[str, object] = {}
# {source file: its Pelican Static} of the photos and files of content/, from
# the same build: their addresses (a photo's is its largest copy's) are read
# only once the pages are written, since reading a Static's url beforehand
# tells Pelican its place is referenced, and every {attach} link then fails.
statics_of_files: dict[str, object] = {}


def remember_pages_for_redirects(generators):
    """Pelican's all_generators_finalized signal."""
    contents_of_sources.clear()
    statics_of_files.clear()
    for source, _generator, content in published_contents(generators):
        contents_of_sources[source] = content
    # Pelican's own index of static files (photos the photo pipeline keeps
    # out of output/ included), shared by every generator.
    statics = generators[0].context.get("static_content", {}) if generators else {}
    for static in statics.values():
        if static is not None and getattr(static, "source_path", None):
            statics_of_files[os.path.abspath(static.source_path)] = static


def forget_sources() -> None:
    """Once a build is over: the articles it made are not kept alive (the
    preview server builds again and again in one process; at 10,000
    articles they are some 400 MB)."""
    contents_of_sources.clear()
    statics_of_files.clear()


def finish_for_hosting(site_dir, settings) -> None:
    """The last touches of a build, after every page is final: the redirects
    table checked (every build), the hosts' files (publish builds), then the
    compressed copies of every text file, these included."""
    destinations = resolved_redirects(Path(site_dir), settings,
                                      BySource(contents_of_sources, lambda content: content.save_as),
                                      BySource(statics_of_files, lambda static: static.url))
    if settings.get("HOSTING_FILES"):
        write_hosting_files(Path(site_dir), settings, destinations)
    if settings.get("PRECOMPRESS"):
        # pelican-precompress normally runs on Pelican's last signal, which
        # comes before our check-and-fill and Pagefind: its .gz would be stale.
        compress_files(SimpleNamespace(settings={**settings, "OUTPUT_PATH": str(site_dir)}))
