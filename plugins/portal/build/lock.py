"""One build at a time per site folder.

`make build`, `make publish`, `invoke check` and `invoke clean`, and the
preview server's rebuilds all replace or change the same folder; two at
once could swap a half-built site into place. Each holds an exclusive lock
on a file beside the folder (`.output.lock` for output/) while it works. A
second one waits for the first, saying so in one line, and gives up with
one line after WAIT_AT_MOST: waiting is what a person starting `make
publish` while the preview server rebuilds wants.

The lock is the kernel's (flock): it ends with the process holding it, even
on SIGKILL or a power cut, so there is never a stale lock to remove by hand.
Not the filelock library: a worker process forked during the build
(core.workers) would inherit its descriptor and, orphaned by a killed
build, hold the lock for ever. Here a forked child closes its copy at once.
"""

import fcntl
import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from ..core.problems import display_path
from .safe_folders import Refused

# A publish build of 5,000 articles takes about a minute here; half an hour
# means the other build is stuck, and whoever waits must hear about it.
WAIT_AT_MOST = 30 * 60  # seconds
_POLL = 0.2  # seconds between tries while waiting


class _Hold:
    """This process's hold on one lock file. Threads take turns (the
    preview server rebuilds in one thread, indexes in another); the thread
    holding it may take it again (publish holds it over build and deploy)."""

    def __init__(self):
        self.turn = threading.RLock()
        self.depth = 0
        self.descriptor: int | None = None


_holds: dict[str, _Hold] = {}
_holds_guard = threading.Lock()


def lock_file_of(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.lock")


@contextmanager
def build_lock(folder: Path, wait: float | None = None):
    """Hold `folder`'s lock for the block, waiting at most `wait` seconds
    (WAIT_AT_MOST) for another holder. `folder` is the real folder
    (safe_folders.real_folder): two links to one folder share its lock."""
    folder = Path(folder)
    wait = WAIT_AT_MOST if wait is None else wait
    lock_file = lock_file_of(folder)
    with _holds_guard:
        hold = _holds.setdefault(str(lock_file), _Hold())
    _take(hold, folder, lock_file, wait)
    try:
        yield
    finally:
        hold.depth -= 1
        if hold.depth == 0:
            os.close(hold.descriptor)  # closing releases the flock
            hold.descriptor = None
        hold.turn.release()


def _take(hold: _Hold, folder: Path, lock_file: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        if hold.turn.acquire(blocking=False):
            try:
                if hold.depth or _try_flock(hold, lock_file):
                    hold.depth += 1
                    return
            except OSError as error:  # no right to write beside the folder, say
                hold.turn.release()
                raise Refused(display_path(folder), f"cannot take the build's lock: {error}; "
                              f"a build writes its lock and work folders in {folder.parent}"
                              ) from None
            hold.turn.release()
        holder = _holder(lock_file)
        if time.monotonic() >= deadline:
            raise Refused(display_path(folder),
                          f"another build{holder} has been running for over {wait / 60:g} "
                          "minutes; wait for it to end or stop it, then try again")
        if not told:
            print(f"Another build of {display_path(folder)}/ is running{holder}; "
                  "waiting for it to end.", file=sys.stderr, flush=True)
            told = True
        time.sleep(_POLL)


def _try_flock(hold: _Hold, lock_file: Path) -> bool:
    descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # Deleted and made again meanwhile (say by `rm -rf .output*`)? Then
        # this lock is on a file nobody else will open: try again.
        if os.fstat(descriptor).st_ino != os.stat(lock_file).st_ino:
            raise BlockingIOError
    except (BlockingIOError, FileNotFoundError):
        os.close(descriptor)
        return False
    os.ftruncate(descriptor, 0)
    os.write(descriptor, f"process {os.getpid()}\n".encode())
    hold.descriptor = descriptor
    return True


def _holder(lock_file: Path) -> str:
    """The holder, as it wrote itself down: " (process 1234)"; "" while it starts."""
    try:
        holder = lock_file.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return f" ({holder})" if holder else ""


def _forget_holds_in_child() -> None:
    """A forked child closes its copies of the locks' descriptors: the
    parent keeps its locks (flock belongs to the open file, which the parent
    still has open), and the child, if orphaned, holds nothing."""
    global _holds, _holds_guard
    for hold in _holds.values():
        if hold.descriptor is not None:
            os.close(hold.descriptor)
    _holds, _holds_guard = {}, threading.Lock()


os.register_at_fork(after_in_child=_forget_holds_in_child)
