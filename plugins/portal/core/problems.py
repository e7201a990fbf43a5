"""Problems found while building: one line each, for people, not tracebacks."""

import logging
import os
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    where: str  # a path, "path:line" or "path: Field"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ContentError(Exception):
    """Bad input in one source file: raised to skip the file, reported once."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.problem = Problem(f"{path}:{line}" if line else path, message)
        super().__init__(str(self.problem))


class BuildFailed(Exception):
    """The build or its check found problems; nothing was replaced."""

    def __init__(self, problems: list[Problem], stage: str = "build"):
        # By file: Pelican reads files in the order the file system lists them.
        self.problems = sorted(problems, key=lambda problem: problem.where)
        self.stage = stage
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        lines.append(
            f"{self.stage} failed: {count} problem{'s' if count != 1 else ''}; "
            "nothing was replaced."
        )
        return "\n".join(lines)


def display_path(path: str | os.PathLike) -> str:
    """A path as an editor sees it: relative to the project, with slashes."""
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        shown = str(path)
    if shown.startswith(".."):
        shown = str(path)
    return shown.replace(os.sep, "/")


class ProblemCollector(logging.Handler):
    """Collects problems during a build.

    Our own reader reports bad files through `report()`; every warning or
    error Pelican logs becomes a problem too, so nothing Pelican noticed can
    slip into a published site. Pelican's "Could not process X" that follows
    our own report for X is dropped: the first line already says why.
    """

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.problems: list[Problem] = []
        self._reported_files: set[str] = set()

    def report(self, problem: Problem, source_path: str) -> None:
        self.problems.append(problem)
        self._reported_files.add(os.path.abspath(source_path))

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith("There are %s "):
            return  # two articles with one slug: reject_duplicate_slugs says it better
        if record.msg == "Could not process %s" and record.args:
            if self._source_reported(record.args[0]):
                return
            # Pelican logs this inside its `except` block, without the
            # exception unless DEBUG is set: it is still the one being handled.
            error = sys.exc_info()[1]
            if error is not None:
                self.problems.append(
                    Problem(display_path(record.args[0]), _one_line(error))
                )
                return
        self.problems.append(Problem("pelican", _one_line(record.getMessage())))

    def _source_reported(self, path: str) -> bool:
        absolute = os.path.abspath(path)
        return any(
            absolute == reported or reported.endswith(os.sep + str(path))
            for reported in self._reported_files
        )


def _one_line(text) -> str:
    return " ".join(str(text).split())


# The collector of the build under way; None outside a build (e.g. when a
# person runs `pelican` by hand), where problems are logged instead.
active_collector: ProblemCollector | None = None
logger = logging.getLogger("portal")


def report_problem(error: ContentError, source_path: str) -> None:
    if active_collector is not None:
        active_collector.report(error.problem, source_path)
    else:
        logger.error("%s", error.problem)
