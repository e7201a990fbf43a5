"""Hostile or careless text is inert, and private files stay private."""

import io
import logging

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import ROOT, article, copy_project, parse, run_task
from portal.core.problems import BuildFailed
from portal.read.sanitise import BODY_ATTRIBUTES, BODY_TAGS, URL_SCHEMES
from portal.render.security import content_security_policy

# OWASP-style payloads: each would run script if it reached a page as markup.
PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x alt="a" onerror="alert(2)">',
    "<svg onload=alert(3)>",
    '"><script>alert(4)</script>',
    "<a href=\"javascript:alert(5)\">bấm</a>",
    "<iframe src=\"javascript:alert(6)\"></iframe>",
    "<body onload=alert(7)>",
    "<a href=\"JaVaScRiPt:alert(8)\">x</a>",
    "<div style=\"background:url(javascript:alert(9))\">x</div>",
    "<math><mtext><table><mglyph><style><img src=x alt=b onerror=alert(10)>",
]


OUR_SCRIPTS = tuple(f"/theme/js/{path.name}" for path in (ROOT / "theme" / "static" / "js").glob("*.js"))


def executable_markup(soup: BeautifulSoup) -> list[str]:
    """Script that a browser would run: script elements other than our own
    files, event-handler attributes, javascript: URLs, frames."""
    found = []
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue  # data, not code: a title breaking out of it would make a script of its own
        if not script.get("src", "").endswith(OUR_SCRIPTS):
            found.append(str(script)[:60])
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{element.name} {name}")
            if name in ("href", "src", "action", "formaction") and "javascript:" in text.lower().replace(" ", ""):
                found.append(f"{element.name} {name}={text[:30]}")
        if element.name in ("iframe", "object", "embed", "svg", "math"):
            found.append(element.name)
    return found


def test_payloads_in_every_field_and_the_body_stay_inert(fixture_site, caplog, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    for number, payload in enumerate(PAYLOADS):
        fixture_site.write(f"tin-co-so/xss-{number}.md", article(
            title=f"Tin {number} {payload}", author=f"Tác giả {payload}", tags=f"Thẻ {payload}",
            body=f"Đoạn đầu.\n\n{payload}\n\nĐoạn cuối.", summary=f"Tóm tắt {payload}",
            slug=f"xss-{number}"))
    with caplog.at_level(logging.WARNING, logger="portal"):
        output = fixture_site.build()
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > len(PAYLOADS)
    for path in pages:
        assert executable_markup(parse(path)) == [], path.relative_to(output)
    first = parse(output / "tin-co-so" / "xss-0.html")
    assert first.h1.get_text() == "Tin 0 <script>alert(1)</script>"  # shown as text, not run
    warnings = [r.getMessage() for r in caplog.records]
    assert any("content/tin-co-so/xss-0.md: removed what could run code" in w and "<script>" in w
               for w in warnings)


def test_external_links_get_noopener_and_internal_ones_do_not(fixture_site):
    fixture_site.write("tin-co-so/a.md", article(
        title="Liên kết", body="[Tỉnh](https://quangtri.gov.vn) và [lưu trữ](/luu-tru/)."))
    page = parse(fixture_site.build() / "tin-co-so" / "lien-ket.html")
    external, internal = page.select(".app-article__body a")
    assert external["rel"] == ["noopener", "noreferrer"]
    assert internal.get("rel") is None


def test_pages_carry_a_strict_content_security_policy(all_pages):
    for name, soup in all_pages.items():
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "script-src 'self' 'wasm-unsafe-eval';" in policy, name
        assert "unsafe-inline" not in policy, name
        inline = [s for s in soup.find_all("script")
                  if not s.get("src") and s.get("type") != "application/ld+json"]  # data, never run
        assert not inline, f"inline script in {name}"


def test_drafts_hidden_and_private_files_never_reach_the_output(fixture_site):
    fixture_site.write("tin-co-so/nhap.md", article(title="Bản nháp", status="draft"))
    fixture_site.write("tin-co-so/an.md", article(title="Tin ẩn", status="hidden"))
    fixture_site.write("pages/trang-an.md", "Title: Trang ẩn\nStatus: hidden\n\nNội dung.\n")
    fixture_site.write("tin-co-so/cong-khai.md", article(title="Tin công khai"))
    fixture_site.write("tin-co-so/cong-khai.md~", article(title="Bản lưu tạm"))
    fixture_site.write("tin-co-so/.#cong-khai.md", "lock")
    fixture_site.write(".env", "SECRET=1")
    fixture_site.write(".git/config", "[core]")
    fixture_site.write("images/.env", "SECRET=2")
    fixture_site.write("images/anh.jpg.bak", "old")
    output = fixture_site.build()
    names = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    assert "tin-co-so/tin-cong-khai.html" in names
    for private in ("ban-nhap", "tin-an", "trang-an", "ban-luu-tam", ".env", ".git", ".bak", ".md"):
        assert not [n for n in names if private in n], private
    text = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in output.rglob("*.html"))
    assert "Bản nháp" not in text and "Tin ẩn" not in text and "Trang ẩn" not in text


@pytest.mark.parametrize("body, expected", [
    ("Xem [bài cũ]({filename}khong-co.md).",
     "content/tin-co-so/bad.md:7: link to \"khong-co.md\" points to no file in content/; "
     "check the name and folder of the article, page or image"),
    ("![Ảnh hội nghị]({static}/images/khong-co.jpg)",
     "content/tin-co-so/bad.md:7: link to \"/images/khong-co.jpg\" points to no file in content/; "
     "check the name and folder of the article, page or image"),
    ("Xem [bài khác](/tin-co-so/khong-co.html).",
     "content/tin-co-so/bad.md: link \"/tin-co-so/khong-co.html\" leads to no page of the site; "
     "correct it, or link with {filename} to the article's file"),
    ("![](/theme/img/emblem.svg)",
     "content/tin-co-so/bad.md:7: image \"emblem.svg\" has no alt text; describe it in the brackets: "
     "![Mô tả ảnh](đường-dẫn-ảnh)"),
])
def test_dead_links_and_images_without_alt_fail_naming_the_file(fixture_site, monkeypatch, body, expected):
    monkeypatch.chdir(fixture_site.root)
    fixture_site.write("tin-co-so/good.md", article(title="Tin tốt"))
    fixture_site.build()
    before = fixture_site.snapshot()
    fixture_site.write("tin-co-so/bad.md", article(title="Tin hỏng", body=body))
    with pytest.raises(BuildFailed) as failure:
        fixture_site.build()
    assert failure.value.report().splitlines()[:-1] == [expected]
    assert fixture_site.snapshot() == before


def a_real_jpeg() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 30)).save(picture, "JPEG")
    return picture.getvalue()


def test_links_to_existing_files_and_pages_pass(fixture_site):
    fixture_site.write("images/hoi-nghi.jpg", a_real_jpeg())
    fixture_site.write("tin-co-so/a.md", article(title="Tin một"))
    fixture_site.write("tin-co-so/b.md", article(
        title="Tin hai", body="[Tin một]({filename}a.md) ![Hội nghị]({static}/images/hoi-nghi.jpg) "
                              "[Lưu trữ](/luu-tru/) [Tin một](/tin-co-so/tin-mot.html)"))
    page = parse(fixture_site.build() / "tin-co-so" / "tin-hai.html")
    hrefs = [a["href"] for a in page.select(".app-article__body a")]
    assert hrefs == ["/tin-co-so/tin-mot.html", "/luu-tru/", "/tin-co-so/tin-mot.html"]
    output = fixture_site.output
    image = page.select_one(".app-article__body img")
    assert image["alt"] == "Hội nghị" and (output / image["src"].lstrip("/")).is_file()


def test_markdown_footnotes_keep_their_links_without_a_warning(fixture_site, caplog, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    fixture_site.write("tin-co-so/chu-thich.md", article(
        title="Tin có chú thích", slug="chu-thich",
        body="Theo Nghị quyết số 05.[^1]\n\n[^1]: Nghị quyết ngày 14/9/2020.\n\n"
             "<p class=\"do\" onclick=\"x()\">Đoạn có lớp lạ.</p>"))
    with caplog.at_level(logging.WARNING, logger="portal"):
        output = fixture_site.build()
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == ["portal: content/tin-co-so/chu-thich.md: removed what could run code "
                        "or is not allowed in an article: onclick=, class="]
    page = parse(output / "tin-co-so" / "chu-thich.html")
    reference = page.find("a", class_="footnote-ref")
    assert reference["href"] == "#fn:1" and page.find(id="fn:1") is not None
    assert page.find("div", class_="footnote").find("a", class_="footnote-backref")["href"] == "#fnref:1"
    assert page.find("p", class_="do") is None


# --- Nothing on a page that its own Content-Security-Policy blocks (issue 12, point 7)


@pytest.mark.parametrize("body, expected", [
    ("![Hội nghị](https://baoquangtri.vn/uploads/hoi-nghi.jpg)",
     'content/tin-co-so/bad.md:7: image "https://baoquangtri.vn/uploads/hoi-nghi.jpg" is on another '
     "site, and the published page would not show it; save it into content/images/ and link it "
     "with {static}/images/hoi-nghi.jpg"),
    ('<img alt="Hội nghị" src="//cdn.example.vn/a.png">',
     'content/tin-co-so/bad.md:7: image "//cdn.example.vn/a.png" is on another site, and the '
     "published page would not show it; save it into content/images/ and link it with "
     "{static}/images/a.png"),
    # A browser reads a backslash as a slash: another site again.
    ('<img alt="Hội nghị" src="/\\cdn.example.vn/a.png">',
     'content/tin-co-so/bad.md:7: image "/\\cdn.example.vn/a.png" is on another site, and the '
     "published page would not show it; save it into content/images/ and link it with "
     "{static}/images/a.png"),
    ("![Hội nghị](data:image/png;base64,iVBORw0KGgo=)",
     'content/tin-co-so/bad.md:7: image "data:image/png;base64,iVBORw0KGgo=" is written into the '
     "text; save it as a file into content/images/ and link it with {static}/images/…"),
    ('<img alt="Hội nghị" src="C:\\Users\\Lan\\Pictures\\hoi nghi.jpg">',
     'content/tin-co-so/bad.md:7: image "C:\\Users\\Lan\\Pictures\\hoi nghi.jpg" is a file on your '
     "computer, not on the site; save it into content/images/ and link it with "
     "{static}/images/hoi nghi.jpg"),
    ("![Hội nghị]()",
     "content/tin-co-so/bad.md: an image has no address; write the picture's file after its "
     "description: ![Mô tả ảnh]({static}/images/anh.jpg)"),
])
def test_an_image_that_is_not_a_file_of_the_site_fails_naming_the_line(fixture_site, monkeypatch,
                                                                         body, expected):
    """The pages say img-src 'self': the preview (no policy) would show such
    an image and the published site would not."""
    monkeypatch.chdir(fixture_site.root)
    fixture_site.write("tin-co-so/good.md", article(title="Tin tốt"))
    fixture_site.build()
    before = fixture_site.snapshot()
    fixture_site.write("tin-co-so/bad.md", article(title="Tin có ảnh", body=body))
    with pytest.raises(BuildFailed) as failure:
        fixture_site.build()
    assert failure.value.report().splitlines()[:-1] == [expected]
    assert fixture_site.snapshot() == before


# What makes a browser fetch something, by tag and by attribute (HTML Living Standard).
FETCHING_TAGS = {"audio", "video", "source", "track", "picture", "iframe", "frame", "frameset",
                 "embed", "object", "applet", "link", "script", "style", "svg", "math", "image",
                 "input", "form", "button", "base", "meta", "portal", "noscript", "template"}
FETCHING_ATTRIBUTES = {"src", "srcset", "poster", "background", "style", "data", "codebase",
                       "action", "formaction", "ping", "lowsrc", "dynsrc", "xlink:href",
                       "manifest", "longdesc", "imagesrcset", "itemtype"}


def test_the_sanitiser_allows_nothing_the_pages_policy_blocks(settings):
    """Compared systematically: the only thing an article body may load is
    an <img src>, which the reader holds to this site's files; styles are
    never inline; nothing else fetches. Widen either side and this fails."""
    policy = dict(part.strip().split(" ", 1) for part in content_security_policy(settings).split(";"))
    assert policy["img-src"] == "'self' data:"
    assert policy["style-src"] == "'self'" and policy["default-src"] == "'self'"
    assert BODY_TAGS & FETCHING_TAGS == set()
    fetching = {(tag, name) for tag, names in BODY_ATTRIBUTES.items() for name in names
                if name in FETCHING_ATTRIBUTES}
    assert fetching == {("img", "src")}
    assert "data" not in URL_SCHEMES  # so img-src's data: is never used by an article


def test_a_body_with_every_kind_of_embed_loads_nothing(fixture_site):
    fixture_site.write("tin-co-so/a.md", article(title="Tin nhúng", body="""Đoạn đầu.

<video src="https://cdn.example.vn/v.mp4" poster="https://cdn.example.vn/p.jpg"></video>
<audio src="https://cdn.example.vn/a.mp3"></audio>
<picture><source srcset="https://cdn.example.vn/a.webp"><img src="/theme/img/emblem.svg" alt="Huy hiệu"></picture>
<img src="/theme/img/emblem.svg" srcset="https://cdn.example.vn/b.jpg 2x" alt="Huy hiệu lớn">
<iframe src="https://www.youtube.com/embed/x"></iframe>
<object data="https://cdn.example.vn/o.swf"></object><embed src="https://cdn.example.vn/e.swf">
<link rel="stylesheet" href="https://cdn.example.vn/s.css"><style>p{background:url(https://cdn.example.vn/c.png)}</style>
<p style="background:url(https://cdn.example.vn/d.png)">Đoạn có nền.</p>
<svg><image href="https://cdn.example.vn/s.png"></image></svg>
<form action="https://cdn.example.vn/f"><input type="image" src="https://cdn.example.vn/i.png"></form>
<a href="https://quangtri.gov.vn" ping="https://cdn.example.vn/ping">Tỉnh</a>
<a href="data:text/html,<b>x</b>">dữ liệu</a>
<meta http-equiv="refresh" content="0;url=https://cdn.example.vn"><base href="https://cdn.example.vn/">
"""))
    body = parse(fixture_site.build() / "tin-co-so" / "tin-nhung.html").select_one(".app-article__body")
    loading = [(element.name, name, value) for element in body.find_all(True)
               for name, value in element.attrs.items() if name != "href"]
    assert not [found for found in loading if "example.vn" in str(found[2]) or "data:" in str(found[2])]
    assert [a.get("href") for a in body.find_all("a")] == ["https://quangtri.gov.vn", None]
    assert body.find(["video", "audio", "source", "iframe", "object", "embed", "link", "style", "svg",
                      "form", "input", "meta", "base"]) is None


# --- rel="noopener noreferrer" on every link to another site (issue 12, point 11)


@pytest.mark.parametrize("link", [
    "[Tỉnh](//quangtri.gov.vn/tin)",
    '<a title="Cổng tỉnh" href="https://quangtri.gov.vn">Tỉnh</a>',
    '<a href="HTTPS://QUANGTRI.GOV.VN">Tỉnh</a>',
    '<a href="/\\quangtri.gov.vn">Tỉnh</a>',
    '<a hreflang="vi" href=" https://quangtri.gov.vn">Tỉnh</a>',
])
def test_every_form_of_a_link_to_another_site_gets_noopener(fixture_site, link):
    fixture_site.write("tin-co-so/a.md", article(
        title="Liên kết", body=f"Xem {link}, [lưu trữ](/luu-tru/), [thư](mailto:vp@dakrong.gov.vn) "
                               "và [tin cũ](tin-cu.html).\n\n[Tin khác]({filename}b.md)"))
    fixture_site.write("tin-co-so/b.md", article(title="Tin khác"))
    page = parse(fixture_site.build() / "tin-co-so" / "lien-ket.html")
    links = {a.get_text(): a.get("rel") for a in page.select(".app-article__body a")}
    assert links == {"Tỉnh": ["noopener", "noreferrer"], "lưu trữ": None, "thư": None,
                     "tin cũ": None, "Tin khác": None}


# --- Static files: what Pelican copies as it is


def test_a_link_out_of_content_is_never_published(fixture_site, monkeypatch):
    """A symbolic link content/images/x.jpg -> /etc/passwd was copied into the site."""
    monkeypatch.chdir(fixture_site.root)
    fixture_site.write("tin-co-so/tot.md", article(title="Tin tốt"))
    fixture_site.build()
    before = fixture_site.snapshot()
    secret = fixture_site.root / "secret.txt"
    secret.write_text("MAT-KHAU-BI-MAT", encoding="utf-8")
    (fixture_site.content / "images").mkdir()
    (fixture_site.content / "images" / "bang-gia.pdf").symlink_to(secret)
    (fixture_site.content / "tin-co-so" / "mat.md").symlink_to(fixture_site.root / "outside.md")
    (fixture_site.root / "outside.md").write_text(article(title="Tin ngoài"), encoding="utf-8")
    fixture_site.write("tin-co-so/lien-ket.md", article(title="Tin liên kết ra ngoài",
                                                         body="[Bảng giá]({static}/../secret.txt)"))
    with pytest.raises(BuildFailed) as failure:
        fixture_site.build()
    lines = failure.value.report().splitlines()[:-1]
    assert "content/images/bang-gia.pdf: is a link to a file outside content/; copy the file itself " \
           "into content/ instead of linking to it" in lines
    assert "content/tin-co-so/mat.md: is a link to a file outside content/; copy the file itself " \
           "into content/ instead of linking to it" in lines
    assert 'content/tin-co-so/lien-ket.md:7: link to "/../secret.txt" leads out of content/; ' \
           "link only to files in content/" in lines
    assert fixture_site.snapshot() == before


def test_links_inside_content_are_followed(fixture_site):
    fixture_site.write("images/goc/bang-gia.pdf", b"%PDF-1.4 bang gia")
    images = fixture_site.content / "images"
    (images / "bang-gia.pdf").symlink_to(images / "goc" / "bang-gia.pdf")
    fixture_site.write("tin-co-so/a.md", article(title="Tin bảng giá",
                                                  body="[Bảng giá]({static}/images/bang-gia.pdf)"))
    output = fixture_site.build()
    assert (output / "images" / "bang-gia.pdf").read_bytes() == b"%PDF-1.4 bang gia"


def test_a_web_page_among_the_images_fails_without_a_traceback(tmp_path):
    """A non-UTF-8 .html under content/images/ was copied, then the check
    step died on it with a UnicodeDecodeError traceback."""
    project = copy_project(tmp_path)
    (project / "content" / "images").mkdir(exist_ok=True)
    (project / "content" / "images" / "trang.html").write_bytes(b"<html><p>Caf\xe9</p><script>x()</script>")
    result = run_task(project, "build", timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert ("content/images/trang.html: is a web page or script, which the site would publish as it "
            "is, without its checks and protections; remove it (articles and pages are .md files in "
            "their folders)") in result.stderr.splitlines()
    assert not (project / "output").exists()
