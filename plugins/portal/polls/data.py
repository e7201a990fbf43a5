"""Reading editors' poll files: one YAML file per poll in content/polls/.

Every mistake becomes a Problem naming the file, the line and the field, so
a bad poll fails the build before anything is swapped into output/.

Values are read as plain text (yaml.BaseLoader) and converted here: YAML's
own guesses ("no" as false, "2024-05-01 08:00" as text but "2024-05-01" as a
date) would surprise editors, and our messages say what to write instead.
"""

import datetime
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core.content_fields import POLL_CHOICES as CHOICES
from ..core.content_fields import POLL_FIELDS as FIELDS
from ..core.content_fields import POLL_REQUIRED as REQUIRED
from ..core.content_fields import POLL_SUFFIXES
from ..core.problems import Problem, display_path
from ..core.vietnamese import site_timezone, to_nfc
from ..read.content_files import LINK_OUT_OF_CONTENT, leads_out_of
from ..read.header import DATE_HINT, parse_date

RESULT_FIELDS = ("taken", "counts")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# ASCII digits only: str.isdigit() also takes "4²", which int() refuses.
_WHOLE_NUMBER = re.compile(r"[0-9]+")


class PollDataError(Exception):
    """One or more poll files are wrong; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class PollResults:
    taken: datetime.datetime
    counts: tuple[int, ...]  # in the order of the poll's options


@dataclass(frozen=True)
class Poll:
    id: str
    question: str
    options: tuple[str, ...]
    multiple: bool
    start: datetime.datetime  # aware, in the site's time zone
    end: datetime.datetime
    source: str  # the file, as editors see it
    vote_endpoint: str = ""
    results: PollResults | None = field(default=None)

    def is_active(self, at: datetime.datetime) -> bool:
        return self.start <= at < self.end

    def has_ended(self, at: datetime.datetime) -> bool:
        return at >= self.end


def polls_folder(settings) -> Path:
    return Path(settings["PATH"]) / settings.get("POLLS_PATH", "polls")


def load_polls(settings) -> list[Poll]:
    """Every poll in the polls folder, checked; PollDataError lists all mistakes."""
    folder = polls_folder(settings)
    if not folder.is_dir():
        return []
    timezone = site_timezone(settings)
    ignored = settings.get("IGNORE_FILES", [])
    polls, problems, first_file_of_id = [], [], {}
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in ignored):
            continue
        shown = display_path(path)
        if path.suffix.lower() == ".md":
            continue  # notes for editors (content/polls/README.md)
        if path.suffix.lower() not in POLL_SUFFIXES:
            problems.append(Problem(shown, "is not a poll file; a poll file's name ends in .yaml"))
            continue
        if leads_out_of(path, settings["PATH"]):
            problems.append(Problem(shown, LINK_OUT_OF_CONTENT))
            continue
        try:
            poll = read_poll(path, shown, timezone)
        except PollDataError as error:
            problems.extend(error.problems)
            continue
        if poll.id in first_file_of_id:
            problems.append(Problem(
                shown, f'id "{poll.id}" is also used by {first_file_of_id[poll.id]}; '
                "give each poll its own id"))
            continue
        first_file_of_id[poll.id] = shown
        polls.append(poll)
    if problems:
        raise PollDataError(problems)
    return polls


def read_poll(path: Path, shown: str, timezone) -> Poll:
    """One poll file; PollDataError with every wrong field of it."""
    try:
        text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise PollDataError([Problem(shown, "the file is not UTF-8 text; save it again "
                                     "with the encoding UTF-8")]) from None
    text, _ = to_nfc(text)
    try:
        node = yaml.compose(text, Loader=yaml.BaseLoader)
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}" if mark else shown
        reason = getattr(error, "problem", None) or "not valid YAML"
        raise PollDataError([Problem(where, f"{reason}; check the indentation, and put "
                                     'text that contains ": " in double quotes')]) from None
    if not isinstance(data, dict):
        raise PollDataError([Problem(shown, "a poll file is a list of fields "
                                     "('id: ...', 'question: ...'); see content/polls/README.md")])
    return _PollReader(shown, data, _key_lines(node), timezone).poll()


def _key_lines(node) -> dict[str, int]:
    """The line of each top-level field, for messages."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _ in node.value
            if isinstance(key, yaml.ScalarNode)}


class _PollReader:
    """Checks one poll's fields, collecting every problem before raising."""

    def __init__(self, shown, data, lines, timezone):
        self.shown, self.data, self.lines, self.timezone = shown, data, lines, timezone
        self.problems: list[Problem] = []

    def problem(self, key: str | None, message: str) -> None:
        line = self.lines.get(key) if key else None
        self.problems.append(Problem(f"{self.shown}:{line}" if line else self.shown, message))

    def poll(self) -> Poll:
        for key in self.data:
            if key not in FIELDS:
                self.problem(key, f'unknown field "{key}"; a poll has only: {", ".join(FIELDS)}')
        for key in REQUIRED:
            if key not in self.data:
                self.problem(None, f'{key} is missing; add a line "{key}: ..."')
        poll_id = self.text("id")
        if poll_id and not _ID.match(poll_id):
            self.problem("id", f'id "{poll_id}" may have only lower-case letters a-z, digits '
                         'and hyphens, e.g. "chuyen-doi-so-2024"')
        question = self.text("question")
        options = self.options()
        choice = self.text("choice") or "single"
        if choice not in CHOICES:
            self.problem("choice", f'choice "{choice}" is unknown; use single or multiple')
        start, end = self.time("start"), self.time("end")
        if start and end and end <= start:
            self.problem("end", f"end ({end:%Y-%m-%d %H:%M}) is not after start "
                         f"({start:%Y-%m-%d %H:%M})")
        endpoint = self.text("vote_endpoint")
        if endpoint and not endpoint.startswith("https://"):
            self.problem("vote_endpoint", f'vote_endpoint "{endpoint}" must be an address '
                         "starting with https://")
        results = self.results(options) if "results" in self.data else None
        if self.problems:
            raise PollDataError(self.problems)
        return Poll(id=poll_id, question=question, options=tuple(options),
                    multiple=choice == "multiple", start=start, end=end, source=self.shown,
                    vote_endpoint=endpoint, results=results)

    def text(self, key: str) -> str:
        value = self.data.get(key, "")
        if not isinstance(value, str):
            self.problem(key, f"{key} must be one line of text")
            return ""
        value = " ".join(value.split())
        if key in self.data and not value and key in REQUIRED:
            self.problem(key, f'{key} is empty; write it after "{key}:"')
        return value

    def time(self, key: str) -> datetime.datetime | None:
        value = self.text(key)
        if not value:
            return None
        try:
            naive = parse_date(value)
        except ValueError as error:
            self.problem(key, f"{key}: {error}".replace("Date ", "", 1))
            return None
        return naive.replace(tzinfo=self.timezone)

    def options(self) -> list[str]:
        value = self.data.get("options")
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(o, str) for o in value):
            self.problem("options", 'options must be a list, one option a line: "  - Rất hữu ích"')
            return []
        options = [" ".join(o.split()) for o in value]
        if len([o for o in options if o]) < 2:
            self.problem("options", f"options has {len(options)} option(s); a poll needs at least 2")
        if "" in options:
            self.problem("options", "options has an empty option; write its text or remove the line")
        repeated = sorted({o for o in options if o and options.count(o) > 1})
        if repeated:
            self.problem("options", f'options has "{repeated[0]}" more than once')
        return options

    def results(self, options: list[str]) -> PollResults | None:
        value = self.data["results"]
        if not isinstance(value, dict):
            self.problem("results", 'results must have "taken:" and "counts:" lines under it')
            return None
        for key in value:
            if key not in RESULT_FIELDS:
                self.problem("results", f'unknown field "results: {key}"; results have only: '
                             f'{", ".join(RESULT_FIELDS)}')
        taken = None
        if "taken" not in value or not isinstance(value["taken"], str):
            self.problem("results", f'results: taken is missing; add the date the counts '
                         f'were taken ({DATE_HINT})')
        else:
            try:
                taken = parse_date(value["taken"].strip()).replace(tzinfo=self.timezone)
            except ValueError as error:
                self.problem("results", f"results: taken: {error}".replace("Date ", "", 1))
        counts = value.get("counts")
        if not isinstance(counts, dict):
            self.problem("results", 'results: counts must list each option with its count: '
                         '"    Rất hữu ích: 120"')
            return None
        counts = {" ".join(str(k).split()): v for k, v in counts.items()}
        for name in counts:
            if name not in options:
                self.problem("results", f'results: counts has "{name}", which is not one of the options')
        numbers = []
        for option in options:
            raw = counts.get(option)
            if raw is None:
                self.problem("results", f'results: counts lacks the option "{option}"')
            elif not (isinstance(raw, str) and _WHOLE_NUMBER.fullmatch(raw.strip())):
                self.problem("results", f'results: counts of "{option}" is "{raw}"; '
                             "write a whole number without dots or spaces, e.g. 1250")
            else:
                numbers.append(int(raw))
        if taken is None or len(numbers) != len(options):
            return None
        return PollResults(taken=taken, counts=tuple(numbers))
