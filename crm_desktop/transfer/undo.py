"""What an import did, remembered on this device, and undoing it.

An import writes its batch in the same transaction as its records: the ids it added (each with
a fingerprint of its fields as added), and for each record it updated, each field's value
before and after; an import of contacts also the customers it made for them (a card's company,
a private person's own), and an import of customers the contacts it made for a list's contact
persons (each with its fingerprint, as an added record). Undo deletes the records it added
(those still there) and puts back the fields it changed, but only where the field still holds
what the import wrote: a later edit by anyone is newer than the import and stays. So a record
it added stays when someone changed it since (its fields no longer as added), when something
was added to it (a follow-up on a customer, a payment on a contract) or when another record was
merged into it; so does a customer it made for a card on the same terms. Both are ordinary
writer changes, so an undo made after a sync reaches the server like any delete and edit.

"Changed since" is read from the fields themselves, not from updated_at: a sync gives every
record it sends the server's time, which is later than the import's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from sqlalchemy import Date, DateTime, func, select
from sqlalchemy.orm import Session

from crm_desktop.models.base import new_id, utcnow
from crm_desktop.models.entities import (
    ENTITIES,
    Contact,
    Customer,
    CustomerIdentifier,
    ImportBatch,
    ImportedRow,
    belongings,
)
from crm_desktop.models.fields import FIELDS, Kind
from crm_desktop.models.validation import InvalidInput
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import UnitOfWork, Writer
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.storage.values import in_parts

ADDED, UPDATED = "added", "updated"
IDENTIFIERS = "customer_identifiers"
# A customer an import of contacts made for them (its records are contacts).
MADE_CUSTOMER = "customer"
# A contact an import of customers made for a row's contact person (its records are customers).
MADE_CONTACT = "contact"
# A customer's own fields as people type them: not the stamps a sync rewrites, nor its owner
# (an import made before the first sync passes to the server's user) or its computed grade.
_CUSTOMER_FIELDS = tuple(
    field.name
    for field in FIELDS["customers"]
    if hasattr(Customer, field.name) and field.name not in ("owner_id", "grade")
)
# The key of an added record's fingerprint in its batch row (see _fingerprints).
AS_ADDED = "as_added"
# Records that name a customer: its children, and notes about it.
_NAMING_A_CUSTOMER = tuple(model for model in ENTITIES.values() if hasattr(model, "customer_id"))

T = QT_TRANSLATE_NOOP
# InvalidInput's sentences are translated in the Validation context.
NO_SUCH_IMPORT = T("Validation", "There is no such import on this computer.")
ALREADY_UNDONE = T("Validation", "This import was undone already.")


@dataclass(frozen=True)
class ImportRecord:
    """One import as the Imports list shows it."""

    id: str
    entity: str
    file_name: str
    made_at: datetime
    added: int
    updated: int
    skipped: int
    undone_at: datetime | None


@dataclass
class BatchLog:
    """Collects what one import does, then writes it with the import's records."""

    entity: str
    file_name: str
    id: str = field(default_factory=new_id)
    added: list[str] = field(default_factory=list)
    # record id -> {field: [value before, value after]}
    updated: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    skipped: int = 0
    made_customers: list[str] = field(default_factory=list)
    made_contacts: list[str] = field(default_factory=list)

    def note_added(self, ids: list[str]) -> None:
        self.added.extend(ids)

    def note_made_customers(self, ids: list[str]) -> None:
        self.made_customers.extend(ids)

    def note_made_contacts(self, ids: list[str]) -> None:
        self.made_contacts.extend(ids)

    def note_updated(self, row_id: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        changed = {
            name: [_json(before.get(name)), _json(after.get(name))]
            for name in after
            if before.get(name) != after.get(name)
        }
        if not changed:
            return
        noted = self.updated.setdefault(row_id, {})
        for name, values in changed.items():
            if name in noted:
                # Two rows of the file updated it: undo goes back to before the first.
                noted[name][1] = values[1]
            else:
                noted[name] = values

    def write(self, session: Session, user_id: str | None) -> None:
        """Store the batch (in the import's own transaction)."""
        session.add(
            ImportBatch(
                id=self.id,
                entity=self.entity,
                file_name=self.file_name,
                made_at=utcnow(),
                made_by=user_id,
                added=len(self.added),
                updated=len(self.updated),
                skipped=self.skipped,
            )
        )
        session.flush()
        added = set(self.added)
        prints = _fingerprints(session, self.entity, self.added)
        rows = [
            (self.id, row_id, ADDED, json.dumps({AS_ADDED: prints.get(row_id)}))
            for row_id in self.added
        ]
        rows += [
            (self.id, row_id, MADE_CUSTOMER, json.dumps(values, ensure_ascii=False))
            for row_id, values in _as_made(session, self.made_customers).items()
        ]
        contact_prints = _fingerprints(session, "contacts", self.made_contacts)
        rows += [
            (self.id, row_id, MADE_CONTACT, json.dumps({AS_ADDED: contact_prints.get(row_id)}))
            for row_id in self.made_contacts
        ]
        rows += [
            (self.id, row_id, UPDATED, json.dumps(fields, ensure_ascii=False))
            for row_id, fields in self.updated.items()
            if row_id not in added
        ]
        sqlite_connection(session).executemany(
            "INSERT OR IGNORE INTO import_batch_rows (batch_id, row_id, action, before)"
            " VALUES (?, ?, ?, ?)",
            rows,
        )


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value


def _stored(entity: str, name: str, value: Any) -> Any:
    """A value of the batch's JSON as the writer takes it back."""
    column = ENTITIES[entity].__table__.columns.get(name)
    if value is None or column is None:
        return value
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def live_identifiers(session: Session, customer_id: str) -> list[tuple[str, str]]:
    """A customer's live identifiers, (kind, value): what an import replaces and undo compares."""
    rows = session.execute(
        select(CustomerIdentifier.kind, CustomerIdentifier.value).where(
            CustomerIdentifier.customer_id == customer_id, CustomerIdentifier.deleted_at.is_(None)
        )
    )
    return [(kind, value) for kind, value in rows]


def recent_imports(session: Session, limit: int = 50) -> list[ImportRecord]:
    rows = session.scalars(select(ImportBatch).order_by(ImportBatch.made_at.desc()).limit(limit))
    return [
        ImportRecord(
            r.id, r.entity, r.file_name, r.made_at, r.added, r.updated, r.skipped, r.undone_at
        )
        for r in rows
    ]


@dataclass
class ImportUndone(ChangeSet):
    """An undone import's changes, and how many of the records it added stay because they
    were changed or used since (said to the user: "2 were kept")."""

    kept: int = 0


def undo_import(writer: Writer, batch_id: str) -> ImportUndone:
    """Delete what the import added and put back what it changed; one transaction."""
    with writer.transaction() as unit:
        session = unit.session
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise InvalidInput("id", NO_SUCH_IMPORT)
        if batch.undone_at is not None:
            raise InvalidInput("id", ALREADY_UNDONE)
        rows = session.execute(
            select(ImportedRow.row_id, ImportedRow.action, ImportedRow.before).where(
                ImportedRow.batch_id == batch_id
            )
        ).all()
        # The contacts it made for its customers go with those customers, and only with them:
        # a customer that stays keeps its contact person.
        people = {row_id: values for row_id, action, values in rows if action == MADE_CONTACT}
        own_people = set(_left_as_added(session, "contacts", people))
        added = {row_id: values for row_id, action, values in rows if action == ADDED}
        going = _not_used_since(
            session, batch.entity, _left_as_added(session, batch.entity, added), own_people
        )
        if own_people:
            _delete_live(unit, "contacts", _contacts_of(session, own_people, going))
        _delete_live(unit, batch.entity, going)
        kept = _live_count(session, batch.entity, list(added))
        for row_id, action, fields in rows:
            if action != UPDATED or not fields:
                continue
            _put_back(unit, batch.entity, row_id, fields)
        made = {row_id: values for row_id, action, values in rows if action == MADE_CUSTOMER}
        _delete_live(unit, "customers", _left_as_made(session, made))
        batch.undone_at = unit.now
    changes = unit.changes
    return ImportUndone(
        **{name.name: getattr(changes, name.name) for name in dataclass_fields(ChangeSet)},
        kept=kept,
    )


def _not_used_since(
    session: Session, entity: str, ids: list[str], own_contacts: set[str]
) -> list[str]:
    """Those of these records that nothing was added to since (a payment on an imported
    contract, a follow-up on an imported customer), the import's own unchanged contacts not
    counting: a delete would take those with it, and they are someone's later work."""
    holders = [
        getattr(ENTITIES[child], column)
        for child, column in belongings(entity)
        if child != IDENTIFIERS  # the import's own: a customer's identifiers came in with it
    ]
    going: list[str] = []
    for chunk in in_parts(ids):
        used: set[str] = set()
        for holder in holders:
            model = holder.class_
            live = select(holder, model.id).where(holder.in_(chunk), model.deleted_at.is_(None))
            # The import's own contacts left out here, not in SQL: an import of 100,000
            # customers made as many, past what one statement may name.
            used.update(
                held
                for held, row_id in session.execute(live)
                if model.__tablename__ != "contacts" or row_id not in own_contacts
            )
        going += [row_id for row_id in chunk if row_id not in used]
    return going


def _contacts_of(session: Session, contacts: set[str], customers: list[str]) -> list[str]:
    """Those of these contacts whose customer is one of these customers."""
    wanted = set(customers)
    found: list[str] = []
    for chunk in in_parts(sorted(contacts)):
        found += [
            contact_id
            for contact_id, customer_id in session.execute(
                select(Contact.id, Contact.customer_id).where(Contact.id.in_(chunk))
            )
            if customer_id in wanted
        ]
    return found


def _live_count(session: Session, entity: str, ids: list[str]) -> int:
    model = ENTITIES[entity]
    return sum(
        session.scalar(select(func.count()).where(model.id.in_(chunk), model.deleted_at.is_(None)))
        or 0
        for chunk in in_parts(ids)
    )


def _delete_live(unit: UnitOfWork, entity: str, ids: list[str]) -> None:
    """Delete those of these records that are still there and that nothing was added to since
    (a payment on an imported contract, a follow-up on an imported customer): a delete takes
    those with it, and they are someone's later work, which undo leaves alone."""
    model = ENTITIES[entity]
    # The import's own: a customer's identifiers came in with it.
    added_since = [(child, column) for child, column in belongings(entity) if child != IDENTIFIERS]
    for chunk in in_parts(ids):
        live = set(
            unit.session.scalars(
                select(model.id).where(model.id.in_(chunk), model.deleted_at.is_(None))
            )
        )
        holders = [getattr(ENTITIES[child], column) for child, column in added_since]
        live -= _held_by_live_rows(unit.session, holders, chunk)
        if live:
            unit.delete(entity, sorted(live))


def _own_fields(entity: str) -> tuple[str, ...]:
    """A record's fields as people type them, for its fingerprint: not the stamps a sync
    rewrites, nor who owns it or is assigned it (an import made before the first sync passes
    to the server's user), nor a customer's grade, which the server computes."""
    model = ENTITIES[entity]
    return tuple(
        field.name
        for field in FIELDS[entity]
        if hasattr(model, field.name)
        and not (field.kind is Kind.REF and field.ref == "users")
        and field.name != "grade"
    )


def _fingerprints(session: Session, entity: str, ids: Sequence[str]) -> dict[str, str]:
    """These records' own fields (_own_fields) as they are now, each as a short digest: what
    the batch keeps of a record it added (a 100,000-row import keeps 100,000), and what undo
    compares it with."""
    model = ENTITIES[entity]
    names = _own_fields(entity)
    columns = [getattr(model, name) for name in names]
    prints: dict[str, str] = {}
    for chunk in in_parts(list(ids)):
        for row_id, *values in session.execute(
            select(model.id, *columns).where(model.id.in_(chunk))
        ):
            text = json.dumps([_json(value) for value in values], ensure_ascii=False)
            prints[row_id] = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
    return prints


def _left_as_added(session: Session, entity: str, added: dict[str, Any]) -> list[str]:
    """The records among those the import added that nobody changed since: their fields as
    added, and no record merged into them. (Those something was added to are left out by
    _delete_live.) An import written by an earlier version kept no fingerprints (None): an
    edit of its records cannot be told, so they go unless a record was merged into them."""
    model = ENTITIES[entity]
    merged_into: set[str | None] = set()
    if hasattr(model, "merged_into_id"):
        for chunk in in_parts(list(added)):
            merged_into.update(
                session.scalars(select(model.merged_into_id).where(model.merged_into_id.in_(chunk)))
            )
    as_added = {row_id: (values or {}).get(AS_ADDED) for row_id, values in added.items()}
    now = _fingerprints(session, entity, [row_id for row_id, made in as_added.items() if made])
    return [
        row_id
        for row_id, made in as_added.items()
        if row_id not in merged_into and (made is None or now.get(row_id) == made)
    ]


def _as_made(session: Session, customer_ids: list[str]) -> dict[str, dict[str, Any]]:
    """These customers' own fields as the import made them (its undo compares them)."""
    columns = [getattr(Customer, name) for name in _CUSTOMER_FIELDS]
    made: dict[str, dict[str, Any]] = {}
    for chunk in in_parts(customer_ids):
        for row_id, *values in session.execute(
            select(Customer.id, *columns).where(Customer.id.in_(chunk))
        ):
            made[row_id] = {
                name: _json(value) for name, value in zip(_CUSTOMER_FIELDS, values, strict=True)
            }
    return made


def _left_as_made(session: Session, made: dict[str, dict[str, Any] | None]) -> list[str]:
    """The customers among those the import made that nobody has used or changed since: no
    live record of their own (a contact, an opportunity, a follow-up…) once the import's
    contacts are gone, no customer merged into them, and their fields as the import left them."""
    as_made = _as_made(session, list(made))
    merged_into: set[str | None] = set()
    for chunk in in_parts(list(made)):
        merged_into.update(
            session.scalars(
                select(Customer.merged_into_id).where(Customer.merged_into_id.in_(chunk))
            )
        )
    # An import written by an earlier version kept no values (None): its customers go when
    # nothing uses them, as they did then.
    unchanged = [
        row_id
        for row_id, values in made.items()
        if row_id not in merged_into and (values is None or as_made.get(row_id) == values)
    ]
    bare = []
    naming = [model.customer_id for model in _NAMING_A_CUSTOMER]
    for chunk in in_parts(unchanged):
        used = _held_by_live_rows(session, naming, chunk)
        bare += [customer_id for customer_id in chunk if customer_id not in used]
    return bare


def _held_by_live_rows(session: Session, holders: list[Any], ids: list[str]) -> set[str]:
    """Those of these ids that a live row names in one of the `holders` columns (a contact's
    customer_id, a payment's contract_id)."""
    held: set[str] = set()
    for holder in holders:
        live = holder.class_.deleted_at.is_(None)
        held.update(session.scalars(select(holder).where(holder.in_(ids), live)))
    return held


def _put_back(unit: UnitOfWork, entity: str, row_id: str, fields: dict[str, list[Any]]) -> None:
    """The fields of one updated record as they were, where they still hold the import's value."""
    model = ENTITIES[entity]
    row = unit.session.get(model, row_id)
    if row is None or row.deleted_at is not None:
        return
    wanted: dict[str, Any] = {}
    for name, (before, after) in fields.items():
        if name == "identifiers":
            current = [list(pair) for pair in live_identifiers(unit.session, row_id)]
            if sorted(current) == sorted(after or []):
                wanted[name] = [tuple(pair) for pair in before or []]
            continue
        if _json(getattr(row, name, None)) == after:
            wanted[name] = _stored(entity, name, before)
    if wanted:
        unit.update(entity, row_id, wanted)
