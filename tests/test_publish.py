"""`invoke publish` to a local folder: a checked build with absolute URLs and
feeds, deployed as a whole."""

import gzip
import os
import re
import shutil

import brotli
import pytest

from conftest import SEED_ARTICLE_URL, copy_project, parse, run_task

SITEURL = "https://dangbo.dakrong.example.vn"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("publish"))
    target = project.parent / "www"
    result = run_task(project, "publish", "--target-dir", str(target),
                      env={**os.environ, "PORTAL_SITEURL": SITEURL})
    assert result.returncode == 0, result.stderr
    return project, target


def test_the_published_site_uses_absolute_urls(published):
    _, target = published
    page = parse(target / SEED_ARTICLE_URL)
    assert page.find("link", rel="canonical")["href"] == f"{SITEURL}/{SEED_ARTICLE_URL}"
    assert re.fullmatch(rf"{SITEURL}/theme/css/site\.[0-9a-f]{{10}}\.css", page.find("link", rel="stylesheet")["href"])
    for link in page.select("a[href]"):
        href = link["href"]
        assert href.startswith((SITEURL, "#")), href


def test_the_published_site_has_feeds_for_the_site_and_each_category(published):
    _, target = published
    assert (target / "feeds" / "tat-ca.atom.xml").is_file()
    feed = (target / "feeds" / "tin-co-so.atom.xml").read_text(encoding="utf-8")
    assert f"{SITEURL}/{SEED_ARTICLE_URL}" in feed
    home = parse(target / "index.html")
    assert home.find("link", type="application/atom+xml")["href"] == f"{SITEURL}/feeds/tat-ca.atom.xml"
    assert (target / "sitemap.xml").is_file()


def test_the_target_holds_exactly_the_checked_build(published):
    project, target = published
    built = sorted(p.relative_to(project / "output").as_posix() for p in (project / "output").rglob("*"))
    deployed = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))
    assert deployed == built
    assert "Hiện tại không có bình chọn nào đang hoạt động." in (target / "index.html").read_text(encoding="utf-8")


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_failed_publish_build_leaves_the_published_site_as_it_was(published):
    project, target = published
    before = _snapshot(target)
    bad = project / "content" / "tin-co-so" / "sai.md"
    bad.write_text("Title: Sai\nDate: 2020-02-31\nAuthor: A\nCategory: Tin cơ sở\n\nx\n", encoding="utf-8")
    try:
        result = run_task(project, "publish", "--target-dir", str(target),
                          env={**os.environ, "PORTAL_SITEURL": SITEURL})
    finally:
        bad.unlink()
    assert result.returncode == 1
    assert "content/tin-co-so/sai.md:2: Date \"2020-02-31\" is not a real date" in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(target) == before


def test_an_interrupted_copy_leaves_the_old_site_in_place(published, monkeypatch):
    from portal.build import deploy

    project, target = published
    before = _snapshot(target)
    real_copy = shutil.copy2
    copied = []

    def copy_then_fail(source, destination, **kwargs):
        if len(copied) == 5:
            raise OSError("disk full")  # the deploy is cut off half-way
        copied.append(source)
        return real_copy(source, destination, **kwargs)

    monkeypatch.setattr(shutil, "copy2", copy_then_fail)
    with pytest.raises(OSError):
        deploy.to_directory(project / "output", str(target))
    assert _snapshot(target) == before
    assert not (target.parent / f".{target.name}.incoming").exists()


def test_published_assets_are_fingerprinted_cached_and_precompressed(published):
    _, target = published
    css = sorted((target / "theme" / "css").glob("site.*.css"))
    assert len(css) == 1 and len(css[0].name.split(".")) == 3
    headers = (target / "_headers").read_text(encoding="utf-8")
    assert "/theme/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    for page in (target / "index.html", target / SEED_ARTICLE_URL, css[0]):
        current = page.read_bytes()
        # the copies are of the final page (after check-and-fill), never stale
        assert gzip.decompress(page.with_name(page.name + ".gz").read_bytes()) == current
        assert brotli.decompress(page.with_name(page.name + ".br").read_bytes()) == current
