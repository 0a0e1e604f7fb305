"""The conflict records a sync left: listing them, putting a losing value back, and bringing
back a record a delete won over."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import ENTITIES, Conflict, User
from crm_desktop.models.fields import entity_label
from crm_desktop.models.validation import InvalidInput
from crm_desktop.services.changes import ChangeSet, UndoToken
from crm_desktop.services.writer import NOT_FOUND, Writer
from crm_desktop.storage.store import Store
from crm_desktop.sync.codec import canonical, from_json


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


# Conflicts about a record a delete won over: restoring the record is their way back.
RESTORABLE = frozenset({"edited_deleted", "deleted_over_edit"})
LIVE, DELETED, ABSENT = "live", "deleted", "absent"


def as_it_stands(session: Session, conflicts: list[ConflictView]) -> list[ConflictView]:
    """The conflicts with their kept side as the record holds it now: someone may have
    changed the field again since (so Use my value would replace what is shown, not an older
    value), or restored a record a delete had won over (its edit then lost to the value the
    record has, like any other field's)."""
    shown = []
    for conflict in conflicts:
        model = ENTITIES.get(conflict.entity)
        row = None
        if conflict.field and conflict.kind in ("same_field", "edited_deleted") and model:
            row = session.get(model, conflict.row_id)
        if row is None or row.deleted_at is not None or not hasattr(row, conflict.field or ""):
            shown.append(conflict)
            continue
        now = canonical(getattr(row, conflict.field or ""))
        shown.append(replace(conflict, kind="same_field", kept=now))
    return shown


def record_states(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Whether each (entity, id) is LIVE on this computer, DELETED (kept as deleted, so it can
    be restored) or ABSENT (never here, or taken off with what the user may no longer see)."""
    states: dict[tuple[str, str], str] = {}
    for entity, row_id in dict.fromkeys(keys):
        model = ENTITIES.get(entity)
        row = None if model is None else session.get(model, row_id)
        if row is None:
            states[(entity, row_id)] = ABSENT
        else:
            states[(entity, row_id)] = LIVE if row.deleted_at is None else DELETED
    return states


def restore_record(store: Store, writer: Writer, conflict_id: int) -> ChangeSet:
    """Bring back the record a delete won over (with what that delete took along, as Undo
    would) and, for an edit that lost to the delete, put the edit's value back; one change,
    pushed on the next sync. The conflict is then resolved."""
    with store.read() as session:
        conflict = session.get(Conflict, conflict_id)
        if conflict is None or conflict.kind not in RESTORABLE:
            raise ValueError(f"conflict {conflict_id} is not about a deleted record")
        entity, row_id, field = conflict.entity, conflict.row_id, conflict.field
        value = from_json(entity, field, conflict.lost_value) if field else None
        row = session.get(ENTITIES[entity], row_id)
        if row is None:  # taken off this computer: there is nothing here to restore
            raise InvalidInput("id", NOT_FOUND, entity=entity_label(entity), id=row_id)
        deleted_at = row.deleted_at
    with writer.transaction() as unit:
        if deleted_at is not None:  # restored meanwhile (Undo, another conflict): as it is
            unit.restore(UndoToken(entity, (row_id,), deleted_at.isoformat()))
        if conflict.kind == "edited_deleted" and field is not None:
            unit.update(entity, row_id, {field: value})
        stored = unit.session.get(Conflict, conflict_id)
        assert stored is not None
        stored.resolved_at = utcnow()
        unit.changes.primary_id = row_id
    return unit.changes


def dismiss(store: Store, *conflict_ids: int) -> None:
    """Settle these conflicts as the records stand, in one write."""
    with store.write() as session:
        now = utcnow()
        for conflict_id in conflict_ids:
            conflict = session.get(Conflict, conflict_id)
            if conflict is not None:
                conflict.resolved_at = now
