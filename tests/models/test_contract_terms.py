"""The term a renewal runs for."""

from __future__ import annotations

from datetime import date

import pytest

from crm_desktop.models.contracts import add_months, next_term
from crm_desktop.models.money import line_total_cents


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # A calendar year, a leap one, a quarter, a month ending on the 31st.
        (date(2031, 1, 1), date(2031, 12, 31), (date(2032, 1, 1), date(2032, 12, 31))),
        (date(2027, 3, 1), date(2028, 2, 29), (date(2028, 3, 1), date(2029, 2, 28))),
        (date(2031, 4, 1), date(2031, 6, 30), (date(2031, 7, 1), date(2031, 9, 30))),
        (date(2031, 1, 15), date(2031, 2, 14), (date(2031, 2, 15), date(2031, 3, 14))),
        # Terms from a month's last days: whole months still, and they do not drift.
        (date(2027, 1, 31), date(2027, 2, 28), (date(2027, 3, 1), date(2027, 3, 31))),
        (date(2024, 2, 29), date(2025, 2, 28), (date(2025, 3, 1), date(2026, 2, 28))),
        (date(2027, 8, 31), date(2027, 11, 30), (date(2027, 12, 1), date(2028, 2, 29))),
        (date(2027, 5, 31), date(2027, 8, 30), (date(2027, 8, 31), date(2027, 11, 30))),
        (date(2027, 8, 31), date(2027, 11, 30), (date(2027, 12, 1), date(2028, 2, 29))),
        # Not whole months: as many days again.
        (date(2031, 1, 1), date(2031, 1, 10), (date(2031, 1, 11), date(2031, 1, 20))),
        # No start date: a year from the day after.
        (None, date(2031, 6, 30), (date(2031, 7, 1), date(2032, 6, 30))),
    ],
)
def test_the_next_term_starts_the_day_after_and_runs_as_long(start, end, expected) -> None:
    assert next_term(start, end) == expected


def test_quarters_renewed_again_and_again_stay_quarters() -> None:
    start, end = date(2027, 5, 31), date(2027, 8, 30)
    terms = []
    for _ in range(5):
        start, end = next_term(start, end)
        terms.append((start, end))
    assert terms == [
        (date(2027, 8, 31), date(2027, 11, 30)),
        (date(2027, 12, 1), date(2028, 2, 29)),
        (date(2028, 3, 1), date(2028, 5, 31)),
        (date(2028, 6, 1), date(2028, 8, 31)),
        (date(2028, 9, 1), date(2028, 11, 30)),
    ]


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(date(2031, 1, 31), 1) == date(2031, 2, 28)
    assert add_months(date(2032, 1, 31), 1) == date(2032, 2, 29)
    assert add_months(date(2031, 11, 30), 3) == date(2032, 2, 29)


@pytest.mark.parametrize(
    ("quantity", "price", "discount", "cents"),
    [
        (3, 12_345, 10, 33_332),  # 333.315 → 333.32, half up
        (0.1, 3, 0, 0),  # 0.3 fen rounds down
        (0.5, 1_001, 0, 501),  # 500.5 → 501
        (2.5, 1, 50, 1),  # 1.25 → 1
        (1_000_000_000, 10**14 // 10**9, 100, 0),
    ],
)
def test_a_lines_total_is_exact_to_the_fen(quantity, price, discount, cents) -> None:
    assert line_total_cents(quantity, price, discount) == cents
