"""Which folders a build, a publish or `invoke clean` may replace or delete,
and deleting without ever reaching outside them.

A site folder (output/, a publish target) is replaced as a whole, so a wrong
path would destroy whatever is there. Before one is touched:

- it is resolved once: a link (output -> /srv/site) leads to the real
  folder, which is replaced where it is; the link stays, and nothing
  follows it again half-way;
- it may not be the project, the home folder or a folder holding either
  (/ included), nor be, hold or sit inside one of the project's own
  folders (content/, theme/, plugins/, the cache, .git, tests/, ...);
- if it holds anything, that must include MARKER, which every build and
  publish writes: proof that what is there is a site this project made.

A refusal is one line (Refused), and nothing was touched.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path

from ..core.problems import BuildFailed, Problem, display_path

MARKER = ".portal-site"
MARKER_TEXT = ("Made by the Đakrông portal's build (plugins/portal/build). The next build\n"
               "or publish may replace this folder as a whole.\n")

# The project's folders that no setting names (content/, theme/, plugins/
# and the cache are read from the settings).
PROJECT_FOLDERS = (".git", ".ci", "tests", "bench", "scripts", ".venv", "node_modules")

# The work folders a build or a publish makes beside a site folder, e.g.
# .output.staging-k2j4x_9q: named so that a later one can tell them apart.
WORK_FOLDERS = ("staging", "pages", "incoming", "old")


class Refused(BuildFailed):
    """A folder this project will not replace or delete, or a build that
    will not wait any longer: one line, and nothing was touched."""

    def __init__(self, where: str, message: str):
        super().__init__([Problem(where, message)], "refused")

    def report(self) -> str:
        return str(self.problems[0])


def real_folder(path, where: str) -> Path:
    """`path` with every link resolved, once."""
    real = Path(os.path.realpath(path))
    if real.is_symlink():  # realpath gives up on a loop of links
        raise Refused(where, f"{display_path(path)} is a loop of symbolic links; "
                      "point it at a real folder")
    if real.exists() and not real.is_dir():
        raise Refused(where, f"{display_path(real)} is a file, not a folder")
    return real


def project_folders(settings_file, settings, *also: str) -> tuple[Path, list[Path]]:
    """The project (the settings file's folder) and its own folders, resolved,
    with the settings' paths named in `also` (e.g. "OUTPUT_PATH")."""
    project = Path(os.path.realpath(os.path.dirname(os.path.abspath(settings_file))))
    named = [settings["PATH"], settings["THEME"], *settings.get("PLUGIN_PATHS", [])]
    named += [settings[name] for name in also]
    own = [Path(os.path.realpath(project / path)) for path in named]
    own += [project / name for name in PROJECT_FOLDERS]
    return project, own


def check_replaceable(folder: Path, where: str, project: Path, own: list[Path],
                      marked: bool = True, old_build_ok: bool = False) -> None:
    """Refused unless the real folder `folder` may be replaced or deleted as
    a whole. `marked`: a folder holding anything must hold MARKER;
    `old_build_ok`: or be a site built before markers existed (index.html
    and 404.html: output/ of an earlier version of this project)."""
    shown = display_path(folder)
    anchors = {project: "the project", Path(os.path.realpath(Path.home())): "your home folder"}
    for anchor, name in anchors.items():
        if folder == anchor or folder in anchor.parents:
            what = name if folder == anchor else f"a folder holding {name}"
            raise Refused(where, f"{folder} is {what}; nothing was touched: "
                          "choose a folder of its own")
    for path in own:
        if folder == path or path in folder.parents or folder in path.parents:
            name = path.relative_to(project) if project in path.parents else path
            raise Refused(where, f"{shown} is or overlaps the project's own {name}/; "
                          "nothing was touched: choose a folder of its own")
    if os.path.ismount(folder):
        raise Refused(where, f"{shown} is a mount point, where a new site cannot be swapped "
                      "in whole; choose a folder inside it")
    if not marked or not folder.is_dir() or (folder / MARKER).is_file():
        return
    if old_build_ok and (folder / "index.html").is_file() and (folder / "404.html").is_file():
        return
    if any(folder.iterdir()):
        raise Refused(where, f"{shown} is not empty and holds no {MARKER}, so it is not a site "
                      "this project made; nothing was touched: empty it or choose another folder")


def mark_as_site(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def make_world_readable(folder: Path) -> None:
    """Folders 0755, files 0644, whatever the umask: a web server running
    as another user must read every file (under umask 027 nginx answered
    403)."""
    folder.chmod(0o755)
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            path = os.path.join(parent, name)
            if not os.path.islink(path):  # chmod would follow it
                os.chmod(path, 0o755 if name in folders else 0o644)


def new_work_folder(folder: Path, purpose: str) -> Path:
    """A fresh work folder beside `folder` (so a rename into its place stays
    on one file system), unique to this build."""
    return Path(tempfile.mkdtemp(prefix=f".{folder.name}.{purpose}-", dir=folder.parent))


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the work folders beside `folder` that a killed build (or a
    power cut) left behind: only ours by name and owner. Called with the
    folder's lock held, so no live build is using one."""
    ours = re.compile(rf"\.{re.escape(folder.name)}\.({'|'.join(WORK_FOLDERS)})(-\w+)?")
    removed = []
    for path in folder.parent.iterdir() if folder.parent.is_dir() else ():
        if ours.fullmatch(path.name) and path.lstat().st_uid == os.getuid():
            remove(path)
            removed.append(path)
    return removed


def remove(path: Path) -> None:
    """Delete a file or folder; a link is removed as a link, never followed.
    What goes meanwhile is fine (a replaced site deleted in the background
    inside the cache `invoke clean` removes: swap.discard)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, onerror=_unless_gone)


def _unless_gone(function, path, error_info) -> None:
    if not issubclass(error_info[0], FileNotFoundError):
        raise error_info[1]
