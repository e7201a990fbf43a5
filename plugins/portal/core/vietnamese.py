"""Vietnamese done right without an OS locale: dates, NFC text, sort order."""

import datetime
import unicodedata
import zoneinfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "vi"

# --- Dates --------------------------------------------------------------------


def site_timezone(settings) -> zoneinfo.ZoneInfo:
    """The time zone editors' dates and times are in (TIMEZONE)."""
    return zoneinfo.ZoneInfo(settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh")


def long_date(value: datetime.datetime, with_time: bool = False) -> str:
    """'Thứ Hai, 14/09/2020' or, when the article gave a time, with 'HH:mm'."""
    pattern = "EEEE, dd/MM/yyyy HH:mm" if with_time else "EEEE, dd/MM/yyyy"
    return format_datetime(value, pattern, locale=LOCALE, tzinfo=value.tzinfo)


def short_date(value: datetime.date) -> str:
    """'14/09/2020': for lists, where the weekday is noise."""
    return format_date(value, "dd/MM/yyyy", locale=LOCALE)


def month_year(value: datetime.date) -> str:
    """'Tháng 9, 2020': the heading of a month in the archives."""
    return format_date(value, "'Tháng' M, y", locale=LOCALE)


def number(value: int) -> str:
    """'10.000': a count as Vietnamese writes it."""
    return format_decimal(value, locale=LOCALE)


# --- Unicode ------------------------------------------------------------------


def to_nfc(text: str) -> tuple[str, bool]:
    """Text in composed form (NFC), and whether it had to change.

    Text pasted from Word or macOS often arrives decomposed (NFD): it looks
    the same but breaks search, comparison and sorting.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, False
    return unicodedata.normalize("NFC", text), True


# --- Sort order -----------------------------------------------------------------

# The Vietnamese alphabet, with the Latin letters it lacks (f j w z) placed
# where foreign words expect them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Vowel marks that make a letter of its own (ă â ê ô ơ ư).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Tones, in dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _split_tone(char: str) -> tuple[str, int]:
    """'ấ' -> ('â', 4): the letter (with its vowel mark) and its tone rank."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = 0
    kept = []
    for part in decomposed:
        if part in _TONE_RANK:
            tone = _TONE_RANK[part]
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def vietnamese_sort_key(text: str) -> tuple:
    """Sort key for Vietnamese: letters first (đ after d), then tones, then case."""
    letters = []
    tones = []
    for char in unicodedata.normalize("NFC", text).casefold():
        letter, tone = _split_tone(char)
        if letter in _LETTER_RANK:
            letters.append((1, _LETTER_RANK[letter]))
        elif letter.isdigit():
            letters.append((0, ord(letter)))
        elif letter.isspace() or letter in "-_":
            letters.append((-1, 0))  # "Tin cơ sở" before "Tinh ..."
        else:
            letters.append((2, ord(letter)))
        tones.append(tone)
    return tuple(letters), tuple(tones), text


# --- Search -----------------------------------------------------------------------


def fold_d(text: str) -> str:
    """'Đakrông' -> 'Dakrông': Pagefind ignores tone and vowel marks itself,
    but keeps đ a letter of its own, so "dakrong" would not find "Đakrông"."""
    return text.replace("đ", "d").replace("Đ", "D")
