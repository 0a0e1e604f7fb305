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


def next_term(start_on: date | None, end_on: date) -> tuple[date, date]:
    """The term of the contract that renews one running from `start_on` to `end_on`
    (inclusive): it starts the day after, and runs as long. A term of whole months (a year,
    a quarter) renews by months, so 1 March 2027 - 29 February 2028 is followed by 1 March
    2028 - 28 February 2029; any other term by its number of days."""
    start = end_on + timedelta(days=1)
    if start_on is None:
        return start, add_months(start, DEFAULT_TERM_MONTHS) - timedelta(days=1)
    months = (start.year - start_on.year) * 12 + start.month - start_on.month
    if months > 0 and add_months(start_on, months) == start:
        return start, add_months(start, months) - timedelta(days=1)
    return start, start + (end_on - start_on)
