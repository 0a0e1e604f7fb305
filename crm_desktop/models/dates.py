"""Dates and times as people type them, always year first: 2026-01-05, 2026/1/5, 2026.1.5,
2026年1月5日, each optionally with a time (9:30, 09:30:15, 9点30分).

A day and month written before the year (05/01/2026) is refused, never guessed: half the world
reads it as 5 January and the other half as 1 May, and a wrong guess is silently a wrong date.
Used by the rules (forms and imports) and meant for the window's date editors as well.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP

BAD_DATE = QT_TRANSLATE_NOOP("Validation", "{field} must be a date like 2024-03-31, not “{value}”.")
YEAR_FIRST = QT_TRANSLATE_NOOP(
    "Validation",
    "{field} must start with the year, like 2026-01-05; “{value}” could mean two different days.",
)
DAY_COUNT = QT_TRANSLATE_NOOP(
    "Validation",
    "{field} holds “{value}”, the number a spreadsheet keeps for a date: format the column as "
    "dates in the spreadsheet before saving it, or type the date like 2026-01-05.",
)

# The same separator twice, so "2026-1/5" is a typing slip rather than a date.
_NUMERIC_DATE = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_CLOCK_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?")
_CHINESE_TIME = re.compile(r"(\d{1,2})\s*[点时]\s*(?:(\d{1,2})\s*分?\s*(?:(\d{1,2})\s*秒)?)?")
# What Excel stores for a date between 1954 and 2119 (days since 1899-12-30, a fraction for
# the time), shown as such when its column was not formatted as dates.
_DAY_COUNT = re.compile(r"[2-7]\d{4}(?:\.\d+)?")
# Day and month before a year of any length: "05/01/2026", "1.5.26".
_YEAR_LAST = re.compile(r"\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}(?!\d)")


class TypedDateError(ValueError):
    """Why a text is not a date: `message` is an untranslated "Validation" sentence taking
    {field} and {value} (BAD_DATE, YEAR_FIRST or DAY_COUNT); str() is that sentence in English."""

    def __init__(self, message: str, value: str) -> None:
        self.message = message
        self.value = value
        super().__init__(message.format(field="The date", value=value))


def parse_typed_datetime(text: str) -> datetime:
    """A naive datetime (midnight when no time is typed) from year-first text, or
    TypedDateError (a ValueError) saying why not."""
    # NFKC makes full-width input from a Chinese input method (２０２６／１／５) plain ASCII.
    typed = unicodedata.normalize("NFKC", text).strip()
    found = _NUMERIC_DATE.match(typed) or _CHINESE_DATE.match(typed)
    if found is None and _YEAR_LAST.match(typed):
        raise TypedDateError(YEAR_FIRST, text.strip())
    try:
        moment = _year_first(found, typed) if found else None
    except ValueError:  # 2026-02-30, 25:00
        raise TypedDateError(BAD_DATE, text.strip()) from None
    if moment is None:
        try:
            # Anything else ISO 8601 writes (2026-01-05T09:30:00+08:00, 20260105); an offset is
            # dropped, as it is for a datetime value given directly.
            moment = datetime.fromisoformat(typed).replace(tzinfo=None)
        except ValueError:
            reason = DAY_COUNT if _DAY_COUNT.fullmatch(typed) else BAD_DATE
            raise TypedDateError(reason, text.strip()) from None
    return moment


def _year_first(found: re.Match[str], typed: str) -> datetime | None:
    """The datetime a matched year-first date and what follows it write; None when the rest is
    not a plain time (it may still be ISO 8601); ValueError for a day or time that is not."""
    # The numeric pattern has the separator as its second group; month and day are the last two.
    year, month, day = (int(found.group(n)) for n in (1, found.re.groups - 1, found.re.groups))
    rest = typed[found.end() :]
    # A time follows after a space or ISO's "T"; straight after 日 it needs neither.
    if rest[:1] in ("T", "t"):
        rest = rest[1:]
    elif rest and not (rest[0].isspace() or found.group().endswith(("日", "号"))):
        return None
    rest = rest.strip()
    hour = minute = second = micro = 0
    if rest:
        clock = _CLOCK_TIME.fullmatch(rest) or _CHINESE_TIME.fullmatch(rest)
        if clock is None:
            return None
        hour, minute, second = (int(part or 0) for part in clock.groups()[:3])
        fraction = clock.group(4) if clock.re is _CLOCK_TIME else None
        micro = int((fraction or "").ljust(6, "0"))
    return datetime(year, month, day, hour, minute, second, micro)


def end_of_local_day(now_utc: datetime, days_ahead: int = 0) -> datetime:
    """Midnight after the local day (`days_ahead` days on) that `now_utc` falls on, as naive
    UTC like the stored times: what "due today" compares with, by the user's own clock."""
    local = now_utc.replace(tzinfo=UTC).astimezone()
    midnight = datetime.combine(local.date() + timedelta(days=days_ahead + 1), time())
    return midnight.astimezone(UTC).replace(tzinfo=None)


def local_date(now_utc: datetime) -> date:
    """The user's own calendar day at `now_utc` (naive UTC, as stored)."""
    return now_utc.replace(tzinfo=UTC).astimezone().date()


def local_to_utc(local: datetime) -> datetime:
    """A naive local time (as a user picks it) as naive UTC, as stored."""
    return local.astimezone(UTC).replace(tzinfo=None)


def is_day_only(moment_utc: datetime) -> bool:
    """Whether a stored time (naive UTC) is the user's local midnight: a day given without a
    time of day ("tomorrow", 2026-01-05 typed, a day picked on the calendar)."""
    return moment_utc.replace(tzinfo=UTC).astimezone().time() == time()


def is_late(due_utc: datetime, now_utc: datetime) -> bool:
    """Whether something due at `due_utc` is overdue at `now_utc` (both naive UTC, as stored).
    A day given without a time is due by the end of that day, not from its first minute: a
    task set for tomorrow is not overdue all of tomorrow. queries/tables.late_sql is the same
    rule in SQL."""
    if is_day_only(due_utc):
        return end_of_local_day(due_utc) <= now_utc
    return due_utc < now_utc
