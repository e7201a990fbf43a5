"""Tasks for building, checking, previewing and publishing the portal.

Each task is a line or two: the work lives in plugins/portal.
"""

import sys
from pathlib import Path

from invoke import Exit, task

sys.path.insert(0, str(Path(__file__).resolve().parent / "plugins"))

# Each task imports what it runs, when it runs: `make build` with nothing
# changed answers before Pelican and the quality tools are loaded.
from portal.core.problems import BuildFailed, display_path  # noqa: E402

def _reporting_failures(action, *args, **kwargs):
    """Run a build step; problems end the task with their list, not a traceback."""
    try:
        return action(*args, **kwargs)
    except BuildFailed as failure:
        raise Exit(failure.report(), code=1) from None


@task
def build(c):
    """Build the site into output/ (pelicanconf.py), then check and fill it."""
    from portal.build.make_build import build_unless_current

    output, built = _reporting_failures(build_unless_current, "pelicanconf.py")
    if built:
        print(f"Built and checked {display_path(output)}/")
    else:
        print(f"Nothing changed since the last build: {display_path(output)}/ is up to date")


@task
def check(c):
    """Check and fill the pages already in output/, without rebuilding."""
    from portal.build import site

    output = _reporting_failures(site.check_output, "pelicanconf.py")
    print(f"Checked {display_path(output)}/")


@task
def clean(c):
    """Remove output/ and Pelican's cache."""
    from portal.build import site

    _reporting_failures(site.clean, "pelicanconf.py")


@task
def livereload(c, host="127.0.0.1", port=8000):
    """Build, serve on 127.0.0.1:8000 and rebuild when content or theme change."""
    from portal.build import devserver

    devserver.serve(host=host, port=port)


@task(help={"target_dir": "deploy into this local folder instead of PUBLISH_TARGET"})
def publish(c, target_dir=None):
    """Build with publishconf.py (absolute URLs, feeds), check, then deploy."""
    from portal.build import deploy, hosting

    _reporting_failures(hosting.require_public_address, "publishconf.py")
    _reporting_failures(deploy.publish, "publishconf.py", target_dir=target_dir)


@task(name="import", help={"source": "a saved copy (folder), the old site's address, a .warc(.gz) or a NukeViet .sql(.gz) backup",
                           "files": "the uploads/ folder of a NukeViet backup (default: uploads/ beside it)",
                           "delay": "seconds between requests to the old site"})
def import_portal(c, source, dry_run=False, overwrite=False, files=None, delay=1.0):
    """Import an old NukeViet or mojoPortal portal's articles, photos, files and addresses."""
    from portal.migrate import importer

    try:
        print(importer.run_import(source, dry_run=dry_run, overwrite=overwrite, files=files, delay=delay))
    except importer.ImportFailed as failure:
        raise Exit(str(failure), code=1) from None


@task(help={"server": "nginx (default) or apache"})
def preview_published(c, port=8080, server="nginx"):
    """Build for publishing and serve it on 127.0.0.1:8080 with nginx or Apache, exactly as a host will."""
    from portal.build import web_servers

    _reporting_failures(web_servers.preview_published, port=port, server=server)


@task
def polls(c):
    """Refresh the poll blocks and results page in output/, without rebuilding."""
    from portal.build import site

    output, changed = _reporting_failures(site.refresh_polls, "pelicanconf.py")
    print(f"Refreshed polls in {display_path(output)}/: {changed} page(s) changed")


# --- Quality gate: independent tools over the built output/ (plugins/portal/quality)


def _passing(problems, what):
    """Print what a check found; any problem ends the task with exit code 1."""
    from portal import quality

    if problems:
        raise Exit(quality.problems_report(problems, what), code=1)
    print(quality.problems_report(problems, what))


def _output():
    from portal.core.settings import load_settings

    return Path(load_settings("pelicanconf.py")["OUTPUT_PATH"])


@task
def validate(c):
    """Nu HTML validator over output/; feeds, sitemap and robots.txt too after a publish build."""
    from portal import quality
    from portal.quality import feeds, html_validator

    out = _output()
    _passing(html_validator.validate_html(out) + feeds.published_files_problems(out, quality.site_address(out)), "validate")


@task
def a11y(c):
    """axe-core WCAG 2.1 AA, skip link and focus styles on each page type at 375 and 1280 px."""
    from portal.quality import accessibility

    _passing(accessibility.check_site(_output()), "a11y")


@task
def linkcheck(c):
    """Every link, image, stylesheet, script, feed and canonical in output/ resolves to a file."""
    from portal import quality
    from portal.quality import links

    _passing(links.broken_links(_output(), quality.site_address(_output())), "linkcheck")


@task
def lighthouse(c):
    """Lighthouse (mobile) on the home page and the first article of a publish build on 127.0.0.1."""
    from portal.quality import lighthouse as lighthouse_tool

    for address, report in lighthouse_tool.audit_published_site().items():
        print(address, lighthouse_tool.scores(report), *lighthouse_tool.failing_audits(report), sep="\n  ")


@task(help={"folder": "where the PNGs go (default screenshots/)"})
def screenshots(c, folder="screenshots"):
    """PNG screenshots of each page type of output/ at 375 and 1280 px."""
    from portal.quality import screenshots as screenshot_tool

    written = screenshot_tool.screenshots_of(_output(), Path(folder))
    print(f"{len(written)} screenshots in {folder}/")
