"""Rows from the server that point at something this device may not hold.

The server keeps references within one customer, but a row can still arrive pointing at a
record its user may not see: one written before that rule, restored from an old backup, or put
there by another system with plain SQL. A foreign key that fails at the local commit would fail
every sync after it, so before the pull commits, such a reference is settled: an optional link
is left out on this device, and a row that cannot exist without its parent is left off it. Each
is recorded as a conflict the user can read; the server keeps the row as it is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import ENTITIES
from crm_desktop.storage.values import in_lists, to_sqlite

KIND = "unreachable"


@dataclass(frozen=True)
class Reference:
    entity: str
    column: str
    target: str
    optional: bool


def references(entity: str) -> list[Reference]:
    table = ENTITIES[entity].__table__
    return [
        Reference(entity, key.parent.name, key.column.table.name, bool(key.parent.nullable))
        for key in sorted(table.foreign_keys, key=lambda k: k.parent.name)
    ]


def settle(driver: Any, order: Iterable[str], received: dict[str, set[str]] | None) -> int:
    """Clear or drop every reference to a missing row among `received` rows (entity -> ids;
    None: all rows). Parents come first in `order`, so a dropped row's own children are found
    in the same pass. Returns how many rows were settled."""
    settled = 0
    dropped_any = False
    for entity in order:
        ids = None if received is None or dropped_any else received.get(entity)
        if received is not None and not dropped_any and not ids:
            continue
        for reference in references(entity):
            for row_id, target_id in _dangling(driver, reference, ids):
                settled += 1
                if reference.optional:
                    driver.execute(
                        f"UPDATE {entity} SET {reference.column} = NULL WHERE id = ?", (row_id,)
                    )
                else:
                    driver.execute(f"DELETE FROM {entity} WHERE id = ?", (row_id,))
                    dropped_any = True
                _record(driver, reference, row_id, target_id)
    return settled


def _dangling(driver: Any, reference: Reference, ids: set[str] | None) -> list[tuple[str, str]]:
    # Names come from our own table definitions, never from the server's data.
    query = (
        f"SELECT c.id, c.{reference.column} FROM {reference.entity} c"
        f" WHERE c.{reference.column} IS NOT NULL"
        f" AND NOT EXISTS (SELECT 1 FROM {reference.target} p WHERE p.id = c.{reference.column})"
    )
    if ids is None:
        return driver.execute(query).fetchall()
    wanted = sorted(ids)
    found: list[tuple[str, str]] = []
    for part, marks in in_lists(wanted):
        found += driver.execute(query + f" AND c.id IN ({marks})", part).fetchall()
    return found


def _record(driver: Any, reference: Reference, row_id: str, target_id: str) -> None:
    """One open conflict per row and link: a row that keeps arriving does not pile them up."""
    lost = {
        "column": reference.column,
        "target": reference.target,
        "points_at": target_id,
        "cleared": reference.optional,
    }
    if reference.optional:
        reason = f"its {reference.column} points at a record you cannot see; the link was left out"
    else:
        reason = f"it belongs to a {reference.target} record you cannot see; it was left off"
    already = driver.execute(
        "SELECT 1 FROM conflicts WHERE entity = ? AND row_id = ? AND kind = ?"
        " AND resolved_at IS NULL AND json_extract(lost_value, '$.column') = ?",
        (reference.entity, row_id, KIND, reference.column),
    ).fetchone()
    if already:
        return
    driver.execute(
        "INSERT INTO conflicts (entity, row_id, field, kind, kept_value, lost_value, reason,"
        " made_at, made_by, detected_at) VALUES (?, ?, NULL, ?, NULL, ?, ?, NULL, NULL, ?)",
        (reference.entity, row_id, KIND, json.dumps(lost), reason, to_sqlite(utcnow())),
    )
