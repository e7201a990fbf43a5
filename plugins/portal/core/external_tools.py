"""Running the external programs a build or a deploy needs (Pagefind,
rsync, ghp-import) so that none can hang a build for ever: each has a time
limit, after which it is stopped and the caller reports one line."""

import os
import signal
import subprocess


class ToolTimedOut(Exception):
    def __init__(self, name: str, seconds: float):
        super().__init__(f"{name} did not finish within {seconds:g} s and was stopped")


def run_tool(command: list[str], timeout: float, *, name: str | None = None,
             capture: bool = True, environment: dict | None = None) -> subprocess.CompletedProcess:
    """Run `command`, waiting at most `timeout` seconds (then ToolTimedOut,
    which says `name`: "pagefind" reads better than python3.11 -m pagefind).

    With `capture`, its output is returned and it runs in a session of its
    own, so that whatever it started is stopped with it. Without, it shares
    the terminal: rsync and git may ask for an SSH passphrase there; then
    only the program itself is stopped (its ssh ends with it).
    `environment`, when given, replaces the process's (rclone reads its
    keys from there, never from a file or the command line).
    """
    process = subprocess.Popen(
        command, text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
        start_new_session=capture,
        env=environment,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException as error:  # the time limit, or Ctrl-C: never leave it running
        _stop(process, whole_session=capture)
        if isinstance(error, subprocess.TimeoutExpired):
            raise ToolTimedOut(name or os.path.basename(command[0]), timeout) from None
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _stop(process: subprocess.Popen, whole_session: bool) -> None:
    try:
        if whole_session:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except ProcessLookupError:
        pass  # it ended meanwhile
    process.communicate()
