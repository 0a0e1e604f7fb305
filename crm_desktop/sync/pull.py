"""Pull: bring the server's changes since the last pull, and nothing the user may not see.

The cursor is a PostgreSQL snapshot (`pg_current_snapshot()`), taken in the same REPEATABLE READ
transaction that reads the change log. A change belongs to this pull when its transaction is
visible now but was not visible in the previous cursor: a transaction that took its sequence
number early and committed late is still picked up, because visibility is decided by the
transaction, not by the order of sequence numbers.

Scope: a changed row the user may no longer see (handed to another rep, returned to the pool
when he can't see it) is removed from the device with everything hanging off it; a customer that
comes into view arrives whole, children included, however old their last change is.

A full resync (first sync, a truncated table, a database restored from a backup, a log trimmed
past the cursor) replaces the device's copy, keeping its outbox: changes not yet pushed stay.
It streams: a few thousand rows are read and committed at a time, so memory stays flat and the
user's saves go through while it runs; the cursor is kept only in the last transaction, once
everything is in. An incremental pull (what changed since the cursor) is written with its new
cursor in one local transaction; one that would bring more than DELTA_LIMIT rows (a mass
return to the pool, a handover of thousands of customers) is read as a full resync instead,
streamed, so memory stays flat whatever changed. A received row pointing
at something the user may not see never stops it (sync/references.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import select

from crm_desktop.models.choices import GRADE_SHARES_KEY, use_grade_shares
from crm_desktop.models.entities import (
    CUSTOMER_CHILDREN,
    ENTERS_FOR_KEY,
    ENTITIES,
    IN_CUSTOMER_SEARCH,
    LOOKED_UP_ON_INSERT,
    SCOPE_KEY,
    SORT_KEYS,
    Customer,
    OutboxEntry,
    Scope,
    sort_keys_of,
)
from crm_desktop.models.pinyin import sort_key
from crm_desktop.models.search_keys import search_key
from crm_desktop.storage import pool_due, search_index, suspended_indexes
from crm_desktop.storage.store import Store, sqlite_connection
from crm_desktop.storage.values import absent_ids, in_lists, put_settings, to_sqlite
from crm_desktop.sync import history, references
from crm_desktop.sync.codec import (
    from_json,
    server_select_list,
    synced_columns,
)
from crm_desktop.sync.server.schema import has_object

CURSOR_KEY = "sync_cursor"
EPOCH_KEY = "sync_epoch"
# The pull compares the user's scope (SCOPE_KEY) with the server's at each sync: a change (a
# clerk's assignment ending, a rep joining a manager's team, a new role, a change down a
# manager's chain that changes whose work logs he reads) has no row in the change log, and may
# even come from the passing of time.
# Parents before children, so every reference points at a row that is already there.
ORDER = tuple(ENTITIES)
# Rows a full sync reads and commits at a time: a user's save waits for one batch at most.
FETCH_BATCH = 5000
# Changed rows an incremental pull holds in memory at most: past this, a full resync streams.
DELTA_LIMIT = 20_000
# Customers whose search text a full sync composes, then indexes, per transaction.
SEARCH_BATCH = 5000
INDEX_BATCH = 10_000
_ABSENT = object()
Progress = Callable[[str, int, int], None]


@dataclass
class PullReport:
    full: bool = False
    received: int = 0
    removed: int = 0
    # Customers an incremental pull brought that the device did not hold: added on another
    # device (or newly seen by this user), which the window looks for among its own.
    arrived_customers: list[str] = field(default_factory=list)

    def __add__(self, other: PullReport) -> PullReport:
        """Two pulls of one sync as one."""
        return PullReport(
            self.full or other.full,
            self.received + other.received,
            self.removed + other.removed,
            self.arrived_customers + other.arrived_customers,
        )


def never_pulled(store: Store) -> bool:
    """Whether this device has yet to take the server's copy (its first sync)."""
    return store.setting(CURSOR_KEY) is None


@dataclass
class _Delta:
    """What an incremental pull read (a full sync is written as it streams in)."""

    snapshot: str
    epoch: str
    rows: dict[str, list[tuple]]  # entity -> rows in synced_columns order, local types
    missing: dict[str, set[str]]  # entity -> ids asked for that the server no longer shows
    scope: str = ""
    history: list[tuple] = field(default_factory=list)  # of the customers in `history_of`
    history_of: set[str] = field(default_factory=set)


def pull(
    store: Store,
    connection: psycopg.Connection,
    refetch: Iterable[tuple[str, str]] = (),
    progress: Progress | None = None,
    before_local_commit: Callable[[], None] | None = None,
    own_transactions: Iterable[str] = (),
    own_rows: set[tuple[str, str]] | None = None,
) -> PullReport:
    """`own_transactions`: this device's push transactions, whose changes it has already;
    `own_rows` (PushReport.sent): when given, those are the rows it has, and the changes
    those transactions made to other rows (of the server's own accord) are brought."""
    delta = _read_server(
        store,
        connection,
        set(refetch),
        progress,
        sorted(own_transactions),
        before_local_commit,
        own_rows,
    )
    if isinstance(delta, PullReport):  # a full sync, already written as it streamed in
        return delta
    report = PullReport(full=False)
    report.received = sum(len(rows) for rows in delta.rows.values())
    _apply_locally(store, delta, report, before_local_commit)
    return report


# -- reading the server ------------------------------------------------------------------------


def _read_server(
    store: Store,
    connection: psycopg.Connection,
    refetch: set[tuple[str, str]],
    progress: Progress | None,
    own_transactions: list[str] | None = None,
    before_local_commit: Callable[[], None] | None = None,
    own_rows: set[tuple[str, str]] | None = None,
) -> _Delta | PullReport:
    cursor, seen_epoch = readable_cursor(store.setting(CURSOR_KEY)), store.setting(EPOCH_KEY)
    seen_scope = store.setting(SCOPE_KEY)
    with connection.transaction():
        # The snapshot and every read below see one consistent state of the server.
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot, epoch, scope, trimmed_past, restored = connection.execute(
            """
            SELECT pg_current_snapshot()::text,
                   epoch::text || '/' || 'sync_changes'::regclass::oid::text,
                   coalesce(crm_current_role(), '') || ' '
                       || coalesce(crm_visible_owner_ids()::text, '') || ' '
                       || coalesce(crm_log_author_ids()::text, ''),
                   %(cursor)s::pg_snapshot IS NOT NULL
                       AND pg_snapshot_xmin(%(cursor)s::pg_snapshot) < log_floor,
                   %(cursor)s::pg_snapshot IS NOT NULL
                       AND pg_snapshot_xmax(%(cursor)s::pg_snapshot)
                           > pg_snapshot_xmax(pg_current_snapshot())
            FROM sync_meta
            """,
            {"cursor": cursor},
        ).fetchone()
        full = (
            cursor is None
            or not _same_server(seen_epoch, epoch)
            or scope != seen_scope
            or trimmed_past
            or restored
        )
        # Before the rows: the store's triggers date each arriving customer's return by them.
        _adopt_pool_rules(store, connection)
        _adopt_last_syncs(store, connection)
        _adopt_letterhead(store, connection)
        wanted: dict[str, set[str]] = defaultdict(set)
        if not full:
            changes = connection.execute(
                """
                SELECT entity, row_id::text, op FROM sync_changes
                WHERE txid >= pg_snapshot_xmin(%(cursor)s::pg_snapshot)
                  AND NOT pg_visible_in_snapshot(txid, %(cursor)s::pg_snapshot)
                  AND NOT txid = ANY(%(own)s::xid8[])
                ORDER BY seq
                """,
                {"cursor": cursor, "own": own_transactions or []},
            ).fetchall()
            full = any(op == "truncate" for _, _, op in changes) or len(changes) > DELTA_LIMIT
            for entity, row_id, _op in changes:
                if row_id is not None and entity in ORDER:
                    wanted[entity].add(row_id)
            for entity, row_id in refetch:
                wanted[entity].add(row_id)
            # This device's own push: its customers, and, when it may have moved others (a
            # customer deleted, restored or newly owned: server 0026, 0029, 0030), every row.
            pushed = _own_push_changes(connection, cursor, own_transactions or [], own_rows)
            for entity, row_id in pushed:
                if entity != "customers" and (entity, row_id) not in (own_rows or ()):
                    wanted[entity].add(row_id)
        if full:
            cursor_values = (snapshot, epoch, scope)
            return _stream_full(store, connection, cursor_values, progress, before_local_commit)
        rows, missing = {}, {}
        for entity in ORDER:
            ids = wanted.get(entity)
            if ids:
                rows[entity] = _fetch(connection, entity, ("id", sorted(ids)), progress)
                got = {row[0] for row in rows[entity]}
                missing[entity] = ids - got
                if entity == "customers":
                    rows[entity] += _merge_targets(connection, rows[entity], got, progress)
        _add_arriving_children(store, connection, rows, progress)
        changed_customers = {row[0] for row in rows.get("customers", ())}
        # The customers this device's own push changed are not fetched (the device has them),
        # but the server wrote their history meanwhile: a new customer's "entered" line.
        changed_customers |= {row_id for entity, row_id in pushed if entity == "customers"}
        owned = history.fetch_for(connection, changed_customers)
    return _Delta(snapshot, epoch, rows, missing, scope, owned, changed_customers)


# A cursor as the pull keeps it: pg_current_snapshot() as text, "xmin:xmax:xip,...".
_SNAPSHOT = re.compile(r"\d+:\d+:(\d+(,\d+)*)?")


def readable_cursor(cursor: str | None) -> str | None:
    """The kept cursor, or None (a full pull, as for none) when it is not a snapshot's text:
    cast in a statement, it would fail every sync from then on."""
    return cursor if cursor and _SNAPSHOT.fullmatch(cursor) else None


def _same_server(seen: str | None, now: str) -> bool:
    """Whether the server is the one the device last synced with: the same epoch (`server
    restore` makes a new one) and the same change log table. A database put back by hand with
    pg_restore keeps its epoch, and on the same PostgreSQL its transaction ids go on growing,
    but its tables are new ones. A device whose cursor was kept before the table was noted
    ("epoch" alone, not "epoch/table") goes by the epoch, once."""
    if seen is None:
        return False
    if "/" not in seen:
        return seen == now.split("/", 1)[0]
    return seen == now


def _own_push_changes(
    connection: psycopg.Connection,
    cursor: str,
    own_transactions: list[str],
    own_rows: set[tuple[str, str]] | None,
) -> set[tuple[str, str]]:
    """(entity, id) of the rows this device's push transactions changed since the cursor: its
    customers only when `own_rows` is None (nothing it sent moved other rows), else all."""
    if not own_transactions:
        return set()
    found = connection.execute(
        """
        SELECT DISTINCT entity, row_id::text FROM sync_changes
        WHERE txid = ANY(%(own)s::xid8[]) AND (%(every)s OR entity = 'customers')
          AND txid >= pg_snapshot_xmin(%(cursor)s::pg_snapshot)
          AND NOT pg_visible_in_snapshot(txid, %(cursor)s::pg_snapshot)
        """,
        {"cursor": cursor, "own": own_transactions, "every": own_rows is not None},
    )
    return {(entity, row_id) for entity, row_id in found if row_id is not None and entity in ORDER}


def _merge_targets(
    connection: psycopg.Connection, customers: list[tuple], got: set[str], progress: Any
) -> list[tuple]:
    """The customers that arriving ones were merged into, when not arriving themselves: a
    merge adds a line to the kept customer's history (server migration 0017) without changing
    its row, and a customer's history comes with its row."""
    position = synced_columns("customers").index("merged_into_id")
    targets = {row[position] for row in customers if row[position] is not None} - got
    if not targets:
        return []
    return _fetch(connection, "customers", ("id", sorted(targets)), progress)


def _adopt_pool_rules(store: Store, connection: psycopg.Connection) -> None:
    """The pool's rules, and the shares of customers the grades hold (which their labels say;
    a server older than its migration 0015 has none, and the defaults stand)."""
    rules = dict(connection.execute("SELECT key, value FROM crm_rules").fetchall())
    shares = None
    if rules.get("grade_a_percent") is not None and rules.get("grade_b_percent") is not None:
        shares = f"{rules['grade_a_percent']},{rules['grade_b_percent']}"
    with store.write() as session:
        driver = sqlite_connection(session)
        pool_due.adopt_rules(driver, rules)
        if shares is not None:
            put_settings(driver, {GRADE_SHARES_KEY: shares})
    use_grade_shares(shares)


def _adopt_last_syncs(store: Store, connection: psycopg.Connection) -> None:
    """When each user this one reads (the server's row-level security decides: himself, and
    for a manager his team) last synced; a handful of rows, replaced whole at each pull. A
    server older than its migration 0013 keeps none."""
    if not has_object(connection, "user_syncs"):
        return
    latest = connection.execute(
        "SELECT user_id::text,"
        " to_char(max(synced_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
        " FROM user_syncs GROUP BY user_id"
    ).fetchall()
    with store.write() as session:
        driver = sqlite_connection(session)
        driver.execute("DELETE FROM user_syncs")
        driver.executemany(
            "INSERT INTO user_syncs (user_id, synced_at) VALUES (?, ?)",
            latest,
        )


# The server's clock as the device keeps times: naive UTC, SQLAlchemy's SQLite text form.
_STAMP = "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"


def _adopt_letterhead(store: Store, connection: psycopg.Connection) -> None:
    """The company letterhead quotes print (server migration 0018): one row, read at every pull
    (it is not in the change log), its logo (up to 512 KiB) only when the row changed since
    the device last took it. A server older than 0018 has none: the device keeps what it has."""
    if not has_object(connection, "crm_company"):
        return
    with store.read() as session:
        held = (
            sqlite_connection(session)
            .execute("SELECT updated_at FROM company_letterhead WHERE id = 1")
            .fetchone()
        )
    stamp = held[0] if held else None
    # One round trip: whether it changed, and its logo only if so.
    row = connection.execute(
        f"""
        SELECT changed, name, address, phone, email, website, tax_id,
               CASE WHEN changed THEN logo END, logo_type, stamp
        FROM (SELECT *, {_STAMP} IS DISTINCT FROM %(held)s::text AS changed, {_STAMP} AS stamp
              FROM crm_company) c
        """,
        {"held": stamp},
    ).fetchone()
    if (row is not None and not row[0]) or (row is None and held is None):
        return  # as the device has it: no write, no lock on the store
    with store.write() as session:
        driver = sqlite_connection(session)
        # No row on the server (the migration makes it; only a login switched off mid-session
        # reads none) is no letterhead here either.
        driver.execute("DELETE FROM company_letterhead")
        if row is not None:
            logo = row[7]
            driver.execute(
                "INSERT INTO company_letterhead (id, name, address, phone, email, website,"
                " tax_id, logo, logo_type, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*row[1:7], bytes(logo) if logo is not None else None, *row[8:]),
            )


def _fetch(
    connection: psycopg.Connection,
    entity: str,
    where: tuple[str, list[str]] | None,
    progress: Progress | None,
) -> list[tuple]:
    # The expressions come from our own column list (no user input); the table is quoted.
    statement = sql.SQL("SELECT {} FROM {}").format(
        sql.SQL(", ").join(sql.SQL(e) for e in server_select_list(entity)),
        sql.Identifier(entity),
    )
    parameters: tuple = ()
    if where is not None:
        statement += sql.SQL(" WHERE {} = ANY(%s::uuid[])").format(sql.Identifier(where[0]))
        parameters = (where[1],)
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        while batch := cursor.fetchmany(FETCH_BATCH):
            rows.extend(batch)
            if progress is not None:
                progress(f"pull:{entity}", len(rows), 0)
    return rows


def _add_arriving_children(
    store: Store,
    connection: psycopg.Connection,
    rows: dict[str, list[tuple]],
    progress: Progress | None,
) -> None:
    """A customer new to this device comes with its children, whenever they last changed."""
    incoming = [row[0] for row in rows.get("customers", [])]
    if not incoming:
        return
    with store.read() as session:
        present = set(session.scalars(select(Customer.id).where(Customer.id.in_(incoming))))
    arriving = sorted(set(incoming) - present)
    if not arriving:
        return
    for entity in CUSTOMER_CHILDREN:
        extra = _fetch(connection, entity, ("customer_id", arriving), progress)
        known = {row[0] for row in rows.get(entity, [])}
        rows.setdefault(entity, []).extend(row for row in extra if row[0] not in known)


# -- a full sync, streamed -----------------------------------------------------------------------


def _stream_full(
    store: Store,
    connection: psycopg.Connection,
    cursor_values: tuple[str, str, str],
    progress: Progress | None,
    before_local_commit: Callable[[], None] | None,
) -> PullReport:
    """Everything the user sees, a few thousand rows at a time, each batch committed on its own
    so that the user's saves go through meanwhile and memory stays flat. The device's copy is
    complete (rows it should no longer hold removed) and the cursor kept only in the last
    transaction: a sync cut short starts over, and never leaves the cursor past rows not in.
    """
    report = PullReport(full=True)
    received: dict[str, set[str]] = {entity: set() for entity in ORDER}
    # Customers whose search text may have changed: most of a resync is what the device has.
    to_index: set[str] = set()
    for entity in ORDER:
        # In key order, so each batch adds to the end of the local primary key's index
        # instead of rewriting pages all over it.
        statement = sql.SQL("SELECT {} FROM {} ORDER BY id").format(
            sql.SQL(", ").join(sql.SQL(e) for e in server_select_list(entity)),
            sql.Identifier(entity),
        )
        with store.write() as session:
            suspended = suspended_indexes.suspend_indexes(sqlite_connection(session), entity)
        held: list[tuple[str, str, str]] = []  # links to rows of a later batch
        try:
            # A server-side cursor: the server sends a batch when asked, not the whole table.
            with connection.cursor(name=f"crm_pull_{entity}") as cursor:
                cursor.execute(statement)
                while rows := cursor.fetchmany(FETCH_BATCH):
                    to_index |= _apply_batch(store, entity, rows, held)
                    received[entity].update(row[0] for row in rows)
                    report.received += len(rows)
                    if progress is not None:
                        progress(f"pull:{entity}", len(received[entity]), 0)
            if held:
                with store.write() as session:
                    references.put_back_links(sqlite_connection(session), entity, held)
        finally:
            if suspended:
                with store.write() as session:
                    suspended_indexes.restore_indexes(sqlite_connection(session), [entity])
    history.stream_all(store, connection, progress)
    _make_searchable(store, to_index, progress)
    with store.write() as session:
        driver = sqlite_connection(session)
        driver.execute("PRAGMA defer_foreign_keys = ON")
        pending = _pending_edits(session)
        stamps = _deleted_stamps(driver, pending)
        _note_kept(driver, received)
        affected = _customers_losing_children(driver)
        report.removed = _remove_all_but_kept(driver)
        _reapply_pending(driver, pending, stamps)
        if report.removed:
            references.settle(driver, ORDER, None)
            search_index.forget_missing(driver)
            search_index.refresh_customers(session, affected)
        _keep_cursor(driver, *cursor_values)
        if before_local_commit is not None:
            before_local_commit()
    return report


def _make_searchable(store: Store, customers: set[str], progress: Progress | None) -> None:
    """Compose and index the search text of the customers a full sync brought, in batches of
    their own transactions (see search_index.store_texts for why in two passes), and index
    what a sync killed between the two passes left out.

    The index goes in its key order: each batch then adds a range of keys of its own, and FTS5
    merges its segments far more cheaply than those of batches spread over all keys. Its
    batches are larger than the texts': each commit writes the batch's terms as new segments
    that later ones merge again (100,000 customers: 15.5 s in batches of 5,000, 11.7 s of
    25,000, 12.2 s in one transaction). Not larger still: a user's save waits for the batch
    under way, and FTS5 holds a batch's terms in memory (a first sync of 100,000 customers
    peaked at 317 MB with batches of 25,000, 282 MB with 10,000).
    """
    with store.read() as session:
        left = search_index.left_unindexed(session)
    ordered = sorted(customers)
    steps = 2 * len(ordered)  # texts, then index; fewer once the texts that changed are known
    changed: list[str] = []
    for start in range(0, len(ordered), SEARCH_BATCH):
        with store.write() as session:
            changed += search_index.store_texts(session, ordered[start : start + SEARCH_BATCH])
        if progress is not None:
            progress("pull:search", min(start + SEARCH_BATCH, len(ordered)), steps)
    to_index = sorted(set(changed).union(left or ()), key=search_key)
    steps = len(ordered) + len(to_index)
    for start in range(0, len(to_index), INDEX_BATCH):
        with store.write() as session:
            search_index.index_stored(session, to_index[start : start + INDEX_BATCH])
            if start + INDEX_BATCH >= len(to_index):
                search_index.all_indexed(session)
        if progress is not None:
            progress("pull:search", len(ordered) + min(start + INDEX_BATCH, len(to_index)), steps)
    if not to_index:
        if left is not None:  # the load killed before left nothing out after all
            with store.write() as session:
                search_index.all_indexed(session)
        if progress is not None and ordered:
            progress("pull:search", steps, steps)


def _apply_batch(
    store: Store, entity: str, rows: list[tuple], held: list[tuple[str, str, str]]
) -> set[str]:
    """One batch of a full sync in a transaction of its own, the device's unsent changes to
    those rows kept on top, references to rows the user may not see settled; links to rows of
    the same table not in yet are added to `held` (the caller puts them back once the table
    is in). Returns the customers whose search text the batch may have changed."""
    ids = [row[0] for row in rows]
    with store.write() as session:
        driver = sqlite_connection(session)
        driver.execute("PRAGMA defer_foreign_keys = ON")
        pending = _pending_among(session, entity, ids)
        stamps = _deleted_stamps(driver, pending)
        arriving, left = _new_or_changed(driver, entity, rows)
        _upsert(driver, entity, rows)
        _reapply_pending(driver, pending, stamps)
        held += references.hold_forward_links(driver, entity, set(ids))
        references.settle(driver, ORDER, {entity: set(ids)})
    return _customers_of(entity, arriving) | left


def _pending_among(session: Any, entity: str, ids: list[str]) -> list[OutboxEntry]:
    """The device's unsent changes to these rows, oldest first. A new device has none: asking
    the outbox for thousands of ids costs more than a look at whether it holds anything."""
    if sqlite_connection(session).execute("SELECT 1 FROM outbox LIMIT 1").fetchone() is None:
        return []
    return list(
        session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.entity == entity, OutboxEntry.row_id.in_(ids))
            .order_by(OutboxEntry.seq)
        )
    )


def _new_or_changed(driver: Any, entity: str, rows: list[tuple]) -> tuple[list[tuple], set[str]]:
    """The rows the device lacks or holds with another server stamp, and the customers those
    it holds hang off now (a contact moved to another customer leaves its old one's search
    text). The server stamps updated_at on every change, so an equal stamp is the same row (an
    unpushed local edit on top of it has had its search text composed when it was made)."""
    stamp_at = synced_columns(entity).index("updated_at")
    searched = entity in IN_CUSTOMER_SEARCH
    columns = "id, updated_at, customer_id" if searched else "id, updated_at, NULL"
    held: dict[str, tuple[Any, str | None]] = {}
    for ids, marks in in_lists([row[0] for row in rows]):
        for row_id, stamp, customer_id in driver.execute(
            f"SELECT {columns} FROM {entity} WHERE id IN ({marks})", ids
        ):
            held[row_id] = (stamp, customer_id)
    changed = [row for row in rows if held.get(row[0], (_ABSENT,))[0] != to_sqlite(row[stamp_at])]
    left = {held[row[0]][1] for row in changed if row[0] in held and searched}
    return changed, left


def _customers_losing_children(driver: Any) -> set[str]:
    """Customers whose contacts or identifiers the full sync is about to remove (those not in
    sync_keep, see _note_kept): their search text changes."""
    affected: set[str] = set()
    for entity in IN_CUSTOMER_SEARCH:
        affected.update(
            customer_id
            for (customer_id,) in driver.execute(
                f"SELECT DISTINCT customer_id FROM {entity} AS t WHERE NOT EXISTS"
                " (SELECT 1 FROM sync_keep AS k WHERE k.entity = ? AND k.id = t.id)",
                (entity,),
            )
        )
    return affected


def _keep_cursor(driver: Any, snapshot: str, epoch: str, scope: str) -> None:
    put_settings(
        driver,
        {
            CURSOR_KEY: snapshot,
            EPOCH_KEY: epoch,
            SCOPE_KEY: scope,
            ENTERS_FOR_KEY: ",".join(Scope.parse(scope).enters_for),
        },
    )


def _apply_locally(
    store: Store,
    delta: _Delta,
    report: PullReport,
    before_local_commit: Callable[[], None] | None,
) -> None:
    """An incremental pull (what changed since the cursor) in one transaction; what was
    removed and the customers that arrived go into `report`."""
    with store.write() as session:
        driver = sqlite_connection(session)
        # References are checked at commit: a pulled batch may name rows later in the batch.
        driver.execute("PRAGMA defer_foreign_keys = ON")
        pending = _pending_edits(session)
        stamps = _deleted_stamps(driver, pending)
        removed = report.removed = _remove_missing(driver, delta.missing)
        touched_customers: set[str] = set()
        for entity in ORDER:
            rows = delta.rows.get(entity)
            if rows and entity == "customers":
                ids = [row[0] for row in rows]
                absent = absent_ids(driver, entity, ids)
                report.arrived_customers = [row_id for row_id in ids if row_id in absent]
            if rows:
                touched_customers |= _customers_held(driver, entity, [row[0] for row in rows])
                _upsert(driver, entity, rows)
                touched_customers |= _customers_of(entity, rows)
        _reapply_pending(driver, pending, stamps)
        received_ids = {entity: {row[0] for row in rows} for entity, rows in delta.rows.items()}
        references.settle(driver, ORDER, None if removed > 0 else received_ids)
        history.replace_for(driver, delta.history_of, delta.history)
        search_index.refresh_customers(session, touched_customers)
        _keep_cursor(driver, delta.snapshot, delta.epoch, delta.scope)
        if before_local_commit is not None:
            before_local_commit()


def _pending_edits(session: Any) -> list[OutboxEntry]:
    """The device's unsent changes other than new records (edits, deletes, restores), in the
    order they were made, to put back on top of what a pull brings."""
    return list(
        session.scalars(
            select(OutboxEntry).where(OutboxEntry.op != "insert").order_by(OutboxEntry.seq)
        )
    )


def _upsert(driver: Any, entity: str, rows: list[tuple]) -> None:
    columns = synced_columns(entity)
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    changing = [c for c in columns if c != "id"]
    # A row that arrives as the device has it is left alone: no write, no index updates (a
    # full sync brings back everything, most of it unchanged).
    compared = list(changing)
    # Derived locally: the sort keys of names and titles, from the arriving values (and
    # unchanged with them, so left out of the comparison).
    sorted_by = SORT_KEYS.get(entity, {})
    if sorted_by:
        positions = [columns.index(column) for column in sorted_by]
        names += "".join(f", {key}" for key in sorted_by.values())
        marks += ", ?" * len(sorted_by)
        changing += list(sorted_by.values())
        rows = [(*row, *(sort_key(row[at]) for at in positions)) for row in rows]
    # Derived locally and read as the row goes in: the customer's sort key.
    for column, (lookup, by) in LOOKED_UP_ON_INSERT.items():
        if column not in ENTITIES[entity].__table__.columns:
            continue
        names += f", {column}"
        marks += f", {lookup}"
        changing.append(column)
        at = columns.index(by)
        rows = [(*row, row[at]) for row in rows]
    updates = ", ".join(f"{c} = excluded.{c}" for c in changing)
    updates += " WHERE ({}) IS NOT ({})".format(
        ", ".join(f"{entity}.{c}" for c in compared), ", ".join(f"excluded.{c}" for c in compared)
    )
    if entity == "customers":
        # Derived locally: search_text is filled in by search_index, search_key from the id.
        statement = (
            f"INSERT INTO customers ({names}, search_text, search_key) VALUES ({marks}, '', ?) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}"
        )
        rows = [(*row, search_key(row[0])) for row in rows]
    else:
        statement = (
            f"INSERT INTO {entity} ({names}) VALUES ({marks}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}"
        )
    driver.executemany(statement, rows)


def _customers_of(entity: str, rows: list[tuple]) -> set[str]:
    columns = synced_columns(entity)
    if entity == "customers":
        return {row[0] for row in rows}
    if entity in IN_CUSTOMER_SEARCH:
        position = columns.index("customer_id")
        return {row[position] for row in rows}
    return set()


def _customers_held(driver: Any, entity: str, ids: list[str]) -> set[str]:
    """The customers these rows hang off on the device now, before the server's versions
    land: a contact or identifier moved to another customer leaves its old one's search text."""
    if entity not in IN_CUSTOMER_SEARCH or not ids:
        return set()
    held: set[str] = set()
    for chunk, marks in in_lists(ids):
        held.update(
            row[0]
            for row in driver.execute(
                f"SELECT customer_id FROM {entity} WHERE id IN ({marks})", chunk
            )
        )
    return held


def _remove_missing(driver: Any, missing: dict[str, set[str]]) -> int:
    """Rows the server no longer shows us leave the device; a customer takes its children."""
    removed = 0
    customers = sorted(missing.get("customers", ()))
    for entity in reversed(ORDER):
        ids = sorted(missing.get(entity, ()))
        if ids:
            removed += _delete_where(driver, entity, "id", ids)
        if customers and entity in CUSTOMER_CHILDREN:
            removed += _delete_where(driver, entity, "customer_id", customers)
    search_index.forget_customers(driver, customers)
    return removed


def _delete_where(driver: Any, table: str, column: str, values: list[str]) -> int:
    removed = 0
    for chunk, marks in in_lists(values):
        removed += driver.execute(
            f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk
        ).rowcount
    return removed


def _note_kept(driver: Any, received: dict[str, set[str]]) -> None:
    """Fill the temporary table sync_keep with the rows a full resync keeps: those the server
    sent, and the device's new records not pushed yet. These straight from the outbox: an
    import's first sync holds a hundred thousand of them, which need not pass through Python."""
    driver.execute("CREATE TEMP TABLE IF NOT EXISTS sync_keep (entity TEXT, id TEXT)")
    driver.execute("DELETE FROM sync_keep")
    for entity in ORDER:
        driver.executemany(
            "INSERT INTO sync_keep VALUES (?, ?)",
            ((entity, row_id) for row_id in received.get(entity, ())),
        )
    driver.execute("INSERT INTO sync_keep SELECT entity, row_id FROM outbox WHERE op = 'insert'")
    driver.execute("CREATE INDEX IF NOT EXISTS temp.ix_sync_keep ON sync_keep (entity, id)")


def _remove_all_but_kept(driver: Any) -> int:
    """Full resync: drop every local row not in sync_keep (_note_kept)."""
    removed = 0
    for entity in reversed(ORDER):
        removed += driver.execute(
            f"DELETE FROM {entity} WHERE NOT EXISTS "
            "(SELECT 1 FROM sync_keep k WHERE k.entity = ? AND k.id = " + entity + ".id)",
            (entity,),
        ).rowcount
    driver.execute("DELETE FROM sync_keep")
    return removed


def _deleted_stamps(driver: Any, pending: list[OutboxEntry]) -> dict[tuple[str, str], Any]:
    """The device's own deleted_at of rows with an unpushed delete, as stored.

    Undo finds the rows a delete removed by that exact value, so it must survive the pull
    (the entry's made_at is a few microseconds later and would make undo find nothing).
    """
    stamps: dict[tuple[str, str], Any] = {}
    for entry in pending:
        if entry.op == "delete" and entry.entity in ORDER:
            found = driver.execute(
                f"SELECT deleted_at FROM {entry.entity} WHERE id = ?", (entry.row_id,)
            ).fetchone()
            if found is not None and found[0] is not None:
                stamps[(entry.entity, entry.row_id)] = found[0]
    return stamps


def _reapply_pending(
    driver: Any, pending: list[OutboxEntry], stamps: dict[tuple[str, str], Any]
) -> None:
    """Local edits not yet pushed stay on top of what was pulled until they are pushed."""
    for entry in pending:
        if entry.op == "update" and entry.changes:
            names = [name for name in entry.changes if name in synced_columns(entry.entity)]
            if not names:
                continue
            values = [to_sqlite(from_json(entry.entity, n, entry.changes[n])) for n in names]
            # A name edited here keeps its sort key on top of the pulled one.
            derived = sort_keys_of(entry.entity, dict(zip(names, values, strict=True)))
            names, values = [*names, *derived], [*values, *derived.values()]
            assignments = ", ".join(f"{name} = ?" for name in names)
            driver.execute(
                f"UPDATE {entry.entity} SET {assignments} WHERE id = ?", [*values, entry.row_id]
            )
        elif entry.op in ("delete", "restore"):
            stamp = None
            if entry.op == "delete":
                stamp = stamps.get((entry.entity, entry.row_id), to_sqlite(entry.made_at))
            driver.execute(
                f"UPDATE {entry.entity} SET deleted_at = ? WHERE id = ?", (stamp, entry.row_id)
            )
