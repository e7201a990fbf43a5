"""Replace a directory by another so a reader sees the old one or the new
one, never a mix."""

import ctypes
import ctypes.util
import errno
import os
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


def replace_directory(new: Path, target: Path) -> None:
    """Put `new` at `target`, a real folder beside it (never a link: see
    safe_folders.real_folder); the old `target` is removed afterwards."""
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
        remove(new)  # now holds the old tree
        return
    # No atomic exchange here (not Linux): two renames, a moment apart.
    old = new_work_folder(target, "old")
    os.rename(target, old)  # onto the empty folder just made
    os.rename(new, target)
    remove(old)
