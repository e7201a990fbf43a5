"""Nothing lost, ever: two builds at once, a killed build, a full disk, a
linked output/, and `invoke clean` never reach beyond the site they made.

Real builds (`invoke build` in a copy of the project, as the IT officer runs
it), real processes killed for real, a real full file system where this
machine lets the tests mount one.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import INVOKE, ROOT, article, build_into, copy_project, run_task
from portal.build import lock, site
from portal.build.lock import build_lock
from portal.build.preview import rebuild_pages
from portal.build.safe_folders import MARKER
from portal.build.site import OLD_SITES
from portal.core.problems import BuildFailed
from portal.core.settings import load_settings
from portal.search import index

ARTICLES = 250  # enough for the build to take seconds, fork its workers and collide


def add_articles(project: Path, count=ARTICLES, prefix="Tin số") -> None:
    folder = project / "content" / "tin-co-so"
    for number in range(count):
        date = f"2024-0{1 + number % 9}-{1 + number % 28:02d}"
        text = article(title=f"{prefix} {number}", date=date, body="Nội dung của tin. " * 40)
        (folder / f"{prefix.replace(' ', '-')}-{number}.md").write_text(text, encoding="utf-8")


def pages(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*.html")}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*") if path.is_file()}


def work_folders(parent: Path) -> list[str]:
    """The work folders builds make beside output/ (never the lock file)."""
    return sorted(path.name for path in parent.iterdir()
                  if path.name.startswith(".output.") and path.name != ".output.lock")


def start_task(project: Path, *arguments: str, **options) -> subprocess.Popen:
    return subprocess.Popen([INVOKE, *arguments], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **options)


def save_again(project: Path) -> None:
    """An editor saves an article again, unchanged: the next build is a real
    one (with nothing saved, `make build` has nothing to do: test_up_to_date)."""
    path = project / "content" / "tin-co-so" / "Tin-số-0.md"
    path.write_bytes(path.read_bytes())


def succeeded(result) -> bool:
    return result.returncode == 0 and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def busy_project(tmp_path_factory):
    """A copy of the project with 250 more articles, and the pages a clean
    build of it makes."""
    project = copy_project(tmp_path_factory.mktemp("busy"))
    add_articles(project)
    result = run_task(project, "build")
    assert succeeded(result), result.stderr
    return project, pages(project / "output")


# --- Two builds at once (issue 12, point 1) ----------------------------------------


def test_two_builds_at_once_leave_a_whole_site_and_never_report_a_false_success(busy_project):
    project, clean_pages = busy_project
    assert len(clean_pages) > ARTICLES
    for _ in range(3):
        save_again(project)
        builds = [start_task(project, "build") for _ in range(2)]
        for build in builds:
            stdout, stderr = build.communicate(timeout=600)
            assert "Traceback" not in stderr
            # Each waits for the other, then builds: both really did.
            assert build.returncode == 0, stderr
            assert "Built and checked output/" in stdout
        assert pages(project / "output") == clean_pages
        assert (project / "output" / "pagefind" / "slices.json").is_file()
        assert work_folders(project) == []


def test_a_build_waits_for_the_one_under_way_and_says_so_in_one_line(tmp_path):
    project = copy_project(tmp_path)
    add_articles(project, count=1)
    assert succeeded(run_task(project, "build"))
    before = snapshot(project / "output")
    save_again(project)
    with build_lock(project / "output"):  # a build under way in this process
        waiting = start_task(project, "build")
        line = waiting.stderr.readline()  # returns once the second build has said why it waits
        assert line == (f"Another build of output/ is running (process {os.getpid()}); "
                        "waiting for it to end.\n")
        assert snapshot(project / "output") == before
    stdout, stderr = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, stderr
    assert "Built and checked output/" in stdout


def test_a_build_gives_up_waiting_with_one_line_and_output_unchanged(tmp_path, monkeypatch):
    output = build_into(tmp_path)
    before = snapshot(output)
    monkeypatch.setattr(lock, "WAIT_AT_MOST", 0.5)
    holding, done = threading.Event(), threading.Event()

    def another_build():  # another thread: the preview server's, say
        with build_lock(output):
            holding.set()
            done.wait()

    holder = threading.Thread(target=another_build)
    holder.start()
    holding.wait()
    try:
        with pytest.raises(BuildFailed) as failure:
            build_into(tmp_path)
    finally:
        done.set()
        holder.join()
    assert failure.value.report() == (
        f"{output}: another build (process {os.getpid()}) has been running for over "
        "0.00833333 minutes; wait for it to end or stop it, then try again")
    assert snapshot(output) == before


def test_the_preview_rebuild_holds_the_same_lock(fixture_site, monkeypatch):
    fixture_site.write("tin-co-so/a.md", article(title="Tin A", slug="tin-a"))
    output = fixture_site.build()
    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(fixture_site.content),
                             OUTPUT_PATH=str(output), CACHE_PATH=str(fixture_site.root / "cache"))
    page = "tin-co-so/tin-a.html"
    assert (output / page).is_file()
    before = snapshot(output)
    monkeypatch.setattr(lock, "WAIT_AT_MOST", 0.5)
    holding, done = threading.Event(), threading.Event()

    def full_build():
        with build_lock(output):
            holding.set()
            done.wait()

    holder = threading.Thread(target=full_build)
    holder.start()
    holding.wait()
    try:
        with pytest.raises(BuildFailed, match="another build"):
            rebuild_pages(settings, [page])
    finally:
        done.set()
        holder.join()
    assert snapshot(output) == before
    assert rebuild_pages(settings, [page])  # once free, it works, in a folder of its own
    assert work_folders(fixture_site.root) == []


def test_the_swap_refuses_a_site_that_lost_pages_during_the_build(tmp_path, monkeypatch):
    output = build_into(tmp_path)
    before = snapshot(output)
    real_index = site.build_search_index

    def index_after_a_page_vanished(staging, **options):
        # what a second build deleting this one's staging folder did
        (staging / "404.html").unlink()
        return real_index(staging, **options)

    monkeypatch.setattr(site, "build_search_index", index_after_a_page_vanished)
    with pytest.raises(BuildFailed) as failure:
        build_into(tmp_path)
    assert failure.value.report() == ("output/404.html: missing from the new site\n"
                                      "swap failed: 1 problem; nothing was replaced.")
    assert snapshot(output) == before
    assert work_folders(tmp_path) == []


# --- A killed build, a power cut, a full disk --------------------------------------


def test_a_killed_build_leaves_the_old_site_and_the_next_build_succeeds(busy_project):
    project, clean_pages = busy_project
    before = snapshot(project / "output")
    add_articles(project, 1, prefix="Tin mới")
    build = start_task(project, "build", start_new_session=True)
    try:
        # Kill it once Pelican is writing pages and its check workers are forked.
        deadline = time.monotonic() + 300
        while build.poll() is None and time.monotonic() < deadline:
            staging = [path for path in project.glob(".output.staging-*")]
            if staging and len(pages(staging[0])) > 220:
                break
            time.sleep(0.02)
        assert build.poll() is None, "the build ended before it could be killed"
        os.kill(build.pid, signal.SIGKILL)  # the build's own process: its workers are orphaned
        build.wait()
        assert snapshot(project / "output") == before
        assert work_folders(project)  # its staging folder, left behind
        # Orphaned workers hold no lock: the next build neither waits nor fails.
        result = run_task(project, "build", timeout=600)
        assert succeeded(result), result.stderr
        assert "waiting" not in result.stderr
        assert clean_pages | {"tin-co-so/tin-moi-0.html"} <= pages(project / "output")
        assert work_folders(project) == []
    finally:
        try:
            os.killpg(build.pid, signal.SIGKILL)  # the orphaned workers
        except ProcessLookupError:
            pass
        (project / "content" / "tin-co-so" / "Tin-mới-0.md").unlink()


def test_the_replaced_site_is_deleted_after_the_build_without_it_waiting(tmp_path):
    """The old tree goes to CACHE_PATH/old-sites and a process of its own
    deletes it (swap.discard), with whatever a killed one left there."""
    output = build_into(tmp_path)
    trash = tmp_path / "cache" / OLD_SITES
    (trash / "site-left-by-a-killed-build" / "site").mkdir(parents=True)
    (trash / "site-left-by-a-killed-build" / "site" / "index.html").write_text("cũ", encoding="utf-8")
    before = snapshot(output)
    assert build_into(tmp_path, SITENAME="Đảng bộ huyện Đakrông (thử)") == output
    assert snapshot(output) != before and work_folders(tmp_path) == []
    for _ in range(600):  # the deleting process ends within a minute, however loaded the machine
        if not any(trash.iterdir()):
            break
        time.sleep(0.1)
    assert list(trash.iterdir()) == []


def test_leftovers_of_killed_builds_are_removed_and_links_never_followed(tmp_path):
    project = copy_project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "live.html").write_text("a live site", encoding="utf-8")
    # What the old build left after crashing on a linked output/: a link as its staging folder.
    (project / ".output.staging").symlink_to(elsewhere)
    (project / ".output.staging-k2j4x_9q").mkdir()
    (project / ".output.staging-k2j4x_9q" / "index.html").write_text("half", encoding="utf-8")
    (project / ".output.pages-a1b2c3").mkdir()
    (project / ".output.notes").write_text("not ours by name", encoding="utf-8")
    result = run_task(project, "build")
    assert succeeded(result), result.stderr
    assert work_folders(project) == [".output.notes"]
    assert (elsewhere / "live.html").read_text(encoding="utf-8") == "a live site"


def test_a_disk_full_during_a_copy_fails_in_one_line_and_leaves_output(tmp_path, monkeypatch):
    """Where the tests cannot mount a small file system (not root), the
    error a full disk raises, injected where Pelican copies static files."""
    import shutil

    output = build_into(tmp_path)
    before = snapshot(output)
    real_copy = shutil.copyfile
    copies = []

    def copy_until_full(source, destination, **kwargs):
        if len(copies) == 3:
            raise OSError(28, "No space left on device", str(destination))
        copies.append(source)
        return real_copy(source, destination, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copy_until_full)
    with pytest.raises(BuildFailed) as failure:
        build_into(tmp_path)
    assert "No space left on device" in failure.value.report()
    assert "Traceback" not in failure.value.report()
    assert snapshot(output) == before
    assert work_folders(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path):
    """A real file system of 64 MB (tmpfs), where the tests may mount one (as root)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_really_full_disk_fails_the_build_in_one_line_and_leaves_output(small_disk):
    output = build_into(small_disk)
    before = snapshot(output)
    site_size = sum(len(data) for data in before.values())
    # Other files fill the disk until half a site fits beside the old one.
    disk = os.statvfs(small_disk)
    (small_disk / "filler").write_bytes(b"\0" * (disk.f_bavail * disk.f_frsize - site_size // 2))
    with pytest.raises(BuildFailed) as failure:
        # Another site name: every page changes, so the incremental build
        # (which links the pages that do not) needs room for a whole site.
        build_into(small_disk, SITENAME="Đảng bộ huyện Đakrông (thử)")
    assert "No space left on device" in failure.value.report()
    assert snapshot(output) == before
    assert work_folders(small_disk) == []
    (small_disk / "filler").unlink()
    assert build_into(small_disk) == output


# --- Pagefind and every external tool end --------------------------------------------


def test_a_hung_pagefind_is_stopped_and_the_build_fails_in_one_line(tmp_path, monkeypatch):
    output = build_into(tmp_path)
    before = snapshot(output)
    hung = tmp_path / "pagefind-that-hangs"
    pid_file = tmp_path / "pagefind.pid"
    hung.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 600\n")
    hung.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(hung))
    monkeypatch.setattr(index, "PAGEFIND_TIMEOUT", 2)
    with pytest.raises(BuildFailed) as failure:
        build_into(tmp_path)
    assert failure.value.report() == (
        "pagefind: search index failed: pagefind did not finish within 2 s and was stopped\n"
        "search index failed: 1 problem; nothing was replaced.")
    assert not Path(f"/proc/{pid_file.read_text().strip()}").exists()  # stopped, not left running
    assert snapshot(output) == before


# --- A linked output/ (issue 12, point 3) ---------------------------------------------


def test_a_linked_output_is_built_where_it_points_and_stays_a_link(tmp_path):
    project = copy_project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("another file of the server", encoding="utf-8")
    (project / "output").symlink_to(elsewhere / "site")
    (tmp_path / "clean").mkdir()
    clean = copy_project(tmp_path / "clean")
    assert succeeded(run_task(clean, "build"))
    for _ in range(2):
        result = run_task(project, "build")
        assert succeeded(result), result.stderr
        assert (project / "output").is_symlink()
        assert os.readlink(project / "output") == str(elsewhere / "site")
        assert pages(elsewhere / "site") == pages(clean / "output")
        assert (elsewhere / "site" / MARKER).is_file()
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "another file of the server"
    assert sorted(path.name for path in elsewhere.iterdir()) == [".site.lock", "keep.txt", "site"]
    result = run_task(project, "clean")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"pelicanconf.py: OUTPUT_PATH: output is a link to {elsewhere / 'site'}; clean deletes "
        "nothing through a link: remove the link or that folder yourself"]
    assert pages(elsewhere / "site") == pages(clean / "output")


# --- Builds and `invoke clean` never reach beyond output/ ----------------------------


def _with_setting(project: Path, line: str) -> None:
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\n{line}\n")


def _everything(project: Path) -> set[str]:
    return {path.relative_to(project).as_posix() for path in project.rglob("*")}


def test_build_and_clean_refuse_the_project_as_output_in_one_line(tmp_path):
    project = copy_project(tmp_path)
    _with_setting(project, 'OUTPUT_PATH = "."')
    before = _everything(project)
    for task in ("build", "clean"):
        result = run_task(project, task)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"pelicanconf.py: OUTPUT_PATH: {project} is the project; nothing was touched: "
            "choose a folder of its own"]
        assert _everything(project) == before


@pytest.mark.parametrize("output_path, why", [
    ("..", "is a folder holding the project"),
    ("/", "is a folder holding the project"),
    ("content", "is or overlaps the project's own content/"),
    ("content/public", "is or overlaps the project's own content/"),
    ("theme/static", "is or overlaps the project's own theme/"),
    ("plugins", "is or overlaps the project's own plugins/"),
    (".git", "is or overlaps the project's own .git/"),
    ("link-to-project", "is the project"),
    ("link-to-project/content", "is or overlaps the project's own content/"),
])
def test_a_build_refuses_an_output_that_is_the_project_or_its_own(tmp_path, output_path, why):
    project = copy_project(tmp_path)
    (project / "link-to-project").symlink_to(project)
    (project / ".cache").mkdir()
    before = _everything(project)
    settings_file = str(project / "pelicanconf.py")
    with pytest.raises(BuildFailed) as failure:
        site.build_site(settings_file, OUTPUT_PATH=str(project / output_path),
                        CACHE_PATH=str(project / ".cache"))
    assert failure.value.report().startswith("pelicanconf.py: OUTPUT_PATH: ")
    assert why in failure.value.report() and "\n" not in failure.value.report()
    assert _everything(project) == before
    assert sorted(tmp_path.iterdir()) == [project]


def test_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    project = copy_project(tmp_path)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "minutes.txt").write_text("biên bản họp", encoding="utf-8")
    _with_setting(project, f"OUTPUT_PATH = {str(notes)!r}")
    for task in ("build", "clean"):
        result = run_task(project, task)
        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == [
            f"pelicanconf.py: OUTPUT_PATH: {notes} is not empty and holds no {MARKER}, so it is "
            "not a site this project made; nothing was touched: empty it or choose another folder"]
        assert [path.name for path in notes.iterdir()] == ["minutes.txt"]


def test_clean_removes_only_output_its_cache_and_leftovers(tmp_path):
    project = copy_project(tmp_path)
    assert succeeded(run_task(project, "build"))
    (project / ".output.staging-x1y2z3").mkdir()
    before = _everything(project)
    result = run_task(project, "clean")
    assert result.returncode == 0, result.stderr
    gone = before - _everything(project)
    assert {"output", ".cache/pelican", ".output.staging-x1y2z3"} <= gone
    assert all(path.split("/")[0] in ("output", ".output.staging-x1y2z3")
               or path.startswith(".cache/pelican") for path in gone), gone


def test_an_output_folder_of_an_earlier_version_is_still_replaced(tmp_path):
    """output/ built before markers existed (index.html and 404.html, no
    marker) is a site this project made: the first build replaces it."""
    project = copy_project(tmp_path)
    old = project / "output"
    old.mkdir()
    for name in ("index.html", "404.html", "stale.html"):
        (old / name).write_text("<!doctype html>", encoding="utf-8")
    result = run_task(project, "build")
    assert succeeded(result), result.stderr
    assert not (old / "stale.html").exists() and (old / MARKER).is_file()


def test_files_are_world_readable_whatever_the_umask(tmp_path):
    project = copy_project(tmp_path)
    result = run_task(project, "build", preexec_fn=lambda: os.umask(0o027))
    assert succeeded(result), result.stderr
    output = project / "output"
    modes = {oct(path.stat().st_mode & 0o777) for path in [output, *output.rglob("*")]}
    assert modes == {"0o755", "0o644"}


if sys.platform != "linux":  # flock, renameat2, /proc
    pytestmark = pytest.mark.skip("these tests need Linux")
