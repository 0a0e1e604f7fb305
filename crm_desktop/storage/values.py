"""Python values as the local store keeps them, for statements sent straight to sqlite3, and the
few such statements many modules send (which ids a table holds, local settings)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")

# Values bound in one IN (...) list: well under SQLite's limit on a statement's parameters.
IN_LIST = 500


def to_sqlite(value: Any) -> Any:
    """A Python value as SQLAlchemy's SQLite types store it (times as ISO text)."""
    if isinstance(value, datetime):
        return value.isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def in_parts(values: Sequence[T], size: int = IN_LIST) -> Iterator[Sequence[T]]:
    """`values` a few hundred at a time, for statements that take them in one IN (...) list."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def in_lists(values: Sequence[Any], size: int = IN_LIST) -> Iterator[tuple[Sequence[Any], str]]:
    """in_parts, each part with its "?, ?, ..." placeholders (for statements sent straight to
    sqlite3)."""
    for part in in_parts(values, size):
        yield part, ", ".join("?" * len(part))


def absent_ids(driver: Any, table: str, ids: Iterable[str]) -> set[str]:
    """Those of these ids no row of `table` has (a deleted row is there), given the raw sqlite3
    connection."""
    wanted = set(ids)
    present: set[str] = set()
    for part, marks in in_lists(sorted(wanted)):
        present.update(
            row[0] for row in driver.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", part)
        )
    return wanted - present


def put_settings(driver: Any, values: dict[str, str]) -> None:
    """Store these local settings (key → value) in the caller's transaction, given the raw
    sqlite3 connection."""
    marks = ", ".join("(?, ?)" for _ in values)
    driver.execute(
        f"INSERT INTO local_settings (key, value) VALUES {marks} "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [part for pair in values.items() for part in pair],
    )
