"""The build's own "now": the one moment everything that depends on the time
is judged at (polls open or ended, documents in force or not), so a build
is reproducible and tests are exact."""

import datetime
import os

from .problems import Problem
from .vietnamese import site_timezone


class BuildTimeError(Exception):
    """The setting or variable that fixes the build's time is wrong."""

    def __init__(self, problem: Problem):
        self.problems = [problem]
        super().__init__(str(problem))


def build_time(settings, environ=os.environ) -> datetime.datetime:
    """The build's moment, as an aware datetime.

    POLLS_NOW (a setting, site-local time) wins, then SOURCE_DATE_EPOCH (the
    reproducible-builds convention), then the clock: tests and reproducible
    builds fix it, a scheduled `invoke polls` uses the real time.
    """
    fixed = settings.get("POLLS_NOW")
    if fixed:
        zone = site_timezone(settings)
        if isinstance(fixed, datetime.datetime):
            return fixed if fixed.tzinfo else fixed.replace(tzinfo=zone)
        try:
            moment = datetime.datetime.fromisoformat(str(fixed).strip())
        except ValueError:
            raise BuildTimeError(Problem("POLLS_NOW", f'"{fixed}" is not a date and time; '
                                         "write it as 2024-05-10 08:00")) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not (epoch.isascii() and epoch.isdigit()):  # "4²" is a digit to isdigit()
            raise BuildTimeError(Problem("SOURCE_DATE_EPOCH", f'"{epoch}" is not a number of seconds'))
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.now(datetime.timezone.utc)


def build_time_is_fixed(settings, environ=os.environ) -> bool:
    """Whether the build's moment is a setting or variable rather than the clock."""
    return bool(settings.get("POLLS_NOW") or environ.get("SOURCE_DATE_EPOCH", "").strip())
