"""Problems found while building: one line each, for people, not tracebacks."""

import logging
import os
import re
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    where: str  # a path, "path:line" or "path: Field"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ContentError(Exception):
    """Bad input in one source file: raised to skip the file, reported once.
    `problems` holds every problem found in the file (`together`), so that
    one build lists them all; `problem` is the first."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.problems = [Problem(f"{path}:{line}" if line else path, message)]
        super().__init__(str(self.problems[0]))

    @property
    def problem(self) -> Problem:
        return self.problems[0]

    @classmethod
    def together(cls, errors: list["ContentError"]) -> "ContentError":
        """One error carrying the problems of all `errors` (at least one)."""
        first = errors[0].problem
        combined = cls(first.where, first.message)
        # Once each: a link in the Summary and in the body is one mistake.
        combined.problems = list(dict.fromkeys(problem for error in errors for problem in error.problems))
        combined.args = ("\n".join(str(problem) for problem in combined.problems),)
        return combined


class BuildFailed(Exception):
    """The build or its check found problems; nothing was replaced."""

    def __init__(self, problems: list[Problem], stage: str = "build"):
        # By file: Pelican reads files in the order the file system lists them.
        self.problems = sorted(problems, key=_file_then_line)
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


def _file_then_line(problem: Problem) -> tuple[str, int]:
    """"content/a.md:9" before "content/a.md:10": lines in number order."""
    path, _, line = problem.where.rpartition(":")
    return (path, int(line)) if line.isdigit() else (problem.where, 0)


def shortened(text: str, limit: int = 60) -> str:
    """A value short enough to quote in a one-line message (a pasted
    paragraph or a 10 MB line would drown the rest of the report)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def display_path(path: str | os.PathLike) -> str:
    """A path as an editor sees it: relative to the project, with slashes."""
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        shown = str(path)
    if shown.startswith(".."):
        shown = str(path)
    return shown.replace(os.sep, "/")


# Pelican's warnings about the links of one article or page name the link
# but not the file that has it, in words for developers. They are logged
# while that content is rendered (Content._link_replacer), so the content is
# on the stack; the messages to show instead, formatted with the record's args.
LINK_WARNINGS = {
    "Unable to find '%s', skipping url replacement.":
        'link to "{0}" leads to no article, page or file that the site publishes; '
        "correct the name, or fix the linked file if it has a problem of its own",
    "{filename} used for linking to static content %s in %s. Use {static} instead":
        'link to "{0}" uses {{filename}}, which is for articles and pages; '
        "write {{static}} for a photo or a file to download",
    "Replacement Indicator %r not recognized in %r, skipping replacement":
        'link "{1}" is not a kind of link the site knows; write {{filename}}/... for an '
        "article or page, {{static}}/... for a photo or a file to download",
    "The {attach} link in %s cannot relocate %s because %s. Falling back to "
    "{filename} link behavior instead.":
        'link to "{1}" uses {{attach}}, but the file is linked from elsewhere too, so it cannot '
        "move beside this article; write {{static}} instead of {{attach}}",
}


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
            return  # two articles or pages with one slug: reject_duplicate_slugs says it better
        if record.msg == "Could not process %s" and record.args:
            path = _in_generator_folder(record.args[0])
            if self._source_reported(path):
                return
            # Pelican logs this inside its `except` block, without the
            # exception unless DEBUG is set: it is still the one being handled.
            error = sys.exc_info()[1]
            if error is not None:
                self.problems.append(crash_problem(error, display_path(path)))
                return
        if record.msg in LINK_WARNINGS:
            content = _caller_self(_is_article_or_page)
            if content is not None:
                message = LINK_WARNINGS[record.msg].format(*record.args)
                self.problems.append(Problem(display_path(content.source_path), message))
                return
        self.problems.append(Problem("pelican", _one_line(record.getMessage())))

    def _source_reported(self, path: str) -> bool:
        absolute = os.path.abspath(path)
        return any(
            absolute == reported or reported.endswith(os.sep + str(path))
            for reported in self._reported_files
        )


def _caller_self(wanted):
    """The first `self` up the stack for which wanted(self) is true: the
    object whose method logged the record being handled, or None."""
    frame = sys._getframe(1)
    while frame is not None:
        owner = frame.f_locals.get("self")
        if owner is not None and wanted(owner):
            return owner
        frame = frame.f_back
    return None


def _is_article_or_page(owner) -> bool:
    # Imported here: tools that only format problems need not load Pelican.
    from pelican.contents import Content, Static

    # A Static is a Content too: {attach} logs from the linked file's method.
    return isinstance(owner, Content) and not isinstance(owner, Static)


def _in_generator_folder(path: str) -> str:
    """Pelican names a file it could not process relative to its content
    folder (PATH); as a full path, it is shown with its content/ prefix."""
    from pelican.generators import Generator

    generator = _caller_self(lambda owner: isinstance(owner, Generator))
    return os.path.join(generator.path, path) if generator is not None else path


def _one_line(text) -> str:
    return " ".join(str(text).split())


# Pelican's PelicanTemplateNotFound: a page template the theme lacks. It names the
# folders searched, as a list: the theme's templates folder is the last.
_MISSING_PAGE_TEMPLATE = re.compile(
    r"\[templates\] unable to load (?P<name>\S+)\[(?P<extension>\.\w+).*'(?P<folder>[^']+)'\]$")
FIX_TEMPLATE = "correct the template at that line (a file of the site's theme, not an article)"


def crash_problem(error: BaseException, source: str | None = None) -> Problem:
    """The problem for an exception that stopped Pelican, or its reading of
    the file `source`: when it came from a template of the theme, named by
    the template's file and line, which Jinja's message leaves out;
    otherwise the error's message, named by `source` (or "pelican")."""
    # Imported here: tools that only format problems need not load Jinja.
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    message = _one_line(error).rstrip(".")
    on_source = f"; it failed while reading {source}" if source else ""
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return Problem(f"{display_path(error.filename)}:{error.lineno}",
                       f"{message}; {FIX_TEMPLATE}{on_source}")
    missing_page_template = _MISSING_PAGE_TEMPLATE.match(message)
    if missing_page_template:
        template = os.path.join(missing_page_template["folder"],
                                missing_page_template["name"] + missing_page_template["extension"])
        return Problem(display_path(template), "is missing from the theme, and Pelican needs it "
                       "to write pages; restore the file from the repository")
    template_line, raised_in = _template_frames(error)
    if template_line is None:
        return Problem(source or "pelican", _one_line(error))
    if isinstance(error, TemplateNotFound):
        message = f'includes "{error.name}", which is not in the theme'
    elif not isinstance(error, TemplateError):
        # Python's own messages need their kind: a KeyError's is only the key.
        message = f"{type(error).__name__}: {message}"
    if raised_in:
        message += f" (raised in {raised_in}, which the template calls)"
    return Problem(template_line, f"{message}; {FIX_TEMPLATE}{on_source}")


def _template_frames(error: BaseException) -> tuple[str | None, str | None]:
    """"path:line" of the innermost template in the error's traceback (or
    None), and of the Python code it called that raised the error, unless
    that is Jinja's own. Jinja rewrites the frames of template code to point
    at the template's file and line, in fake frames that hold the exception."""
    import jinja2

    template_line = raised_in = None
    jinja_folder = os.path.dirname(jinja2.__file__)
    traceback = error.__traceback__
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if "__jinja_exception__" in traceback.tb_frame.f_globals:
            template_line, raised_in = f"{display_path(code.co_filename)}:{traceback.tb_lineno}", None
        elif template_line and not code.co_filename.startswith(jinja_folder + os.sep):
            raised_in = f"{display_path(code.co_filename)}:{traceback.tb_lineno}"
        traceback = traceback.tb_next
    return template_line, raised_in


# The collector of the build under way; None outside a build (e.g. when a
# person runs `pelican` by hand), where problems are logged instead.
active_collector: ProblemCollector | None = None
logger = logging.getLogger("portal")


def report_problem(error: ContentError, source_path: str) -> None:
    for problem in error.problems:
        if active_collector is not None:
            active_collector.report(problem, source_path)
        else:
            logger.error("%s", problem)
