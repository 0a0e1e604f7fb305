"""Merging two customers (or two contacts of one customer) into one, and undoing it.

The user keeps one record and chooses, field by field, which value it keeps. Everything that
hangs off the other one (contacts, opportunities, tasks, follow-ups, identifiers, contracts,
instalments and payments; for a contact, the deals and follow-ups that name it) moves to the
kept one, and the other is soft-deleted with `merged_into_id` pointing at the kept one. A
device that still edits the merged-away record offline has its change sent to the kept one at
its next sync (sync/push.py follows the pointer).

Every change of a merge is an ordinary outbox change, written in one transaction and sent as
one group the server applies whole or not at all. Undo is ordinary changes too (the record
back, what moved moved back, the kept record's fields as they were), so it works after a sync.
A field of the kept record edited since the merge keeps its edit: undo puts back only the
fields that still hold what the merge gave them, as an import's undo does (transfer/undo.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from sqlalchemy import select

from crm_desktop.models.base import column_values
from crm_desktop.models.entities import ENTITIES, MERGEABLE, UNIQUE_COLUMNS, CustomerIdentifier
from crm_desktop.models.fields import FIELDS
from crm_desktop.models.search_keys import identifier_key
from crm_desktop.models.validation import InvalidInput
from crm_desktop.services.changes import ChangeSet, MergedGroup, MergeUndo
from crm_desktop.services.writer import UnitOfWork, Writer

# What points at a record of each kind, in the order it moves: a contact before the deals and
# follow-ups that name it, a contract before its instalments and payments.
_POINTING_AT = {
    "customers": (
        ("customer_identifiers", "customer_id"),
        ("contacts", "customer_id"),
        ("opportunities", "customer_id"),
        ("opportunity_lines", "customer_id"),
        ("tasks", "customer_id"),
        ("followups", "customer_id"),
        ("contracts", "customer_id"),
        ("contract_instalments", "customer_id"),
        ("payments", "customer_id"),
    ),
    "contacts": (("opportunities", "contact_id"), ("followups", "contact_id")),
}
# Who owns the kept customer stays as it is (handing customers over has its own dialog and
# its own rules on the server), and a contact stays with its customer.
_NOT_CHOSEN = frozenset({"owner_id", "customer_id"})

T = QT_TRANSLATE_NOOP
SAME_RECORD = T("Validation", "Choose two different records to merge.")
OTHER_CUSTOMER = T(
    "Validation", "Only contacts of the same customer can be merged; move one of them first."
)


def merge_fields(entity: str) -> tuple[str, ...]:
    """The fields whose value the user chooses from either record."""
    return tuple(
        field.name for field in FIELDS[entity] if field.in_form and field.name not in _NOT_CHOSEN
    )


def merge_records(
    writer: Writer, entity: str, kept_id: str, merged_id: str, chosen: dict[str, Any]
) -> ChangeSet:
    """Merge `merged_id` into `kept_id`, the kept record taking the `chosen` field values; one
    transaction. The change set's `undo` is a MergeUndo."""
    return merge_group(writer, entity, kept_id, {merged_id: chosen})


def merge_group(
    writer: Writer, entity: str, kept_id: str, chosen_of: dict[str, dict[str, Any]]
) -> ChangeSet:
    """Merge several records into `kept_id` in one transaction, a pair at a time in the order
    given: `chosen_of` maps each record merged away to the field values the kept record takes
    from it (a value taken from a record is given up by it first, as a pair's merge does). The
    change set's `undo` is a MergeUndo for one record, a MergedGroup for more."""
    if not chosen_of:
        raise InvalidInput("id", SAME_RECORD)
    with writer.transaction() as unit:
        merges = tuple(
            merge(unit, entity, kept_id, merged_id, chosen)
            for merged_id, chosen in chosen_of.items()
        )
        unit.changes.undo = merges[0] if len(merges) == 1 else MergedGroup(merges)
        unit.changes.primary_id = kept_id
    return unit.changes


def unmerge_records(writer: Writer, undo: MergeUndo | MergedGroup) -> ChangeSet:
    with writer.transaction() as unit:
        for each in reversed(undo.merges):
            unmerge(unit, each)
        unit.changes.primary_id = undo.merged_ids[0]
    return unit.changes


def merge(
    unit: UnitOfWork, entity: str, kept_id: str, merged_id: str, chosen: dict[str, Any]
) -> MergeUndo:
    assert entity in MERGEABLE, entity
    if kept_id == merged_id:
        raise InvalidInput("id", SAME_RECORD)
    kept = unit.get_live(entity, kept_id)
    merged = unit.get_live(entity, merged_id)
    if entity == "contacts" and kept.customer_id != merged.customer_id:
        raise InvalidInput("customer_id", OTHER_CUSTOMER)
    allowed = set(merge_fields(entity))
    wanted = {name: value for name, value in chosen.items() if name in allowed}
    before = column_values(kept)
    # The server keeps a finance key unique among deleted records too: the merged-away record
    # gives its up before the kept one takes it (a group is applied in its order).
    released = tuple(
        (name, getattr(merged, name))
        for name, _live_only in UNIQUE_COLUMNS.get(entity, ())
        if name in wanted and wanted[name] is not None and wanted[name] == getattr(merged, name)
    )
    with unit.grouped():
        if released:
            unit.update(entity, merged_id, {name: None for name, _value in released})
        unit.update(entity, kept_id, wanted)
        changed = tuple(
            (name, before[name]) for name in wanted if getattr(kept, name) != before[name]
        )
        after = tuple((name, getattr(kept, name)) for name, _value in changed)
        moved = []
        for child, column in _POINTING_AT[entity]:
            ids = _movable(unit, child, column, merged_id, kept_id)
            moved_ids = unit.reparent(child, ids, column, kept_id)
            if moved_ids:
                moved.append((child, column, tuple(moved_ids)))
        token = unit.delete(entity, [merged_id], merged_into=kept_id)
    return MergeUndo(entity, kept_id, merged_id, changed, tuple(moved), token, released, after)


def unmerge(unit: UnitOfWork, undo: MergeUndo) -> None:
    """Put both records back as they were before the merge, but for the kept record's fields
    edited since: those keep their edit."""
    with unit.grouped():
        unit.restore(undo.deleted)
        for child, column, ids in undo.moved:
            unit.reparent(child, ids, column, undo.merged_id)
        back = _still_as_merged(unit, undo)
        if back:
            unit.update(undo.entity, undo.kept_id, back)
        if undo.released:  # once the kept record has let go of it
            unit.update(undo.entity, undo.merged_id, dict(undo.released))


def _still_as_merged(unit: UnitOfWork, undo: MergeUndo) -> dict[str, Any]:
    """The kept record's fields the merge changed that still hold what it set, with the values
    they had before it. A later edit by anyone is newer than the merge and stays."""
    if not undo.kept_before:
        return {}
    kept = unit.get_live(undo.entity, undo.kept_id)
    # A MergeUndo that says nothing of what was set (made before kept_after was kept): all
    # go back, as they did then.
    after = dict(undo.kept_after)
    return {
        name: before
        for name, before in undo.kept_before
        if name not in after or getattr(kept, name) == after[name]
    }


def _movable(
    unit: UnitOfWork, child: str, column: str, merged_id: str, kept_id: str
) -> Iterable[str]:
    """The live rows of `child` that point at the merged-away record. An identifier the kept
    customer has already stays behind and is deleted with the merged-away customer."""
    model = ENTITIES[child]
    ids = list(
        unit.session.scalars(
            select(model.id).where(getattr(model, column) == merged_id, model.deleted_at.is_(None))
        )
    )
    if child != "customer_identifiers" or not ids:
        return ids
    held = {
        (kind, key)
        for kind, key in unit.session.execute(
            select(CustomerIdentifier.kind, CustomerIdentifier.value_key).where(
                CustomerIdentifier.customer_id == kept_id, CustomerIdentifier.deleted_at.is_(None)
            )
        )
    }
    rows = unit.session.execute(
        select(CustomerIdentifier.id, CustomerIdentifier.kind, CustomerIdentifier.value).where(
            CustomerIdentifier.id.in_(ids)
        )
    )
    return [row_id for row_id, kind, value in rows if (kind, identifier_key(value)) not in held]


__all__ = [
    "MERGEABLE",
    "MergeUndo",
    "MergedGroup",
    "merge_fields",
    "merge_group",
    "merge_records",
    "unmerge_records",
]
