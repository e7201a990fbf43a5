"""Deploy a checked build to the one target publishconf.py names.

PUBLISH_TARGET is "dir:PATH" (a local folder, e.g. nginx's root),
"rsync:USER@HOST:PATH" (over SSH), "gh-pages:BRANCH" (ghp-import) or
"s3:https://ENDPOINT/BUCKET[/FOLDER]" (object storage, object_storage.py).

Each replaces what is at the target, so the target is checked before
anything is built: a local folder by safe_folders (never the project, the
home folder or one of the project's own folders) and, like an rsync
folder, only if it is empty or an earlier publish made it (it holds the
marker every build writes); a branch only if it is new or an earlier
publish made it; a bucket's folder, like a local one.
"""

import os
import shutil
import sys
from pathlib import Path

from ..core.external_tools import ToolTimedOut, run_tool
from ..core.problems import BuildFailed, Problem, display_path
from ..core.settings import load_settings
from .lock import build_lock
from .object_storage import Bucket, check_bucket, publish_to_bucket
from .safe_folders import (MARKER, Refused, check_replaceable, make_world_readable, mark_as_site,
                           new_work_folder, project_folders, real_folder, remove, remove_leftovers)
from .make_build import build_unless_current
from .swap import replace_directory

# An upload of the whole site over a slow line can take a while; an hour
# means it hangs. PUBLISH_TIMEOUT in publishconf.py changes it.
PUBLISH_TIMEOUT = 3600  # seconds
COMMIT_MESSAGE = "Publish the portal"  # also how a branch we made is recognised


class Target:
    """Where a publish goes, read from --target-dir or PUBLISH_TARGET."""

    def __init__(self, settings_file, settings, target_dir=None):
        self.settings_file, self.settings = settings_file, settings
        self.timeout = settings.get("PUBLISH_TIMEOUT", PUBLISH_TIMEOUT)
        if target_dir:  # on the command line: from the current folder
            self.kind, self.where, self.setting = "dir", str(target_dir), "--target-dir"
            base = Path.cwd()
        else:  # in the settings: from the project, wherever the command runs
            target = settings.get("PUBLISH_TARGET", "")
            self.kind, _, self.where = target.partition(":")
            self.setting = f"{os.path.basename(settings_file)}: PUBLISH_TARGET"
            if self.kind not in ("dir", "rsync", "gh-pages", "s3") or not self.where:
                raise Refused(self.setting, f'"{target}" is not "dir:PATH", "rsync:USER@HOST:PATH", '
                              '"gh-pages:BRANCH" or "s3:https://ENDPOINT/BUCKET"')
            base = Path(os.path.abspath(settings_file)).parent
        self.local = self.kind == "dir" or (self.kind == "rsync" and _is_local(self.where))
        if self.local:
            trailing = "/" if self.where.endswith("/") else ""  # rsync's "into this folder"
            self.where = str(base / Path(self.where).expanduser()) + trailing

    def __str__(self) -> str:
        return f"{self.kind}:{self.where}"

    def check(self) -> None:
        """Refused unless this target may be replaced by a publish."""
        if self.local:
            self.real_folder()
        if self.kind == "rsync":
            _check_rsync_folder(self.where, self.setting, self.timeout)
        elif self.kind == "gh-pages":
            _check_branch(self.where, self.setting, self.timeout)
        elif self.kind == "s3":
            check_bucket(Bucket.parse(self.where, self.setting), self.timeout)

    def real_folder(self) -> Path:
        """The local folder, resolved once, that may be replaced (else Refused)."""
        folder = real_folder(self.where, self.setting)
        project, own = project_folders(self.settings_file, self.settings, "OUTPUT_PATH",
                                       "CACHE_PATH")
        check_replaceable(folder, self.setting, project, own)
        return folder


def publish(settings_file="publishconf.py", target_dir=None) -> str:
    """`invoke publish`: check the target, build, deploy; the one-line
    account. A target that may not be replaced is refused before anything
    is built. output/ stays locked until it is deployed, so no other build
    swaps it half-way through the copy."""
    settings = load_settings(settings_file)
    target = Target(settings_file, settings, target_dir)
    target.check()
    output = Path(settings["OUTPUT_PATH"])
    site_folder = real_folder(output, f"{os.path.basename(settings_file)}: OUTPUT_PATH")
    site_folder.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(site_folder):
        build_unless_current(settings_file)
        return _deploy(output, target)


def deploy(output, settings_file="publishconf.py", target_dir=None) -> str:
    """Deploy an existing build `output`; the one-line account of where it went."""
    target = Target(settings_file, load_settings(settings_file), target_dir)
    target.check()
    return _deploy(Path(output), target)


def _deploy(output: Path, target: Target) -> str:
    if target.kind == "dir":
        to_directory(output, target)
    elif target.kind == "s3":
        print(publish_to_bucket(output, Bucket.parse(target.where, target.setting), target.settings,
                                target.timeout))
        return str(target)
    elif target.kind == "rsync":
        _run(["rsync", "-rlptz", "--delete", "--delay-updates", f"{output}/", target.where],
             target.timeout)  # --delay-updates: files go in place only at the end
    else:
        _run([sys.executable, "-m", "ghp_import", "--no-jekyll", "--push", "--force",
              "--branch", target.where, "--message", COMMIT_MESSAGE, str(output)],
             target.timeout, name="ghp-import")
    print(f"Published {display_path(output)}/ to {target}")
    return str(target)


def to_directory(output: Path, target: Target) -> None:
    """Copy beside the target, then swap: the web server sees the old site or
    the new one, even if the copy is interrupted. Every file is readable by
    the web server whatever the umask, and the copy carries the marker."""
    folder = target.real_folder()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(folder):  # two publishes to one folder take turns
            target.real_folder()  # as it is now, with the lock held
            remove_leftovers(folder)
            _copy_and_swap(output, folder)
    except OSError as error:  # a full disk, no right to write there...: the old site stays
        raise BuildFailed([Problem(display_path(folder), _one_line(error))], "publish") from None


def _copy_and_swap(output: Path, folder: Path) -> None:
    incoming = new_work_folder(folder, "incoming")
    try:
        shutil.copytree(output, incoming, copy_function=shutil.copy2, dirs_exist_ok=True)
        mark_as_site(incoming)
        make_world_readable(incoming)
        _check_copy(output, incoming)
        replace_directory(incoming, folder)
    finally:
        remove(incoming)


def _one_line(error: OSError) -> str:
    if isinstance(error, shutil.Error):  # copytree goes on, then lists every file it could not copy
        failures = error.args[0]
        source, _, why = failures[0]
        return f"{len(failures)} files could not be copied (the first: {source}: {why})"
    return " ".join(str(error).split())


def _check_copy(output: Path, incoming: Path) -> None:
    """Every file of the build is in the copy, before it goes live."""
    built = {path.relative_to(output) for path in output.rglob("*") if path.is_file()}
    copied = {path.relative_to(incoming) for path in incoming.rglob("*") if path.is_file()}
    missing = sorted(built - copied)
    if missing:
        raise BuildFailed([Problem(display_path(incoming), f"{len(missing)} files of the build "
                                   f"were not copied (the first: {missing[0].as_posix()})")],
                          "publish")


def _is_local(destination: str) -> bool:
    """rsync's rule: a colon before any slash means a remote host."""
    host, colon, _ = destination.partition(":")
    return not colon or "/" in host


def _check_rsync_folder(destination: str, setting: str, timeout) -> None:
    """rsync --delete empties whatever folder it is given: it must be empty,
    missing, or a site an earlier publish made (it holds MARKER)."""
    try:
        listing = run_tool(["rsync", "--list-only", destination.rstrip("/") + "/"], timeout,
                           name="rsync")
    except (OSError, ToolTimedOut) as error:
        raise Refused(setting, f"cannot look into {destination}: {error}") from None
    if listing.returncode != 0:
        if "No such file or directory" in listing.stderr:
            return  # the first publish: rsync makes the folder
        message = " ".join(listing.stderr.split())[:200]
        raise Refused(setting, f"cannot look into {destination}: {message}")
    names = {line.split(None, 4)[-1] for line in listing.stdout.splitlines() if line.strip()}
    if names - {"."} and MARKER not in names:
        raise Refused(setting, f"{destination} is not empty and holds no {MARKER}, so it is not "
                      "a site this project published; nothing was touched: empty it or choose "
                      "another folder")


def _check_branch(branch: str, setting: str, timeout) -> None:
    """ghp-import --force replaces the branch: it must be new, or hold
    only commits an earlier publish made (never the project's own source)."""
    for ref in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"):
        try:
            last = run_tool(["git", "log", "-1", "--format=%s", ref, "--"], timeout, name="git")
        except (OSError, ToolTimedOut) as error:
            raise Refused(setting, f"cannot read branch {branch}: {error}") from None
        if last.returncode == 0 and last.stdout.strip() not in ("", COMMIT_MESSAGE):
            raise Refused(setting, f'branch "{branch}" holds commits that are not publishes '
                          f'("{last.stdout.strip()[:60]}"); nothing was touched: '
                          "publish to a branch of its own, like gh-pages")


def _run(command: list[str], timeout, name=None) -> None:
    """Run a deploy tool on the terminal (it may ask for an SSH passphrase)."""
    name = name or command[0]
    try:
        result = run_tool(command, timeout, name=name, capture=False)
    except (OSError, ToolTimedOut) as error:
        raise BuildFailed([Problem(name, f"deploy failed: {error}")], "publish") from None
    if result.returncode != 0:
        raise BuildFailed([Problem(name, f"deploy failed: exit status {result.returncode}")],
                          "publish")
