"""`make build` with nothing changed does nothing, and only then.

A small real site (test_incremental's) is built through the entry `make
build` and `make publish` use (build.make_build), then built again after
each kind of change: a change that can alter a page must give a real build,
and the site is then what a clean build makes; no change gives none, and
the site stays as it was, file for file.
"""

import ast
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest

import photo_files
from conftest import ROOT, copy_project, run_task
from portal.build import up_to_date
from portal.build.make_build import build_unless_current
from portal.core.problems import BuildFailed
from test_incremental import NOW, Project, assert_same_site, news

ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


class StampedProject(Project):
    """The small site, built as `make build` builds it, with plugins of its own
    (a test may change their code) and the build's time from POLLS_NOW
    unless `clock`."""

    def __init__(self, root: Path, clock=False):
        super().__init__(root)
        self.plugins = root / "plugins"
        shutil.copytree(ROOT / "plugins", self.plugins, ignore=shutil.ignore_patterns("__pycache__"))
        self.overrides = {"PATH": str(self.content), "THEME": str(self.theme),
                          "PLUGIN_PATHS": [str(self.plugins)],
                          "OUTPUT_PATH": str(root / "output"), "CACHE_PATH": str(root / "cache"),
                          **({} if clock else NOW)}

    def make_build(self, **more) -> bool:
        """`make build`: whether it built."""
        _, built = build_unless_current(str(ROOT / "pelicanconf.py"), **{**self.overrides, **more})
        return built

    def listing(self) -> dict:
        output = Path(self.overrides["OUTPUT_PATH"])
        return {path.relative_to(output).as_posix(): (path.stat().st_ino, path.read_bytes())
                for path in sorted(output.rglob("*")) if path.is_file()}

    def stamp(self) -> dict:
        return json.loads(Path(self.overrides["CACHE_PATH"], up_to_date.FILE).read_text())


@pytest.fixture
def project(tmp_path):
    project = StampedProject(tmp_path)
    assert project.make_build()
    return project


def test_nothing_changed_builds_nothing_and_leaves_every_file_as_it_was(project):
    before = project.listing()
    assert not project.make_build()
    assert not project.make_build()
    assert project.listing() == before


def save_same_bytes(project):
    path = project.content / "tin-co-so/bai-2.md"
    path.write_bytes(path.read_bytes())


def edit_template(project):
    path = project.theme / "templates" / "partials" / "footer.html"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def edit_plugin_code(project):
    path = project.plugins / "portal" / "render" / "template_filters.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def add_article(project):
    project.write("tin-co-so/bai-20.md", news(20))


def change_photo(project):
    photo_files.small_jpeg(project.content / "images" / "anh-7.jpg", 120, 160, color=(200, 30, 30))


def change_a_page_in_output(project):
    page = Path(project.overrides["OUTPUT_PATH"], "index.html")
    page.write_text(page.read_text(encoding="utf-8").replace("Đakrông", "Dakrong"), encoding="utf-8")


def delete_a_file_from_output(project):
    Path(project.overrides["OUTPUT_PATH"], "tin-co-so", "bai-2.html").unlink()


EDITS = [save_same_bytes, edit_template, edit_plugin_code, add_article, change_photo,
         change_a_page_in_output, delete_a_file_from_output]


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_any_change_of_an_input_or_of_the_site_is_a_real_build_as_clean_as_a_clean_one(project, edit):
    edit(project)
    assert project.make_build()
    clean = project.build("clean")  # the same content, an empty cache, another folder
    assert_same_site(Path(project.overrides["OUTPUT_PATH"]), clean)
    assert not project.make_build()  # and then nothing again


def test_a_changed_setting_override_or_environment_variable_is_a_real_build(project, monkeypatch):
    assert project.make_build(POLLS_NOW="2024-05-20 12:00")
    monkeypatch.setenv("PORTAL_SITEURL", "https://dangbo.example.vn")
    assert project.make_build(POLLS_NOW="2024-05-20 12:00")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715300000")
    assert project.make_build(POLLS_NOW="2024-05-20 12:00")
    assert not project.make_build(POLLS_NOW="2024-05-20 12:00")


def test_a_failed_build_leaves_no_stamp_and_the_next_build_reports_the_problem_again(project):
    site = project.listing()
    project.write("tin-co-so/bai-2.md", news(2, date="05/01/2024"))
    for _ in range(2):
        with pytest.raises(BuildFailed) as failure:
            project.make_build()
        assert "bai-2.md" in failure.value.report()
    assert not Path(project.overrides["CACHE_PATH"], up_to_date.FILE).exists()
    assert project.listing() == site


def test_the_site_is_current_until_the_next_poll_opens_or_the_next_day(tmp_path):
    project = StampedProject(tmp_path, clock=True)
    now = datetime.datetime.now(ZONE)
    opens = (now + datetime.timedelta(minutes=90)).replace(second=0, microsecond=0)
    project.write("polls/sap-mo.yaml", re.sub(
        r"(?m)^(id|start|end): .*$",
        lambda line: {"id": "id: sap-mo", "start": f"start: {opens:%Y-%m-%d %H:%M}",
                      "end": f"end: {opens + datetime.timedelta(days=3):%Y-%m-%d %H:%M}"}[line[1]],
        open(project.content / "polls" / "chuyen-doi-so.yaml", encoding="utf-8").read()))
    assert project.make_build()
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(),
                                         tzinfo=ZONE)
    until = min(opens, midnight).timestamp()
    assert project.stamp()["valid_until"] == until
    settings_file = str(ROOT / "pelicanconf.py")
    assert up_to_date.current_site(settings_file, project.overrides, now=until - 1) is not None
    assert up_to_date.current_site(settings_file, project.overrides, now=until) is None


def test_a_fixed_build_time_never_expires(project):
    assert project.stamp()["valid_until"] is None


def test_make_build_says_nothing_changed_and_imports_no_pelican_to_say_it(tmp_path):
    project = copy_project(tmp_path)
    first = run_task(project, "build")
    assert first.returncode == 0, first.stderr
    assert "Built and checked output/" in first.stdout
    second = run_task(project, "build")
    assert second.returncode == 0, second.stderr
    assert "Nothing changed since the last build: output/ is up to date" in second.stdout
    probe = ("import sys; sys.path.insert(0, 'plugins');"
             "from portal.build.make_build import build_unless_current;"
             "print(build_unless_current('pelicanconf.py')[1], 'pelican' in sys.modules)")
    answer = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True)
    assert answer.stdout.split() == ["False", "False"], answer.stderr


def environment_names_read(path: Path) -> set[str]:
    """The variables a file reads by name: os.environ["X"], .get("X"), getenv("X")."""
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {node.targets[0].id: node.value.value for node in ast.walk(tree)
                 if isinstance(node, ast.Assign) and len(node.targets) == 1
                 and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Constant)}
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Subscript) and "environ" in ast.unparse(node.value):
            key = node.slice
        elif (isinstance(node, ast.Call) and node.args
              and re.search(r"environ\.get$|getenv$", ast.unparse(node.func))):
            key = node.args[0]
        if isinstance(key, ast.Constant):
            names.add(key.value)
        elif isinstance(key, ast.Name) and key.id in constants:
            names.add(constants[key.id])
    return names


# Read by the preview and publishing only, never by what a build makes.
NOT_READ_BY_BUILDS = ("portal/build/devserver.py", "portal/build/object_storage.py",
                      "portal/build/web_servers.py", "portal/quality/", "portal/editor/",
                      "portal/migrate/")


def test_every_environment_variable_a_build_reads_decides_whether_it_is_current():
    files = [ROOT / "pelicanconf.py", ROOT / "publishconf.py",
             *sorted((ROOT / "plugins").rglob("*.py"))]
    read = {name for path in files
            if not any(part in path.as_posix() for part in NOT_READ_BY_BUILDS)
            for name in environment_names_read(path)}
    assert {"PORTAL_SITEURL", "SOURCE_DATE_EPOCH", "PAGEFIND_BINARY_PATH"} <= read  # the finder works
    environment = {name: "x" for name in read}
    assert sorted(up_to_date.deciding_environment(environment)) == sorted(read)


def test_make_publish_with_nothing_changed_deploys_the_site_already_built(tmp_path):
    project = copy_project(tmp_path)
    target = tmp_path / "www"
    environment = {**os.environ, "PORTAL_SITEURL": "https://dangbo.dakrong.gov.vn"}

    def publish():
        result = run_task(project, "publish", "--target-dir", str(target), env=environment)
        assert result.returncode == 0, result.stderr
        return {path.relative_to(project / "output").as_posix(): path.stat().st_ino
                for path in (project / "output").rglob("*") if path.is_file()}

    built = publish()
    (target / "index.html").unlink()  # the deployed copy is not the build's: deployed again
    assert publish() == built  # not rebuilt: the very same files
    assert (target / "index.html").read_bytes() == (project / "output" / "index.html").read_bytes()
    page = project / "content" / "pages" / "gioi-thieu.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    assert publish() != built
    assert "Một câu mới." in (target / "gioi-thieu.html").read_text(encoding="utf-8")
