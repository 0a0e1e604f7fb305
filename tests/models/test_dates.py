"""Dates as people type them, year first; day and month before the year: refused, not guessed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crm_desktop.models.fields import FIELDS_BY_NAME
from crm_desktop.models.rules import clean_value
from crm_desktop.models.validation import InvalidInput

DUE_AT = FIELDS_BY_NAME["tasks"]["due_at"]  # a datetime
EXPECTED_CLOSE = FIELDS_BY_NAME["opportunities"]["expected_close"]  # a date
JAN_5 = datetime(2026, 1, 5)
JAN_5_0930 = datetime(2026, 1, 5, 9, 30)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2026-01-05", JAN_5),
        ("2026/1/5", JAN_5),
        ("2026.1.5", JAN_5),
        ("2026年1月5日", JAN_5),
        ("2026 年 1 月 5 日", JAN_5),
        ("２０２６／１／５", JAN_5),  # full width, from a Chinese input method
        ("2026-01-05 09:30", JAN_5_0930),
        ("2026/1/5 9:30", JAN_5_0930),
        ("2026.1.5 9:30", JAN_5_0930),
        ("2026年1月5日 9:30", JAN_5_0930),
        ("2026年1月5日9点30分", JAN_5_0930),
        ("2026年1月5日 9点", datetime(2026, 1, 5, 9)),
        ("2026-01-05T09:30", JAN_5_0930),
        ("2026-01-05 09:30:15.250000", datetime(2026, 1, 5, 9, 30, 15, 250000)),  # as exported
    ],
)
def test_year_first_dates_in_every_usual_spelling(typed: str, meant: datetime) -> None:
    assert clean_value(DUE_AT, typed, "CN") == meant
    assert clean_value(EXPECTED_CLOSE, typed, "CN") == meant.date()


@pytest.mark.parametrize("typed", ["05/01/2026", "1/5/2026", "5.1.2026", "25-12-2026", "1/5/26"])
def test_day_and_month_before_the_year_are_refused_not_guessed(typed: str) -> None:
    for field in (DUE_AT, EXPECTED_CLOSE):
        with pytest.raises(InvalidInput) as caught:
            clean_value(field, typed, "CN")
        assert caught.value.field == field.name
        assert caught.value.text() == (
            f"{field.display_label()} must start with the year, like 2026-01-05; "
            f"“{typed}” could mean two different days."
        )


@pytest.mark.parametrize(
    "typed", ["2026-02-30", "2026年2月30日", "2026/13/1", "2026-01-05 25:00", "2026-1/5", "soon"]
)
def test_a_day_that_does_not_exist_is_a_bad_date(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_value(EXPECTED_CLOSE, typed, "CN")
    label = EXPECTED_CLOSE.display_label()
    assert caught.value.text() == f"{label} must be a date like 2024-03-31, not “{typed}”."


def test_date_and_datetime_values_pass_through() -> None:
    assert clean_value(EXPECTED_CLOSE, JAN_5_0930, "CN") == date(2026, 1, 5)
    assert clean_value(DUE_AT, date(2026, 1, 5), "CN") == JAN_5


def test_parse_typed_datetime_is_a_value_error_with_its_reason() -> None:
    from crm_desktop.models.dates import BAD_DATE, YEAR_FIRST, parse_typed_datetime

    assert parse_typed_datetime(" 2026年1月5日 9:30 ") == JAN_5_0930
    with pytest.raises(ValueError, match="start with the year") as caught:
        parse_typed_datetime("05/01/2026")
    assert caught.value.message == YEAR_FIRST  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="a date like") as caught:
        parse_typed_datetime("2026-02-30")
    assert caught.value.message == BAD_DATE  # type: ignore[attr-defined]


@pytest.mark.parametrize("typed", ["45678", "46022.375", " 45292 "])
def test_a_day_count_a_spreadsheet_stores_says_so(typed: str) -> None:
    """A date column Excel did not format as dates comes out as day counts (45678 is
    2025-01-21): the sentence says what the number is and what to do, no guess is made."""
    from crm_desktop.models.dates import DAY_COUNT

    with pytest.raises(InvalidInput) as caught:
        clean_value(EXPECTED_CLOSE, typed, "CN")
    assert caught.value.message == DAY_COUNT
    label = EXPECTED_CLOSE.display_label()
    assert caught.value.text() == (
        f"{label} holds “{typed.strip()}”, the number a spreadsheet keeps for a date: format "
        "the column as dates in the spreadsheet before saving it, or type the date like "
        "2026-01-05."
    )


@pytest.mark.parametrize("typed", ["12", "2026", "123456"])
def test_other_numbers_are_not_dates(typed: str) -> None:
    from crm_desktop.models.dates import BAD_DATE

    with pytest.raises(InvalidInput) as caught:
        clean_value(EXPECTED_CLOSE, typed, "CN")
    assert caught.value.message == BAD_DATE
