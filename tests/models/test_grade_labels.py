"""A grade's label says the share of customers it holds: the server's rules as the last sync
read them, the defaults (5% and 15%) for anything else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crm_desktop.models.choices import choice_label, use_grade_shares
from crm_desktop.transfer.choice_words import choice_code


@pytest.fixture(autouse=True)
def defaults_after() -> Iterator[None]:
    yield
    use_grade_shares(None)


@pytest.mark.parametrize("setting", [None, "", "7", "a,b", "5,15,1", "-1,3", "101,2", "5;15"])
def test_a_setting_that_is_not_two_shares_labels_by_the_defaults(setting: str | None) -> None:
    use_grade_shares("30,30")
    use_grade_shares(setting)
    assert (choice_label("A"), choice_label("B")) == ("A (top 5%)", "B (next 15%)")


def test_the_shares_fill_only_the_grades_labels() -> None:
    use_grade_shares("0,100")
    assert (choice_label("A"), choice_label("B")) == ("A (top 0%)", "B (next 100%)")
    assert (choice_label("C"), choice_label("company")) == ("C", "Company")


def test_an_import_reads_a_grade_written_by_its_label_whatever_the_shares() -> None:
    use_grade_shares("10,20")
    grades = ("A", "B", "C")
    assert [choice_code(grades, cell) for cell in ("A (top 5%)", "B（其次 15%）", "A")] == [
        "A",
        "B",
        "A",
    ]
