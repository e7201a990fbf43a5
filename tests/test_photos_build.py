"""Photos in the build: processed once and cached outside output/, a bad
photo is one line naming the article and the photo with output/ untouched,
and the preview server's fast path keeps working with photos."""

import os
import time

import pytest

import photo_files as files
from conftest import ROOT, article, parse
from portal.core.problems import BuildFailed
from portal.images import plugin as photos_plugin

PHOTO = "![Quang cảnh hội nghị]({static}/images/hoi-nghi.jpg \"Quang cảnh. Ảnh: T.B\")"


def failure_lines(site, **overrides) -> list[str]:
    """Build after a good build: the failure's lines, with output/ untouched."""
    before = site.snapshot()
    with pytest.raises(BuildFailed) as failure:
        site.build(**overrides)
    assert site.snapshot() == before, "a failed build changed output/"
    lines = failure.value.report().splitlines()
    assert lines[-1].startswith("build failed: ")
    return lines[:-1]


@pytest.fixture
def built(fixture_site, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    files.small_jpeg(fixture_site.content / "images" / "hoi-nghi.jpg", 800, 600)
    fixture_site.write("tin-co-so/tot.md", article(title="Tin có ảnh", body=PHOTO))
    fixture_site.build()
    return fixture_site


def test_a_second_build_processes_no_photo_and_a_changed_one_only_itself(built):
    files.small_jpeg(built.content / "images" / "khac.jpg", 500, 400)
    built.write("tin-co-so/hai.md", article(title="Tin hai", body="![Ảnh khác]({static}/images/khac.jpg)"))
    built.build()
    made_first = photos_plugin.last_stats.made
    assert made_first > 0 and len(photos_plugin.last_stats.sources) == 1  # only the new photo
    built.build()
    assert photos_plugin.last_stats.made == 0 and photos_plugin.last_stats.reused > 0
    files.small_jpeg(built.content / "images" / "khac.jpg", 500, 400, color=(0, 0, 0))
    built.build()
    assert len(photos_plugin.last_stats.sources) == 1
    assert photos_plugin.last_stats.made == made_first
    cache = built.root / "cache" / "photos"
    assert cache.is_dir() and not (built.output / "cache").exists()
    assert parse(built.output / "tin-co-so" / "tin-hai.html").select_one("img[src*=khac]")


def test_a_staging_build_with_its_own_output_reuses_the_cache(built, tmp_path):
    from portal.build.site import build_site

    other_output = tmp_path / "staging-like"
    build_site(str(ROOT / "pelicanconf.py"), PATH=str(built.content), OUTPUT_PATH=str(other_output),
               CACHE_PATH=str(built.root / "cache"))
    assert photos_plugin.last_stats.made == 0
    assert list((other_output / "images").glob("hoi-nghi-*-720x540.jpg"))


def test_a_huge_valid_photo_is_simply_resized(fixture_site):
    files.phone_jpeg(fixture_site.content / "images" / "lon.jpg", 3000, 2000)
    fixture_site.write("tin-co-so/lon.md", article(title="Ảnh lớn", body="![Ảnh lớn]({static}/images/lon.jpg)"))
    page = parse(fixture_site.build() / "tin-co-so" / "anh-lon.html")
    assert page.select_one("figure img")["srcset"].endswith("1600w")


BAD_PHOTOS = {
    "missing beside the article": (
        "![Lễ ra quân](anh-le.jpg)", None,
        'content/tin-co-so/bad.md:7: photo "anh-le.jpg" is not in content/ (looked for '
        "content/tin-co-so/anh-le.jpg); put it in content/images/ and write "
        "![Mô tả ảnh]({static}/images/ten-anh.jpg)"),
    "wrong case beside the article": (
        "![Lễ ra quân](anh-le.jpg)", ("tin-co-so/Anh-Le.JPG", "jpeg"),
        'content/tin-co-so/bad.md:7: photo "anh-le.jpg" is not there, but "Anh-Le.JPG" is; '
        "write the name exactly as the file's (capital letters too)"),
    "wrong case with {static}": (
        "![Hội nghị]({static}/images/anh-hong.jpg)", ("images/Anh-Hong.JPG", "jpeg"),
        'content/tin-co-so/bad.md:7: link to "/images/anh-hong.jpg" points to no file in content/; '
        '"Anh-Hong.JPG" is there: write the name exactly as the file\'s'),
    "not an image": (
        "![Hội nghị]({static}/images/hong.jpg)", ("images/hong.jpg", "text"),
        'content/tin-co-so/bad.md:7: photo "{static}/images/hong.jpg" is not a photo this site '
        "can read (JPEG, PNG, WebP, HEIC); open it and export it again as JPEG"),
    "truncated": (
        "![Hội nghị]({static}/images/hong.jpg)", ("images/hong.jpg", "truncated"),
        'content/tin-co-so/bad.md:7: photo "{static}/images/hong.jpg" is incomplete (its end is '
        "missing, as after an interrupted copy); copy it again from the camera or phone"),
    "damaged inside": (
        "![Hội nghị]({static}/images/hong.jpg)", ("images/hong.jpg", "damaged"),
        'content/tin-co-so/bad.md:7: photo "{static}/images/hong.jpg" is damaged or incomplete '
        "(broken data stream when reading image file); copy it again from the camera or phone"),
    "more pixels than allowed": (
        "![Hội nghị]({static}/images/hong.jpg)", ("images/hong.jpg", "large"),
        'content/tin-co-so/bad.md:7: photo "{static}/images/hong.jpg" has 4.000.000 pixels, '
        "more than PHOTO_MAX_PIXELS (1.000.000) allows; make it smaller (for example 4000 pixels "
        "wide) before adding it"),
    "no alt text": (
        "![]({static}/images/hong.jpg)", ("images/hong.jpg", "jpeg"),
        'content/tin-co-so/bad.md:7: image "hong.jpg" has no alt text; describe it in the '
        "brackets: ![Mô tả ảnh](đường-dẫn-ảnh)"),
}


@pytest.mark.parametrize("case", sorted(BAD_PHOTOS))
def test_a_bad_photo_is_one_line_naming_the_article_and_the_photo(built, case):
    body, photo, expected = BAD_PHOTOS[case]
    if photo:
        relative, kind = photo
        path = built.content / relative
        if kind == "text":
            path.write_text("không phải ảnh", encoding="utf-8")
        elif kind == "truncated":
            files.truncated_jpeg(path)
        elif kind == "damaged":
            files.damaged_jpeg(path)
        elif kind == "large":
            files.small_jpeg(path, 2000, 2000)
        else:
            files.small_jpeg(path)
    built.write("tin-co-so/bad.md", article(title="Tin sai", body=body))
    overrides = {"PHOTO_MAX_PIXELS": 1_000_000} if "pixels" in case else {}
    lines = failure_lines(built, **overrides)
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def test_a_missing_lead_photo_names_the_header_line(built):
    built.write("tin-co-so/bad.md", article(title="Tin sai", image="images/khong-co.jpg"))
    assert failure_lines(built) == [
        'content/tin-co-so/bad.md:1: photo "images/khong-co.jpg" is not in content/ (looked for '
        "content/images/khong-co.jpg); put it in content/images/ and write "
        "![Mô tả ảnh]({static}/images/ten-anh.jpg)"]


def test_a_bad_photo_fails_invoke_build_without_a_traceback(tmp_path):
    from conftest import copy_project, run_task

    project = copy_project(tmp_path)
    files.truncated_jpeg(project / "content" / "images" / "hong.jpg")
    (project / "content" / "tin-co-so" / "hong.md").write_text(
        article(title="Ảnh hỏng", body="![Ảnh hỏng]({static}/images/hong.jpg)"), encoding="utf-8")
    result = run_task(project, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert 'content/tin-co-so/hong.md:7: photo "{static}/images/hong.jpg" is incomplete' in result.stderr
    assert not (project / "output").exists()


def test_a_drafts_photo_is_not_published(fixture_site):
    files.small_jpeg(fixture_site.content / "images" / "rieng.jpg")
    fixture_site.write("tin-co-so/nhap.md", article(title="Nháp", status="draft",
                                                    body="![Riêng]({static}/images/rieng.jpg)"))
    fixture_site.write("tin-co-so/dang.md", article(title="Đăng"))
    output = fixture_site.build()
    assert not [p for p in output.rglob("*") if "rieng" in p.name]


def test_preview_edits_of_an_article_with_photos(fixture_site, monkeypatch):
    """A body edit re-renders the one page (its photos are already out); a
    photo replaced under the same name makes a full build with its new copies."""
    from portal.build.devserver import Preview

    monkeypatch.chdir(fixture_site.root)
    photo = files.small_jpeg(fixture_site.content / "images" / "hoi-nghi.jpg", 800, 600)
    edited = fixture_site.write("tin-co-so/a.md", article(title="Tin một", summary="Tóm tắt.", body=PHOTO))
    preview = Preview(str(ROOT / "pelicanconf.py"), PATH=str(fixture_site.content),
                      OUTPUT_PATH=str(fixture_site.output), CACHE_PATH=str(fixture_site.root / "cache"))
    assert preview.rebuild() and preview.last == "rebuilt"
    page = fixture_site.output / "tin-co-so" / "tin-mot.html"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nĐoạn mới.\n", encoding="utf-8")
    os.utime(edited, (time.time() + 5, time.time() + 5))
    assert preview.rebuild() and preview.last == "re-rendered 1 page(s)"
    preview.indexing.join()
    soup = parse(page)
    assert "Đoạn mới." in soup.get_text()
    old_src = soup.select_one("figure img")["src"]
    assert (fixture_site.output / old_src.lstrip("/")).is_file()

    files.small_jpeg(photo, 600, 800, color=(0, 90, 0))  # another photo, another shape
    os.utime(photo, (time.time() + 10, time.time() + 10))
    assert preview.rebuild() and preview.last == "rebuilt"
    preview.indexing and preview.indexing.join()
    image = parse(page).select_one("figure img")
    assert image["src"] != old_src and (image["width"], image["height"]) == ("360", "480")
    assert (fixture_site.output / image["src"].lstrip("/")).is_file()


def test_two_files_with_the_same_bytes_each_keep_their_name(fixture_site):
    """Copied photos share their copies in the cache, not their published names."""
    first = files.small_jpeg(fixture_site.content / "images" / "mot.jpg", 400, 300)
    (fixture_site.content / "images" / "hai.jpg").write_bytes(first.read_bytes())
    fixture_site.write("tin-co-so/a.md", article(title="Một", body="![Một]({static}/images/mot.jpg)"))
    fixture_site.write("tin-co-so/b.md", article(title="Hai", body="![Hai]({static}/images/hai.jpg)"))
    output = fixture_site.build()
    for page, name in (("mot.html", "mot-"), ("hai.html", "hai-")):
        src = parse(output / "tin-co-so" / page).select_one("figure img")["src"]
        assert name in src and (output / src.lstrip("/")).is_file()


def test_copies_deleted_from_the_cache_are_made_again(built):
    """`make clean` while the preview server runs: the next build still publishes every copy."""
    import shutil

    shutil.rmtree(built.root / "cache" / "photos")
    output = built.build()
    src = parse(output / "tin-co-so" / "tin-co-anh.html").select_one("figure img")["src"]
    assert (output / src.lstrip("/")).is_file()
