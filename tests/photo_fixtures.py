"""A site with photos, built once per session with publishconf.py for a
loopback address (absolute URLs, as shared links have them): every kind of
photo an editor brings, in the articles an editor writes.

The light-page article has a 12 MP phone photo as its lead and three body
photos (one alone, two as a gallery) between the seed article's paragraphs.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

import photo_files as files
from conftest import SEED, article
from portal.quality.pages import build_published, free_port

PHOTO_ARTICLE = "tin-tuc-su-kien/hoi-nghi-trien-khai-nghi-quyet.html"
KINDS_ARTICLE = "xay-dung-dang/anh-tu-nhieu-nguon.html"
ONLY_PHOTO_ARTICLE = "tin-co-so/le-ra-quan.html"
NO_PHOTO_ARTICLE = "tin-co-so/tin-khong-co-anh.html"
LEAD_CAPTION = "Quang cảnh hội nghị. Ảnh: T.B"


def seed_paragraphs() -> list[str]:
    return [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n")[1:] if p.strip()]


def write_photo_content(content: Path) -> Path:
    images = content / "images"
    files.phone_jpeg(images / "2024" / "hoi-nghi.jpg", 4000, 3000, seed=1)  # 12 MP, with GPS
    files.phone_jpeg(images / "2024" / "phat-bieu.jpg", 2400, 1600, seed=2)
    files.phone_jpeg(images / "2024" / "chup-doc.jpg", 2400, 1800, orientation=6, seed=5)  # portrait
    files.screenshot_png(images / "2024" / "man-hinh.png", 1280, 800)
    files.cmyk_jpeg(images / "cmyk.jpg")
    files.profiled_jpeg(images / "p3.jpg")
    files.heic(images / "iphone.heic")
    files.marked_sideways(images / "xoay.jpg")
    files.phone_jpeg(images / "2024" / "Ảnh hội nghị.JPG", 800, 600, seed=6)
    files.small_jpeg(content / "xay-dung-dang" / "anh-le.jpg", 400, 300)
    files.phone_jpeg(images / "ra-quan.jpg", 1200, 800, seed=7)
    files.small_jpeg(images / "nhap-rieng.jpg", 120, 90, color=(10, 200, 10))
    files.small_jpeg(images / "khong-dung.jpg", 120, 90, color=(200, 10, 10))
    files.small_jpeg(images / "gioi-thieu.jpg", 300, 200, color=(10, 10, 200))

    text = seed_paragraphs()
    body = "\n\n".join([
        text[0], text[1],
        '![Đại biểu phát biểu]({static}/images/2024/phat-bieu.jpg "Đại biểu phát biểu tại hội nghị. Ảnh: H.N")',
        text[2], text[3],
        '![Ảnh chụp dọc]({static}/images/2024/chup-doc.jpg "Ảnh chụp dọc bằng điện thoại") '
        '![Ảnh chụp màn hình]({static}/images/2024/man-hinh.png "Trang dịch vụ công")',
        *text[4:],
    ])
    (content / "tin-tuc-su-kien").mkdir(parents=True, exist_ok=True)
    (content / "tin-tuc-su-kien" / "hoi-nghi.md").write_text(article(
        title="Hội nghị triển khai Nghị quyết", date="2024-06-03 08:00", category="Tin tức - Sự kiện",
        tags="Nghị quyết Đại hội, Hội nghị", body=body,
        image="images/2024/hoi-nghi.jpg", imagecaption=LEAD_CAPTION), encoding="utf-8")
    (content / "xay-dung-dang" / "anh.md").write_text(article(
        title="Ảnh từ nhiều nguồn", date="2024-06-02", category="Xây dựng Đảng", body="\n\n".join([
            "Ảnh in báo (CMYK), ảnh máy ảnh dải màu rộng, ảnh iPhone và ảnh chụp xoay.",
            "![Ảnh in báo]({static}/images/cmyk.jpg)",
            "![Ảnh màu rộng]({static}/images/p3.jpg)",
            '![Ảnh iPhone]({static}/images/iphone.heic "Ảnh iPhone. Ảnh: L.V")',
            "![Ảnh xoay]({static}/images/xoay.jpg)",
            "![Ảnh tên tiếng Việt](<{static}/images/2024/Ảnh hội nghị.JPG>)",
            "![Lễ ra quân](anh-le.jpg)",
        ])), encoding="utf-8")
    (content / "tin-co-so").mkdir(parents=True, exist_ok=True)
    (content / "tin-co-so" / "le-ra-quan.md").write_text(article(
        title="Lễ ra quân", date="2024-06-01",
        body='![Lễ ra quân]({static}/images/ra-quan.jpg "Lễ ra quân. Ảnh: T.B")'), encoding="utf-8")
    (content / "tin-co-so" / "khong-anh.md").write_text(article(
        title="Tin không có ảnh", date="2024-05-31", body="\n\n".join(text[:2])), encoding="utf-8")
    (content / "tin-co-so" / "nhap.md").write_text(article(
        title="Bài nháp có ảnh", date="2024-05-30", status="draft",
        body="![Ảnh chưa đăng]({static}/images/nhap-rieng.jpg)"), encoding="utf-8")
    (content / "pages").mkdir(parents=True, exist_ok=True)
    (content / "pages" / "gioi-thieu.md").write_text(
        "Title: Giới thiệu\n\nTrang giới thiệu.\n\n![Trụ sở]({static}/images/gioi-thieu.jpg)\n",
        encoding="utf-8")
    return content


@dataclass(frozen=True)
class PhotoSite:
    content: Path
    output: Path
    siteurl: str
    port: int


@pytest.fixture(scope="session")
def photo_site(tmp_path_factory) -> PhotoSite:
    folder = tmp_path_factory.mktemp("photo-site")
    content = write_photo_content(folder / "content")
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    output = build_published(folder / "output", siteurl, content=content)
    return PhotoSite(content, output, siteurl, port)
