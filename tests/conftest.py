"""Builds the real site once per session and offers small sites built from
fixture content, all with the project's own settings, theme and plugin."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from portal.build.site import build_site
from portal.core.settings import load_settings  # noqa: E402

pytest_plugins = ["browser_fixtures", "photo_fixtures"]

# The real page the project starts from (a copy of shared/seed/, kept here so
# the tests need nothing outside the repository).
SEED = ROOT / "tests" / "fixtures" / "article-dakrong-nghi-quyet-dai-hoi-vi.txt"
SEED_ARTICLE_URL = (
    "tin-co-so/dang-bo-huyen-dakrong-quyet-tam-dua-nghi-quyet-dai-hoi-dang-bo-"
    "lan-thu-vi-nhiem-ky-2020-2025-di-vao-cuoc-song.html"
)


INVOKE = str(Path(sys.executable).with_name("invoke"))


def copy_project(folder: Path) -> Path:
    """A copy of the project (settings, tasks, theme, plugin, content) that a
    test may run tasks in and change."""
    project = folder / "project"
    project.mkdir()
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy(ROOT / name, project / name)
    for name in ("theme", "plugins", "content"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    return project


def run_task(project: Path, *arguments: str, **options) -> subprocess.CompletedProcess:
    """`invoke ARGUMENTS` in `project`, as a person would run it."""
    return subprocess.run([INVOKE, *arguments], cwd=project, capture_output=True, text=True, **options)


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def build_into(tmp: Path, settings_file="pelicanconf.py", **overrides) -> Path:
    """A real build of the project into tmp/output."""
    return build_site(
        str(ROOT / settings_file),
        OUTPUT_PATH=str(tmp / "output"),
        CACHE_PATH=str(tmp / "cache"),
        **overrides,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once: the output folder."""
    return build_into(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    """The project's settings, with a cache of its own (not the repo's .cache/)."""
    return load_settings(str(ROOT / "pelicanconf.py"),
                         CACHE_PATH=str(tmp_path_factory.mktemp("settings-cache")))


@pytest.fixture(scope="session")
def all_pages(site):
    return {p.relative_to(site).as_posix(): parse(p) for p in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="session")
def seed_page(site) -> BeautifulSoup:
    return parse(site / SEED_ARTICLE_URL)


ARTICLE_TEMPLATE = """Title: {title}
Date: {date}
Author: {author}
Category: {category}
Tags: {tags}

{body}
"""


def article(title="Tin thử nghiệm", date="2024-05-01", author="Lê Văn A",
            category="Tin cơ sở", tags="Thử nghiệm", body="Nội dung tin thử nghiệm.", **extra):
    """The text of a Markdown article; extra metadata lines from keywords."""
    text = ARTICLE_TEMPLATE.format(title=title, date=date, author=author,
                                   category=category, tags=tags, body=body)
    lines = "".join(f"{key.capitalize()}: {value}\n" for key, value in extra.items())
    return lines + text if lines else text


class FixtureSite:
    """A small project in a temporary folder: our settings, theme and plugin
    over content written by the test."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        (self.content / "pages").mkdir(parents=True)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def build(self, settings_file="pelicanconf.py", **overrides) -> Path:
        return build_into(self.root, settings_file, PATH=str(self.content), **overrides)

    def snapshot(self) -> dict:
        """Every file of the output with its bytes, to prove nothing changed."""
        return {p.relative_to(self.output).as_posix(): p.read_bytes()
                for p in sorted(self.output.rglob("*")) if p.is_file()}


@pytest.fixture
def fixture_site(tmp_path) -> FixtureSite:
    return FixtureSite(tmp_path)


def damage(output: Path, relative: str, old: str, new: str) -> None:
    """Replace the first `old` in one built file: a deliberately broken page."""
    path = output / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def copy_of(tmp_path):
    """A copy of a built output folder that a test may damage."""

    def copy(output: Path) -> Path:
        target = tmp_path / "damaged-output"
        shutil.copytree(output, target)
        return target

    return copy
