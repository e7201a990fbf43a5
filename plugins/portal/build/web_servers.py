"""Debian's nginx and Apache serving a publish build on 127.0.0.1 with the
configuration the build wrote (build.hosting): how the site will be served,
to preview it (`invoke preview-published`) and to test it.

Neither needs systemd: each runs in the foreground with its pid file, logs
and temporary files under a folder of its own, and stops with its process.
"""

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from ..core.problems import BuildFailed, Problem
from .hosting import HOSTING_FOLDER

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
NGINX_BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
APACHE_MODULES = Path("/usr/lib/apache2/modules")
MIME_TYPES = Path("/etc/nginx/mime.types")


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def nginx_config(site: Path, port: int, prefix: Path) -> Path:
    """A whole nginx.conf around the build's own snippets."""
    site, prefix = Path(site).resolve(), Path(prefix).resolve()
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    snippets = site / HOSTING_FOLDER / "nginx"
    brotli = NGINX_BROTLI_MODULE.is_file()
    temp = "\n".join(f"    {kind}_temp_path {prefix}/tmp/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    text = f"""{f"load_module {NGINX_BROTLI_MODULE};" if brotli else ""}
{"user root;" if _running_as_root() else ""}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log off;
{temp}
    include {snippets}/portal-http.conf;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {site};
        include {snippets}/portal-server.conf;
        {f"include {snippets}/portal-brotli.conf;" if brotli else ""}
    }}
}}
"""
    path = prefix / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def apache_config(site: Path, port: int, prefix: Path) -> Path:
    """A whole apache2.conf reading the build's .htaccess."""
    site, prefix = Path(site).resolve(), Path(prefix).resolve()
    prefix.mkdir(parents=True, exist_ok=True)
    modules = ["mpm_event", "authz_core", "dir", "mime", "rewrite", "headers", "alias"]
    loads = "\n".join(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so" for name in modules)
    text = f"""{loads}
ServerRoot {prefix}
{"User nobody" + chr(10) + "Group nogroup" if _running_as_root() else ""}
ServerName localhost
Listen 127.0.0.1:{port}
PidFile {prefix}/apache.pid
ErrorLog {prefix}/error.log
Mutex file:{prefix}
DefaultRuntimeDir {prefix}
TypesConfig /etc/mime.types
DocumentRoot {site}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {site}>
    AllowOverride All
    Require all granted
</Directory>
"""
    path = prefix / "apache2.conf"
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def serving(kind: str, site: Path, port: int, prefix: Path):
    """nginx or Apache serving `site` on 127.0.0.1:`port` while the block
    runs; yields its address. BuildFailed with the server's own words when
    it does not start."""
    if kind == "nginx":
        config = nginx_config(site, port, prefix)
        command = [NGINX, "-p", str(prefix), "-c", str(config)]
    else:
        config = apache_config(site, port, prefix)
        command = [APACHE, "-f", str(config), "-DFOREGROUND"]
    check = subprocess.run(command[:-1] + ["-t"] if kind == "apache" else command + ["-t"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise BuildFailed([Problem(str(config), " ".join((check.stderr or check.stdout).split()))], kind)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    address = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(address, process, prefix)
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(address: str, process: subprocess.Popen, prefix: Path) -> None:
    for _ in range(200):
        if process.poll() is not None:
            log = next((p.read_text() for p in Path(prefix).glob("error.log")), "")
            raise BuildFailed([Problem(address, f"the server stopped: {process.stderr.read()} {log[-500:]}")], "serve")
        try:
            urllib.request.urlopen(address + "/", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.05)
    raise BuildFailed([Problem(address, "the server did not answer within 10 s")], "serve")


def preview_published(port: int = 8080, server: str = "nginx", settings_file: str = "publishconf.py") -> None:
    """Build with the publish settings for http://127.0.0.1:PORT into
    .preview-published/ and serve it with nginx (or Apache) and the files
    the build wrote, until Ctrl+C: the site exactly as a host will serve it."""
    from .site import build_site

    folder = Path(settings_file).resolve().parent / ".preview-published"
    os.environ["PORTAL_SITEURL"] = f"http://127.0.0.1:{port}"  # publishconf.py reads it
    site = build_site(settings_file, OUTPUT_PATH=str(folder / "site"), CACHE_PATH=str(folder / "cache"))
    with serving(server, site, port, folder / server) as address:
        print(f"Serving the publish build with {server} at {address}/ (Ctrl+C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
