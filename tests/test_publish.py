"""`invoke publish` to a local folder: a checked build with absolute URLs and
feeds, deployed as a whole."""

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SEED_ARTICLE_URL, parse

SITEURL = "https://dangbo.dakrong.example.vn"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    project = tmp_path_factory.mktemp("publish") / "project"
    project.mkdir()
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy(ROOT / name, project / name)
    for name in ("theme", "plugins", "content"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    target = project.parent / "www"
    env = {**os.environ, "PORTAL_SITEURL": SITEURL}
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "invoke"), "publish", "--target-dir", str(target)],
        cwd=project, capture_output=True, text=True, env=env,
    )
    assert result.returncode == 0, result.stderr
    return project, target


def test_the_published_site_uses_absolute_urls(published):
    _, target = published
    page = parse(target / SEED_ARTICLE_URL)
    assert page.find("link", rel="canonical")["href"] == f"{SITEURL}/{SEED_ARTICLE_URL}"
    assert page.find("link", rel="stylesheet")["href"] == f"{SITEURL}/theme/css/site.css"
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
