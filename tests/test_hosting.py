"""Going live: a publish build of a site with an imported old portal, served
by Debian's nginx and Apache with the files the build wrote (our 404 page
with status 404, the CSP, .gz copies, long cache on fingerprinted assets,
every old address answered 301 to its page), and as plain files (GitHub
Pages, S3) in Chromium, where stub pages and the 404 page's script lead
each old address to its new page."""

import functools
import gzip
import http.client
import os
import re
import shutil
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from browser_fixtures import free_port
from conftest import build_into, copy_project, run_task
from old_portals import MOJO_HOST, mojo_site, write_nukeviet_backup, write_warc
from portal.build.hosting import PLACEHOLDER_SITEURL
from portal.build.web_servers import serving
from portal.quality import html_validator, links

MAPPING = """categories:
  tin-co-so: Tin cơ sở
  xay-dung-dang: Xây dựng Đảng
  Kinh tế: Kinh tế - Xã hội
  Tin cơ sở: Tin cơ sở
default_author: ""
"""
NEW_12 = "/tin-co-so/dang-bo-huyen-dakrong-quyet-tam.html"
NEW_123 = "/tin-co-so/hoi-nghi-tong-ket-cong-tac-mat-tran-nam-2020.html"
NEW_PDF = "/files/trang-cu/2020_09/ke-hoach-01.pdf"
# Old address -> its new page.
OLD_ADDRESSES = {
    "/news/tin-co-so/dang-bo-huyen-dakrong-quyet-tam-12.html": NEW_12,
    "/vi/news/tin-co-so/dang-bo-huyen-dakrong-quyet-tam-12.html": NEW_12,
    "/index.php/vi/news/tin-co-so/dang-bo-huyen-dakrong-quyet-tam-12.html": NEW_12,
    "/index.php?language=vi&nv=news&op=tin-co-so/dang-bo-huyen-dakrong-quyet-tam-12": NEW_12,
    "/Blog/ViewPost.aspx?pageid=5&mid=12&ItemID=123": NEW_123,
    "/le-ra-quan-xay-dung-nong-thon-moi.aspx": "/kinh-te-xa-hoi/le-ra-quan-xay-dung-nong-thon-moi.html",
    "/news/tin-co-so/dang-bo-huyen-dakrong-quyet-tam-12.html?download=1&id=0": NEW_PDF,
    "/uploads/news/2020_09/ke-hoach-01.pdf": NEW_PDF,
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A project with a NukeViet backup and a mojoPortal WARC imported,
    published into a folder every user can read (the web servers' workers
    run as nobody)."""
    work = tmp_path_factory.mktemp("hosting")
    project = copy_project(work)
    (project / "old-site").mkdir()
    (project / "old-site" / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    for source in (write_nukeviet_backup(work), write_warc(mojo_site(), MOJO_HOST, work / "mojo.warc.gz")):
        result = run_task(project, "import", str(source))
        assert result.returncode == 0, result.stdout + result.stderr
    public = Path(tempfile.mkdtemp(prefix="portal-hosting-"))
    public.chmod(0o755)
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    result = run_task(project, "publish", "--target-dir", str(public / "www"),
                      env={**os.environ, "PORTAL_SITEURL": siteurl})
    assert result.returncode == 0, result.stdout + result.stderr
    yield project, public / "www", siteurl, port
    shutil.rmtree(public, ignore_errors=True)


def _get(address: str, path: str, headers=None) -> tuple[int, dict, bytes]:
    host, port = address.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    connection.close()
    return result


@pytest.fixture(scope="module", params=["nginx", "apache"])
def web_server(request, published, tmp_path_factory):
    _, site, _, _ = published
    with serving(request.param, site, free_port(), tmp_path_factory.mktemp(request.param)) as address:
        yield request.param, address, site


def test_the_web_server_answers_our_404_page_with_status_404_and_the_csp(web_server):
    _, address, _ = web_server
    status, headers, body = _get(address, "/khong-co-trang-nay.html")
    assert status == 404
    assert "Không tìm thấy trang" in body.decode("utf-8")
    assert headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'")
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_a_client_that_accepts_gzip_gets_the_gz_copy(web_server):
    _, address, site = web_server
    status, headers, body = _get(address, "/index.html", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert headers["content-type"].startswith("text/html")
    assert gzip.decompress(body) == (site / "index.html").read_bytes()
    status, headers, body = _get(address, "/index.html")
    assert "content-encoding" not in headers and body == (site / "index.html").read_bytes()


def test_fingerprinted_assets_are_cached_a_year_and_pages_revalidated(web_server):
    _, address, site = web_server
    css = next((site / "theme" / "css").glob("site.*.css")).relative_to(site).as_posix()
    _, headers, _ = _get(address, "/" + css)
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "content-security-policy" in headers
    _, headers, _ = _get(address, "/")
    assert headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("old", OLD_ADDRESSES)
def test_each_old_address_answers_301_to_its_page(web_server, old):
    _, address, site = web_server
    status, headers, _ = _get(address, old)
    assert status == 301, old
    assert headers["location"].removeprefix(address) == OLD_ADDRESSES[old]
    assert (site / OLD_ADDRESSES[old].lstrip("/")).is_file()


def test_an_old_photo_address_answers_301_to_the_largest_published_copy(web_server):
    """The photo pipeline publishes copies under new names, never the original:
    the old /uploads/... address leads to the largest JPEG copy, the one a
    {static} link to the photo gets."""
    _, address, site = web_server
    status, headers, _ = _get(address, "/uploads/news/2020_09/dai-hoi.jpg")
    assert status == 301
    new = headers["location"].removeprefix(address)
    found = re.fullmatch(r"/(images/trang-cu/2020-09/dai-hoi-[0-9a-f]+)-(\d+)x\d+\.jpg", new)
    assert found and (site / new.lstrip("/")).is_file(), new
    stem, width = found.groups()
    widths = [int(match[1]) for path in site.glob(stem + "-*.jpg")
              if (match := re.fullmatch(r".*-(\d+)x\d+\.jpg", path.name))]  # not the cropped (…c, …s)
    assert len(widths) > 1 and int(width) == max(widths)


def test_the_files_only_hosts_read_are_not_served(web_server):
    _, address, _ = web_server
    for path in ("/_hosting/nginx/portal-server.conf", "/.htaccess", "/_headers", "/_redirects"):
        assert _get(address, path)[0] in (403, 404), path


def test_the_published_site_passes_the_quality_gate(published):
    _, site, siteurl, _ = published
    assert html_validator.validate_html(site) == []
    assert links.broken_links(site, siteurl) == []


def test_netlify_and_cloudflare_files(published):
    _, site, _, _ = published
    headers = (site / "_headers").read_text(encoding="utf-8")
    assert "/theme/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert "  Content-Security-Policy: default-src 'self';" in headers
    redirects = (site / "_redirects").read_text(encoding="utf-8").splitlines()
    assert f"/Blog/ViewPost.aspx  itemid=123  {NEW_123}  301" in redirects
    assert f"/news/tin-co-so/dang-bo-huyen-dakrong-quyet-tam-12.html  {NEW_12}  301" in redirects


class _PlainFiles(SimpleHTTPRequestHandler):
    """Files only, as GitHub Pages and S3 serve them: 404.html for the rest."""

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def list_directory(self, path):
        self.send_error(404)  # no folder listings

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def plain_files(published):
    _, site, siteurl, port = published
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_PlainFiles, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield siteurl
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("old", [old for old in OLD_ADDRESSES if not old.endswith(".pdf") and "download" not in old])
def test_on_a_host_that_serves_files_each_old_address_lands_on_its_page(plain_files, page, old):
    page.goto(plain_files + old)
    page.wait_for_url(plain_files + OLD_ADDRESSES[old])
    assert page.locator("h1").first.is_visible()


def test_publishing_with_the_placeholder_address_stops_with_one_line(published):
    project = published[0]
    environment = {key: value for key, value in os.environ.items() if key != "PORTAL_SITEURL"}
    result = run_task(project, "publish", "--target-dir", str(project / "khong-duoc-tao"), env=environment)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f'publishconf.py: SITEURL is "{PLACEHOLDER_SITEURL}", a placeholder; set the portal\'s real address: '
        "PORTAL_SITEURL=https://your.domain make publish (or SITEURL in publishconf.py)")
    assert not (project / "khong-duoc-tao").exists()


def test_a_redirect_to_a_page_that_does_not_exist_fails_the_build(fixture_site):
    fixture_site.write("tin-co-so/a.md", "Title: A\nDate: 2024-05-01\nAuthor: B\nCategory: Tin cơ sở\n\nx\n")
    fixture_site.write("redirects.csv", "old,new\n/news/a-1.html,{filename}/tin-co-so/a.md\n"
                                        "/news/b-2.html,{filename}/tin-co-so/b.md\n")
    from portal.core.problems import BuildFailed

    with pytest.raises(BuildFailed) as failure:
        fixture_site.build()
    problems = [str(p) for p in failure.value.problems]
    assert len(problems) == 1 and problems[0].endswith(
        'redirects.csv:3: "{filename}/tin-co-so/b.md" is no page or file of the site; correct it or delete the row')


def test_a_redirect_finds_its_page_however_the_table_names_the_source(fixture_site, tmp_path):
    """The table names a source as written (the usual row, found without a
    look-up on disk) or through `..`, and Pelican reads content/ as it is or
    through a link: each row leads to the article's page."""
    fixture_site.write("tin-co-so/a.md", "Title: A\nDate: 2024-05-01\nAuthor: B\nCategory: Tin cơ sở\n"
                                         "Slug: bai-a\n\nx\n")
    fixture_site.write("redirects.csv", "old,new\n/news/a-1.html,{filename}/tin-co-so/a.md\n"
                                        "/news/a-2.html,{filename}/xay-dung-dang/../tin-co-so/a.md\n")
    (fixture_site.content / "xay-dung-dang").mkdir()
    linked = tmp_path / "noi-dung"  # sources are then named through the link
    linked.symlink_to(fixture_site.content, target_is_directory=True)
    for content in (fixture_site.content, linked):
        output = build_into(fixture_site.root, PATH=str(content), HOSTING_FILES=True)
        rows = [line.split() for line in (output / "_redirects").read_text(encoding="utf-8").splitlines()[1:]]
        assert rows == [["/news/a-1.html", "/tin-co-so/bai-a.html", "301"],
                        ["/news/a-2.html", "/tin-co-so/bai-a.html", "301"]]


def test_a_redirect_through_a_link_and_dotdot_names_the_file_the_system_finds(fixture_site, tmp_path):
    """`lien-ket/..` is the folder the link leads into's parent, not content/:
    the row names no page there, and the build says so."""
    fixture_site.write("tin-co-so/a.md", "Title: A\nDate: 2024-05-01\nAuthor: B\nCategory: Tin cơ sở\n\nx\n")
    elsewhere = tmp_path / "noi-khac" / "con"
    elsewhere.mkdir(parents=True)
    (fixture_site.content / "lien-ket").symlink_to(elsewhere, target_is_directory=True)
    fixture_site.write("redirects.csv", "old,new\n/news/a-1.html,{filename}/lien-ket/../tin-co-so/a.md\n")
    from portal.core.problems import BuildFailed

    with pytest.raises(BuildFailed) as failure:
        fixture_site.build()
    problems = [str(p) for p in failure.value.problems]
    assert len(problems) == 1 and problems[0].endswith(
        'redirects.csv:2: "{filename}/lien-ket/../tin-co-so/a.md" is no page or file of the site; '
        "correct it or delete the row")
