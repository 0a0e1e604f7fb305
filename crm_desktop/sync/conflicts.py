"""The conflict records a sync left: listing them, and putting a losing value back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import Conflict, User
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.storage.store import Store
from crm_desktop.sync.codec import from_json


@dataclass(frozen=True)
class ConflictView:
    id: int
    entity: str
    row_id: str
    field: str | None
    kind: str
    kept: Any
    lost: Any
    reason: str | None
    when: datetime | None
    who: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "id": self.row_id,
            "field": self.field,
            "kind": self.kind,
            "kept": self.kept,
            "lost": self.lost,
            "reason": self.reason,
            "when": self.when.isoformat() if self.when else None,
            "who": self.who,
        }


def count_open_conflicts(store: Store) -> int:
    with store.read() as session:
        unresolved = select(func.count()).where(Conflict.resolved_at.is_(None))
        return session.scalar(unresolved.select_from(Conflict)) or 0


def open_conflicts(store: Store) -> list[ConflictView]:
    with store.read() as session:
        logins = dict(session.execute(select(User.id, User.login)).all())
        rows = session.scalars(
            select(Conflict).where(Conflict.resolved_at.is_(None)).order_by(Conflict.id)
        )
        return [
            ConflictView(
                c.id,
                c.entity,
                c.row_id,
                c.field,
                c.kind,
                c.kept_value,
                c.lost_value,
                c.reason,
                c.made_at,
                logins.get(c.made_by or "", c.made_by),
            )
            for c in rows
        ]


def reapply(store: Store, writer: Writer, conflict_id: int) -> ChangeSet:
    """Make the losing value the record's value again (a new edit, pushed on the next sync)."""
    with store.read() as session:
        conflict = session.get(Conflict, conflict_id)
        if conflict is None or conflict.field is None:
            raise ValueError(f"conflict {conflict_id} has no single value to re-apply")
        entity, row_id, field = conflict.entity, conflict.row_id, conflict.field
        value = from_json(entity, field, conflict.lost_value)
    with writer.transaction() as unit:
        unit.update(entity, row_id, {field: value})
        stored = unit.session.get(Conflict, conflict_id)
        assert stored is not None
        stored.resolved_at = utcnow()
    return unit.changes


def dismiss(store: Store, conflict_id: int) -> None:
    with store.write() as session:
        conflict = session.get(Conflict, conflict_id)
        if conflict is not None:
            conflict.resolved_at = utcnow()
