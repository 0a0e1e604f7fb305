"""Declarative base and the columns every synced record carries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names keep alembic migrations reproducible on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A client-made primary key: records are created offline, so ids can't come from a server."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Naive UTC: SQLite has no time zones, so every stored time is UTC by convention."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def column_values(row: Base) -> dict[str, Any]:
    """A stored record's values by column: what a form loads and a rule reads."""
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


class Tracked:
    """Identity, audit trail and soft delete, shared by every entity that syncs.

    Each entity also says here, beside its columns, what the rest of the program needs to know
    about it; the writer, the pull, the table models and the windows read it from the model
    instead of keeping lists of their own.
    """

    # The user column saying whose record it is: a new one is the writer's unless set; "mine"
    # filters and hand-overs go by it. None: nobody's in particular.
    OWNER: ClassVar[str | None] = None
    # The column naming the customer the row hangs off (it leaves, returns and travels with it).
    PARENT: ClassVar[str | None] = None
    # Its fields are part of its customer's search text (found by its contact's phone, say).
    IN_CUSTOMER_SEARCH: ClassVar[bool] = False
    # Rows that belong to one of these and go when it is deleted (and come back with it):
    # (entity, the column naming this row), e.g. a contract's payment plan and payments.
    BELONGINGS: ClassVar[tuple[tuple[str, str], ...]] = ()

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(36))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)


# Columns the service layer maintains itself; user input never sets them.
AUDIT_COLUMNS = frozenset(
    {"id", "created_at", "created_by", "updated_at", "updated_by", "deleted_at"}
)
