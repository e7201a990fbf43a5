"""What the editor may ask its local backend to do.

decap-server reads, writes and deletes whatever path a request names under
its folder, of any kind: an `.html` page in content/images/ would be
published as it is, and a request from anything that can reach it is
obeyed. Every request passes through check_request() first, in the editor
server (backend.py), and is refused, with one line in Vietnamese, unless:

- it is one of the actions the editor uses with files on disk (not the
  git workflow's);
- every path it names is relative, without "..", hidden names or
  backslashes, and stays inside content/ once symbolic links are followed;
- every file it names is Markdown, YAML or a photo.

decap-server runs with content/ as its folder too, so a path that slipped
through would still be refused there.
"""

import os
from pathlib import Path, PurePosixPath

from ..core.content_fields import POLL_SUFFIXES
from ..read.content_files import MARKDOWN_SUFFIXES, PHOTO_SUFFIXES

# The local backend's actions for files on disk (decap-server's fs mode).
ACTIONS = {"info", "entriesByFolder", "entriesByFiles", "getEntry", "persistEntry", "getMedia",
           "getMediaFile", "persistMedia", "deleteFile", "deleteFiles", "getDeployPreview"}
# An SVG can carry a script that runs from the portal's own address.
PHOTOS = tuple(suffix for suffix in PHOTO_SUFFIXES if suffix != ".svg")
FILE_SUFFIXES = (*MARKDOWN_SUFFIXES, *POLL_SUFFIXES, *PHOTOS)
MAX_PATH_LENGTH = 1024


class Refused(Exception):
    """A request the editor's backend will not carry out; str() says why."""


def check_request(request: object, content: str | os.PathLike) -> None:
    """Refused unless `request` (the decoded JSON body) is allowed."""
    if not isinstance(request, dict) or not isinstance(request.get("params", {}), dict):
        raise Refused("Yêu cầu không đúng dạng.")
    action = request.get("action")
    if action not in ACTIONS:
        raise Refused(f"Trình soạn bài không làm việc “{action}”.")
    params = request.get("params") or {}
    for kind, path in paths_of(action, params):
        check_path(path, kind, content)
    if action == "entriesByFolder":
        extension = params.get("extension")
        if not isinstance(extension, str) or f".{extension.lower()}" not in FILE_SUFFIXES:
            raise Refused(f"Không đọc được loại tệp “{extension}”: chỉ bài viết (.md), "
                          "bình chọn (.yaml) và ảnh.")


def paths_of(action: str, params: dict) -> list[tuple[str, object]]:
    """("file" or "folder", path) for every path the request names."""
    found = []
    if action == "entriesByFolder":
        found.append(("folder", params.get("folder")))
    elif action == "getMedia":
        found.append(("folder", params.get("mediaFolder")))
    elif action in ("getEntry", "getMediaFile", "deleteFile"):
        found.append(("file", params.get("path")))
    elif action == "deleteFiles":
        found += [("file", path) for path in _list(params.get("paths"))]
    elif action == "entriesByFiles":
        found += [("file", item.get("path") if isinstance(item, dict) else item)
                  for item in _list(params.get("files"))]
    elif action == "persistMedia":
        asset = params.get("asset")
        found.append(("file", asset.get("path") if isinstance(asset, dict) else asset))
    elif action == "persistEntry":
        files = [params["entry"]] if "entry" in params else _list(params.get("dataFiles"))
        for item in files:
            if not isinstance(item, dict):
                found.append(("file", item))
                continue
            found.append(("file", item.get("path")))
            if item.get("newPath") is not None:
                found.append(("file", item.get("newPath")))
        for asset in _list(params.get("assets")):
            found.append(("file", asset.get("path") if isinstance(asset, dict) else asset))
    return found


def _list(value) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Refused("Yêu cầu không đúng dạng.")
    return value


def check_path(path: object, kind: str, content: str | os.PathLike) -> Path:
    """The file or folder `path` names in content/; Refused unless it is one
    the editor may read or write."""
    if not isinstance(path, str) or not path or len(path) > MAX_PATH_LENGTH or "\0" in path:
        raise Refused("Đường dẫn không đúng dạng.")
    outside = f"Không được đụng tới “{path}”: trình soạn bài chỉ làm việc trong thư mục content/."
    parts = PurePosixPath(path).parts
    if ("\\" in path or path.startswith(("/", "~")) or os.path.isabs(path) or ":" in parts[0]
            or ".." in parts):
        raise Refused(outside)
    if any(part.startswith(".") and part != "." for part in parts):
        raise Refused(f"Không được đụng tới “{path}”: tên tệp, thư mục không được bắt đầu "
                      "bằng dấu chấm.")
    root = os.path.realpath(content)
    real = os.path.realpath(os.path.join(root, *parts))
    if os.path.commonpath([real, root]) != root:
        raise Refused(outside)  # a symbolic link on the way leads out
    if kind == "file":
        if real == root or not path.lower().endswith(FILE_SUFFIXES):
            raise Refused(f"Không được ghi tệp “{path}”: chỉ bài viết (.md), bình chọn (.yaml) "
                          "và ảnh (.jpg, .png, .webp, .heic…).")
        if os.path.lexists(real) and not os.path.isfile(real):
            raise Refused(f"“{path}” không phải là một tệp thường.")
    return Path(real)
