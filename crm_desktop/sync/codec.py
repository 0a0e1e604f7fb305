"""Values between the local store, the outbox's JSON and the server.

Locally times are naive UTC and ids are text; on the server times are timestamptz and ids uuid.
`canonical` gives one comparable form of any of them, so "has this field changed since the
device last saw it" compares like with like.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, String, Text

from crm_desktop.models.base import AUDIT_COLUMNS
from crm_desktop.models.entities import ENTITIES, LOCAL_ONLY_COLUMNS, SERVER_SET_COLUMNS


def synced_columns(entity: str) -> list[str]:
    """The columns a row of `entity` has on both sides, id first."""
    table = ENTITIES[entity].__table__
    skip = LOCAL_ONLY_COLUMNS.get(entity, frozenset()) | {"id"}
    return ["id", *(column.key for column in table.columns if column.key not in skip)]


def sent_columns(entity: str) -> set[str]:
    """The columns a device writes on the server: neither the audit columns (the server
    stamps them) nor those only the server sets."""
    server_set = AUDIT_COLUMNS | SERVER_SET_COLUMNS.get(entity, frozenset())
    return set(synced_columns(entity)) - server_set


def _column_type(entity: str, column: str) -> Any:
    return ENTITIES[entity].__table__.columns[column].type


def canonical(value: Any) -> Any:
    """A JSON-able form in which equal values from either side compare equal."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def from_json(entity: str, column: str, value: Any) -> Any:
    """An outbox JSON value back in its local Python type."""
    if value is None:
        return None
    column_type = _column_type(entity, column)
    if isinstance(column_type, DateTime) and isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date) and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def server_select_list(entity: str) -> list[str]:
    """SQL expressions that make the server return each synced column already in the form the
    local store keeps it (ids as text, times as SQLite's UTC text), so rows need no conversion
    in Python: for 100,000 rows that conversion cost more than reading them."""
    expressions = []
    for name in synced_columns(entity):
        column_type = _column_type(entity, name)
        quoted = '"' + name + '"'
        if isinstance(column_type, DateTime):
            expressions.append(f"to_char({quoted} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')")
        elif isinstance(column_type, Date | String | Text):
            expressions.append(f"{quoted}::text")
        else:
            expressions.append(quoted)
    return expressions


def to_server(value: Any) -> Any:
    """A local value as a server parameter: naive UTC times become aware."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
