"""Reads about the public pool as this device knows it: which customers are about to return."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import Customer


def returning_soon(session: Session, owner_id: str, within: timedelta) -> int:
    """How many of the owner's customers return to the pool within `within` (or are overdue:
    the server returns them at the next sync)."""
    statement = select(func.count()).where(
        Customer.owner_id == owner_id,
        Customer.deleted_at.is_(None),
        Customer.pool_due_at <= utcnow() + within,
    )
    return session.scalar(statement) or 0
