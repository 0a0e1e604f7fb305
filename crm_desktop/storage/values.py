"""Python values as the local store keeps them, for statements sent straight to sqlite3."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def to_sqlite(value: Any) -> Any:
    """A Python value as SQLAlchemy's SQLite types store it (times as ISO text)."""
    if isinstance(value, datetime):
        return value.isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value
