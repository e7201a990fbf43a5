"""Old categories -> the site's PORTAL_CATEGORIES, in a file the import
writes and the officer completes (old-site/mapping.yaml):

    categories:
      tin-co-so: Tin cơ sở            # "Tin cơ sở" (nukeviet), 12 bài
      hoat-dong-doan-the: ""          # "Hoạt động đoàn thể" (nukeviet), 3 bài
    default_author: ""

An old category left empty stops the import before it writes anything.
`default_author` is the Author of old articles that name neither an
author nor a source; left empty, those articles are listed and skipped.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core.problems import display_path
from .redirects import write_atomically

HEADER = """\
# Chuyên mục của cổng cũ -> chuyên mục của cổng mới (một trong PORTAL_CATEGORIES:
#   {categories}).
# Điền chuyên mục mới sau mỗi chuyên mục cũ còn trống (""), rồi chạy lại `invoke import`.
# Old categories -> new ones; fill in each empty one, then run the import again.
"""


class MappingError(Exception):
    pass


@dataclass
class Mapping:
    categories: dict[str, str] = field(default_factory=dict)
    default_author: str = ""


def read_mapping(path: Path, allowed: list[str]) -> Mapping:
    if not path.is_file():
        return Mapping()
    shown = display_path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", -1) + 1
        raise MappingError(f'{shown}:{line}: not valid YAML; write each line as  old-category: "New category"') from None
    categories = data.get("categories") or {}
    if not isinstance(categories, dict):
        raise MappingError(f"{shown}: categories must be a list of  old-category: New category  lines")
    for old, new in categories.items():
        if new and new not in allowed:
            raise MappingError(f'{shown}: "{old}: {new}": "{new}" is not one of: {", ".join(allowed)}')
    return Mapping({str(old): (new or "") for old, new in categories.items()},
                   str(data.get("default_author") or "").strip())


def _yaml_value(text: str) -> str:
    return '""' if not text else yaml.safe_dump(text, allow_unicode=True).strip().removesuffix("...").strip()


def write_mapping(path: Path, mapping: Mapping, notes: dict[str, str], allowed: list[str]) -> None:
    """The mapping with a line for every old category (`notes`: its title and count)."""
    lines = [HEADER.format(categories=", ".join(allowed)), "categories:"]
    for old in sorted(set(mapping.categories) | set(notes)):
        value, key = _yaml_value(mapping.categories.get(old, "")), _yaml_value(old)
        note = f"  # {notes[old]}" if old in notes else ""
        lines.append(f"  {key}: {value}{note}")
    lines += ["", "# Tác giả cho bài cũ không ghi tác giả hay nguồn tin (để trống: các bài đó được liệt kê và bỏ qua).",
              "# Author of old articles naming neither an author nor a source (empty: they are listed and skipped).",
              f"default_author: {_yaml_value(mapping.default_author)}",
              ""]
    write_atomically(path, "\n".join(lines))
