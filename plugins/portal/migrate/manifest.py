"""What the import wrote (old-site/manifest.json): each old article's file
and the digest of the text written, each old file's address and where it
went. A second run compares a file with its digest: a file an editor has
changed since is never rewritten, a file already downloaded never fetched.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from .redirects import write_atomically


@dataclass
class Manifest:
    path: Path
    articles: dict[str, dict] = field(default_factory=dict)  # key -> {file, sha256, slug, old_id}
    files: dict[str, dict] = field(default_factory=dict)  # old address -> {file, sha256}

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        if not path.is_file():
            return cls(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(path, data.get("articles", {}), data.get("files", {}))

    def save(self) -> None:
        data = {"articles": dict(sorted(self.articles.items())), "files": dict(sorted(self.files.items()))}
        write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def taken_slugs(self) -> dict[str, str]:
        return {entry["slug"]: key for key, entry in self.articles.items()}
