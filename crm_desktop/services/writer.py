"""Every change to the local store: validated, written with its outbox entry in one transaction,
and reported back as a ChangeSet.

`Writer` is what the window and the command line call; `UnitOfWork` is one open transaction, for
callers (like an import) that must make many changes all-or-nothing.

A new record is made in two steps, so that one record and a hundred thousand go the same way:
`prepare` checks and completes its values (and raises InvalidInput, writing nothing), `insert`
writes prepared records with their outbox entries, one statement per batch. What `prepare`
derives from the values alone (cleaned values, sort keys, a new customer's search text:
services/derived.py) is kept on the prepared row as a `CleanedRow`, which a later `prepare` of
the same values may reuse: an import checks every row first and writes it later, in another
transaction, or has worker processes derive its rows while it writes, and cleaning a value
(parsing a phone, reading a name's pinyin) is most of a row's cost.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache, cached_property
from operator import itemgetter
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from sqlalchemy import Date, DateTime, Table, func, or_, select, update
from sqlalchemy.orm import Session

from crm_desktop.models.base import AUDIT_COLUMNS, Base, column_values, new_id, utcnow
from crm_desktop.models.choices import CLOSED_STAGES, ContractStatus, RenewalStatus
from crm_desktop.models.contracts import next_term
from crm_desktop.models.dates import end_of_local_day, local_date, local_to_utc
from crm_desktop.models.entities import (
    COMMENTS_READ_KEPT,
    COMMENTS_READ_KEY,
    CUSTOMER_CHILDREN,
    ENTERS_FOR_KEY,
    ENTITIES,
    LOCAL_ONLY_COLUMNS,
    LOOKED_UP_ON_INSERT,
    MERGEABLE,
    SERVER_SET_COLUMNS,
    Contract,
    ContractInstalment,
    Customer,
    CustomerIdentifier,
    FollowUp,
    LocalSetting,
    Opportunity,
    OpportunityLine,
    OutboxEntry,
    Payment,
    Product,
    belongings,
    entered_for,
    listed_ids,
    owner_of_new_record,
    sort_keys_of,
)
from crm_desktop.models.fields import FIELDS_BY_NAME, Kind, entity_label
from crm_desktop.models.limits import MAX_MONEY_CENTS
from crm_desktop.models.money import line_total_cents
from crm_desktop.models.phones import DEFAULT_REGION
from crm_desktop.models.rules import clean_values
from crm_desktop.models.search_keys import identifier_key, search_key
from crm_desktop.models.validation import InvalidInput
from crm_desktop.services.changes import ChangeSet, UndoToken
from crm_desktop.services.derived import SEARCHED_FIELDS, CleanedRow, derive, identifier_pairs
from crm_desktop.storage import search_index
from crm_desktop.storage.store import Store, sqlite_connection
from crm_desktop.storage.values import in_lists, in_parts, to_sqlite

NOT_FOUND = QT_TRANSLATE_NOOP("Validation", "No {entity} with id {id} exists (it may be deleted).")
CHOOSE_REP = QT_TRANSLATE_NOOP(
    "Validation", "Choose the rep you enter this record for: it will be theirs, not yours."
)
OTHER_CUSTOMERS = QT_TRANSLATE_NOOP(
    "Validation", "The chosen {entity} belongs to another customer; choose one of this customer's."
)
ENDS_BEFORE_START = QT_TRANSLATE_NOOP("Validation", "The end date is before the start date.")
RENEWS_ITSELF = QT_TRANSLATE_NOOP("Validation", "A contract cannot renew itself.")
TERMINATED_WITHOUT_END = QT_TRANSLATE_NOOP(
    "Validation",
    "A terminated contract needs its end date: the day it stopped (instalments after it are "
    "no longer owed).",
)
STAYS_WITH_CUSTOMER = QT_TRANSLATE_NOOP(
    "Validation",
    "This contract has a payment plan, payments or a renewal, which are its customer's: it "
    "stays with that customer. Add a new contract for the other one.",
)
ALREADY_RENEWED = QT_TRANSLATE_NOOP(
    "Validation", "Contract {number} is already renewed by contract {renewal}."
)
HAPPENS_AHEAD = QT_TRANSLATE_NOOP(
    "Validation", "A follow-up records what happened: its time can't be later than today."
)
STEP_BEFORE_FOLLOW_UP = QT_TRANSLATE_NOOP(
    "Validation", "The next step's date is before the follow-up itself."
)
LOG_AHEAD = QT_TRANSLATE_NOOP(
    "Validation", "A work log is written for a day that has come; {day} is still ahead."
)
ALREADY_USED = QT_TRANSLATE_NOOP(
    "Validation", "{field} “{value}” is already used by another {entity}."
)

# Values used once: (field, model, among live rows only).
UNIQUE_FIELDS: dict[str, tuple[tuple[str, Any, bool], ...]] = {
    "products": (("code", Product, False),),
    "contracts": (("number", Contract, True),),
}


def _json_default(value: Any) -> Any:
    """What json.dumps writes for a value it has no form for: a date or time as ISO text. (As
    json's `default`, asked only of such values, not of every value.)"""
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _complete(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """Every column of a new row, in the table's order: the given values, else the column's
    default, else NULL."""
    defaults, computed = _column_defaults(table)
    row = dict(defaults)
    for key, value in values.items():
        if key in row:
            row[key] = value
    for key in computed:
        if key not in values:  # a computed default: the writer must compute it (see prepare)
            raise AssertionError(f"{table.name}.{key} has no value")
    return row


@cache
def _column_defaults(table: Table) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A table's columns with their plain defaults (None when they have none), and those whose
    default is computed: worked out once, not for each of 100,000 new rows."""
    defaults: dict[str, Any] = {}
    computed: list[str] = []
    for column in table.columns:
        default = column.default
        defaults[column.key] = default.arg if default is not None and default.is_scalar else None
        if default is not None and not default.is_scalar:
            computed.append(column.key)
    return defaults, tuple(computed)


@dataclass(frozen=True)
class NewRow:
    """A record ready to insert: checked, with every column's value as it will be stored."""

    entity: str
    values: dict[str, Any]
    # A new customer's identifiers, as cleaned (kind, value) pairs.
    identifiers: tuple[tuple[str, str], ...] = ()
    # What prepare derived from the values alone; None for a row made otherwise.
    cleaned: CleanedRow | None = None

    @property
    def id(self) -> str:
        return self.values["id"]


class UnitOfWork:
    """One open write transaction on behalf of one user."""

    def __init__(self, session: Session, user_id: str | None, region: str) -> None:
        self.session = session
        self.user_id = user_id
        self.region = region
        self.changes = ChangeSet()
        self._stale_search: set[str] = set()
        # Customers added with the search text prepare composed: indexed as they are, once, at
        # the end (those changed again since are in _stale_search as well, and composed anew).
        self._fresh_search: set[str] = set()
        self._stale_followups: set[str] = set()
        # Follow-ups an undo brought back in this transaction: one that planned a step brings
        # the step back too (_next_step_of).
        self._restored_followups: set[str] = set()
        # Referenced rows found live in this transaction, so a batch checks each one once.
        self._live_refs: set[tuple[str, str]] = set()
        # Prepared records this transaction inserts before anything referring to them (expect).
        self._expected: set[tuple[str, str]] = set()
        # Opportunities whose lines changed: their amount becomes the lines' sum at the end.
        self._stale_amounts: set[str] = set()
        self._customers_of: dict[tuple[str, str], str | None] = {}
        self._enters_for: list[str] | None = None
        # Set while writing a group of changes the server must apply all together (a merge).
        self._outbox_group: str | None = None
        # One time for the whole transaction: a row's updated_at and its outbox entry's made_at
        # are then equal, and the server (which stamps rows with made_at) agrees with the device
        # on when each row last changed.
        self.now = utcnow()

    # -- public operations -------------------------------------------------------------------

    def create(self, entity: str, values: dict[str, Any], row_id: str | None = None) -> str:
        return self.insert([self.prepare(entity, values, row_id)])[0]

    def prepare(
        self,
        entity: str,
        values: dict[str, Any],
        row_id: str | None = None,
        reuse: CleanedRow | None = None,
    ) -> NewRow:
        """Check and complete a new record's values; raises InvalidInput and writes nothing.

        `reuse`: what an earlier prepare of (nearly) these values derived from them alone (its
        NewRow.cleaned); the values that are still the same are not cleaned again."""
        made = derive(entity, values, self.region, reuse)
        cleaned = dict(made.cleaned)
        self._apply_defaults(entity, cleaned)
        self._check_refs(entity, cleaned)
        row_id = row_id or new_id()
        self._check_money_rules(entity, row_id, cleaned)
        self._check_times(entity, cleaned, cleaned)
        if entity == "contracts":
            self._renewed_once(row_id, cleaned.get("renewed_from_id"))
        self._check_unique(entity, row_id, cleaned)
        if made.identifier_problem is not None:
            raise made.identifier_problem
        cleaned.update(
            id=row_id,
            created_at=self.now,
            updated_at=self.now,
            created_by=self.user_id,
            updated_by=self.user_id,
        )
        cleaned.update(made.sort_keys)
        if entity == "customer_identifiers":
            cleaned["value_key"] = identifier_key(cleaned["value"])
        if entity == "customers":
            cleaned["search_key"] = search_key(row_id)
            cleaned["search_text"] = made.search_text
        return NewRow(
            entity, _complete(ENTITIES[entity].__table__, cleaned), made.identifiers, made
        )

    def insert(self, rows: Sequence[NewRow]) -> list[str]:
        """Write prepared records of one entity, each with its outbox entry, in one statement
        each; a customer's identifiers follow it. Returns the new ids in order."""
        if not rows:
            return []
        entity = rows[0].entity
        assert all(row.entity == entity for row in rows), "one entity per insert"
        self.session.flush()  # rows changed through the session go first, in order
        _insert_rows(self.session, ENTITIES[entity].__table__.name, [row.values for row in rows])
        hidden = (
            AUDIT_COLUMNS - {"id"}
            | LOCAL_ONLY_COLUMNS.get(entity, frozenset())
            | SERVER_SET_COLUMNS.get(entity, frozenset())
        )
        self._outbox_many(
            [
                (
                    entity,
                    row.id,
                    "insert",
                    {k: v for k, v in row.values.items() if k not in hidden},
                    {},
                )
                for row in rows
            ]
        )
        # New customers whose search text prepare composed (nothing else marked them stale).
        composed = [
            row.id
            for row in rows
            if entity == "customers"
            and row.cleaned is not None
            and row.id not in self._stale_search
        ]
        for row in rows:
            self._live_refs.add((entity, row.id))
            self._expected.discard((entity, row.id))
            self.changes.add("created", entity, row.id)
            customer_id = row.values.get("customer_id")
            self._mark_derived(entity, row.id, customer_id, row.values.keys())
            self._touch_parents(entity, customer_id)
            if entity == "opportunity_lines":
                self._stale_amounts.add(row.values["opportunity_id"])
        identifiers = [
            self.prepare(
                "customer_identifiers", {"customer_id": row.id, "kind": kind, "value": value}
            )
            for row in rows
            for kind, value in row.identifiers
        ]
        self.insert(identifiers)
        if entity == "contracts":
            self._settle_renewals(row.values.get("renewed_from_id") for row in rows)
        if composed:
            # Their text holds these very values and identifiers: nothing to compose again,
            # only to index. A later change in this transaction marks them stale again.
            self._stale_search.difference_update(composed)
            self._fresh_search.update(composed)
        return [row.id for row in rows]

    def expect(self, rows: Sequence[NewRow]) -> None:
        """Prepared records this transaction inserts later, before anything that refers to
        them: until then a reference to one counts as one to a live record. An import adds a
        business card's company when it reaches the card, and inserts the companies of a batch
        of cards at once, before the batch's contacts; SQLite's foreign keys refuse a
        reference written before its record, should a caller forget."""
        self._expected.update((row.entity, row.id) for row in rows)

    def update(
        self, entity: str, row_id: str, values: dict[str, Any], *, move_reminder: bool = False
    ) -> bool:
        """Change only the given fields. Returns False when nothing actually differed.
        `move_reminder`: a user moving a task (its form, Postpone) takes its reminder along
        (_move_reminder_along); a value put back (a conflict re-applied) moves nothing else."""
        values = dict(values)
        identifiers = values.pop("identifiers", None) if entity == "customers" else None
        row = self._live(entity, row_id)
        cleaned = clean_values(entity, values, self.region, creating=False)
        if entity == "tasks" and move_reminder:
            _move_reminder_along(row, cleaned)
        self._check_refs(entity, cleaned)
        self._check_money_rules(entity, row_id, {**column_values(row), **cleaned})
        self._check_times(entity, {**column_values(row), **cleaned}, cleaned)
        self._check_unique(entity, row_id, cleaned)
        previous = {k: getattr(row, k) for k in cleaned}
        changed = {k: v for k, v in cleaned.items() if previous[k] != v}
        if entity == "contracts" and "customer_id" in changed:
            self._check_contract_move(row_id)
        if entity == "contracts" and "renewed_from_id" in changed:
            self._renewed_once(row_id, changed["renewed_from_id"])
            settle = (previous["renewed_from_id"], changed["renewed_from_id"])
        else:
            settle = ()
        changed_any = bool(changed)
        if changed:
            for key, value in changed.items():
                setattr(row, key, value)
            if entity == "customer_identifiers" and "value" in changed:
                row.value_key = identifier_key(row.value)
            for key, value in sort_keys_of(entity, changed).items():
                setattr(row, key, value)  # derived, local: not in the outbox entry
            self._mark_derived(entity, row_id, getattr(row, "customer_id", None), changed.keys())
            if "customer_id" in changed and previous["customer_id"] is not None:
                # Moved to another customer: the one it left no longer holds it (its search
                # text, its last follow-up).
                self._mark_derived(entity, row_id, previous["customer_id"], changed.keys())
                self._touch_parents(entity, previous["customer_id"])
            if entity == "opportunity_lines":
                self._stale_amounts.add(row.opportunity_id)
            extra = self._derived_changes(entity, row, changed)
            changed.update(extra)
            row.updated_at = self.now
            row.updated_by = self.user_id
            base = {k: previous.get(k) for k in changed}
            self._outbox(entity, row_id, "update", changed, base)
            self.changes.add("updated", entity, row_id)
            self._touch_parents(entity, getattr(row, "customer_id", None))
            self._settle_renewals(settle)
        if identifiers is not None and self.set_identifiers(row_id, identifiers):
            changed_any = True
        return changed_any

    def delete(self, entity: str, ids: Iterable[str], merged_into: str | None = None) -> UndoToken:
        """Soft-delete rows (a customer takes its contacts, opportunities... with it).

        `merged_into`: the customer or contact these rows were merged into (services/merging.py).
        """
        ids = tuple(dict.fromkeys(ids))
        stamp = self.now
        self._check_live(entity, ids)
        # Its records first: the server deletes with a customer whatever of it is still live
        # (its migration 0026), and each record this device deletes itself keeps its own word
        # about an edit someone made to it meanwhile.
        for child, column in belongings(entity):
            model = ENTITIES[child]
            self._set_deleted(child, getattr(model, column).in_(ids), stamp, "delete")
        self._set_deleted(entity, ENTITIES[entity].id.in_(ids), stamp, "delete", merged_into)
        if entity == "contracts":
            self._settle_renewals(self._renewed_by(ids))
        return UndoToken(entity, ids, stamp.isoformat())

    def restore(self, token: UndoToken) -> None:
        """Undo a delete: bring back exactly the rows it removed, and nothing deleted before it."""
        stamp = datetime.fromisoformat(token.deleted_at)
        model = ENTITIES[token.entity]
        self._set_deleted(token.entity, model.id.in_(token.ids), None, "restore", was=stamp)
        for child, column in belongings(token.entity):
            child_column = getattr(ENTITIES[child], column)
            self._set_deleted(child, child_column.in_(token.ids), None, "restore", was=stamp)
        if token.entity == "contracts":
            self._settle_renewals(self._renewed_by(token.ids))

    def renew_contract(self, contract_id: str, values: dict[str, Any]) -> str:
        """The follow-on contract of a contract (values given override the old one's: a new
        number always, dates by default the next term, the same amount, kind and owner), and
        the old one marked renewed; returns the new contract's id."""
        old = self._live("contracts", contract_id)
        # Renew pressed twice (or on two devices' copies before a sync): one follow-on only.
        renewal = self._renewal_of(contract_id)
        if renewal is not None:
            raise InvalidInput("id", ALREADY_RENEWED, number=old.number, renewal=renewal)
        start, end = next_term(old.start_on, old.end_on) if old.end_on else (None, None)
        wanted = {
            "customer_id": old.customer_id,
            "kind": old.kind,
            "start_on": start,
            "end_on": end,
            "amount_cents": old.amount_cents,
            "status": ContractStatus.ACTIVE.value,
            "owner_id": old.owner_id,
            **values,
            "renewed_from_id": contract_id,
        }
        # Inserted, it marks the old one renewed (_settle_renewals).
        return self.create("contracts", {k: v for k, v in wanted.items() if v is not None})

    def set_identifiers(self, customer_id: str, wanted: Iterable[Any]) -> bool:
        """Make a customer's identifiers exactly `wanted` ((kind, value) pairs or dicts)."""
        current = self.session.scalars(
            select(CustomerIdentifier).where(
                CustomerIdentifier.customer_id == customer_id,
                CustomerIdentifier.deleted_at.is_(None),
            )
        ).all()
        have = {(row.kind, row.value): row for row in current}
        pairs = identifier_pairs(wanted, self.region, stored=have)
        changed = False
        for pair in pairs:
            if pair not in have:
                self.create(
                    "customer_identifiers",
                    {"customer_id": customer_id, "kind": pair[0], "value": pair[1]},
                )
                changed = True
        gone = [row.id for key, row in have.items() if key not in pairs]
        if gone:
            self.delete("customer_identifiers", gone)
            changed = True
        if changed:
            self._stale_search.add(customer_id)
        return changed

    @contextmanager
    def grouped(self) -> Iterator[str]:
        """Changes made inside go to the server as one group: all applied, or none."""
        assert self._outbox_group is None, "groups do not nest"
        self._outbox_group = new_id()
        try:
            yield self._outbox_group
        finally:
            self._outbox_group = None

    def reparent(self, entity: str, ids: Iterable[str], column: str, value: str) -> list[str]:
        """Point the live rows among `ids` at another parent (`column` = `value`): what a merge
        moves from the record merged away to the kept one. The rows themselves were valid and
        stay so once every row of the merge has moved, which the caller's group makes the
        server check at once. Returns the ids moved."""
        model = ENTITIES[entity]
        target = getattr(model, column)
        rows = self.session.execute(
            select(model.id, target, model.updated_at).where(
                model.id.in_(list(ids)), model.deleted_at.is_(None), target != value
            )
        ).all()
        if not rows:
            return []
        moved = [row[0] for row in rows]
        self.session.execute(
            update(model)
            .where(model.id.in_(moved))
            .values({column: value, "updated_at": self.now, "updated_by": self.user_id})
            .execution_options(synchronize_session="fetch")
        )
        self._outbox_many(
            [
                (entity, row_id, "update", {column: value}, {column: old, "updated_at": seen})
                for row_id, old, seen in rows
            ]
        )
        self._customers_of.clear()
        self._live_refs = {ref for ref in self._live_refs if ref[0] != entity}
        for row_id, old, _seen in rows:
            self.changes.add("updated", entity, row_id)
            if column == "customer_id":
                for customer_id in (old, value):
                    self._mark_derived(entity, row_id, customer_id, (column,))
                    self._touch_parents(entity, customer_id)
        return moved

    def regrade(self, grades: Sequence[tuple[str, str | None, str]]) -> None:
        """Give customers the grades a grading computed, each (id, the grade it had, the new
        one): a statement per part of each new grade's customers rather than a load and save
        of each, as a grading may change most of 100,000 customers. The caller leaves out
        fixed grades (grading.local reads them in this transaction); the outbox gets an
        ordinary edit of each grade."""
        by_grade: dict[str, list[str]] = {}
        for customer_id, _old, new in grades:
            by_grade.setdefault(new, []).append(customer_id)
        for grade, ids in by_grade.items():
            for part in in_parts(ids):
                self.session.execute(
                    update(Customer)
                    .where(Customer.id.in_(part))
                    .values(grade=grade, updated_at=self.now, updated_by=self.user_id)
                    .execution_options(synchronize_session="fetch")
                )
        self._outbox_many(
            [
                ("customers", customer_id, "update", {"grade": new}, {"grade": old})
                for customer_id, old, new in grades
            ]
        )
        for customer_id, _old, _new in grades:
            self.changes.add("updated", "customers", customer_id)

    def finish(self) -> ChangeSet:
        """Recompute what derives from this transaction's changes; called before commit."""
        for customer_id in self._stale_followups:
            self._refresh_followup_dates(customer_id)
        for opportunity_id in self._stale_amounts:
            self._refresh_amount(opportunity_id)
        self.session.flush()
        driver = sqlite_connection(self.session)
        changed_since = sorted(self._fresh_search & self._stale_search)
        for part, marks in in_lists(changed_since):
            # New customers changed again since (a card's contact added to its new company):
            # composed anew below, and indexed whatever that gives, as no text is stored yet.
            driver.execute(f"UPDATE customers SET search_text = '' WHERE id IN ({marks})", part)
        fresh = self._fresh_search.difference(changed_since)
        # The others' texts as prepare composed them, as stored (a row rolled back to a
        # savepoint is not there): only to be indexed.
        search_index.add_customers(self.session, _stored_texts(driver, fresh))
        search_index.refresh_customers(self.session, self._stale_search)
        return self.changes

    # -- internals ---------------------------------------------------------------------------

    def get_live(self, entity: str, row_id: str) -> Any:
        """The live record, or InvalidInput saying there is none."""
        return self._live(entity, row_id)

    def _check_live(self, entity: str, ids: Sequence[str]) -> None:
        """InvalidInput for the first of these ids that is no live record's. One query for
        hundreds of ids (an import's undo deletes 100,000), not one for each."""
        model = ENTITIES[entity]
        live: set[str] = set()
        for part, _marks in in_lists(ids):
            live.update(
                self.session.scalars(
                    select(model.id).where(model.id.in_(part), model.deleted_at.is_(None))
                )
            )
        for row_id in ids:
            if row_id not in live:
                raise InvalidInput("id", NOT_FOUND, entity=entity_label(entity), id=row_id)

    def _live(self, entity: str, row_id: str) -> Any:
        row = self.session.get(ENTITIES[entity], row_id)
        if row is None or row.deleted_at is not None:
            raise InvalidInput("id", NOT_FOUND, entity=entity_label(entity), id=row_id)
        return row

    def _check_refs(self, entity: str, cleaned: dict[str, Any]) -> None:
        for name, value in cleaned.items():
            # Derived columns (a line's or an instalment's customer) are no field of a form.
            field = FIELDS_BY_NAME[entity].get(name)
            if field is not None and field.kind is Kind.REF and value is not None:
                assert field.ref is not None
                if (field.ref, value) in self._live_refs or (field.ref, value) in self._expected:
                    continue
                target = self.session.get(ENTITIES[field.ref], value)
                if target is None or target.deleted_at is not None:
                    raise InvalidInput(name, NOT_FOUND, entity=entity_label(field.ref), id=value)
                self._live_refs.add((field.ref, value))

    def _apply_defaults(self, entity: str, cleaned: dict[str, Any]) -> None:
        owner = ENTITIES[entity].OWNER
        if owner is not None and cleaned.get(owner) is None:
            cleaned[owner] = self._default_owner(owner)
        if entity == "followups" and cleaned.get("happened_at") is None:
            cleaned["happened_at"] = self.now
        # Made already closed or done (a form set to Won, a sheet of an old system's deals):
        # the figures count won and lost deals, and done tasks, by this time. Closed now, as an
        # update to Won would say, unless its expected close (a task's due time) has passed:
        # an old deal imported today was won then, not this month.
        if entity == "opportunities" and cleaned.get("stage") in CLOSED_STAGES:
            cleaned["closed_at"] = cleaned.get("closed_at") or self._by_then(
                cleaned.get("expected_close")
            )
        if entity == "tasks" and cleaned.get("done"):
            cleaned["done_at"] = cleaned.get("done_at") or self._by_then(cleaned.get("due_at"))
        if entity == "opportunity_lines":
            opportunity = self.session.get(Opportunity, cleaned["opportunity_id"])
            if opportunity is not None:
                cleaned["customer_id"] = opportunity.customer_id
            if cleaned.get("unit_price_cents") is None:
                # A quote starts from the list price, the same for every rep.
                product = self.session.get(Product, cleaned["product_id"])
                if product is not None:
                    cleaned["unit_price_cents"] = product.list_price_cents
        if entity == "contract_instalments":
            customer_id = self._customer_of(Contract, cleaned["contract_id"])
            if customer_id is not None:
                cleaned["customer_id"] = customer_id
        for key, value in list(cleaned.items()):
            if value is None:
                del cleaned[key]  # leave column defaults in force

    def _by_then(self, planned: date | datetime | None) -> datetime:
        """When something made already closed or done was: its planned time (a day: that
        local day's midnight) if that has passed, now otherwise."""
        if planned is None:
            return self.now
        if not isinstance(planned, datetime):
            planned = local_to_utc(datetime.combine(planned, time()))
        return min(planned, self.now)

    def _check_money_rules(self, entity: str, row_id: str, values: dict[str, Any]) -> None:
        """What ties a contract or a payment to its customer, checked before anything is
        written (the server checks the same with its foreign keys)."""
        customer_id = values.get("customer_id")
        if entity == "contracts":
            start, end = values.get("start_on"), values.get("end_on")
            if start is not None and end is not None and end < start:
                raise InvalidInput("end_on", ENDS_BEFORE_START)
            if values.get("status") == ContractStatus.TERMINATED and end is None:
                raise InvalidInput("end_on", TERMINATED_WITHOUT_END)
            if values.get("renewed_from_id") == row_id:
                raise InvalidInput("renewed_from_id", RENEWS_ITSELF)
            self._same_customer("opportunity_id", Opportunity, values, customer_id)
            self._same_customer("renewed_from_id", Contract, values, customer_id)
        if entity == "payments":
            self._same_customer("contract_id", Contract, values, customer_id)

    def _check_times(self, entity: str, values: dict[str, Any], changed: Mapping[str, Any]) -> None:
        """Times that cannot be meant, checked when one of them is given: a follow-up after
        today (the server's pool rules would not count it until then), a next step planned for
        a day before its follow-up, a work log of a day still ahead. Later today is a time
        like any: a call logged a little early, a clock a little fast."""
        if entity == "followups":
            happened, step = values.get("happened_at"), values.get("next_step_at")
            if "happened_at" in changed and happened is not None and happened >= self._today_ends:
                raise InvalidInput("happened_at", HAPPENS_AHEAD)
            if (
                ("happened_at" in changed or "next_step_at" in changed)
                and happened is not None
                and step is not None
                and local_date(step) < local_date(happened)
            ):
                raise InvalidInput("next_step_at", STEP_BEFORE_FOLLOW_UP)
        elif entity == "work_logs" and "day" in changed:
            day = values.get("day")
            if day is not None and day > local_date(self.now):
                raise InvalidInput("day", LOG_AHEAD, day=day.isoformat())

    @cached_property
    def _today_ends(self) -> datetime:
        return end_of_local_day(self.now)

    def _renewed_by(self, ids: Sequence[str]) -> list[str | None]:
        """The contracts these contracts renew."""
        return list(
            self.session.scalars(select(Contract.renewed_from_id).where(Contract.id.in_(ids)))
        )

    def _settle_renewals(self, contract_ids: Iterable[str | None]) -> None:
        """A contract is marked renewed exactly while a live contract renews it: however that
        one came (renew_contract, a form's or an import's "Renews contract"), and until it is
        deleted (a renewal deleted by mistake puts its contract back on the renewal lists,
        undecided), or restored again. Ordinary updates: they sync like any."""
        for contract_id in {found for found in contract_ids if found is not None}:
            contract = self.session.get(Contract, contract_id)
            if contract is None or contract.deleted_at is not None:
                continue
            renewed = self._renewal_of(contract_id) is not None
            if renewed and contract.renewal_status != RenewalStatus.RENEWED.value:
                wanted = RenewalStatus.RENEWED.value
            elif not renewed and contract.renewal_status == RenewalStatus.RENEWED.value:
                wanted = RenewalStatus.UNDECIDED.value
            else:
                continue
            self.update("contracts", contract_id, {"renewal_status": wanted})

    def _renewed_once(self, row_id: str, renewed_id: str | None) -> None:
        """A contract is renewed by one live contract at most, however the second one came
        (a form's "Renews contract", an import, renew_contract on two devices' copies)."""
        if renewed_id is None:
            return
        renewal = self._renewal_of(renewed_id, besides=row_id)
        if renewal is not None:
            number = self.session.scalar(select(Contract.number).where(Contract.id == renewed_id))
            raise InvalidInput("renewed_from_id", ALREADY_RENEWED, number=number, renewal=renewal)

    def _renewal_of(self, contract_id: str, besides: str | None = None) -> str | None:
        """The number of the live contract renewing this one (other than `besides`), if any."""
        renewing = select(Contract.number).where(
            Contract.renewed_from_id == contract_id, Contract.deleted_at.is_(None)
        )
        if besides is not None:
            renewing = renewing.where(Contract.id != besides)
        return self.session.scalar(renewing.limit(1))

    def _check_contract_move(self, row_id: str) -> None:
        """A contract keeps its customer once anything of that customer's hangs off it: its
        instalments and payments (deleted ones too: the server ties every row to the
        contract's customer, fk_*_same_customer), or a contract renewing it."""
        held = [
            select(ContractInstalment.id).where(ContractInstalment.contract_id == row_id),
            select(Payment.id).where(Payment.contract_id == row_id),
            select(Contract.id).where(Contract.renewed_from_id == row_id),
        ]
        if any(self.session.scalar(query.limit(1)) is not None for query in held):
            raise InvalidInput("customer_id", STAYS_WITH_CUSTOMER)

    def _same_customer(
        self, column: str, model: Any, values: dict[str, Any], customer_id: str | None
    ) -> None:
        target_id = values.get(column)
        if target_id is None:
            return
        theirs = self._customer_of(model, target_id)
        if theirs is not None and theirs != customer_id:
            label = "opportunity" if model is Opportunity else "contract"
            raise InvalidInput(column, OTHER_CUSTOMERS, entity=entity_label(f"{label}s"))

    def _customer_of(self, model: Any, row_id: str) -> str | None:
        """The customer a contract or opportunity belongs to (None: no such row), read once
        per transaction: an import of payments asks for the same few contracts again and
        again."""
        key = (model.__tablename__, row_id)
        if key not in self._customers_of:
            self._customers_of[key] = self.session.scalar(
                select(model.customer_id).where(model.id == row_id)
            )
        return self._customers_of[key]

    def _check_unique(self, entity: str, row_id: str, cleaned: dict[str, Any]) -> None:
        """A product's code (unique in the store) and a live contract's number (unique on the
        server) are not used twice; the server keeps other systems' keys unique itself."""
        for name, model, live in UNIQUE_FIELDS.get(entity, ()):
            value = cleaned.get(name)
            if value is None:
                continue
            column = getattr(model, name)
            found = select(model.id).where(column == value, model.id != row_id)
            if live:
                found = found.where(model.deleted_at.is_(None))
            if self.session.scalar(found.limit(1)) is not None:
                field = FIELDS_BY_NAME[entity][name]
                raise InvalidInput(
                    name,
                    ALREADY_USED,
                    field=field.display_label(),
                    value=value,
                    entity=entity_label(entity),
                )

    def _refresh_amount(self, opportunity_id: str) -> None:
        """An opportunity with live lines is worth their sum; one without keeps its amount."""
        opportunity = self.session.get(Opportunity, opportunity_id)
        if opportunity is None or opportunity.deleted_at is not None:
            return
        lines = self.session.execute(
            select(
                OpportunityLine.quantity,
                OpportunityLine.unit_price_cents,
                OpportunityLine.discount_percent,
            ).where(
                OpportunityLine.opportunity_id == opportunity_id,
                OpportunityLine.deleted_at.is_(None),
            )
        ).all()
        if not lines:
            return
        total = min(sum(line_total_cents(*line) for line in lines), MAX_MONEY_CENTS)
        if total != opportunity.amount_cents:
            base = {"amount_cents": opportunity.amount_cents}
            opportunity.amount_cents = total
            opportunity.updated_at = self.now
            opportunity.updated_by = self.user_id
            self._outbox("opportunities", opportunity_id, "update", {"amount_cents": total}, base)
            self.changes.add("updated", "opportunities", opportunity_id)

    def _default_owner(self, column: str) -> str:
        """Whose a new record is when nobody is named (a clerk's: his rep's)."""
        if self._enters_for is None:  # read once: an import asks for every row
            stored = self.session.get(LocalSetting, ENTERS_FOR_KEY)
            self._enters_for = entered_for(stored.value if stored else None)
        owner = owner_of_new_record(self.user_id, self._enters_for)
        if owner is None:
            raise InvalidInput(column, CHOOSE_REP)
        return owner

    def _mark_derived(
        self, entity: str, row_id: str, customer_id: str | None, changed: Iterable[str]
    ) -> None:
        """Note what must be recomputed at the end because this row changed."""
        if entity == "customers" and not SEARCHED_FIELDS.isdisjoint(changed):
            self._stale_search.add(row_id)
        if customer_id is None:
            return
        if ENTITIES[entity].IN_CUSTOMER_SEARCH:
            self._stale_search.add(customer_id)
        if entity == "followups":
            self._stale_followups.add(customer_id)

    def _derived_changes(self, entity: str, row: Any, changed: dict[str, Any]) -> dict[str, Any]:
        """Fields set as a consequence of others (close time of a won deal, done time of a task)."""
        extra: dict[str, Any] = {}
        if entity == "opportunities" and "stage" in changed:
            closed = changed["stage"] in CLOSED_STAGES
            extra["closed_at"] = self.now if closed else None
        if entity == "tasks" and "done" in changed:
            extra["done_at"] = self.now if changed["done"] else None
        for key, value in extra.items():
            setattr(row, key, value)
        return extra

    def _touch_parents(self, entity: str, customer_id: str | None) -> None:
        # The customer's page and row show what hangs off it (a task's customer may be none).
        if entity in CUSTOMER_CHILDREN and customer_id is not None:
            self.changes.add("updated", "customers", customer_id)

    def _set_deleted(
        self,
        entity: str,
        where: Any,
        stamp: datetime | None,
        op: str,
        merged_into: str | None = None,
        was: datetime | None = None,
    ) -> None:
        model = ENTITIES[entity]
        state = model.deleted_at.is_(None) if was is None else model.deleted_at == was
        rows = self.session.execute(
            select(model.id, model.updated_at, *self._parent_columns(model)).where(where, state)
        ).all()
        if not rows:
            return
        now = self.now
        ids = [r[0] for r in rows]
        if entity == "opportunity_lines":
            self._stale_amounts.update(
                self.session.scalars(
                    select(OpportunityLine.opportunity_id).where(OpportunityLine.id.in_(ids))
                )
            )
        self._live_refs = {ref for ref in self._live_refs if ref[0] != entity}
        values: dict[str, Any] = {
            "deleted_at": stamp,
            "updated_at": now,
            "updated_by": self.user_id,
        }
        changes: dict[str, Any] = {}
        if entity in MERGEABLE:
            # A merged-away record is deleted pointing at the kept one; restored, at none.
            values["merged_into_id"] = merged_into
            if merged_into is not None:
                changes["merged_into_id"] = merged_into
        self.session.execute(
            update(model)
            .where(model.id.in_(ids))
            .values(values)
            .execution_options(synchronize_session="fetch")
        )
        kind = "deleted" if op == "delete" else "created"
        # The base of a delete is when the row last changed as this device saw it: the server
        # can then tell a delete that overrides someone else's later edit.
        self._outbox_many([(entity, r[0], op, changes, {"updated_at": r[1]}) for r in rows])
        for row_id, _last_changed, *parent in rows:
            self.changes.add(kind, entity, row_id)
            customer_id = parent[0] if parent else None
            if customer_id is not None:
                if ENTITIES[entity].IN_CUSTOMER_SEARCH:
                    self._stale_search.add(customer_id)
                if entity == "followups":
                    self._stale_followups.add(customer_id)
                    if op == "restore":
                        self._restored_followups.add(row_id)
                if entity != "customers":
                    self.changes.add("updated", "customers", customer_id)

    @staticmethod
    def _parent_columns(model: Any) -> tuple:
        column = getattr(model, "customer_id", None)
        return (column,) if column is not None else ()

    def _next_step_of(self, customer: Customer, latest: Any) -> datetime | None:
        """The customer's next step as its follow-ups leave it (queries/calendar.py says what
        the user sees of it): the latest follow-up's when it says one (a text, a date or
        both; a text alone replaces the step planned before with one of no date), else the
        one planned before, unless the only follow-ups that planned it are deleted (a date
        typed on the customer itself stays)."""
        if latest is not None and ((latest[0] or "").strip() or latest[1] is not None):
            return latest[1]
        if self._restored_followups:
            # A delete undone: the follow-up that planned the step before it is back, and no
            # later one planned another, so its step is the customer's again.
            planner = self.session.execute(
                select(FollowUp.id, FollowUp.next_step_at)
                .where(
                    FollowUp.customer_id == customer.id,
                    FollowUp.deleted_at.is_(None),
                    or_(FollowUp.next_step_at.is_not(None), func.trim(FollowUp.next_step) != ""),
                )
                .order_by(FollowUp.happened_at.desc())
                .limit(1)
            ).first()
            if planner is not None and planner[0] in self._restored_followups:
                return planner[1]
        current = customer.next_followup_at
        if current is None:
            return None
        planners = self.session.scalars(
            select(FollowUp.deleted_at).where(
                FollowUp.customer_id == customer.id, FollowUp.next_step_at == current
            )
        ).all()
        if planners and all(deleted is not None for deleted in planners):
            return None
        return current

    def _refresh_followup_dates(self, customer_id: str) -> None:
        customer = self.session.get(Customer, customer_id)
        if customer is None or customer.deleted_at is not None:
            return
        live = (FollowUp.customer_id == customer_id, FollowUp.deleted_at.is_(None))
        latest = self.session.execute(
            select(FollowUp.next_step, FollowUp.next_step_at)
            .where(*live)
            .order_by(FollowUp.happened_at.desc())
            .limit(1)
        ).first()
        # The latest up to now, as the server counts it (sync/derived.py) and as the pool rules
        # do: one dated ahead (a typing slip, a clock running fast) is not the last one yet.
        last = self.session.scalar(
            select(func.max(FollowUp.happened_at)).where(*live, FollowUp.happened_at <= self.now)
        )
        upcoming = self._next_step_of(customer, latest)
        wanted = {"last_followup_at": last, "next_followup_at": upcoming}
        changed = {k: v for k, v in wanted.items() if getattr(customer, k) != v}
        if changed:
            base = {k: getattr(customer, k) for k in changed}
            for key, value in changed.items():
                setattr(customer, key, value)
            customer.updated_at = self.now
            customer.updated_by = self.user_id
            self._outbox("customers", customer_id, "update", changed, base)
            self.changes.add("updated", "customers", customer_id)

    def _outbox(self, entity: str, row_id: str, op: str, changes: dict, base: dict) -> None:
        self._outbox_many([(entity, row_id, op, changes, base)])

    def _outbox_many(self, entries: list[tuple[str, str, str, dict, dict]]) -> None:
        """Outbox entries (entity, row id, op, changes, base), numbered in the order given."""
        _insert_rows(
            self.session,
            OutboxEntry.__tablename__,
            [
                {
                    "entity": entity,
                    "row_id": row_id,
                    "op": op,
                    "changes": json.dumps(changes, default=_json_default),
                    "base": json.dumps(base, default=_json_default),
                    "made_at": self.now,
                    "made_by": self.user_id,
                    "group_id": self._outbox_group,
                }
                for entity, row_id, op, changes, base in entries
            ],
        )


def _insert_rows(session: Session, table: str, rows: list[dict[str, Any]]) -> None:
    """One statement for many rows of one table, every row with the same keys in the same
    order; straight to sqlite3, as SQLAlchemy's per-row work would cost more than SQLite's."""
    if not rows:
        return
    names = list(rows[0])
    marks = ["?"] * len(names)
    picked = list(names)
    for at, name in enumerate(names):
        if name in LOOKED_UP_ON_INSERT:
            marks[at], picked[at] = LOOKED_UP_ON_INSERT[name]
    statement = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(marks)})"
    # Only a date or time column holds values sqlite3 cannot bind as they are: converting those
    # alone spares a call per value (4 million for 100,000 new customers with their outbox).
    timed = _timed_columns(table)
    converted = [at for at, name in enumerate(names) if name in timed]
    if len(names) == 1:
        values = [(row[picked[0]],) for row in rows]
    else:
        pick = itemgetter(*picked)
        values = [pick(row) for row in rows]
    if converted:
        values = [_converted(row, converted) for row in values]
    sqlite_connection(session).executemany(statement, values)


def _converted(row: tuple[Any, ...], positions: list[int]) -> tuple[Any, ...]:
    values = list(row)
    for at in positions:
        values[at] = to_sqlite(values[at])
    return tuple(values)


@cache
def _timed_columns(table: str) -> frozenset[str]:
    """The columns of a table whose values are dates or times (stored as ISO text)."""
    columns = Base.metadata.tables[table].columns
    return frozenset(c.key for c in columns if isinstance(c.type, Date | DateTime))


def _stored_texts(driver: sqlite3.Connection, customer_ids: set[str]) -> list[tuple[str, str]]:
    """(id, search text) of these customers as stored, those with a text."""
    ids = sorted(customer_ids)
    found: list[tuple[str, str]] = []
    for part, marks in in_lists(ids):
        found += driver.execute(
            f"SELECT id, search_text FROM customers WHERE id IN ({marks}) AND search_text != ''",
            part,
        ).fetchall()
    return found


class Writer:
    """The service the window and the command line call. Each call is one transaction."""

    def __init__(
        self,
        store: Store,
        user_id: str | Callable[[], str | None] | None,
        region: str = DEFAULT_REGION,
    ) -> None:
        self.store = store
        # A callable follows the profile: the first sync replaces the local user by the
        # server's, and a window's writer must write as him from then on.
        self._user = user_id
        self.region = region

    @property
    def user_id(self) -> str | None:
        return self._user() if callable(self._user) else self._user

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        with self.store.write() as session:
            unit = UnitOfWork(session, self.user_id, self.region)
            yield unit
            unit.finish()

    def create(self, entity: str, values: dict[str, Any]) -> ChangeSet:
        with self.transaction() as unit:
            unit.changes.primary_id = unit.create(entity, values)
        return unit.changes

    def update(
        self, entity: str, row_id: str, values: dict[str, Any], *, move_reminder: bool = False
    ) -> ChangeSet:
        with self.transaction() as unit:
            unit.update(entity, row_id, values, move_reminder=move_reminder)
            unit.changes.primary_id = row_id
        return unit.changes

    def delete(self, entity: str, ids: Iterable[str]) -> ChangeSet:
        with self.transaction() as unit:
            unit.changes.undo = unit.delete(entity, ids)
        return unit.changes

    def restore(self, token: UndoToken) -> ChangeSet:
        with self.transaction() as unit:
            unit.restore(token)
        return unit.changes

    def move_next_step(self, customer_id: str, planned_by: str | None, at: datetime) -> ChangeSet:
        """A customer's next step moved to `at`, with the follow-up that planned it (its
        `next_step_at`), together: the step keeps the words that follow-up promised."""
        with self.transaction() as unit:
            if planned_by is not None:
                unit.update("followups", planned_by, {"next_step_at": at})
            unit.update("customers", customer_id, {"next_followup_at": at})
            unit.changes.primary_id = customer_id
        return unit.changes

    def mark_comments_read(self, comment_ids: Iterable[str]) -> ChangeSet:
        """Note on this device that the user read these comments on his work logs (Today
        lists them no more); the newest COMMENTS_READ_KEPT marks are kept."""
        changes = ChangeSet()
        with self.store.write() as session:
            stored = session.get(LocalSetting, COMMENTS_READ_KEY)
            marks = listed_ids(stored.value if stored else None)
            new = [i for i in dict.fromkeys(comment_ids) if i not in marks]
            if not new:
                return changes
            kept = (marks + new)[-COMMENTS_READ_KEPT:]
            session.merge(LocalSetting(key=COMMENTS_READ_KEY, value=",".join(kept)))
        for comment_id in new:
            changes.add("updated", "work_log_comments", comment_id)
        return changes

    def postpone_task(self, task_id: str, due_at: datetime) -> ChangeSet:
        """A task moved to `due_at`, its reminder with it (_move_reminder_along)."""
        with self.transaction() as unit:
            unit.update("tasks", task_id, {"due_at": due_at}, move_reminder=True)
            unit.changes.primary_id = task_id
        return unit.changes

    def renew_contract(self, contract_id: str, values: dict[str, Any]) -> ChangeSet:
        """The follow-on contract and the old one marked renewed, together or not at all."""
        with self.transaction() as unit:
            unit.changes.primary_id = unit.renew_contract(contract_id, values)
        return unit.changes

    def pending_changes(self) -> int:
        """Number of changes waiting in the outbox."""
        with self.store.read() as session:
            return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def _move_reminder_along(task: Any, cleaned: dict[str, Any]) -> None:
    """A task given a new due time and no new reminder time takes its reminder along by as
    much, when a user moves it (Postpone on Today, its form, the calendar): a reminder set
    an hour before the task stays an hour before it, where one left behind would ring for a
    task not due yet. A task without a due time keeps its reminder."""
    due = cleaned.get("due_at")
    if "remind_at" in cleaned or due is None or task.due_at is None or task.remind_at is None:
        return
    cleaned["remind_at"] = task.remind_at + (due - task.due_at)


__all__ = ["ChangeSet", "UndoToken", "UnitOfWork", "Writer"]
