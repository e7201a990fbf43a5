"""The set-up that `make test` does on a fresh clone: scripts/install-system-packages
installs Debian's chromium and fonts as root, and otherwise stops at once with
the apt-get command to run.

Each test runs the real script (or make) with a PATH of links to this
machine's commands, leaving out the ones a test wants missing; as root, the
user's case runs as nobody through setpriv.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SCRIPT = PROJECT / "scripts" / "install-system-packages"
SYSTEM_FOLDERS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


# What a user is told: the packages, then the command that installs them.
TOLD_TO_RUN = re.compile(r"(?P<script>\S+): missing (?P<missing>[a-z0-9.+ -]+); "
                         r"run: sudo apt-get install (?P<command>[a-z0-9.+ -]+)")
TOLD_WITHOUT_APT = re.compile(r"(?P<script>\S+): missing (?P<missing>[a-z0-9.+ -]+) \(Debian's package "
                              r"names\): install them with this system's package manager")


def not_installed(package: str) -> bool:
    """What dpkg says (True where there is no dpkg to ask)."""
    if not shutil.which("dpkg-query"):
        return True
    status = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", package],
                            capture_output=True, text=True).stdout
    return status != "installed"


def debian_packages(packages: list[str]) -> bool:
    """Whether apt knows every one of `packages` (True where apt has no package lists to ask)."""
    if not shutil.which("apt-cache") or not any(Path("/var/lib/apt/lists").glob("*_Packages*")):
        return True
    return subprocess.run(["apt-cache", "show", "--no-all-versions", *packages],
                          capture_output=True).returncode == 0


@pytest.fixture
def path_without():
    """path_without("chromium", ...): a PATH of this machine's commands but those."""
    folders = []

    def make(*left_out: str) -> str:
        folder = Path(tempfile.mkdtemp(prefix="path-without-"))
        folder.chmod(0o755)  # nobody must read it too
        folders.append(folder)
        linked = set(left_out)
        for system_folder in dict.fromkeys(os.path.realpath(name) for name in SYSTEM_FOLDERS):
            for command in sorted(os.scandir(system_folder), key=lambda entry: entry.name) \
                    if os.path.isdir(system_folder) else []:
                if command.name not in linked:  # the first on PATH wins, as in the shell
                    linked.add(command.name)
                    (folder / command.name).symlink_to(command.path)
        return str(folder)

    yield make
    for folder in folders:
        shutil.rmtree(folder)


def with_chromium(path: str) -> str:
    """`path`, with a stand-in chromium if the real one is not installed: only its presence is looked at."""
    if not shutil.which("chromium", path=path):
        stand_in = Path(path) / "chromium"
        stand_in.write_text("#!/bin/sh\n")
        stand_in.chmod(0o755)
    return path


def run_as_a_user(command: list[str], path: str, **env: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run `command` in / as a user who is not root (nobody, when we are root); returns it and its seconds."""
    if os.geteuid() == 0:
        command = NOBODY + command
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd="/",
                            env={"PATH": path, "LC_ALL": "C.UTF-8", **env})
    return result, time.monotonic() - started


def test_a_user_without_chromium_gets_the_apt_get_command_at_once(path_without):
    result, seconds = run_as_a_user([str(SCRIPT)], path_without("chromium"))
    assert (result.returncode != 0, result.stdout) == (True, "")
    [line] = result.stderr.splitlines()
    told = TOLD_TO_RUN.fullmatch(line)
    assert told, line
    assert told["script"] == str(SCRIPT)
    assert told["command"] == told["missing"]
    missing = told["missing"].split()
    assert "chromium" in missing
    # Besides the hidden chromium, it names only Debian packages that are really not installed.
    assert [package for package in missing if package != "chromium" and not not_installed(package)] == []
    assert debian_packages(missing)
    assert seconds < 2


def test_make_test_stops_on_it_before_the_venv_or_pytest(path_without):
    # Were the step to pass, pytest would only collect: no suite inside the suite.
    result, seconds = run_as_a_user(
        ["make", "--no-print-directory", "-C", str(PROJECT), "test"],
        path_without("chromium"), PYTEST_ADDOPTS="--collect-only -q")
    assert result.returncode != 0
    told = [line for line in result.stderr.splitlines() if TOLD_TO_RUN.fullmatch(line)]
    assert len(told) == 1 and " chromium" in told[0], result.stderr
    assert "system-packages] Error 1" in result.stderr
    assert "pip" not in result.stdout and "pytest" not in result.stdout
    assert seconds < 5


def test_without_apt_get_it_names_the_packages_for_another_package_manager(path_without):
    result = subprocess.run([str(SCRIPT)], capture_output=True, text=True, cwd="/", timeout=60,
                            env={"PATH": path_without("chromium", "apt-get")})
    assert result.returncode != 0
    [line] = result.stderr.splitlines()
    told = TOLD_WITHOUT_APT.fullmatch(line)
    assert told and "chromium" in told["missing"].split(), line


@pytest.mark.parametrize("who", ["this user", "a user"])
def test_with_nothing_missing_it_does_nothing_and_needs_no_apt_get(path_without, who):
    # What the script names here, chromium being there, must be really missing to excuse a skip.
    result, _ = run_as_a_user([str(SCRIPT)], with_chromium(path_without()))
    told = TOLD_TO_RUN.fullmatch(result.stderr.strip())
    if told and all(map(not_installed, told["missing"].split())) and debian_packages(told["missing"].split()):
        pytest.skip(f"not installed here: {told['missing']}; only apt-get as root installs them "
                    "(`make system-packages` or `make test` as root)")
    # No apt-get on PATH: were the script to want it, it would fail naming the packages.
    path = with_chromium(path_without("apt-get"))
    if who == "a user":
        result, seconds = run_as_a_user([str(SCRIPT)], path)
    else:
        started = time.monotonic()
        result = subprocess.run([str(SCRIPT)], capture_output=True, text=True, cwd="/", timeout=60,
                                env={"PATH": path})
        seconds = time.monotonic() - started
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert seconds < 1


def test_make_alone_lists_every_make_command_the_readme_shows():
    result = subprocess.run(["make", "--no-print-directory", "-C", str(PROJECT)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    listed = {line.split()[1] for line in result.stdout.splitlines() if line.strip().startswith("make ")}
    shown = set(re.findall(r"`make ([a-z0-9-]+)", (PROJECT / "README.md").read_text(encoding="utf-8")))
    assert shown and shown <= listed


def test_the_readme_shows_no_command_that_needs_the_venv_on_path():
    """`invoke x` fails with "command not found" on a fresh clone: README shows `make x`."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    venv_command = r"(?:invoke|pytest|pelican) "
    inline = re.findall(rf"(?<!`)`({venv_command}[^`]*)`", readme)
    in_blocks = [line.strip() for block in re.findall(r"^```[^\n]*\n(.*?)^```", readme, re.M | re.S)
                 for line in block.splitlines() if re.match(rf"\s*{venv_command}", line)]
    assert inline + in_blocks == []


def test_make_publish_passes_target_dir_to_invoke():
    result = subprocess.run(["make", "--no-print-directory", "-C", str(PROJECT), "--dry-run",
                             "publish", "TARGET_DIR=/srv/www/x"],
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == '.venv/bin/invoke publish --target-dir "/srv/www/x"'
