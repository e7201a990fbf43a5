"""`invoke publish` to a local folder: a checked build with absolute URLs and
feeds, deployed as a whole."""

import gzip
import os
import re
import shutil
import subprocess

import brotli
import pytest

from conftest import SEED_ARTICLE_URL, copy_project, parse, run_task
from portal.build import deploy
from portal.build.safe_folders import MARKER
from portal.core.problems import BuildFailed
from portal.core.settings import load_settings

SITEURL = "https://dangbo.dakrong.test"  # not the placeholder, which publishing refuses


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("publish"))
    target = project.parent / "www"
    # A umask that leaves files unreadable to others, as on many servers.
    result = run_task(project, "publish", "--target-dir", str(target),
                      env={**os.environ, "PORTAL_SITEURL": SITEURL},
                      preexec_fn=lambda: os.umask(0o027))
    assert result.returncode == 0, result.stderr
    return project, target


def test_the_published_site_uses_absolute_urls(published):
    _, target = published
    page = parse(target / SEED_ARTICLE_URL)
    assert page.find("link", rel="canonical")["href"] == f"{SITEURL}/{SEED_ARTICLE_URL}"
    assert re.fullmatch(rf"{SITEURL}/theme/css/site\.[0-9a-f]{{10}}\.css", page.find("link", rel="stylesheet")["href"])
    for link in page.select("a[href]:not([data-share-facebook])"):  # sharing leads to Facebook
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
    settings_file = str(project / "publishconf.py")
    where = deploy.Target(settings_file, load_settings(settings_file), target_dir=str(target))
    with pytest.raises(BuildFailed) as failure:
        deploy.to_directory(project / "output", where)
    assert failure.value.report().splitlines()[0].startswith(f"{target}: ")
    assert failure.value.report().splitlines()[0].endswith(": disk full)")
    assert _snapshot(target) == before
    assert not list(target.parent.glob(f".{target.name}.incoming*"))


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


# --- A publish cannot destroy (issue 12, points 2 and 12) -----------------------------


def _publish(project, *arguments, target=None, **options):
    env = {**os.environ, "PORTAL_SITEURL": SITEURL}
    if target:
        env["PORTAL_PUBLISH_TARGET"] = target
    return run_task(project, "publish", *arguments, env=env, **options)


def _everything(folder):
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


@pytest.mark.parametrize("arguments, target, shown", [
    (["--target-dir", "."], None, "--target-dir: {project} is the project"),
    ([], "dir:..", "publishconf.py: PUBLISH_TARGET: {parent} is a folder holding the project"),
    ([], "dir:/", "publishconf.py: PUBLISH_TARGET: / is a folder holding the project"),
    ([], "rsync:..", "publishconf.py: PUBLISH_TARGET: {parent} is a folder holding the project"),
])
def test_publishing_onto_the_project_is_refused_in_one_line_and_deletes_nothing(
        project, arguments, target, shown):
    before = _everything(project.parent)
    result = _publish(project, *arguments, target=target)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        shown.format(project=project, parent=project.parent)
        + "; nothing was touched: choose a folder of its own"]
    assert _everything(project.parent) == before  # nothing built, nothing deleted


@pytest.mark.parametrize("target_dir, overlaps", [
    ("content", "content"),
    ("content/public", "content"),
    ("theme", "theme"),
    ("plugins/portal", "plugins"),
    (".git", ".git"),
    ("tests", "tests"),
    (".venv", ".venv"),
    ("node_modules", "node_modules"),
    ("output", "output"),
    (".cache", ".cache/pelican"),
    ("link-to-content", "content"),
])
def test_publishing_into_one_of_the_projects_own_folders_is_refused(project, target_dir, overlaps):
    (project / "link-to-content").symlink_to(project / "content")
    settings_file = str(project / "publishconf.py")
    before = _everything(project)
    with pytest.raises(BuildFailed) as failure:
        deploy.publish(settings_file, target_dir=str(project / target_dir))
    assert failure.value.report() == (
        f"--target-dir: {project / target_dir} is or overlaps the project's own {overlaps}/; "
        "nothing was touched: choose a folder of its own").replace(
            str(project / "link-to-content"), str(project / "content"))
    assert _everything(project) == before


def test_publishing_to_the_home_folder_is_refused(project, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    for target_dir in ("~", str(home), str(tmp_path)):
        with pytest.raises(BuildFailed, match="is your home folder|is a folder holding"):
            deploy.publish(str(project / "publishconf.py"), target_dir=target_dir)
    assert (home / "Documents").is_dir()


def test_a_target_holding_anything_but_an_earlier_publish_is_refused(project, tmp_path):
    # The default target, public/ in the project, is no exception.
    (project / "public").mkdir()
    (project / "public" / "ghi-chu.txt").write_text("ghi chép của cán bộ", encoding="utf-8")
    other = tmp_path / "srv-www"
    other.mkdir()
    (other / "index.html").write_text("another site", encoding="utf-8")
    for arguments, shown in (([], "publishconf.py: PUBLISH_TARGET: public"),
                             (["--target-dir", str(other)], f"--target-dir: {other}")):
        result = _publish(project, *arguments)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"{shown} is not empty and holds no {MARKER}, so it is not a site this project "
            "made; nothing was touched: empty it or choose another folder"]
    assert (project / "public" / "ghi-chu.txt").is_file() and (other / "index.html").is_file()
    assert not (project / "output").exists()  # refused before anything was built


def test_a_linked_target_is_replaced_where_it_points_and_stays_a_link(project, tmp_path):
    served = tmp_path / "var-www"
    served.mkdir()
    (served / "other-site.conf").write_text("kept", encoding="utf-8")
    link = tmp_path / "www-link"
    link.symlink_to(served / "dakrong")
    for _ in range(2):  # the second replaces what the first published (it holds the marker)
        result = _publish(project, "--target-dir", str(link))
        assert result.returncode == 0, result.stderr
        assert link.is_symlink() and (served / "dakrong" / "index.html").is_file()
        assert (served / "dakrong" / MARKER).is_file()
    assert (served / "other-site.conf").read_text(encoding="utf-8") == "kept"
    assert sorted(path.name for path in served.iterdir()) == [".dakrong.lock", "dakrong",
                                                              "other-site.conf"]


def test_published_files_are_world_readable_under_umask_027(published):
    _, target = published  # published under umask 027
    modes = {path: path.stat().st_mode & 0o777 for path in [target, *target.rglob("*")]}
    assert {mode for path, mode in modes.items() if path.is_dir()} == {0o755}
    assert {mode for path, mode in modes.items() if not path.is_dir()} == {0o644}


rsync = pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")


@rsync
def test_rsync_publishes_only_into_an_empty_folder_or_an_earlier_publish(project, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "data.csv").write_text("1,2", encoding="utf-8")
    result = _publish(project, target=f"rsync:{taken}/")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"publishconf.py: PUBLISH_TARGET: {taken} is not empty and holds no {MARKER}, so it is "
        "not a site this project made; nothing was touched: empty it or choose another folder"]
    # A remote folder is looked into with rsync itself, here on this machine.
    with pytest.raises(BuildFailed) as failure:
        deploy._check_rsync_folder(f"{taken}/", "PUBLISH_TARGET", 60)
    assert failure.value.report() == (
        f"PUBLISH_TARGET: {taken}/ is not empty and holds no {MARKER}, so it is not a site this "
        "project published; nothing was touched: empty it or choose another folder")
    assert [path.name for path in taken.iterdir()] == ["data.csv"]
    fresh = tmp_path / "fresh"
    for _ in range(2):
        result = _publish(project, target=f"rsync:{fresh}/")
        assert result.returncode == 0, result.stderr
    assert (fresh / MARKER).is_file() and (fresh / "index.html").is_file()


@rsync
def test_a_deploy_tool_that_hangs_is_stopped_with_one_line(project, tmp_path):
    with (project / "publishconf.py").open("a", encoding="utf-8") as settings:
        settings.write("\nPUBLISH_TIMEOUT = 0.001\n")
    result = _publish(project, target=f"rsync:{tmp_path / 'www'}/")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"publishconf.py: PUBLISH_TARGET: cannot look into {tmp_path / 'www'}/: rsync did not "
        "finish within 0.001 s and was stopped"]


def test_gh_pages_never_replaces_a_branch_of_the_projects_own(project):
    git = ["git", "-c", "user.name=Cán bộ", "-c", "user.email=it@dakrong.test"]
    for command in (["init", "--quiet", "--initial-branch=main"], ["add", "."],
                    ["commit", "--quiet", "-m", "Nội dung cổng thông tin"]):
        subprocess.run(git + command, cwd=project, check=True)
    result = _publish(project, target="gh-pages:main")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'publishconf.py: PUBLISH_TARGET: branch "main" holds commits that are not publishes '
        '("Nội dung cổng thông tin"); nothing was touched: publish to a branch of its own, '
        "like gh-pages"]
