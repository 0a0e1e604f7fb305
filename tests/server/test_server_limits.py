"""The server's CHECK constraints and the program's own field rules agree: a value a form or an
import accepts is never refused by the server, and the server refuses what they would."""

from __future__ import annotations

import re

import pytest

from crm_desktop.models.fields import FIELDS_BY_NAME, Kind
from crm_desktop.models.limits import MAX_MONEY_CENTS

NUMERIC = [
    (entity, field.name)
    for entity, fields in FIELDS_BY_NAME.items()
    for field in fields.values()
    if field.kind in (Kind.MONEY, Kind.INTEGER, Kind.NUMBER)
]
CHOICES = [
    (entity, field.name, field.choices)
    for entity, fields in FIELDS_BY_NAME.items()
    for field in fields.values()
    if field.kind is Kind.CHOICE and entity != "users"
]


def constraint(crm_db, table: str, column: str) -> str:
    with crm_db.connect_admin() as connection:
        found = connection.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            (f"ck_{table}_{column}",),
        ).fetchone()
    assert found is not None, f"no CHECK constraint on {table}.{column}"
    return found[0]


@pytest.mark.parametrize(("table", "column"), NUMERIC)
def test_number_ranges_match(crm_db, table: str, column: str) -> None:
    field = FIELDS_BY_NAME[table][column]
    # e.g. "CHECK (((amount_cents >= 0) AND (amount_cents <= '100000000000000'::bigint)))"
    definition = constraint(crm_db, table, column)
    low = float(re.search(r">= \(?'?(-?[\d.e+]+)", definition).group(1))
    high = float(re.search(r"<= \(?'?(-?[\d.e+]+)", definition).group(1))
    scale = 100 if field.kind is Kind.MONEY else 1  # money fields speak yuan, columns fen
    assert low == (field.minimum or 0) * scale
    assert high == field.maximum * scale
    if field.kind is Kind.MONEY:
        assert high == MAX_MONEY_CENTS


@pytest.mark.parametrize(("table", "column", "choices"), CHOICES)
def test_coded_values_match(crm_db, table: str, column: str, choices: tuple[str, ...]) -> None:
    allowed = set(re.findall(r"'([^']*)'::", constraint(crm_db, table, column)))
    assert allowed == set(choices)
