"""Where a clean build's memory goes (issue 16, goal 2): one build_site of a
corpus kept by `run.py --keep DIR`, with this process's memory taken at each
stage of the build (Pelican's signals and the steps after Pelican).

    .venv/bin/python bench/memory_profile.py DIR [--tracemalloc FRAMES]
                                             [--no-content-cache] [--twice]
                                             [--output DIR --cache DIR]

For each stage: this process's resident memory (RSS) and its peak so far
(VmHWM), the memory of its child processes together (PSS: forked read-ahead
and check workers, Pagefind) and, with --tracemalloc, the Python heap and
the largest allocations by traceback at the stage where it was largest.
--no-content-cache builds with CACHE_CONTENT and LOAD_CONTENT_CACHE off;
--twice builds a second time in the same process, as bench/worker.py's
"ours-full" does (its figure is the peak of both builds).
"""

import argparse
import os
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "plugins"))
sys.path.insert(0, str(BENCH))

from corpus import CATEGORIES  # noqa: E402
from tree_memory import descendants, memory_kb  # noqa: E402


def own_memory_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process, MB."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount, _ = line.split()
                values[name] = int(amount) / 1024
    return values["VmRSS:"], values["VmHWM:"]


class Stages:
    def __init__(self, frames: int):
        self.frames = frames
        self.started = time.perf_counter()
        self.rows = []
        self.largest = None  # (heap bytes, stage, snapshot)

    def __call__(self, stage: str) -> None:
        rss, hwm = own_memory_mb()
        children = sum(memory_kb(pid)[0] for pid in descendants(os.getpid())) / 1024
        heap = None
        if self.frames:
            heap = tracemalloc.get_traced_memory()[0]
            if self.largest is None or heap > self.largest[0]:
                self.largest = (heap, stage, tracemalloc.take_snapshot())
        self.rows.append((time.perf_counter() - self.started, stage, rss, hwm, children, heap))
        print(f"{self.rows[-1][0]:7.1f} s  {stage:<44} RSS {rss:7.0f} MB  peak {hwm:7.0f} MB"
              f"  children (PSS) {children:6.0f} MB"
              + (f"  Python heap {heap / 1e6:7.0f} MB" if heap is not None else ""), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path, help="the folder of run.py --keep")
    parser.add_argument("--tracemalloc", type=int, default=0, metavar="FRAMES")
    parser.add_argument("--no-content-cache", action="store_true")
    parser.add_argument("--twice", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--output", type=Path, help="where to build (default: WORK/profile-output)")
    parser.add_argument("--cache", type=Path, help="its cache (default: WORK/profile-cache)")
    options = parser.parse_args()
    os.chdir(REPO)
    if options.tracemalloc:
        tracemalloc.start(options.tracemalloc)
    stages = Stages(options.tracemalloc)
    stages("start")

    from pelican import signals
    from portal.build import site as build

    # Weak references: the handlers must live as long as the build.
    handlers = {}
    for name in ("initialized", "article_generator_finalized", "page_generator_finalized",
                 "all_generators_finalized", "get_writer", "finalized"):
        handlers[name] = (lambda name: lambda *args, **kwargs: stages(f"signal {name}"))(name)
        getattr(signals, name).connect(handlers[name])
    written = {"count": 0}

    def content_written(path, context=None):
        written["count"] += 1
        if written["count"] % 2000 == 0:
            stages(f"{written['count']:,} pages written")

    signals.content_written.connect(content_written)
    for step in ("check_and_fill", "build_search_index", "finish_for_hosting"):
        original = getattr(build, step)

        def wrapped(*args, _original=original, _step=step, **kwargs):
            stages(f"before {_step}")
            try:
                return _original(*args, **kwargs)
            finally:
                stages(f"after {_step}")

        setattr(build, step, wrapped)

    output = options.output or options.work / "profile-output"
    cache = options.cache or options.work / "profile-cache"
    overrides = {}
    if options.no_content_cache:
        overrides = {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False}
    for number in range(2 if options.twice else 1):
        if number == 0:
            for folder in (output, cache):
                shutil.rmtree(folder, ignore_errors=True)
        build.build_site("pelicanconf.py", PATH=str(options.work / "content"),
                         OUTPUT_PATH=str(output), CACHE_PATH=str(cache),
                         PORTAL_CATEGORIES=CATEGORIES, **overrides)
        stages(f"build {number + 1} done")

    if stages.largest:
        heap, stage, snapshot = stages.largest
        print(f"\nPython heap largest at '{stage}': {heap / 1e6:.0f} MB; "
              f"top {options.top} by traceback:")
        snapshot = snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        for stat in snapshot.statistics("traceback")[:options.top]:
            print(f"\n{stat.size / 1e6:8.1f} MB in {stat.count:,} blocks")
            for line in stat.traceback.format()[-2 * options.tracemalloc:]:
                print("    " + line)
        print(f"\ntop {options.top} by file:")
        for stat in snapshot.statistics("filename")[:options.top]:
            print(f"{stat.size / 1e6:8.1f} MB  {stat.traceback[0].filename}")


if __name__ == "__main__":
    main()
