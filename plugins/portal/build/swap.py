"""Replace a directory by another so a reader sees the old one or the new
one, never a mix; the old one is deleted after, without waiting for it."""

import ctypes
import ctypes.util
import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .safe_folders import new_work_folder, remove

_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system
    or the file system cannot, OSError if the swap itself failed."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(error, os.strerror(error), str(b))


def replace_directory(new: Path, target: Path, trash: Path | None = None) -> None:
    """Put `new` at `target`, a real folder beside it (never a link: see
    safe_folders.real_folder); the old `target` is removed afterwards, in
    the background when `trash` is a folder on the same file system."""
    new, target = Path(new), Path(target)
    if target.is_symlink():
        raise OSError(errno.ELOOP, "resolve the link first, then swap where it points", str(target))
    if hasattr(os, "sync"):
        # The new files on disk before the rename that shows them: after a
        # power cut, ext4 would otherwise show empty pages (delayed writes).
        os.sync()
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        discard(new, trash)  # now holds the old tree
        return
    # No atomic exchange here (not Linux): two renames, a moment apart.
    old = new_work_folder(target, "old")
    os.rename(target, old)  # onto the empty folder just made
    os.rename(new, target)
    discard(old, trash)


# Deletes every folder in the trash folder given, ignoring what another
# such process deleted first.
_EMPTY_TRASH = ("import pathlib, shutil, sys\n"
                "for entry in pathlib.Path(sys.argv[1]).iterdir():\n"
                "    shutil.rmtree(entry, ignore_errors=True)\n")


def discard(old_tree: Path, trash: Path | None) -> None:
    """Delete a replaced tree. Removing its entries takes seconds at 10,000
    articles (bench/README.md), which nobody needs to wait for: it is moved
    into `trash` (renamed: the same file system) and deleted there by a
    process of its own, with whatever a killed one left. Where it cannot
    be moved, it is deleted here."""
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            os.rename(old_tree, Path(tempfile.mkdtemp(prefix="site-", dir=trash), "site"))
        except OSError:
            pass
        else:
            subprocess.Popen([sys.executable, "-c", _EMPTY_TRASH, str(trash)], start_new_session=True,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
            return
    remove(old_tree)
