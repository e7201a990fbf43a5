"""Hostile or careless text is inert, and private files stay private."""

import logging

import pytest
from bs4 import BeautifulSoup

from conftest import article, parse
from portal.core.problems import BuildFailed

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


def executable_markup(soup: BeautifulSoup) -> list[str]:
    """Script that a browser would run: script elements other than our own
    files, event-handler attributes, javascript: URLs, frames."""
    found = []
    for script in soup.find_all("script"):
        if not script.get("src", "").endswith(("/theme/js/site.js", "/theme/js/search.js",
                                                "/theme/js/polls.js", "/theme/js/visit-stats.js")):
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
        assert not [s for s in soup.find_all("script") if not s.get("src")], f"inline script in {name}"


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


def test_links_to_existing_files_and_pages_pass(fixture_site):
    fixture_site.write("images/hoi-nghi.jpg", b"\xff\xd8\xff\xe0 not really a jpeg")
    fixture_site.write("tin-co-so/a.md", article(title="Tin một"))
    fixture_site.write("tin-co-so/b.md", article(
        title="Tin hai", body="[Tin một]({filename}a.md) ![Hội nghị]({static}/images/hoi-nghi.jpg) "
                              "[Lưu trữ](/luu-tru/) [Tin một](/tin-co-so/tin-mot.html)"))
    page = parse(fixture_site.build() / "tin-co-so" / "tin-hai.html")
    hrefs = [a["href"] for a in page.select(".app-article__body a")]
    assert hrefs == ["/tin-co-so/tin-mot.html", "/luu-tru/", "/tin-co-so/tin-mot.html"]
    assert page.select_one(".app-article__body img")["src"] == "/images/hoi-nghi.jpg"


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
