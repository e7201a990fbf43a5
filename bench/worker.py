"""One measured build, run by run.py in a child process of its own, so that
the child's peak memory belongs to that build alone.

    python bench/worker.py ours-full    CONTENT OUTPUT CACHE
    python bench/worker.py ours-unchecked CONTENT OUTPUT CACHE  (check-and-fill left out)
    python bench/worker.py ours-rebuild CONTENT OUTPUT CACHE EDIT_FILE RUNS
    python bench/worker.py ours-build CONTENT OUTPUT CACHE   (one `make build`: incremental)
    python bench/worker.py pelican-full    ...   (Pelican's own theme, no plugins)
    python bench/worker.py pelican-rebuild ...

Prints one line of JSON with the timings (seconds, inside the process: what
the dev server, which is already running, waits for).
"""

import contextlib
import json
import os
import re
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CATEGORIES  # noqa: E402

CACHED = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}


def _timed(function, name, timings):
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            timings[name] = time.perf_counter() - started

    return timed


def ours_builder(content, output, cache, checks=True, **extra):
    """build_site with our settings and theme; records check-and-fill's share.
    Without `checks`, the build leaves the step out (workers included), so
    the difference is all the step costs."""
    from portal.build import site as build

    if not checks:
        build.check_and_fill = lambda *args, **kwargs: []
        build.checking_as_written = lambda settings: contextlib.nullcontext()

    # The steps build_site runs after Pelican, timed where build.py calls them.
    timings = {}
    for step in ("check_and_fill", "build_search_index"):
        if hasattr(build, step):
            setattr(build, step, _timed(getattr(build, step), step, timings))

    def run():
        build.build_site(
            "pelicanconf.py",
            PATH=str(content),
            OUTPUT_PATH=str(output),
            CACHE_PATH=str(cache),
            PORTAL_CATEGORIES=CATEGORIES,
            **extra,
        )
        return dict(timings)

    return run


def pelican_builder(content, output, cache, **extra):
    """Plain Pelican: its default theme, no plugins, the same URLs' pagination."""
    from pelican import Pelican
    from pelican.settings import read_settings

    def run():
        settings = read_settings(None, override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(cache),
            "PAGE_PATHS": ["pages"],
            "ARTICLE_EXCLUDES": ["pages", "extra", "images"],
            "STATIC_PATHS": ["images"],
            "DEFAULT_PAGINATION": 10,
            "DEFAULT_LANG": "vi",
            "TIMEZONE": "Asia/Ho_Chi_Minh",
            "SITENAME": "Đảng bộ huyện Đakrông",
            "PLUGINS": [],  # no namespace plugins found in the venv
            "FEED_ALL_ATOM": None,
            "CATEGORY_FEED_ATOM": None,
            "TRANSLATION_FEED_ATOM": None,
            "AUTHOR_FEED_ATOM": None,
            "AUTHOR_FEED_RSS": None,
            "DELETE_OUTPUT_DIRECTORY": True,
            **extra,
        })
        Pelican(settings).run()
        return {}

    return run


def preview_builder(content, output, cache, **extra):
    """Our site as `invoke livereload` rebuilds it: portal.build.devserver.Preview,
    which re-renders only the pages of changed article bodies and refreshes
    the search index in the background (waited for outside the timing)."""
    from portal.build.devserver import Preview

    preview = Preview("pelicanconf.py", PATH=str(content), OUTPUT_PATH=str(output),
                      CACHE_PATH=str(cache), PORTAL_CATEGORIES=CATEGORIES)

    def run():
        assert preview.rebuild(), "the preview build failed"
        return {"how": preview.last}

    def settle():
        # An editor reads the preview before the next edit: by then the
        # background index has finished. Waited for outside the timings.
        if preview.indexing:
            preview.indexing.join()

    run.settle = settle
    return run


# The article an editor adds (and then deletes) in the rebuild timings.
ADDED = "bai-moi-cua-bench.md"


def header_edits(edit_file: Path, original: str, number: int) -> dict:
    """{what the timing is called: the edit}, in order: a new date (the
    article moves in every list), new tags, a new article, that article
    deleted. Each starts from the file before it."""
    added = edit_file.with_name(ADDED)

    def rewrite(field, value):
        return lambda: edit_file.write_text(
            re.sub(rf"^{field}: .*$", f"{field}: {value}", original, count=1, flags=re.M), encoding="utf-8")

    return {
        "redated": rewrite("Date", f"2030-01-{number + 1:02d} 08:00"),
        "retagged": rewrite("Tags", f"Chuyển đổi số, Thủ tục mới {number + 1}"),
        "added": lambda: (edit_file.write_text(original, encoding="utf-8"), added.write_text(
            re.sub(r"^Slug: .*$", "Slug: bai-moi-cua-bench", original, count=1, flags=re.M)
            .replace("Title: ", "Title: Bài mới: ", 1), encoding="utf-8")),
        "removed": lambda: added.unlink(),
    }


BUILDERS = {"ours": ours_builder, "pelican": pelican_builder}
REBUILDERS = {"ours": preview_builder, "pelican": pelican_builder}


def main(argv):
    mode, content, output, cache = argv[:4]
    system, kind = mode.split("-")
    os.chdir(REPO)  # pelicanconf.py names the theme and plugins relative to it
    if kind == "build":
        # One `make build`, as an editor runs it after saving: a process of
        # its own, incremental over the last build in OUTPUT, nothing
        # imported before it knows whether there is anything to build.
        from portal.build.make_build import build_unless_current

        started = time.perf_counter()
        _, built = build_unless_current("pelicanconf.py", PATH=str(content), OUTPUT_PATH=str(output),
                                        CACHE_PATH=str(cache), PORTAL_CATEGORIES=CATEGORIES)
        result = {"build": time.perf_counter() - started, "built": built}
        if built:
            result.update(sys.modules["portal.build.site"].last_build_stats)
    elif kind in ("full", "unchecked"):
        run = BUILDERS[system](content, output, cache, **({"checks": False} if kind == "unchecked" else {}))
        started = time.perf_counter()
        extra = run()
        result = {"build": time.perf_counter() - started, **extra}
        if system == "ours" and kind == "full":
            # `make build` again: Pelican renders everything anew, but pages
            # whose bytes passed the checks before are not parsed again.
            started = time.perf_counter()
            again = run()
            result["again"] = time.perf_counter() - started
            result["again_check_and_fill"] = again.get("check_and_fill", 0.0)
    else:
        edit_file, runs = Path(argv[4]), int(argv[5])
        run = REBUILDERS[system](content, output, cache, **CACHED)
        started = time.perf_counter()
        run()  # a cold build fills the cache, as the dev server's first build does
        result = {"cold_with_cache": time.perf_counter() - started, "edited": [], "unchanged": [],
                  "edited_check_and_fill": [], "edited_search_index": [], "retitled": []}
        original = edit_file.read_text(encoding="utf-8")
        try:
            settle = getattr(run, "settle", lambda: None)
            for number in range(runs):
                edit_file.write_text(
                    original + f"\nMột đoạn sửa lần {number + 1} của biên tập viên.\n",
                    encoding="utf-8")
                settle()
                started = time.perf_counter()
                extra = run()
                result["edited"].append(time.perf_counter() - started)
                result["edited_check_and_fill"].append(extra.get("check_and_fill", 0.0))
                result["edited_search_index"].append(extra.get("build_search_index", 0.0))
                settle()
                started = time.perf_counter()
                run()
                result["unchanged"].append(time.perf_counter() - started)
                # A corrected headline: shown on every page that links to the article.
                edit_file.write_text(
                    original.replace("Title: ", f"Title: (sửa {number + 1}) ", 1), encoding="utf-8")
                settle()
                started = time.perf_counter()
                extra = run()
                result["retitled"].append(time.perf_counter() - started)
                edit_file.write_text(original, encoding="utf-8")
                run()  # back to the original, so the next body edit is a body edit only
                # Edits that move the article between pages, each from the original.
                for name, edit in header_edits(edit_file, original, number).items():
                    edit()
                    settle()
                    started = time.perf_counter()
                    run()
                    result.setdefault(name, []).append(time.perf_counter() - started)
                edit_file.write_text(original, encoding="utf-8")
                run()
        finally:
            edit_file.write_text(original, encoding="utf-8")
            edit_file.with_name(ADDED).unlink(missing_ok=True)
    # This process alone, without the Pagefind binary that build_site runs.
    result["python_memory"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
