"""Deploy a checked build to the one target publishconf.py names.

PUBLISH_TARGET is "dir:PATH" (a local folder, e.g. nginx's root),
"rsync:USER@HOST:PATH" (over SSH) or "gh-pages:BRANCH" (ghp-import).
"""

import shutil
import subprocess
import sys
from pathlib import Path

from ..core.problems import BuildFailed, Problem, display_path
from ..core.settings import load_settings
from .swap import replace_directory


def deploy(output, settings_file="publishconf.py", target_dir=None) -> str:
    """Deploy `output`; returns a one-line account of where it went."""
    settings = load_settings(settings_file)
    target = f"dir:{target_dir}" if target_dir else settings.get("PUBLISH_TARGET", "")
    kind, _, where = target.partition(":")
    deployers = {"dir": to_directory, "rsync": with_rsync, "gh-pages": to_gh_pages}
    if kind not in deployers or not where:
        raise BuildFailed(
            [Problem(settings_file, f'PUBLISH_TARGET "{target}" is not "dir:PATH", '
                     '"rsync:USER@HOST:PATH" or "gh-pages:BRANCH"')],
            "publish",
        )
    deployers[kind](Path(output), where)
    print(f"Published {display_path(output)}/ to {target}")
    return target


def to_directory(output: Path, target: str) -> None:
    """Copy beside the target, then swap: the web server sees the old site or
    the new one, even if the copy is interrupted."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming")
    shutil.rmtree(incoming, ignore_errors=True)
    try:
        shutil.copytree(output, incoming, copy_function=shutil.copy2)
        incoming.chmod(0o755)  # the document root must be readable by the server
        replace_directory(incoming, target)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)


def with_rsync(output: Path, destination: str) -> None:
    # --delay-updates puts files in place only at the end of the transfer.
    _run(["rsync", "-rlptz", "--delete", "--delay-updates", f"{output}/", destination])


def to_gh_pages(output: Path, branch: str) -> None:
    _run([sys.executable, "-m", "ghp_import", "--no-jekyll", "--push", "--force",
          "--branch", branch, "--message", "Publish the portal", str(output)])


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise BuildFailed([Problem(command[0], f"deploy failed: {error}")], "publish") from None
