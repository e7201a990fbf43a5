"""The memory of every process a build runs, together (issue 16, goal 2).

`ru_maxrss` gives the largest single process; a build runs several at once
(Python, its forked check and read-ahead workers, Pagefind). This samples
/proc every 50 ms while the build runs and keeps the peak of the sum over
all descendants of the bench process:

- PSS (proportional set size): each shared page counted once, split among
  the processes sharing it (forked workers share most of their memory with
  the parent): what the machine really spends;
- RSS: each process's resident memory added up, shared pages counted in
  every process: an upper bound.

    with TreeMemory() as tree:
        run_the_build()
    tree.peak_pss_mb, tree.peak_rss_mb
"""

import os
import threading
from pathlib import Path

INTERVAL = 0.05  # seconds


def _children_map() -> dict[int, list[int]]:
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def descendants(pid: int) -> list[int]:
    children = _children_map()
    found, waiting = [], list(children.get(pid, []))
    while waiting:
        child = waiting.pop()
        found.append(child)
        waiting += children.get(child, [])
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB; (0, 0) once it has ended."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return pss, rss


class TreeMemory:
    """Peak PSS and RSS summed over the bench process's descendants."""

    def __init__(self, root: int | None = None):
        self.root = root or os.getpid()
        self.peak_pss_mb = 0.0
        self.peak_rss_mb = 0.0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exception):
        self._stop.set()
        self._thread.join()

    def _sample(self):
        while not self._stop.wait(INTERVAL):
            pids = descendants(self.root)
            sizes = [memory_kb(pid) for pid in pids]
            pss = sum(size[0] for size in sizes) / 1024
            rss = sum(size[1] for size in sizes) / 1024
            if pss > self.peak_pss_mb:
                self.peak_pss_mb, self.peak_processes = pss, len(pids)
            self.peak_rss_mb = max(self.peak_rss_mb, rss)
