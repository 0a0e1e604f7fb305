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


def hold_forward_links(driver: Any, entity: str, ids: set[str]) -> list[tuple[str, str, str]]:
    """Links of these rows to rows of their own table that are not here yet: a merged-away
    customer's kept one, a renewal's earlier contract, a user's manager. A full sync streams a
    table a batch at a time, in id order, so such a link may point at a later batch. Left out
    for now, so that the batch commits, and returned as (row id, column, target id) for
    put_back_links once the whole table is in."""
    held: list[tuple[str, str, str]] = []
    for reference in references(entity):
        if reference.target != entity or not reference.optional:
            continue
        for row_id, target_id in _dangling(driver, reference, ids):
            driver.execute(f"UPDATE {entity} SET {reference.column} = NULL WHERE id = ?", (row_id,))
            held.append((row_id, reference.column, target_id))
    return held


def put_back_links(driver: Any, entity: str, held: list[tuple[str, str, str]]) -> int:
    """The links hold_forward_links left out, once their table is in: each one whose target
    arrived is set again (unless the user has set it meanwhile); the others point at a row
    this user may not see, and are settled as such. Returns how many stayed out."""
    by_column = {reference.column: reference for reference in references(entity)}
    left_out = 0
    for row_id, column, target_id in held:
        if driver.execute(f"SELECT 1 FROM {entity} WHERE id = ?", (target_id,)).fetchone():
            driver.execute(
                f"UPDATE {entity} SET {column} = ? WHERE id = ? AND {column} IS NULL",
                (target_id, row_id),
            )
        else:
            _record(driver, by_column[column], row_id, target_id)
            left_out += 1
    return left_out


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
