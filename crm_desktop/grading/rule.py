"""The grading rule: customers ranked by value, the top A_PERCENT graded A, the next
B_PERCENT B, the rest C. The server's rule (migration 0015, `crm_proposed_grades`) in Python,
kept the same: ties go to the customer entered first (then the lower id), and a customer
worth nothing is C whatever its place, so a store where few customers paid has few A and B.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from crm_desktop.models.choices import DEFAULT_GRADE_SHARES, Grade

# The server's defaults (its rules grade_a_percent and grade_b_percent).
A_PERCENT, B_PERCENT = DEFAULT_GRADE_SHARES


class Valued(NamedTuple):
    """A live customer as the rule sees it."""

    customer_id: str
    value: int  # fen paid in the twelve months to today
    # When it was entered, as anything that sorts in time order: the store's ISO text (the
    # 100,000 customers of a store are ranked without parsing a time each).
    entered: object


def proposed_grades(
    customers: Iterable[Valued], a_percent: int = A_PERCENT, b_percent: int = B_PERCENT
) -> dict[str, str]:
    """Each customer's grade by the rule, by id."""
    ranked = sorted(customers, key=_rank_order)
    a_places = _places(len(ranked), a_percent)
    b_places = _places(len(ranked), min(100, a_percent + b_percent))
    grades: dict[str, str] = {}
    for place, customer in enumerate(ranked, start=1):
        if customer.value > 0 and place <= a_places:
            grades[customer.customer_id] = Grade.A.value
        elif customer.value > 0 and place <= b_places:
            grades[customer.customer_id] = Grade.B.value
        else:
            grades[customer.customer_id] = Grade.C.value
    return grades


def _rank_order(customer: Valued) -> tuple[int, object, str]:
    return -customer.value, customer.entered, customer.customer_id


def _places(population: int, percent: int) -> int:
    """How many places a share of the customers takes, rounded up (5% of 30 is 2), as the
    server counts: (population * percent + 99) / 100 in whole numbers."""
    return (population * percent + 99) // 100
