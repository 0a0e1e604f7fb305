"""Push: send the outbox to the server, change by change, exactly once.

Each outbox entry is applied in its own savepoint and its result is written to `sync_pushes`
under (device, seq) in the same server transaction. New records of one table that follow each
other in the outbox (an import's) go as one INSERT of up to a thousand rows, which the server
checks row by row as it would one by one; if it refuses that statement, they are applied one
by one, so only the refused record is refused. A retry after a dropped connection, a lost
acknowledgement or a killed process finds the receipt and takes the result from it instead of
applying the change again. An entry leaves the outbox only with its result, in one local
transaction that also records any conflict the result reports.

Conflict rule, field by field: a field someone else changed since this device last saw it keeps
the server's value (the change that reached the server first wins); the value typed here is kept
as a conflict record. Fields nobody else touched are applied. An edit of a record deleted
meanwhile is not applied (delete wins; the record can be restored, with every value it had) and
is kept as conflicts. A change the server refuses (not yours any more, invalid) is kept too.
One order is mended first: a change refused because its customer went back to the public pool
is tried once more right after a follow-up later in the same batch that gives the customer back
(it happened in time, server 0008), which is then applied ahead of its turn.

Who changed a row and when is the server's to say: it stamps `updated_at`/`updated_by` itself.
Each result carries the stamp, and the device adopts it for the row (and for the base of later
changes to the row), so "has someone changed this since I saw it" keeps comparing like with like.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import ChainMap, defaultdict
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import (
    CUSTOMER_CHILDREN,
    ENTITIES,
    MERGEABLE,
    Conflict,
    Customer,
    LocalSetting,
    OutboxEntry,
    User,
)
from crm_desktop.models.fields import FIELDS_BY_NAME, links_of
from crm_desktop.queries.records import record_names
from crm_desktop.storage import suspended_indexes
from crm_desktop.storage.pool_due import due_expression
from crm_desktop.storage.store import Store, sqlite_connection
from crm_desktop.storage.values import to_sqlite
from crm_desktop.sync import derived
from crm_desktop.sync.codec import canonical, from_json, sent_columns, to_server

BATCH = 2000
# A refused merge's reason when the record it merges away was merged into another meanwhile.
MERGED_ELSEWHERE = "it was merged into another record meanwhile"
# A refused change's reason when its author is a clerk whose time entering records for the
# record's rep had ended (UTC time, rep's name); views/conflicts_view.py words it.
GRANT_ENDED = "clerk grant ended|{until}|{rep}"
# A lost value's conflict resolved because a later change of the same field lost too: the
# user's own later typing stands for it (kept, not deleted).
SUPERSEDED = "superseded by a later change of the same field"
# New records sent in one INSERT: the statement's row-level security checks and round trip
# are paid once, not per record (about 0.15 ms a record instead of 1.5 ms).
MAX_RUN = 1000
# The columns _adopt_server_stamps rewrites. A push that rewrites most of a table (an import's
# first; suspended_indexes.rewrites_most_of) takes the table's indexes on them off and builds
# them again at its end: an indexed value changed row by row costs a delete and an insert in
# each of its indexes, about ten times the rest of the row's update. Meanwhile a list sorted
# by one of them sorts without its index (under a second for 100,000 customers).
STAMPED_COLUMNS = ("created_at", "updated_at", "owned_since", "pool_due_at")
# What the server says when it will not take a change: the change is refused, not the push.
REFUSALS = (
    psycopg.errors.DataError,
    psycopg.errors.IntegrityError,
    psycopg.errors.InsufficientPrivilege,
)
# A row the access rules (row-level security) do not let this user write, in push's own words
# (views/conflict_text.py says it in the user's language; PostgreSQL's "new row violates
# row-level security policy for table ..." means nothing to a rep).
NOT_ALLOWED = "not allowed by the access rules"
# A record the server would not take under a deleted customer (its migration 0025 raises it).
CUSTOMER_DELETED = "its customer was deleted meanwhile"
# A claim of a pool customer that another user claimed first: the customer is out of sight.
CLAIMED_FIRST = "someone else claimed it first"
# The words of PostgreSQL's refusal by a policy, as an English-speaking server says it.
_POLICY_REFUSAL = "row-level security policy"
# Receipts of this user's pushes from one device (its id the parameter), by the table's key.
MY_RECEIPTS = "pushed_by = (SELECT crm_current_user_id()) AND device_id = %s"
# Those of a batch, by the range of its seqs (the caller keeps the batch's own): a range is a
# search of the key, where `seq = ANY(the batch's seqs)` read every receipt of the user and
# device (57 ms a batch at 150,000 of them; 8 s when they were there, as on a retry).
RECEIPTS_OF = f"SELECT seq, result FROM sync_pushes WHERE {MY_RECEIPTS} AND seq BETWEEN %s AND %s"
# The highest outbox seq whose result was recorded (and the entry removed) on this device.
PUSHED_THROUGH_KEY = "sync_pushed_through"
# The server setting that names the pushing device for its transaction.
DEVICE_SETTING = "crm.device_id"
Progress = Callable[[str, int, int], None]
log = logging.getLogger(__name__)


@dataclass
class PushReport:
    applied: int = 0
    conflicts: int = 0
    refused: int = 0
    # Rows whose server version differs from ours after the push: the pull must fetch them.
    refetch: set[tuple[str, str]] = field(default_factory=set)
    # Server transactions of this push: their changes are ours already, so the pull that
    # follows need not bring them back (rows listed in `refetch` are fetched regardless).
    transactions: set[str] = field(default_factory=set)
    # The rows this push wrote itself, when it also changed rows of the server's own accord:
    # a customer deleted, restored or given a new owner, or a contact merged away, takes
    # records this device may not hold as the server has them now (server 0026, 0029, 0030).
    # The pull then brings, of this push's transactions, the changes to any other row. None:
    # nothing of the kind was sent.
    sent: set[tuple[str, str]] | None = None


@dataclass(frozen=True, slots=True)
class _Entry:
    """An outbox entry as the push reads it: its values alone, without a session's bookkeeping
    for each (an import's first push reads 100,000 of them, each many times)."""

    seq: int
    entity: str
    row_id: str
    op: str
    changes: dict[str, Any]
    base: dict[str, Any]
    made_at: datetime
    made_by: str | None
    group_id: str | None


_ENTRY_COLUMNS = [OutboxEntry.__table__.columns[name] for name in _Entry.__slots__]


def push(
    store: Store,
    connection: psycopg.Connection,
    device: str,
    progress: Progress | None = None,
    before_local_commit: Callable[[], None] | None = None,
) -> PushReport:
    """Push every outbox entry. `before_local_commit` is a test hook (a crash point).

    The server applies one batch while this device records the results of the one before:
    the two wait on different things (the network and the disk), and a bulk push takes the
    longer of them instead of their sum. Nothing of a batch is removed here before the server
    committed it, and a batch whose results were not recorded yet is answered from its
    receipts next time, as after a lost acknowledgement."""
    report = PushReport()
    _renumber_reused(store)
    total, suspended = _suspend_stamp_indexes(store)
    try:
        _push_batches(store, connection, device, total, report, progress, before_local_commit)
    finally:
        if suspended:
            _restore_stamp_indexes(store, suspended)
    return report


def _push_batches(
    store: Store,
    connection: psycopg.Connection,
    device: str,
    total: int,
    report: PushReport,
    progress: Progress | None,
    before_local_commit: Callable[[], None] | None,
) -> None:
    done = 0
    # Rows the push has changed so far, with the server's stamp for each change (see _send).
    stamped: dict[tuple[str, str], tuple[Any, Any]] = {}
    sent_through = 0
    answered: _Sent | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="push") as sender:
        while True:
            with store.read() as session:
                entries = _read_entries(
                    session,
                    select(*_ENTRY_COLUMNS)
                    .where(OutboxEntry.seq > sent_through)
                    .order_by(OutboxEntry.seq)
                    .limit(BATCH),
                )
                entries += _rest_of_group(session, entries)
                stamps = _delete_stamps(session, entries)
            sending = (
                sender.submit(
                    _send_batch, connection, device, entries, stamps, report.transactions, stamped
                )
                if entries
                else None
            )
            # Should this fail, leaving the `with` waits for the batch being sent: the
            # connection is free again before anyone reuses it.
            if answered is not None:
                _record_batch(store, answered, report, before_local_commit)
                done += len(answered.entries)
                if progress is not None:
                    progress("push", done, max(total, done))
                answered = None
            if sending is None:
                return
            try:
                answered = sending.result()
            except _SeqTaken as taken:
                _move_above(store, taken.first, taken.highest)
                sent_through = 0
                continue
            sent_through = max(entry.seq for entry in entries)


def _suspend_stamp_indexes(store: Store) -> tuple[int, list[str]]:
    """How many entries the outbox holds, and the tables whose indexes on STAMPED_COLUMNS
    were taken off for this push: those it rewrites most of (an import's first push).
    `Store.open` puts them back should the push be killed."""
    with store.read() as session:
        counts = dict(
            session.execute(
                select(OutboxEntry.entity, func.count()).group_by(OutboxEntry.entity)
            ).all()
        )
        driver = sqlite_connection(session)
        left_off = suspended_indexes.any_suspended(driver)
        many = [
            entity
            for entity, count in counts.items()
            if entity in ENTITIES and suspended_indexes.rewrites_most_of(driver, entity, count)
        ]
    total = sum(counts.values())
    if not many and not left_off:
        return total, []
    with store.write() as session:
        driver = sqlite_connection(session)
        if left_off:  # what an earlier push could not put back (_restore_stamp_indexes)
            suspended_indexes.restore_indexes(driver)
        return total, [
            entity
            for entity in many
            if suspended_indexes.suspend_indexes_on(driver, entity, STAMPED_COLUMNS)
        ]


def _restore_stamp_indexes(store: Store, tables: list[str]) -> None:
    """Put the indexes back. Failing that (the store busy past its timeout, the disk full), the
    push's own outcome stands and the indexes stay recorded: the next push or the next start
    puts them back."""
    try:
        with store.write() as session:
            suspended_indexes.restore_indexes(sqlite_connection(session), tables)
    except (SQLAlchemyError, sqlite3.Error):
        log.exception("the indexes taken off for a push were not put back yet")


@dataclass
class _Sent:
    """A batch the server has answered, for the device to record."""

    entries: list[_Entry]
    results: dict[int, dict[str, Any]]
    # (rep id, the time his clerk's grant ended): asked only when something was refused.
    ended_grants: dict[str, datetime]


def _send_batch(
    connection: psycopg.Connection,
    device: str,
    entries: list[_Entry],
    stamps: dict[int, datetime],
    transactions: set[str],
    stamped: dict[tuple[str, str], tuple[Any, Any]],
) -> _Sent:
    """The server's part of a batch, on the push's own thread."""
    results = _send(connection, device, entries, stamps, transactions, stamped)
    return _Sent(entries, results, _ended_grants(connection, entries, results))


def _record_batch(
    store: Store,
    sent: _Sent,
    report: PushReport,
    before_local_commit: Callable[[], None] | None,
) -> None:
    """The device's part of a batch: each result recorded, the entries gone, in one write."""
    entries, results = sent.entries, sent.results
    with store.write() as session:
        _explain_ended_grants(session, entries, results, sent.ended_grants)
        for entry in entries:
            _record(session, entry, results[entry.seq], report)
        _note_sent(report, entries, results)
        report.refetch |= _kept_by_follow_ups(session, entries, results)
        _adopt_server_stamps(session, entries, results)
        session.execute(delete(OutboxEntry).where(OutboxEntry.seq.in_([e.seq for e in entries])))
        through = max(_pushed_through(session), max(e.seq for e in entries))
        session.merge(LocalSetting(key=PUSHED_THROUGH_KEY, value=str(through)))
        if before_local_commit is not None:
            before_local_commit()


def _note_sent(
    report: PushReport, entries: list[_Entry], results: dict[int, dict[str, Any]]
) -> None:
    """Keep, in `report.sent`, the rows of these entries once one of them changed others on
    the server: a customer's delete, restore or new owner, a contact's merge."""
    if report.sent is None and not any(_moves_others(entry) for entry in entries):
        return
    sent = report.sent if report.sent is not None else set()
    for entry in entries:
        sent.add((entry.entity, entry.row_id))
        redirected = results[entry.seq].get("redirected_to")
        if redirected:
            sent.add((entry.entity, redirected))
    report.sent = sent


def _moves_others(entry: _Entry) -> bool:
    if entry.entity == "contacts":  # merged away: what named it names the kept one (0030)
        return entry.op == "delete" and bool((entry.changes or {}).get("merged_into_id"))
    return entry.entity == "customers" and (
        entry.op in ("delete", "restore") or "owner_id" in entry.changes
    )


def _kept_by_follow_ups(
    session: Any, entries: list[_Entry], results: dict[int, dict[str, Any]]
) -> set[tuple[str, str]]:
    """The pool customers that follow-ups of this batch may have given back to their author:
    the server does that in the push's own transaction (server migration 0008), whose changes
    the pull after the push skips as this device's own. So they are fetched by name."""
    customers = {
        entry.changes.get("customer_id")
        for entry in entries
        if entry.entity == "followups"
        and entry.op == "insert"
        and results[entry.seq].get("status") == "applied"
    } - {None}
    if not customers:
        return set()
    in_pool = session.scalars(
        select(Customer.id).where(Customer.id.in_(customers), Customer.owner_id.is_(None))
    )
    return {("customers", customer_id) for customer_id in in_pool}


def _linked_names_here(session: Any, entry: _Entry) -> dict[str, str]:
    """What the records a refused change links to are called on this device, keyed
    "entity:id": its customer (also when the change does not name it: an edit of a
    follow-up), contact, deal... The pull after may take them off this device (the customer
    handed to someone else), and the conflict should still say whose work it was."""
    links = links_of(entry.entity, entry.changes or {})
    model = ENTITIES.get(entry.entity)
    if model is not None and model.PARENT:
        parent = session.scalar(
            select(getattr(model, model.PARENT)).where(model.id == entry.row_id)
        )
        if parent is not None:
            links.append(("customers", parent))
    named = record_names(session, list(dict.fromkeys(links)))
    return {f"{ref}:{row_id}": name for (ref, row_id), name in named.items()}


def _read_entries(session: Any, statement: Any) -> list[_Entry]:
    """The entries a select of _ENTRY_COLUMNS finds, in its order."""
    return [_Entry(*row) for row in session.execute(statement)]


def _rest_of_group(session: Any, entries: list[_Entry]) -> list[_Entry]:
    """The entries of the batch's last group that did not fit in it: a group goes whole."""
    if not entries or entries[-1].group_id is None:
        return []
    return _read_entries(
        session,
        select(*_ENTRY_COLUMNS)
        .where(OutboxEntry.group_id == entries[-1].group_id, OutboxEntry.seq > entries[-1].seq)
        .order_by(OutboxEntry.seq),
    )


def grant_ended(reason: str | None) -> tuple[str, str] | None:
    """(UTC time, rep's name) of a GRANT_ENDED reason; None for any other."""
    marker, until, rep = [*(reason or "").split("|", 2), "", ""][:3]
    return (until, rep) if marker == GRANT_ENDED.split("|", 1)[0] else None


def _refusal(error: psycopg.Error) -> str:
    """Why the server refused a change: its own words, but for a policy's refusal. A server
    that speaks another language (lc_messages) words that its own way, kept as it said it."""
    reason = error.diag.message_primary or str(error)
    if isinstance(error, psycopg.errors.InsufficientPrivilege) and _POLICY_REFUSAL in reason:
        return NOT_ALLOWED
    return reason


def _refused(entries: list[_Entry], results: dict[int, dict[str, Any]]) -> list[_Entry]:
    return [
        entry
        for entry in entries
        if results[entry.seq].get("status") == "refused" and entry.entity in ENTITIES
    ]


def _ended_grants(
    connection: psycopg.Connection,
    entries: list[_Entry],
    results: dict[int, dict[str, Any]],
) -> dict[str, datetime]:
    """When each of this clerk's ended grants ended, by rep; asked only after a refusal."""
    if not _refused(entries, results):
        return {}
    with connection.transaction():
        return dict(
            connection.execute(
                "SELECT a.rep_id::text, max(a.valid_until) FROM clerk_assignments a"
                " WHERE a.clerk_id = crm_current_user_id() AND a.valid_until <= now()"
                " GROUP BY a.rep_id"
            ).fetchall()
        )


def _explain_ended_grants(
    session: Any,
    entries: list[_Entry],
    results: dict[int, dict[str, Any]],
    ended: dict[str, datetime],
) -> None:
    """A clerk's change refused because his time entering records for its rep had ended says
    so, with the day it ended: the server refuses it as any change to records he may not see,
    which would leave him guessing."""
    if not ended:
        return
    for entry in _refused(entries, results):
        owner = _owner_here(session, entry)
        if owner in ended:
            rep = session.get(User, owner)
            results[entry.seq] = {
                **results[entry.seq],
                "reason": GRANT_ENDED.format(
                    until=ended[owner].isoformat(), rep=rep.name if rep else owner
                ),
            }


def _owner_here(session: Any, entry: _Entry) -> str | None:
    """Whose record the entry changes, as this device still holds it (the pull that removes
    what the user may no longer see comes after the push), and as it was before the change: a
    clerk who gives his rep's customer to another rep changes the record of the rep whose
    customer it was, not of the one it was to go to."""
    if entry.entity == "customers" and entry.op == "insert":
        return (entry.changes or {}).get("owner_id")
    if entry.entity == "customers" and "owner_id" in (entry.changes or {}):
        return (entry.base or {}).get("owner_id")
    model = ENTITIES[entry.entity]
    row = session.get(model, entry.row_id)
    if row is None:
        return None
    customer_id = entry.row_id if entry.entity == "customers" else getattr(row, "customer_id", None)
    if customer_id is not None:
        return session.scalar(select(Customer.owner_id).where(Customer.id == customer_id))
    return getattr(row, model.OWNER) if model.OWNER else None


class _SeqTaken(Exception):
    """The server holds a receipt for another change under one of these seqs."""

    def __init__(self, first: int, highest: int) -> None:
        super().__init__(first, highest)
        self.first = first
        self.highest = highest


def _move_above(store: Store, first: int, highest: int) -> None:
    """Renumber entries from `first` on above every seq used here or on the server, in order.

    This happens when the profile was restored from an older copy of itself: the device id is
    the same, but the numbers it hands out again were already used for changes since pushed.
    """
    with store.write() as session:
        local_high = session.scalar(select(func.max(OutboxEntry.seq))) or 0
        shift = max(highest, local_high, _pushed_through(session))
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.seq >= first)
            .values(seq=OutboxEntry.seq + shift)
            .execution_options(synchronize_session=False)
        )
        session.merge(LocalSetting(key=PUSHED_THROUGH_KEY, value=str(shift)))


def _pushed_through(session: Any) -> int:
    stored = session.get(LocalSetting, PUSHED_THROUGH_KEY)
    return int(stored.value) if stored is not None else 0


def _renumber_reused(store: Store) -> None:
    """Move entries whose seq was already used by a pushed entry above every used number.

    The outbox's seq is a plain SQLite rowid: once the outbox has been emptied, numbering
    starts again at 1. Receipts are keyed by (device, seq), so a reused number would be
    answered with an old change's receipt and the new change silently never applied. Entries
    at or below the last pushed seq were necessarily written after it was pushed (an entry is
    renumbered before it is first sent), so moving them cannot separate a sent entry from its
    receipt.
    """
    with store.write() as session:
        through = _pushed_through(session)
        low, high = session.execute(
            select(func.min(OutboxEntry.seq), func.max(OutboxEntry.seq))
        ).one()
        if low is None or low > through:
            return
        shift = max(through, high)
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.seq <= through)
            .values(seq=OutboxEntry.seq + shift)
            .execution_options(synchronize_session=False)
        )


def _delete_stamps(session: Any, entries: list[_Entry]) -> dict[int, datetime]:
    """The deleted_at each delete gives its row: the one the device wrote, not a new one.

    Undo finds the rows a delete removed by their exact deleted_at; were the server to stamp
    the row with the entry's made_at instead (a few microseconds later), the pull would bring
    that stamp back and the device's undo would no longer find the row.
    """
    stamps: dict[int, datetime] = {}
    for entry in entries:
        if entry.op != "delete" or entry.entity not in ENTITIES:
            continue
        row = session.get(ENTITIES[entry.entity], entry.row_id)
        stamp = row.deleted_at if row is not None else None
        stamps[entry.seq] = stamp if stamp is not None else entry.made_at
    return stamps


def _entry_key(entry: _Entry) -> str:
    return f"{entry.entity}:{entry.row_id}:{entry.op}"


def _send(
    connection: psycopg.Connection,
    device: str,
    entries: list[_Entry],
    stamps: dict[int, datetime],
    transactions: set[str],
    stamped: dict[tuple[str, str], tuple[Any, Any]],
) -> dict[int, dict[str, Any]]:
    """Apply the entries the server has no receipt for; return every entry's result.

    `stamped`: rows changed earlier in this push, (entity, id) -> (the device's time of that
    change, the server's stamp for it), so an entry's base can be read in server time even
    when its batch was read before the device adopted the stamps of the one before."""
    with connection.transaction():
        # The schema defers foreign keys to commit; a violation there would fail the whole
        # batch on every retry (a stuck queue). Checked per statement, it fails in the entry's
        # own savepoint and that one entry is refused. The outbox is in the order the changes
        # were made, so parents always come before the rows that point at them.
        connection.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # For this transaction, in one round trip: times sent as text without an offset (a
        # run's JSON) are UTC, as the device keeps them; the server judges a late follow-up by
        # this device's previous sync (server migration 0037).
        transactions.add(
            connection.execute(
                "SELECT pg_current_xact_id()::text, set_config('TimeZone', 'UTC', true),"
                " set_config(%s, %s, true)",
                (DEVICE_SETTING, device),
            ).fetchone()[0]
        )
        # This user's receipts only: another user's under the same device id and seq (which
        # an administrator would see) neither answers for this change nor blocks it. Naming
        # the user also lets the server find them by its key instead of reading every receipt.
        seqs = {e.seq for e in entries}
        receipts = {
            seq: result
            for seq, result in connection.execute(RECEIPTS_OF, (device, min(seqs), max(seqs)))
            if seq in seqs
        }
        written: list[tuple[int, dict[str, Any]]] = []
        # Before any delete of the batch takes a customer's records with it (server 0026).
        unseen = _unseen_work(connection, entries, _customers_deleted(entries, receipts))

        def answered(entry: _Entry, result: dict[str, Any]) -> None:
            if (
                entry.entity == "customers"
                and entry.op == "delete"
                and entry.row_id in unseen
                and result.get("status") == "applied"
            ):
                result.setdefault("deleted_over_edit", unseen[entry.row_id])
            result["entry"] = _entry_key(entry)
            _note_stamp(stamped, entry, result)
            written.append((entry.seq, result))
            receipts[entry.seq] = result

        entries, redirected = _follow_merges(connection, entries, receipts)
        runs = _insert_runs(entries, receipts)
        keepers = _follow_ups_by_customer(entries, runs)
        position = 0
        while position < len(entries):
            entry = entries[position]
            run = runs.get(position)
            applied = _apply_run(connection, run) if run is not None else None
            if run is not None and applied is not None:
                for member, result in zip(run, applied, strict=True):
                    answered(member, _noted(member, result, redirected))
            if entry.seq in receipts:
                # A receipt for another change under this number would drop this one unseen.
                key = receipts[entry.seq].get("entry")
                if key is not None and key != _entry_key(entry):
                    highest = connection.execute(
                        f"SELECT max(seq) FROM sync_pushes WHERE {MY_RECEIPTS}", (device,)
                    ).fetchone()
                    raise _SeqTaken(entry.seq, highest[0] if highest else entry.seq)
                # Applied before, its results not recorded here: a later change's base still
                # names it by the device's time.
                _note_stamp(stamped, entry, receipts[entry.seq])
                position += 1
                continue
            group = _group_at(entries, position)
            results = _applied_or_refused(connection, group, stamps, stamped)
            # The customer may have gone back to the pool meanwhile: a later follow-up that
            # keeps it for this user (server 0008) goes first, and this change once more after
            # each one that goes in, until it does or none is left.
            later = position + len(group)
            refused = all(result["status"] == "refused" for result in results)
            for keeper in _keepers_after(keepers, later, group, receipts) if refused else ():
                kept = _applied_first(connection, keeper, stamps, stamped)
                if kept is None:
                    continue
                answered(keeper, _noted(keeper, kept, redirected))
                results = _applied_or_refused(connection, group, stamps, stamped)
                if any(result["status"] != "refused" for result in results):
                    break
            for member, result in zip(group, results, strict=True):
                answered(member, _noted(member, result, redirected))
            position += len(group)
        # In the same transaction as the changes they answer for, in one round trip.
        if written:
            # One statement for the batch's receipts: a statement per receipt would pay the
            # table's row-level security checks each time. Who pushed is asked once for the
            # batch, not by the column's default for each receipt (a query each, a third of
            # the receipts' time); the policy checks it is the caller all the same.
            connection.execute(
                "INSERT INTO sync_pushes (device_id, seq, result, pushed_by)"
                " SELECT %s, r.seq, r.result, (SELECT crm_current_user_id())"
                " FROM jsonb_to_recordset(%s) AS r(seq bigint, result jsonb)",
                (device, Jsonb([{"seq": seq, "result": result} for seq, result in written])),
            )
    return receipts


class _GroupRefused(Exception):
    """One change of a group was refused: none of the group is applied."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _note_stamp(
    stamped: MutableMapping[tuple[str, str], tuple[Any, Any]],
    entry: _Entry,
    result: dict[str, Any],
) -> None:
    """Note the server's stamp of the row an applied entry wrote, beside the device's time
    of that change (see _send's `stamped`)."""
    if result.get("updated_at") is not None:
        stamped[(entry.entity, entry.row_id)] = (canonical(entry.made_at), result["updated_at"])


def _applied_or_refused(
    connection: psycopg.Connection,
    group: list[_Entry],
    stamps: dict[int, datetime],
    stamped: dict[tuple[str, str], tuple[Any, Any]],
) -> list[dict[str, Any]]:
    """Each change of the group applied in a savepoint of its own, or each refused, with why."""
    try:
        with connection.transaction():
            return _apply_group(connection, group, stamps, stamped)
    except psycopg.errors.QueryCanceled:
        raise
    except REFUSALS as error:
        return [{"status": "refused", "reason": _refusal(error)} for _ in group]
    except _GroupRefused as refused:
        return [{"status": "refused", "reason": refused.reason} for _ in group]


def _follow_ups_by_customer(
    entries: list[_Entry], runs: dict[int, list[_Entry]]
) -> dict[str, list[tuple[int, _Entry]]]:
    """The batch's new follow-ups sent on their own (not in a group, nor in a run of new
    records sent as one statement), with their positions, by customer."""
    in_runs = {entry.seq for run in runs.values() for entry in run}
    found: dict[str, list[tuple[int, _Entry]]] = defaultdict(list)
    for position, entry in enumerate(entries):
        if (
            entry.entity == "followups"
            and entry.op == "insert"
            and entry.group_id is None
            and entry.seq not in in_runs
            and entry.changes.get("customer_id")
        ):
            found[entry.changes["customer_id"]].append((position, entry))
    return found


def _keepers_after(
    keepers: dict[str, list[tuple[int, _Entry]]],
    start: int,
    group: list[_Entry],
    receipts: dict[int, Any],
) -> Iterator[_Entry]:
    """The follow-ups from `start` on in the batch, in their order, on the customer a change of
    `group` is about, not applied yet: each may give that customer back to this user (a rep
    edits a customer, then logs his visit, while the server returns the customer to the pool
    before his device syncs). Looked at only as they are asked for."""
    for customer in {_customer_of(entry) for entry in group} - {None}:
        for position, entry in keepers.get(customer, ()):
            if position >= start and entry.seq not in receipts:
                yield entry


def _customer_of(entry: _Entry) -> str | None:
    """The customer a change is about, when the change says it."""
    if entry.entity == "customers":
        return entry.row_id
    return entry.changes.get("customer_id") or entry.base.get("customer_id")


def _applied_first(
    connection: psycopg.Connection,
    keeper: _Entry,
    stamps: dict[int, datetime],
    stamped: dict[tuple[str, str], tuple[Any, Any]],
) -> dict[str, Any] | None:
    """The follow-up applied ahead of its turn; None, and nothing applied, when refused (it is
    then applied in its turn, and refused or not there as it would have been)."""
    try:
        with connection.transaction():
            result = _apply(connection, keeper, stamps.get(keeper.seq), stamped)
            if result.get("status") == "refused":
                raise _GroupRefused(result.get("reason") or "")
    except psycopg.errors.QueryCanceled:
        raise
    except (*REFUSALS, _GroupRefused):
        return None
    return result


def _group_at(entries: list[_Entry], position: int) -> list[_Entry]:
    """The entry at `position`, with the rest of its group when it starts one."""
    group_id = entries[position].group_id
    end = position + 1
    while group_id is not None and end < len(entries) and entries[end].group_id == group_id:
        end += 1
    return entries[position:end]


def _apply_group(
    connection: psycopg.Connection,
    group: list[_Entry],
    stamps: dict[int, datetime],
    stamped: dict[tuple[str, str], tuple[Any, Any]],
) -> list[dict[str, Any]]:
    """Apply one change, or a group of them (a merge's) all or none. Inside a group the links
    between records are checked once every change is in: a merge moves a contact and the deals
    naming it one statement at a time."""
    if len(group) == 1:
        return [_apply(connection, group[0], stamps.get(group[0].seq), stamped)]
    connection.execute("SET CONSTRAINTS ALL DEFERRED")
    # A row the group changed before is this device's change, not someone else's edit: a merge
    # gives up the merged-away record's finance key, then deletes it. Noted apart until the
    # whole group is in (a refused group wrote nothing).
    in_group: ChainMap[tuple[str, str], tuple[Any, Any]] = ChainMap({}, stamped)
    results = []
    for entry in group:
        result = _apply(connection, entry, stamps.get(entry.seq), in_group)
        if result.get("status") == "refused":
            raise _GroupRefused(result.get("reason") or "")
        _note_stamp(in_group, entry, result)
        results.append(result)
    connection.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks what was deferred, now
    return results


# Columns that name a record which may have been merged into another since: (column, table).
_MERGEABLE_REFS = (("customer_id", "customers"), ("contact_id", "contacts"))
# A record merged into one that was merged in turn: followed this many steps at most.
_MERGE_HOPS = 5


def _follow_merges(
    connection: psycopg.Connection, entries: list[_Entry], receipts: dict[int, Any]
) -> tuple[list[_Entry], set[int]]:
    """The entries as they go to the server, and the seqs of those changed on the way: a
    change naming a customer or contact merged away since it was made names the kept one
    instead (the outbox keeps the change as made)."""
    named: dict[str, set[str]] = {table: set() for _, table in _MERGEABLE_REFS}
    # A merge undone here comes back with this batch: what names it stays with it. A record
    # this batch creates, which the server has never seen, cannot have been merged away (an
    # import's contacts and identifiers name the customers sent just before them).
    kept_here = {(e.entity, e.row_id) for e in entries if e.op == "restore"} | {
        (e.entity, e.row_id) for e in entries if e.op == "insert" and e.seq not in receipts
    }
    for entry in entries:
        for column, table in _MERGEABLE_REFS:
            value = (entry.changes or {}).get(column)
            if isinstance(value, str) and (table, value) not in kept_here:
                named[table].add(value)
    kept: dict[tuple[str, str], str] = {}
    for table, ids in named.items():
        kept.update({(table, old): new for old, new in _merged_into(connection, table, ids)})
    if not kept:
        return entries, set()
    sent = []
    changed: set[int] = set()
    for entry in entries:
        changes = dict(entry.changes or {})
        for column, table in _MERGEABLE_REFS:
            target = kept.get((table, changes.get(column)))
            if target is not None:
                changes[column] = target
        if changes == entry.changes:
            sent.append(entry)
            continue
        copy = _sent_as(entry, changes=changes)
        sent.append(copy)
        changed.add(entry.seq)
    return sent, changed


def _noted(entry: _Entry, result: dict[str, Any], redirected: set[int]) -> dict[str, Any]:
    """A change that went to the kept record of a merge says so: the device then fetches the
    row as the server has it, linked to the kept record."""
    if entry.seq in redirected:
        return {**result, "merged_ref": True}
    return result


def _sent_as(entry: _Entry, **changed: Any) -> _Entry:
    """A copy of an entry as it goes to the server: the outbox keeps the change as it was
    made."""
    return replace(entry, **changed)


def _merged_into(
    connection: psycopg.Connection, table: str, ids: set[str]
) -> list[tuple[str, str]]:
    """(merged-away id, the live record it ended up in) for those of `ids` merged away."""
    if not ids:
        return []
    statement = sql.SQL(
        "SELECT id::text, merged_into_id::text FROM {} WHERE id = ANY(%s::uuid[])"
        " AND merged_into_id IS NOT NULL"
    ).format(sql.Identifier(table))
    pointers = dict(connection.execute(statement, (sorted(ids),)).fetchall())
    frontier = set(pointers.values())
    for _ in range(_MERGE_HOPS):
        further = dict(connection.execute(statement, (sorted(frontier),)).fetchall())
        if not further:
            break
        pointers.update(further)
        frontier = set(further.values())
    finals = {}
    for start in ids & set(pointers):
        target = pointers[start]
        for _ in range(_MERGE_HOPS):
            target = pointers.get(target, target)
        finals[start] = target
    return list(finals.items())


def _insert_runs(entries: list[_Entry], receipts: dict[int, Any]) -> dict[int, list[_Entry]]:
    """Runs of consecutive new records of one table, with the same columns and no receipt yet,
    by the position of their first entry: each run goes to the server as one statement."""
    runs: dict[int, list[_Entry]] = {}
    start = 0
    while start < len(entries):
        first = entries[start]
        end = start + 1
        if first.op == "insert" and first.entity in ENTITIES and first.seq not in receipts:
            shape = set(first.changes)
            while (
                end < len(entries)
                and end - start < MAX_RUN
                and entries[end].op == "insert"
                and entries[end].entity == first.entity
                and entries[end].seq not in receipts
                and set(entries[end].changes) == shape
            ):
                end += 1
        if end - start > 1:
            runs[start] = entries[start:end]
        start = end
    return runs


def _apply_run(connection: psycopg.Connection, run: list[_Entry]) -> list[dict[str, Any]] | None:
    """Insert a run of new records in one statement; their results in order, or None if the
    server refused the statement (the caller then applies them one by one, so that only the
    refused record is refused)."""
    entity = run[0].entity
    columns = sent_columns(entity)
    names = [name for name in run[0].changes if name in columns]
    # One parameter whatever the run's length: the rows as a JSON array, which the server
    # turns into rows of the table's own type (each value through its column type's input).
    # The outbox's JSON is that already: times are naive UTC text, read as UTC (_send sets
    # the transaction's time zone); keys that are not listed columns are ignored.
    rows = [{**entry.changes, "id": entry.row_id} for entry in run]
    listed = sql.SQL(", ").join(map(sql.Identifier, [*names, "id"]))
    # The run names its author, asked once for the statement: the server then stamps no row
    # by a lookup of its own, and checks by a policy that the author named is the caller
    # (server 0032; an older server stamps each row with the caller's name all the same).
    statement = sql.SQL(
        "INSERT INTO {table} ({columns}, created_by, updated_by) SELECT {columns},"
        " (SELECT crm_current_user_id()), (SELECT crm_current_user_id())"
        " FROM jsonb_populate_recordset(NULL::{table}, %s)"
        " ON CONFLICT (id) DO NOTHING RETURNING id, updated_at"
    ).format(table=sql.Identifier(entity), columns=listed)
    try:
        with connection.transaction():
            returned = connection.execute(statement, (Jsonb(rows),))
            stamps = {str(row_id): canonical(stamp) for row_id, stamp in returned.fetchall()}
    except psycopg.errors.QueryCanceled:
        raise
    except REFUSALS:
        return None
    results: list[dict[str, Any]] = []
    for entry in run:
        result: dict[str, Any] = {"status": "applied"}
        if entry.row_id in stamps:  # not there: the record existed already (DO NOTHING)
            result["updated_at"] = stamps[entry.row_id]
        results.append(result)
    return results


def _apply(
    connection: psycopg.Connection,
    entry: _Entry,
    stamp: datetime | None = None,
    stamped: Mapping[tuple[str, str], tuple[Any, Any]] | None = None,
) -> dict[str, Any]:
    if entry.entity not in ENTITIES:  # only tables the CRM knows are ever named in SQL
        return {"status": "refused", "reason": f"unknown record type {entry.entity}"}
    table = sql.Identifier(entry.entity)
    columns = sent_columns(entry.entity)
    if entry.op == "insert":
        values = {
            k: to_server(from_json(entry.entity, k, v))
            for k, v in entry.changes.items()
            if k in columns
        }
        values["id"] = entry.row_id
        names = list(values)
        statement = sql.SQL(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (id) DO NOTHING RETURNING updated_at"
        ).format(
            table,
            sql.SQL(", ").join(map(sql.Identifier, names)),
            sql.SQL(", ").join(sql.Placeholder() * len(names)),
        )
        return _stamped({"status": "applied"}, connection.execute(statement, list(values.values())))
    if entry.op in ("delete", "restore"):
        deleted_at = to_server(stamp or entry.made_at) if entry.op == "delete" else None
        state = "deleted_at IS NULL" if entry.op == "delete" else "deleted_at IS NOT NULL"
        overridden = None
        if entry.op == "delete":
            if _merged_elsewhere(connection, table, entry):
                return {"status": "refused", "reason": MERGED_ELSEWHERE}
            overridden = _edited_since(connection, table, entry, stamped or {})
        assignments, parameters = sql.SQL("deleted_at = %s"), [deleted_at]
        if entry.entity in MERGEABLE:
            # A merged-away record points at the kept one; restored, at none (server CHECK).
            assignments = sql.SQL("deleted_at = %s, merged_into_id = %s")
            parameters.append((entry.changes or {}).get("merged_into_id"))
        cursor = connection.execute(
            sql.SQL("UPDATE {} SET {} WHERE id = %s AND " + state + " RETURNING updated_at").format(
                table, assignments
            ),
            (*parameters, entry.row_id),
        )
        if cursor.rowcount == 0:
            found = connection.execute(
                sql.SQL("SELECT deleted_at IS NOT NULL FROM {} WHERE id = %s").format(table),
                (entry.row_id,),
            ).fetchone()
            if found is None:
                return {"status": "refused", "reason": "not visible"}
            if found[0] != (entry.op == "delete"):
                # Seen but not writable (a pool customer's record, say): the policy skipped it.
                return {"status": "refused", "reason": "you may not change this record"}
        if overridden is not None:
            # Delete wins, but the other person's edit is worth a word: it survives in the
            # (soft-)deleted row and comes back if the record is restored.
            return _stamped({"status": "applied", "deleted_over_edit": overridden}, cursor)
        return _stamped({"status": "applied"}, cursor)
    return _apply_update(connection, table, entry, columns)


def _merged_elsewhere(connection: psycopg.Connection, table: sql.Identifier, entry: _Entry) -> bool:
    """Whether this delete merges away a record the server has merged into another one
    meanwhile (the same duplicate merged on two devices): the merge is refused whole, as its
    group goes, rather than half applied to a record that is gone."""
    into = (entry.changes or {}).get("merged_into_id")
    if entry.entity not in MERGEABLE or into is None:
        return False
    row = connection.execute(
        sql.SQL("SELECT merged_into_id::text FROM {} WHERE id = %s").format(table),
        (entry.row_id,),
    ).fetchone()
    return row is not None and row[0] is not None and row[0] != into


def _stamped(result: dict[str, Any], cursor: psycopg.Cursor) -> dict[str, Any]:
    """The result with the server's updated_at of the row the statement (… RETURNING updated_at)
    wrote, if it wrote one."""
    row = cursor.fetchone()
    if row is not None:
        result["updated_at"] = canonical(row[0])
    return result


def _edited_since(
    connection: psycopg.Connection,
    table: sql.Identifier,
    entry: _Entry,
    stamped: Mapping[tuple[str, str], tuple[Any, Any]],
) -> str | None:
    """Who changed the row after this device last saw it, if anyone did (else None)."""
    seen = entry.base.get("updated_at")
    if seen is None:
        return None
    seen = canonical(from_json(entry.entity, "updated_at", seen))
    device_time, server_time = stamped.get((entry.entity, entry.row_id), (None, None))
    if seen == device_time:  # seen when this same batch changed it: the server's stamp
        seen = server_time
    row = connection.execute(
        sql.SQL(
            "SELECT t.updated_at, coalesce(u.login, t.updated_by::text, '') FROM {} t "
            "LEFT JOIN users u ON u.id = t.updated_by "
            "WHERE t.id = %s AND t.deleted_at IS NULL FOR UPDATE OF t"
        ).format(table),
        (entry.row_id,),
    ).fetchone()
    if row is None or canonical(row[0]) == seen:
        return None
    return row[1]


def _customers_deleted(entries: list[_Entry], receipts: dict[int, Any]) -> list[str]:
    """The customers this batch deletes, not merges away (a merged-away customer's records go
    to the kept one, server 0026), that no receipt already answers for."""
    return [
        entry.row_id
        for entry in entries
        if entry.entity == "customers"
        and entry.op == "delete"
        and not (entry.changes or {}).get("merged_into_id")
        and entry.seq not in receipts
    ]


def _unseen_work(
    connection: psycopg.Connection, entries: list[_Entry], customer_ids: list[str]
) -> dict[str, str]:
    """For each of these customers that has a live record another user changed last and this
    device does not delete itself, who changed it (a login): a contact or a payment a colleague
    added since the device last downloaded, which the customer's delete takes with it (server
    0026) although this device never showed it. What the device knew it deletes one by one,
    before the customer (in an earlier batch, or in this one: left out here), and an edit made
    meanwhile to one of those is said of that record (_edited_since)."""
    if not customer_ids:
        return {}
    deleted_here = [entry.row_id for entry in entries if entry.op == "delete"]
    who: dict[str, str] = {}
    for entity in CUSTOMER_CHILDREN:  # only tables the CRM knows are named in SQL
        for customer_id, login in connection.execute(
            sql.SQL(
                "SELECT DISTINCT ON (t.customer_id) t.customer_id::text,"
                " coalesce(u.login, t.updated_by::text, '') FROM {} t"
                " LEFT JOIN users u ON u.id = t.updated_by"
                " WHERE t.customer_id = ANY(%s::uuid[]) AND t.deleted_at IS NULL"
                " AND NOT t.id = ANY(%s::uuid[]) AND t.updated_by IS DISTINCT FROM"
                " (SELECT id FROM users WHERE login = current_user)"
            ).format(sql.Identifier(entity)),
            (customer_ids, deleted_here),
        ):
            who.setdefault(customer_id, login)
    return who


def _apply_update(
    connection: psycopg.Connection,
    table: sql.Identifier,
    entry: _Entry,
    columns: set[str],
    hops: int = 0,
) -> dict[str, Any]:
    fields = [k for k in entry.changes if k in columns]
    if not fields:
        return {"status": "applied"}
    row = connection.execute(
        sql.SQL("SELECT deleted_at, {} FROM {} WHERE id = %s FOR UPDATE").format(
            sql.SQL(", ").join(map(sql.Identifier, fields)), table
        ),
        (entry.row_id,),
    ).fetchone()
    if row is None:
        claim = entry.changes.get("owner_id") is not None and entry.base.get("owner_id") is None
        reason = CLAIMED_FIRST if entry.entity == "customers" and claim else "not visible"
        return {"status": "refused", "reason": reason}
    current = dict(zip(fields, row[1:], strict=True))
    if row[0] is not None and entry.entity in MERGEABLE and hops < _MERGE_HOPS:
        kept = connection.execute(
            sql.SQL("SELECT merged_into_id::text FROM {} WHERE id = %s").format(table),
            (entry.row_id,),
        ).fetchone()
        if kept is not None and kept[0] is not None:
            # Merged away since this device saw it: the change goes to the kept record, field
            # by field as ever (a field the merge took from this record applies; one the
            # kept record had its own value for is a conflict, both values kept).
            moved = _sent_as(entry, row_id=kept[0])
            result = _apply_update(connection, table, moved, columns, hops + 1)
            result.pop("updated_at", None)  # the kept record's stamp, not this row's
            return {**result, "redirected_to": kept[0]}
    if row[0] is not None:
        # A value the program keeps for the user (the last follow-up's time) is nobody's typing
        # to keep: the change that moved it (a follow-up) has its own outcome.
        automatic = derived.DERIVED.get(entry.entity, frozenset())
        lost = [
            {"field": f, "kept": canonical(current[f]), "lost": entry.changes[f]}
            for f in fields
            if f not in automatic
            and f in FIELDS_BY_NAME[entry.entity]
            and canonical(current[f]) != canonical(from_json(entry.entity, f, entry.changes[f]))
        ]
        return {"status": "edited_deleted", "conflicts": lost}
    apply: dict[str, Any] = {}
    conflicts = []
    result: dict[str, Any] = {"status": "applied"}
    derived_now = derived.recomputed(connection, entry.entity, entry.row_id, fields)
    for name, value in derived_now.items():
        if canonical(value) != canonical(current[name]):
            apply[name] = value
        if canonical(value) != canonical(from_json(entry.entity, name, entry.changes[name])):
            result["recomputed"] = True  # the device sent another total: it fetches this one
    for name in fields:
        if name in derived_now:
            continue
        mine = canonical(from_json(entry.entity, name, entry.changes[name]))
        theirs = canonical(current[name])
        base = canonical(from_json(entry.entity, name, entry.base.get(name)))
        if theirs == mine:
            continue
        if theirs == base:
            apply[name] = to_server(from_json(entry.entity, name, entry.changes[name]))
        elif name in FIELDS_BY_NAME[entry.entity]:
            conflicts.append({"field": name, "kept": theirs, "lost": entry.changes[name]})
        # Else a value the program keeps, not a field anyone types (a deal's closed_at, set
        # when its stage closes it): the server's stays, following the field it goes with,
        # whose conflict the user settles; one of its own would be his to settle and could not.
    if conflicts:
        result["conflicts"] = conflicts
    if apply:
        cursor = connection.execute(
            sql.SQL("UPDATE {} SET {} WHERE id = %s RETURNING updated_at").format(
                table,
                sql.SQL(", ").join(
                    sql.SQL("{} = %s").format(sql.Identifier(name)) for name in apply
                ),
            ),
            [*apply.values(), entry.row_id],
        )
        _stamped(result, cursor)
    return result


def _conflict(entry: _Entry, kind: str, row_id: str | None = None, **values: Any) -> Conflict:
    """A conflict record about one outbox entry's change (to `row_id` when it went to another
    record than the one it was made to)."""
    return Conflict(
        entity=entry.entity,
        row_id=row_id or entry.row_id,
        kind=kind,
        made_at=entry.made_at,
        made_by=entry.made_by,
        detected_at=utcnow(),
        **values,
    )


def _adopt_server_stamps(
    session: Any, entries: list[_Entry], results: dict[int, dict[str, Any]]
) -> None:
    """Each written row's updated_at becomes the server's, unless the row has changed here
    since; the base of a later change to the row that saw this change's time now holds the
    server's. One statement per table for the whole batch."""
    stamped = [
        (entry, results[entry.seq]["updated_at"])
        for entry in entries
        if results[entry.seq].get("updated_at") is not None and entry.entity in ENTITIES
    ]
    if not stamped:
        return
    by_table: dict[str, list[dict[str, Any]]] = {}
    for entry, stamp in stamped:
        server_time = to_sqlite(from_json(entry.entity, "updated_at", stamp))
        row = {
            "stamp": server_time,
            "inserted": entry.op == "insert",
            "id": entry.row_id,
            "seen": to_sqlite(entry.made_at),
        }
        if entry.entity == "customers":
            # The server dates a customer's new owner by the same clock (its migration 0009).
            changes = entry.changes or {}
            row["owner_set"] = entry.op == "insert" or "owner_id" in changes
            row["owned"] = server_time if changes.get("owner_id") else None
        by_table.setdefault(entry.entity, []).append(row)
    driver = sqlite_connection(session)
    for entity, rows in by_table.items():
        ownership = ""
        if entity == "customers":
            # With its return date in the same write (storage/pool_due.py).
            owned = "CASE WHEN :owner_set THEN :owned ELSE owned_since END"
            due = due_expression("customers", owned)
            ownership = f", owned_since = {owned}, pool_due_at = {due}"
        # Names come from ENTITIES; values are bound.
        driver.executemany(
            f"UPDATE {entity} SET updated_at = :stamp,"
            f" created_at = CASE WHEN :inserted THEN :stamp ELSE created_at END{ownership}"
            " WHERE id = :id AND updated_at = :seen",
            rows,
        )
    server_times = {
        (entry.entity, entry.row_id, canonical(entry.made_at)): stamp for entry, stamp in stamped
    }
    batch = [entry.seq for entry in entries]
    later = session.scalars(
        select(OutboxEntry).where(
            OutboxEntry.row_id.in_({entry.row_id for entry, _ in stamped}),
            OutboxEntry.seq.not_in(batch),
        )
    )
    for other in later:
        seen = other.base.get("updated_at")
        if seen is None:
            continue
        key = (other.entity, other.row_id, canonical(from_json(other.entity, "updated_at", seen)))
        if key in server_times:
            other.base = {**other.base, "updated_at": server_times[key]}


def _automatic_only(entry: _Entry) -> bool:
    """Whether an update changes only values the program keeps for the user (derived.py)."""
    automatic = derived.DERIVED.get(entry.entity, frozenset())
    return entry.op == "update" and bool(entry.changes) and set(entry.changes) <= automatic


def _supersede(session: Any, entity: str, row_id: str, field: str, kind: str) -> None:
    """An open conflict over this field of this record, of the same kind, is one of the user's
    earlier edits that lost too: the later one stands for it (ten offline edits of a field
    someone else changed made ten conflicts, nine holding what the user typed over himself).
    Kept as resolved, as SUPERSEDED."""
    session.execute(
        update(Conflict)
        .where(
            Conflict.entity == entity,
            Conflict.row_id == row_id,
            Conflict.field == field,
            Conflict.kind == kind,
            Conflict.resolved_at.is_(None),
        )
        .values(resolved_at=utcnow(), reason=SUPERSEDED)
    )


def _record(session: Any, entry: _Entry, result: dict[str, Any], report: PushReport) -> None:
    """Keep what the server did not take, where the user can see it."""
    status = result.get("status")
    conflicts = result.get("conflicts", [])
    if status == "refused" and _automatic_only(entry):
        # A refused follow-up's customer refused its new last-follow-up time as well: the
        # follow-up's own conflict says what was not saved.
        report.refetch.add((entry.entity, entry.row_id))
        return
    if status == "refused":
        report.refused += 1
        report.refetch.add((entry.entity, entry.row_id))
        lost = {"op": entry.op, "changes": entry.changes}
        # The pull after may take the record off this device (not the user's any more): its
        # name is kept with the change, so that the conflict can still say which one it was.
        name = record_names(session, [(entry.entity, entry.row_id)]).get(
            (entry.entity, entry.row_id)
        )
        if name:
            lost["name"] = name
        linked = _linked_names_here(session, entry)
        if linked:
            lost["linked"] = linked
        session.add(_conflict(entry, "refused", lost_value=lost, reason=result.get("reason")))
        return
    # A change that went to the kept record of a merge is about that record from now on.
    row_id = result.get("redirected_to") or entry.row_id
    if result.get("merged_ref") or row_id != entry.row_id:
        report.refetch.update({(entry.entity, entry.row_id), (entry.entity, row_id)})
    if result.get("recomputed"):
        report.refetch.add((entry.entity, row_id))
    if conflicts:
        report.refetch.add((entry.entity, row_id))
    else:
        report.applied += 1
    kind = "edited_deleted" if status == "edited_deleted" else "same_field"
    for item in conflicts:
        report.conflicts += 1
        _supersede(session, entry.entity, row_id, item["field"], kind)
        session.add(
            _conflict(
                entry,
                kind,
                row_id=row_id,
                field=item["field"],
                kept_value=item["kept"],
                lost_value=item["lost"],
            )
        )
    if status == "edited_deleted":
        report.refetch.add((entry.entity, entry.row_id))
    if "deleted_over_edit" in result:
        report.conflicts += 1
        # `reason` names who had changed the record.
        session.add(_conflict(entry, "deleted_over_edit", reason=result["deleted_over_edit"]))
