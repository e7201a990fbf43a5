"""A build renders its pages on every core (render.parallel_writer), and
its result is the serial build's, byte for byte: the same files, the same
record for the next build, the same pages announced, the same problems.

The small site of test_incremental is rendered in parallel as if it were
large (PARALLEL_FROM lowered), against Pelican's own one-at-a-time
writing ("serial": RENDER_ON_ALL_CORES off, the default); in the
"workers" runs this process renders nothing itself, so every page goes
through a forked worker and back.
"""

import logging

import pytest
from pelican import signals

from conftest import ROOT
from portal.build import site as site_module
from portal.build.site import build_site
from portal.core.problems import BuildFailed
from portal.core.workers import workers_can_help
from portal.render import parallel_writer
from test_incremental import EDITED, NOW, Project, assert_same_site, files_of, news

pytestmark = pytest.mark.skipif(not workers_can_help(), reason="needs fork and two cores")

# Every page Pelican's content_written signal announced, in order, this build.
announced: list[str] = []


def remember_announced(path, context=None):
    announced.append(str(path))


signals.content_written.connect(remember_announced)


def render(monkeypatch, how: str) -> None:
    """How the next builds render: "serial", "parallel" (this process and a
    worker share the chunks) or "workers" (the workers render everything)."""
    monkeypatch.setattr(parallel_writer, "RENDER_ON_ALL_CORES", how != "serial")
    monkeypatch.setattr(parallel_writer, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel_writer, "PARALLEL_UP_TO", 10**9)
    monkeypatch.setattr(parallel_writer, "CHUNK_FILES", 1)
    monkeypatch.setattr(parallel_writer._AllCores, "render_chunks", RENDER_CHUNKS)
    if how == "workers":
        monkeypatch.setattr(parallel_writer._AllCores, "render_chunks",
                            lambda self, in_worker=False: RENDER_CHUNKS(self, True) if in_worker else [])


RENDER_CHUNKS = parallel_writer._AllCores.render_chunks


def build(project: Project, name: str) -> tuple:
    """The site, the pages announced (by name, in order), and the counts
    of what the writer rendered and kept."""
    announced.clear()
    output = project.build(name)
    staging_names = [path.split(".staging-", 1)[1].split("/", 1)[1] for path in announced]
    return output, staging_names, dict(site_module.last_build_stats)


@pytest.mark.parametrize("how", ["parallel", "workers"])
def test_a_parallel_build_is_a_serial_build(tmp_path, monkeypatch, how):
    project = Project(tmp_path)
    render(monkeypatch, "serial")
    serial, serial_announced, serial_stats = build(project, "serial")
    render(monkeypatch, how)
    parallel, parallel_announced, parallel_stats = build(project, "parallel")

    assert_same_site(parallel, serial)
    assert len(files_of(parallel)) > 50
    # Every page announced once (this process's as it writes them, then
    # the workers'): the check workers, the list of files a complete site
    # must have and the pages' sources.
    assert sorted(parallel_announced) == sorted(serial_announced)
    assert len(set(parallel_announced)) == len(parallel_announced)
    if how == "workers":
        assert parallel_announced == serial_announced  # in Pelican's order
    assert len(parallel_announced) > 30
    assert parallel_stats == serial_stats
    assert parallel_stats["rendered"] > 30

    # The record the workers sent back is complete: with nothing changed,
    # the next build renders nothing, and still equals a clean one.
    again, _, stats = build(project, "parallel")
    assert stats["rendered"] == 0 and stats["kept"] == parallel_stats["rendered"]
    assert_same_site(again, serial)


@pytest.mark.parametrize("how", ["parallel", "workers"])
def test_after_an_edit_a_parallel_incremental_build_is_a_clean_build(tmp_path, monkeypatch, how):
    project = Project(tmp_path)
    render(monkeypatch, how)
    build(project, "incremental")
    project.write(EDITED, news(7, title="Tin số 7, tiêu đề đã sửa", date="2024-06-30 09:00"))
    incremental, _, stats = build(project, "incremental")
    assert 0 < stats["rendered"] and stats["kept"] > 0
    render(monkeypatch, "serial")
    clean, _, _ = build(project, "clean")
    assert_same_site(incremental, clean)


def failure(project: Project, name: str, **settings) -> str:
    with pytest.raises(BuildFailed) as failed:
        build_site(str(ROOT / "pelicanconf.py"), PATH=str(project.content), THEME=str(project.theme),
                   OUTPUT_PATH=str(project.root / f"{name}-output"),
                   CACHE_PATH=str(project.root / f"{name}-cache"), **NOW, **settings)
    assert not (project.root / f"{name}-output").exists()  # nothing published
    return str(failed.value)


def break_article_template(project: Project, expression: str) -> None:
    """`expression` in the page of article 7 alone: one chunk of many."""
    template = project.theme / "templates" / "article.html"
    text = template.read_text(encoding="utf-8")
    marker = "{% block content %}"
    assert marker in text
    template.write_text(text.replace(marker, marker + f'{{% if article.slug == "bai-7" %}}'
                                     f"{{{{ {expression} }}}}{{% endif %}}", 1), encoding="utf-8")


def warn_of_title(title):
    """A template filter that logs a warning, as Pelican does of a bad link
    while it renders an article."""
    logging.getLogger("pelican.contents").warning("strange title %s", title)
    return title


@pytest.mark.parametrize("how", ["parallel", "workers"])
def test_a_warning_logged_in_a_worker_fails_the_build_with_its_line(tmp_path, monkeypatch, how):
    project = Project(tmp_path)
    break_article_template(project, "article.title | warn_of_title")
    render(monkeypatch, "serial")
    expected = failure(project, "serial", JINJA_FILTERS={"warn_of_title": warn_of_title})
    assert "pelican: strange title Tin số 7 của huyện Đakrông" in expected
    render(monkeypatch, how)
    assert failure(project, "parallel", JINJA_FILTERS={"warn_of_title": warn_of_title}) == expected


@pytest.mark.parametrize("how", ["parallel", "workers"])
def test_a_template_error_fails_a_parallel_build_naming_the_template_line(tmp_path, monkeypatch, how):
    project = Project(tmp_path)
    break_article_template(project, "article.no_such_field.first")
    render(monkeypatch, "serial")
    expected = failure(project, "serial")
    assert "templates/article.html:13: " in expected and "no_such_field" in expected
    assert "Traceback" not in expected
    render(monkeypatch, how)
    assert failure(project, "parallel") == expected


class _Page:
    name = "index.html"

    def render(self, context):
        return "<!DOCTYPE html><title>again</title>"


class WritesTheHomePageAgain:
    """A plugin's generator that Pelican runs after the held pages are
    rendered, writing a page the site has already."""

    def __init__(self, *args, **kwargs):
        pass

    def generate_output(self, writer):
        writer.render_held_pages()  # as if Pelican ran it after RenderHeldPages
        writer.write_file("index.html", _Page(), {})


def home_page_again(pelican):
    return WritesTheHomePageAgain


@pytest.mark.parametrize("how", ["serial", "workers"])
def test_pelican_knows_every_file_a_worker_wrote(tmp_path, monkeypatch, how):
    """Pelican's writer refuses to write a file twice: it must know the
    files the workers wrote."""
    project = Project(tmp_path)
    render(monkeypatch, how)
    signals.get_generators.connect(home_page_again)
    try:
        report = failure(project, how)
    finally:
        signals.get_generators.disconnect(home_page_again)
    assert "Failed to overwrite" in report and "index.html" in report


def test_a_site_above_the_limit_is_rendered_in_process(tmp_path, monkeypatch):
    """Above PARALLEL_UP_TO files, no worker is forked (memory): the same
    site as a parallel build's."""
    project = Project(tmp_path)
    render(monkeypatch, "parallel")
    parallel, _, _ = build(project, "parallel")
    monkeypatch.setattr(parallel_writer, "PARALLEL_UP_TO", 20)

    def no_fork(self):
        raise AssertionError("forked above PARALLEL_UP_TO")

    monkeypatch.setattr(parallel_writer._AllCores, "render", no_fork)
    in_process, _, stats = build(project, "in-process")
    assert stats["rendered"] > 30
    assert_same_site(in_process, parallel)
