"""The browser editor (plugins/portal/editor): Decap CMS with its local
backend, run by `invoke livereload` beside the preview server.

The end-to-end tests drive Debian's chromium against the real preview
server and the real decap-server on 127.0.0.1, over a copy of the project
(one server for the module); the rest check the generated form, the file
format and the backend's refusals without a browser.
"""

import difflib
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican.utils import slugify

import photo_files
from browser_fixtures import free_port
from conftest import INVOKE, ROOT, article, copy_project
from portal.core.content_fields import POLL_FIELDS, POLL_REQUIRED
from portal.core.document_fields import FIELDS as DOCUMENT_FIELDS
from portal.core.problems import BuildFailed, Problem
from portal.core.settings import load_settings
from portal.editor import status
from portal.editor.config import editor_config
from portal.editor.form import ARTICLE_REQUIRED, PAGE_REQUIRED, STATUS_LABELS
from portal.read.header import ARTICLE_FIELDS, PAGE_FIELDS, STATUSES, Header, address_of, header_problems
from portal.render.security import content_security_policy

SEED_FILE = "content/tin-co-so/dang-bo-huyen-dakrong-quyet-tam-dua-nghi-quyet-dai-hoi-vao-cuoc-song.md"
NODE_MODULES = ROOT / "node_modules"
# Waiting for a rebuild or a save: generous, and never what a test asserts.
PATIENCE = 90


def wait_until(condition, what: str, patience: float = PATIENCE):
    deadline = time.monotonic() + patience
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited in vain for {what}")
        time.sleep(0.2)


def fetch(url: str, **headers) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except OSError:
        return 0, ""


@dataclass
class EditorSite:
    project: Path
    server: subprocess.Popen
    log: Path
    preview: str  # http://127.0.0.1:PORT
    editor: str  # http://127.0.0.1:PORT/admin/

    @property
    def api(self) -> str:
        return self.editor.replace("/admin/", "/api/v1")

    @property
    def origin(self) -> str:
        return self.editor.removesuffix("/admin/")

    def terminal(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def page_of(self, relative: str) -> BeautifulSoup | None:
        code, text = fetch(f"{self.preview}/{relative}")
        return BeautifulSoup(text, "lxml") if code == 200 else None


def start_preview_server(folder: Path) -> EditorSite:
    """`invoke livereload` on a copy of the project, as `make serve` runs it."""
    project = copy_project(folder)
    (project / "node_modules").symlink_to(NODE_MODULES)
    port = free_port()
    log = folder / "terminal.txt"
    environment = {key: value for key, value in os.environ.items() if key != "PORTAL_EDITOR_PORT"}
    server = subprocess.Popen([INVOKE, "livereload", "--port", str(port)], cwd=project,
                              stdout=log.open("w"), stderr=subprocess.STDOUT,
                              env={**environment, "PYTHONUNBUFFERED": "1"})
    site = EditorSite(project, server, log, f"http://127.0.0.1:{port}", "")
    found = wait_until(lambda: server.poll() is not None or re.search(
        r"Editor: (http://127\.0\.0\.1:\d+/admin/)", site.terminal()), "the editor's address")
    assert server.poll() is None, site.terminal()
    site.editor = found.group(1)
    wait_until(lambda: "Preview rebuilt" in site.terminal() and fetch(site.preview + "/")[0] == 200,
               "the first build")
    return site


def stop(site: EditorSite) -> None:
    site.server.terminate()
    site.server.wait(timeout=20)


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory):
    site = start_preview_server(tmp_path_factory.mktemp("editor"))
    yield site
    stop(site)


@pytest.fixture
def browser_context(browser, editor_site):
    """A browser in Vietnam's time zone that records every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    context.requests = []
    context.on("request", lambda request: context.requests.append(request.url))
    yield context
    context.close()


def open_editor(context, site: EditorSite):
    page = context.new_page()
    page.goto(site.preview + "/admin/")  # the preview server leads to the editor
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Tin cơ sở").wait_for()
    return page


def publish(page) -> None:
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_text("Công bố ngay").click()
    page.get_by_text("Thay đổi đã được lưu").wait_for()


def choose(page, label: str, option: str) -> None:
    page.get_by_label(label).click()
    page.get_by_role("option", name=option, exact=True).click()


def banner_of(page):
    """The build's error banner (Decap's own notices are alerts too)."""
    return page.get_by_role("alert", name="Lỗi khi dựng trang")


def only_loopback(requests: list[str]) -> list[str]:
    return [url for url in requests if not url.startswith(("http://127.0.0.1:", "data:", "blob:"))]


# --- In the browser ----------------------------------------------------------


def test_an_editor_writes_publishes_retitles_and_withdraws_an_article(editor_site, browser_context):
    site = editor_site
    title = "Đảng bộ xã A Ngo: 1.000 đảng viên học Nghị quyết – đợt đầu"
    settings = load_settings(str(site.project / "pelicanconf.py"))
    # The build's rule (đ -> d, "1.000" -> 1000), not Decap's own ("1-000").
    slug = "dang-bo-xa-a-ngo-1000-dang-vien-hoc-nghi-quyet-dot-dau"
    assert address_of(title, settings) == slug

    page = open_editor(browser_context, site)
    page.get_by_role("link", name="Xây dựng Đảng").click()
    page.get_by_role("link", name="Tạo bài thuộc loại bài Xây dựng Đảng").click()
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_label("Ngày đăng").fill("2026-11-20T08:30")
    page.get_by_label("Tác giả").fill("Lê Thị Đào")
    tags = page.get_by_role("combobox", name="Chủ đề")
    tags.fill("Nông thôn mới")  # one the seed article uses: taken from the suggestions
    tags.fill("Chuyển đổi số")
    tags.press("Enter")
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.type("Sáng 20/11, Đảng ủy xã A Ngo tổ chức học tập Nghị quyết.")
    publish(page)

    written = site.project / "content" / "xay-dung-dang" / f"{slug}.md"
    assert written.read_text(encoding="utf-8") == (
        f"Title: {title}\nDate: 2026-11-20 08:30\nAuthor: Lê Thị Đào\nCategory: Xây dựng Đảng\n"
        f"Tags: Nông thôn mới, Chuyển đổi số\nSlug: {slug}\nStatus: published\n\n"
        "Sáng 20/11, Đảng ủy xã A Ngo tổ chức học tập Nghị quyết.\n")
    address = f"xay-dung-dang/{slug}.html"
    shown = wait_until(lambda: site.page_of(address), f"{address} on the preview server")
    assert shown.h1.get_text(strip=True) == title
    assert shown.select_one("time")["datetime"] == "2026-11-20T08:30:00+07:00"
    assert shown.select_one(".app-article-meta__category").get_text(strip=True) == "Xây dựng Đảng"
    assert [tag.get_text(strip=True) for tag in shown.select(".app-article-tags a")] == [
        "Nông thôn mới", "Chuyển đổi số"]

    new_title = "Đảng bộ xã A Ngo: 1.000 đảng viên học tập Nghị quyết Đại hội"
    page.get_by_label("Tiêu đề").fill(new_title)
    publish(page)
    wait_until(lambda: (site.page_of(address) or shown).h1.get_text(strip=True) == new_title,
               "the new title at the same address")

    choose(page, "Trạng thái", "Nháp")
    publish(page)
    assert "Status: draft\n" in written.read_text(encoding="utf-8")
    wait_until(lambda: site.page_of(address) is None, "the draft to leave the preview")
    assert new_title not in fetch(site.preview + "/")[1]

    assert only_loopback(browser_context.requests) == []
    assert any(url.endswith("/admin/decap-cms.js") for url in browser_context.requests)
    # The preview pane wears the site's own stylesheet.
    assert any(url.endswith("/admin/site.css") for url in browser_context.requests)
    assert fetch(site.editor + "site.css")[1] == (site.project / "theme/static/css/site.css").read_text(
        encoding="utf-8")


def test_a_save_that_breaks_the_build_shows_a_banner_on_every_preview_page_until_fixed(
        editor_site, browser_context):
    site = editor_site
    reader = browser_context.new_page()
    reader.goto(site.preview + "/")
    page = open_editor(browser_context, site)
    home = fetch(site.preview + "/")

    # From the editor: a poll that ends before it starts.
    page.get_by_role("link", name="Bình chọn").click()
    page.get_by_role("link", name="Tạo bài thuộc loại bình chọn").click()
    page.get_by_label("Mã bình chọn").fill("dich-vu-cong-2026")
    page.get_by_label("Câu hỏi").fill("Bạn đã dùng dịch vụ công trực tuyến của huyện chưa?")
    page.get_by_label("Bắt đầu").fill("2026-12-01T08:00")
    page.get_by_label("Kết thúc").fill("2026-11-01T08:00")
    for option in ("Đã dùng", "Chưa dùng"):
        page.get_by_role("button", name="Thêm phương án").click()
        page.get_by_label("Phương án", exact=True).last.fill(option)
    publish(page)

    poll = site.project / "content" / "polls" / "dich-vu-cong-2026.yaml"
    end_line = poll.read_text(encoding="utf-8").splitlines().index("end: 2026-11-01 08:00") + 1
    for tab in (reader, page):
        banner = banner_of(tab)
        banner.wait_for(timeout=PATIENCE * 1000)
        text = banner.inner_text()
        assert "content/polls/dich-vu-cong-2026.yaml" in text
        assert "ô “Kết thúc”" in text and f"dòng {end_line}" in text
        assert "Thời điểm kết thúc (2026-11-01 08:00) không sau thời điểm bắt đầu (2026-12-01 08:00)" in text
    # The last good site stays, and the terminal says what it always said.
    assert fetch(site.preview + "/") == home
    assert (f"content/polls/dich-vu-cong-2026.yaml:{end_line}: end (2026-11-01 08:00) is not after "
            "start (2026-12-01 08:00)\ncheck failed: 1 problem; nothing was replaced.") in site.terminal()

    page.get_by_label("Kết thúc").fill("2026-12-31T17:00")
    publish(page)
    for tab in (reader, page):
        banner_of(tab).wait_for(state="detached", timeout=PATIENCE * 1000)

    # From a text editor: a day-first date in an article.
    typed = site.project / "content" / "tin-co-so" / "go-tay.md"
    typed.write_text(article(title="Tin gõ tay", date="14/09/2020"), encoding="utf-8")
    banner = banner_of(reader)
    banner.wait_for(timeout=PATIENCE * 1000)
    text = banner.inner_text()
    assert "content/tin-co-so/go-tay.md · ô “Ngày đăng” · dòng 2" in text
    assert "Viết năm-tháng-ngày: 2020-09-14." in text
    typed.write_text(article(title="Tin gõ tay", date="2020-09-14"), encoding="utf-8")
    banner.wait_for(state="detached", timeout=PATIENCE * 1000)
    assert only_loopback(browser_context.requests) == []


def test_the_seed_article_saved_through_the_editor_stays_byte_for_byte(editor_site, browser_context):
    site = editor_site
    seed = site.project / SEED_FILE
    original = seed.read_bytes()
    page = open_editor(browser_context, site)
    page.get_by_role("link", name="Tin cơ sở").click()
    page.get_by_text("Đảng bộ huyện Đakrông quyết tâm").first.click()
    title = page.get_by_label("Tiêu đề")
    first_title = title.input_value()
    title.fill(first_title + " (sửa)")
    publish(page)
    changed = wait_until(lambda: seed.read_bytes() != original and seed.read_bytes(), "the save")
    # Only the line of the field that changed.
    assert [line for line in difflib.ndiff(original.decode().splitlines(), changed.decode().splitlines())
            if line[:1] in "+-"] == [f"- Title: {first_title}", f"+ Title: {first_title} (sửa)"]

    page.reload()
    title = page.get_by_label("Tiêu đề")
    title.fill(first_title)
    publish(page)
    wait_until(lambda: seed.read_bytes() == original, "the seed article as it was, byte for byte")


def test_photos_upload_into_content_images_and_need_a_description(editor_site, browser_context, tmp_path):
    site = editor_site
    photo = tmp_path / "Ảnh Lễ ra quân.JPG"  # as a phone names it
    photo_files.small_jpeg(photo, 400, 300)
    stored = "anh-le-ra-quan.jpg"  # ASCII, as the build's photo pipeline prefers
    page = open_editor(browser_context, site)
    page.get_by_role("link", name="Tin cơ sở").click()
    page.get_by_role("link", name="Tạo bài thuộc loại bài Tin cơ sở").click()
    page.get_by_label("Tiêu đề").fill("Lễ ra quân tháng thanh niên")
    page.get_by_label("Tác giả").fill("Hồ Văn Đông")
    page.get_by_role("button", name="Chọn một hình").first.click()  # the lead photo
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Tải lên").click()
    chooser.value.set_files(photo)
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.get_by_label("Chú thích ảnh đại diện").fill("Quang cảnh lễ ra quân. Ảnh: T.B")
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.type("Sáng nay, Đoàn xã ra quân.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Chèn ảnh").click()
    page.get_by_text("Ảnh", exact=True).last.click()
    page.get_by_role("button", name="Chọn một hình").last.click()
    page.get_by_text(stored, exact=True).click()
    page.get_by_role("button", name="Lấy những cái đã chọn").click()

    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_text("Công bố ngay").click()
    page.get_by_text(f"Ảnh “{stored}” chưa có mô tả.").wait_for()
    written = site.project / "content" / "tin-co-so" / "le-ra-quan-thang-thanh-nien.md"
    assert not written.exists()

    page.get_by_label("Mô tả ảnh (bắt buộc)").fill("Đoàn viên xếp hàng")
    page.get_by_label("Chú thích (không bắt buộc)").fill("Đoàn viên tại lễ ra quân. Ảnh: H.N")
    publish(page)
    text = written.read_text(encoding="utf-8")
    assert f"Image: images/{stored}\nImageCaption: Quang cảnh lễ ra quân. Ảnh: T.B\n" in text
    assert text.endswith(f'Sáng nay, Đoàn xã ra quân.\n\n![Đoàn viên xếp hàng]({{static}}/images/{stored} '
                         '"Đoàn viên tại lễ ra quân. Ảnh: H.N")\n')
    assert (site.project / "content" / "images" / stored).read_bytes() == photo.read_bytes()
    shown = wait_until(lambda: site.page_of("tin-co-so/le-ra-quan-thang-thanh-nien.html"), "the article")
    assert [img["alt"] for img in shown.select(".app-article__body img")] == ["Đoàn viên xếp hàng"]
    assert "Đoàn viên tại lễ ra quân. Ảnh: H.N" in shown.select_one(".app-article__body").get_text()
    assert only_loopback(browser_context.requests) == []


# --- The editor's backend ------------------------------------------------------


def api(site: EditorSite, request: dict, origin: str | None = "own", host: str | None = None):
    """POST to the editor's backend as the editor's page would."""
    headers = {"Content-Type": "application/json"}
    if origin:
        headers["Origin"] = site.origin if origin == "own" else origin
    if host:
        headers["Host"] = host
    call = urllib.request.Request(site.api, json.dumps(request).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(call, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def persist(path: str, raw: str = "Title: x\n\nx\n") -> dict:
    return {"action": "persistEntry", "params": {
        "branch": "main", "entry": {"slug": "x", "path": path, "raw": raw}, "assets": [],
        "options": {"commitMessage": "x", "useWorkflow": False}}}


def media(path: str) -> dict:
    return {"action": "persistMedia", "params": {
        "branch": "main", "asset": {"path": path, "content": "PHNjcmlwdD4=", "encoding": "base64"},
        "options": {"commitMessage": "x"}}}


def project_files(project: Path) -> dict[str, bytes]:
    """Every file of the project but the built site and the caches (where
    a replaced site is being deleted meanwhile: build.swap.discard)."""
    return {path.relative_to(project).as_posix(): path.read_bytes()
            for top in sorted(project.iterdir()) if top.name not in ("output", ".cache", "node_modules")
            for path in sorted([top, *top.rglob("*")] if top.is_dir() and not top.is_symlink() else [top])
            if path.is_file() and not path.is_symlink()}


def test_the_backend_touches_only_markdown_yaml_and_photos_inside_content(editor_site, tmp_path):
    site = editor_site
    content = site.project / "content"
    outside = tmp_path / "ngoai"
    outside.mkdir()
    links = {content / "tin-co-so" / "ra-ngoai.md": site.project / "pelicanconf.py",
             content / "lien-ket": outside, content / "images-ngoai": outside}
    for link, target in links.items():
        link.symlink_to(target)
    try:
        refusals_of_the_running_backend(site, content)
    finally:
        for link in links:
            link.unlink()


def refusals_of_the_running_backend(site: EditorSite, content: Path) -> None:
    before = project_files(site.project)

    code, answer = api(site, {"action": "getEntry", "params": {"branch": "main", "path": SEED_FILE[8:]}})
    assert code == 200 and answer["data"].startswith("Title: Đảng bộ huyện Đakrông")

    refused = [
        {"action": "getEntry", "params": {"branch": "main", "path": "../pelicanconf.py"}},
        persist("../pelicanconf.py"),
        persist("tin-co-so/../../tasks.py"),
        persist(str(content / "tin-co-so" / "tuyet-doi.md")),  # absolute, even inside content/
        persist("/etc/passwd.md"),
        {"action": "getEntry", "params": {"branch": "main", "path": "tin-co-so/ra-ngoai.md"}},
        persist("tin-co-so/ra-ngoai.md"),
        persist("lien-ket/bai.md"),
        media("images-ngoai/anh.jpg"),
        {"action": "entriesByFolder", "params": {"branch": "main", "folder": "..", "extension": "md",
                                                 "depth": 1}},
        {"action": "entriesByFolder", "params": {"branch": "main", "folder": "tin-co-so",
                                                 "extension": "py", "depth": 1}},
        {"action": "deleteFile", "params": {"branch": "main", "path": "../tasks.py"}},
        persist("tin-co-so/trang.html"),
        persist("tin-co-so/bai.js"),
        persist("tin-co-so/.an.md"),
        media("images/anh.svg"),
        media("images/trang.html"),
        {"action": "publishUnpublishedEntry", "params": {"branch": "main"}},
    ]
    for request in refused:
        code, answer = api(site, request)
        assert code == 403, request
        assert answer["error"], request

    # Only the editor's own page may write, only to the address it has.
    write = persist("tin-co-so/hop-le.md")
    assert api(site, write, origin="http://evil.example")[0] == 403
    assert api(site, write, origin=None)[0] == 403
    port = site.origin.rpartition(":")[2]
    assert api(site, write, host=f"evil.example:{port}")[0] == 403
    assert project_files(site.project) == before

    listening = subprocess.run(["ss", "-Hltnp"], capture_output=True, text=True).stdout.splitlines()
    ours = [line for line in listening if f"pid={site.server.pid}," in line]
    assert sorted(line.split()[3] for line in ours) == sorted(
        [site.preview.removeprefix("http://"), site.origin.removeprefix("http://")])
    # decap-server itself listens on no TCP port at all: only the checks above reach it.
    for backend in decap_servers(site):
        assert not [line for line in listening if f"pid={backend}," in line]


def decap_servers(site: EditorSite) -> list[str]:
    return subprocess.run(["pgrep", "-f", str(site.project / "plugins/portal/editor/decap_server.js")],
                          capture_output=True, text=True).stdout.split()


def test_the_editor_starts_and_stops_with_the_preview_server(tmp_path):
    site = start_preview_server(tmp_path)
    backends = wait_until(lambda: decap_servers(site), "decap-server to start")
    stop(site)
    wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in backends),
               "decap-server to end with the preview server")
    assert fetch(site.editor)[0] == 0


# --- What the editor is made of ---------------------------------------------------


@pytest.fixture(scope="module")
def config(settings):
    return editor_config(settings, "http://127.0.0.1:8001/api/v1", "http://127.0.0.1:8000")


def test_the_form_is_made_from_the_settings_and_the_readers_field_lists(config, settings):
    collections = {collection["name"]: collection for collection in config["collections"]}
    categories = settings["PORTAL_CATEGORIES"]
    articles = [collections[address_of(category, settings, "CATEGORY")] for category in categories]
    assert [collection["label"] for collection in articles] == categories
    assert articles[3]["folder"] == "tin-co-so"  # where the seed article is
    for category, collection in zip(categories, articles):
        fields = {field["name"]: field for field in collection["fields"]}
        assert list(fields) == [*ARTICLE_FIELDS, "body"]
        assert fields["Category"]["options"] == [category] and fields["Category"]["default"] == category
        assert fields["Date"]["format"] == "YYYY-MM-DD HH:mm"
        assert {option["value"]: option["label"] for option in fields["Status"]["options"]} == {
            "draft": "Nháp", "published": "Đăng", "hidden": "Ẩn"}
        assert fields["Tags"]["suggestions"] == [
            "Đại hội Đảng bộ", "Nghị quyết Đại hội", "Nông thôn mới", "Xây dựng Đảng"]
        assert [name for name, field in fields.items() if field["required"]] == list(ARTICLE_REQUIRED)
    assert set(STATUS_LABELS) == set(STATUSES)
    pages = collections["trang"]
    assert pages["folder"] == "pages" and [field["name"] for field in pages["fields"]] == [*PAGE_FIELDS, "body"]
    documents = collections["van-ban"]
    assert documents["folder"] == settings["DOCUMENTS_PATH"]
    fields = {field["name"]: field for field in documents["fields"]}
    assert list(fields) == [*(field.key for field in DOCUMENT_FIELDS), "body"]
    assert [name for name, field in fields.items() if field["required"]] == [
        field.key for field in DOCUMENT_FIELDS if field.required]
    assert [fields[field.key]["label"] for field in DOCUMENT_FIELDS] == [field.label for field in DOCUMENT_FIELDS]
    assert fields["Type"]["options"] == settings["DOCUMENT_TYPES"]
    assert fields["Date"]["format"] == "YYYY-MM-DD" and fields["Date"]["time_format"] is False
    polls = collections["binh-chon"]
    assert [field["name"] for field in polls["fields"]] == list(POLL_FIELDS)
    assert [field["name"] for field in polls["fields"] if field["required"]] == list(POLL_REQUIRED)
    assert polls["folder"] == "polls" and polls["extension"] == "yaml"
    assert config["locale"] == "vi" and config["slug"] == {
        "encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    for collection in config["collections"]:
        for field in collection["fields"]:
            # A Vietnamese label on every field, a hint on every one an editor fills in.
            assert field["label"] != field["name"] and not field["label"].isascii(), field
            if field["widget"] != "hidden":
                assert field.get("hint"), field


def test_the_form_requires_exactly_what_the_build_refuses_to_do_without(settings, fixture_site):
    complete = {"title": "Tin đủ", "date": "2024-05-01", "author": "Lê Văn A", "category": "Tin cơ sở",
                "tags": "Thử", "summary": "Tóm tắt.", "image": "", "imagecaption": "", "slug": "tin-du",
                "status": "published", "oldurl": "", "oldid": ""}
    for kind, fields, required in (("article", ARTICLE_FIELDS, ARTICLE_REQUIRED),
                                   ("page", PAGE_FIELDS, PAGE_REQUIRED)):
        for field in fields:
            header = Header()
            for number, (key, value) in enumerate(complete.items(), start=1):
                if key != field.lower() and key in {name.lower() for name in fields}:
                    header[key] = (number, value)
            refused = bool(header_problems(header, "x.md", kind, settings))
            assert refused == (field in required), (kind, field)
    # The text: an article without one fails the build, a page does not.
    fixture_site.write("tin-co-so/khong-noi-dung.md", article(title="Không nội dung", body=""))
    fixture_site.write("pages/trang-trong.md", "Title: Trang trống\n")
    with pytest.raises(BuildFailed) as failure:
        fixture_site.build()
    assert [problem.where for problem in failure.value.problems] == [
        str(fixture_site.content / "tin-co-so" / "khong-noi-dung.md")]
    assert "body" in ARTICLE_REQUIRED and "body" not in PAGE_REQUIRED


@pytest.mark.parametrize("title, slug", [
    ("Đảng bộ huyện Đakrông", "dang-bo-huyen-dakrong"),
    ("Đồng chí Bí thư: “Đổi mới, sáng tạo”", "dong-chi-bi-thu-doi-moi-sang-tao"),
    ("Năm 2025 – 1.250 hộ thoát nghèo (đạt 110%)", "nam-2025-1250-ho-thoat-ngheo-dat-110"),
    ("Ủy ban MTTQ xã Tà Rụt, Hướng Hiệp", "uy-ban-mttq-xa-ta-rut-huong-hiep"),
])
def test_a_new_articles_address_is_the_builds_own(editor_site, settings, title, slug):
    code, answer = fetch(f"{editor_site.editor}slug?title={urllib.request.quote(title)}")
    assert code == 200 and json.loads(answer)["slug"] == slug
    # Pelican's own slugify, as the settings configure it.
    assert slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"]) == slug
    # Decap keeps such an address as it is when it names the file: only
    # a-z, 0-9, "_" and single hyphens, none at either end.
    assert re.fullmatch(r"[a-z0-9_]+(-[a-z0-9_]+)*", slug)


def test_the_file_format_writes_back_every_file_of_content_unchanged():
    files = sorted(str(path) for path in (ROOT / "content").rglob("*.md"))
    tricky = ["Title: x\n", "Title: x", "foo\nbar\n", "\nText", "---\nTitle: a\n---\nText\n",
              "Title: a\r\nDate: 2020-01-01\r\n\r\nText\r\n", "Title: a\nnot a field\n\nText\n",
              "Title: a\n    continued\nTags: A,B\ntitle: again\nFoo: bar\n\nText", "\ufeffTitle: a\n\nb\n"]
    script = """
const {pelicanFormat} = require(process.argv[1]);
const fs = require("fs");
const names = ["Title","Date","Author","Category","Tags","Summary","Image","ImageCaption","Slug",
               "Status","OldUrl","OldId"];
const format = pelicanFormat(names.map(name => ({name, list: name === "Tags"})));
const texts = JSON.parse(process.argv[2]).concat(process.argv.slice(3).map(f => fs.readFileSync(f, "utf8")));
const changed = texts.filter(text => format.toFile(format.fromFile(text)) !== text);
const edited = format.fromFile("Title: a\\nTags: A,B\\nSlug: s\\n\\nText\\n");
Object.assign(edited, {Title: "b", Status: "draft", Date: "2020-01-02 08:00", Tags: ["A", "B"]});
const fresh = {Title: "Tin mới", Date: "2026-11-27 08:00", Tags: ["X", "Y"], body: "Nội dung"};
console.log(JSON.stringify({changed, edited: format.toFile(edited), fresh: format.toFile(fresh)}));
"""
    from portal.editor.backend import _node
    result = subprocess.run(
        [str(_node()), "-e", script, str(ROOT / "plugins/portal/editor/static/pelican-format.js"),
         json.dumps(tricky), *files], capture_output=True, text=True, check=True)
    answer = json.loads(result.stdout)
    assert len(files) >= 3 and answer["changed"] == []
    # A changed field in its place, a new one where the reader's order puts it.
    assert answer["edited"] == "Title: b\nDate: 2020-01-02 08:00\nTags: A,B\nSlug: s\nStatus: draft\n\nText\n"
    assert answer["fresh"] == "Title: Tin mới\nDate: 2026-11-27 08:00\nTags: X, Y\n\nNội dung\n"


def test_the_banner_explains_the_builds_messages_in_vietnamese(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("tin.md").write_text("Title: Tin\nDate: 31/02/2020\nAuthor: A\n\n![](anh.jpg)\n", encoding="utf-8")
    date, photo, missing = (status.explain(Problem(where, message)) for where, message in (
        ("tin.md:2", 'Date "31/02/2020" is not a real date; write it as 2020-09-14 or 2020-09-14 08:30'),
        ("tin.md:5", 'image "anh.jpg" has no alt text; describe it in the brackets'),
        ("tin.md", "Category is missing; add a line 'Category: ...' with one of: Tin cơ sở")))
    assert (date["field"], date["line"], date["what"]) == ("Ngày đăng", 2, "Ngày “31/02/2020” không có thật.")
    assert (photo["field"], photo["what"]) == ("Nội dung", "Ảnh “anh.jpg” chưa có mô tả.")
    assert (missing["field"], missing["what"], missing["fix"]) == (
        "Chuyên mục", "Thiếu “Chuyên mục”.", "Điền ô “Chuyên mục”.")
    assert date["message"].startswith("tin.md:2: Date")  # the build's own line, beside it
    # In the documents' folder, a document's own labels.
    Path("van-ban").mkdir()
    Path("van-ban/kh.md").write_text("Number: 01\nType: Kế hoạch\nDate: 14/09/2020\n", encoding="utf-8")
    status.label_documents_in("van-ban")
    try:
        issued = status.explain(Problem("van-ban/kh.md:3", 'Date "14/09/2020" is day-first; write it as '
                                        "2020-09-14 (year-month-day)"))
    finally:
        status.label_documents_in(None)
    assert (issued["field"], issued["fix"]) == ("Ngày ban hành", "Viết năm-tháng-ngày: 2020-09-14.")


def test_a_publish_build_has_no_editor_and_its_pages_the_sites_policy(photo_site):
    output = photo_site.output
    assert not (output / "admin").exists() and not (output / "_editor").exists()
    published = [path for path in output.rglob("*") if path.is_file()]
    assert not [path for path in published if re.search(r"decap|banner|editor", path.name, re.I)]
    policy = content_security_policy(load_settings(str(ROOT / "publishconf.py")))
    pages = sorted(output.rglob("*.html"))
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "/_editor/" not in text and "/admin/" not in text, path
        meta = BeautifulSoup(text, "lxml").select_one('meta[http-equiv="Content-Security-Policy"]')
        assert meta is not None and meta["content"] == policy, path
