"""Rules of contracts that need no store: the term a renewal runs for."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

DEFAULT_TERM_MONTHS = 12  # a contract with no start date renews for a year


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it has no such day
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def term_end(start: date, months: int) -> date:
    """The last day of a term of `months` whole months from `start`: the day before the same
    day `months` later; where that month has no such day, the month's last day (a month from
    31 January runs to the end of February, a year from 29 February 2024 to 28 February 2025).
    """
    same_day = add_months(start, months)
    if same_day.day < start.day:  # the month is too short: its next day is the anniversary
        return same_day
    return same_day - timedelta(days=1)


def next_term(start_on: date | None, end_on: date) -> tuple[date, date]:
    """The term of the contract that renews one running from `start_on` to `end_on`
    (inclusive): it starts the day after, and runs as long. A term of whole months (a year,
    a quarter, a month from the 31st to the end of the next month) renews by months, so
    1 March 2027 - 29 February 2028 is followed by 1 March 2028 - 28 February 2029, and
    31 August - 30 November by 1 December - 29 February; any other term by its number of
    days."""
    start = end_on + timedelta(days=1)
    if start_on is None:
        return start, term_end(start, DEFAULT_TERM_MONTHS)
    months = (start.year - start_on.year) * 12 + start.month - start_on.month
    # A term from a month's last days may end a month short of the day after (31 January to
    # 28 February: 1 March), so the month before counts too.
    for whole in (months, months - 1):
        if whole > 0 and term_end(start_on, whole) == end_on:
            return start, term_end(start, whole)
    return start, start + (end_on - start_on)
