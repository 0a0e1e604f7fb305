"""Customers' ownership history, brought by the pull with the customers it belongs to.

The server appends a row whenever a customer changes hands (its migration 0006) and every such
change rewrites the customer's row too: so the customers an incremental pull fetched, and
those this device's own push changed (which it does not fetch back), are exactly those whose
history may have grown, and their history is read again whole (a few rows each). A full
sync reads the history of every customer the user sees. The device never writes it; it leaves
with its customer (ON DELETE CASCADE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import psycopg

from crm_desktop.storage import suspended_indexes
from crm_desktop.storage.store import Store, sqlite_connection
from crm_desktop.storage.values import in_lists

# In the local table's column order, as the store keeps the values (ids and UTC times as text).
SELECT = """
SELECT h.id, h.customer_id::text, h.previous_owner_id::text, h.owner_id::text, h.kind,
       h.reason, to_char(h.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),
       h.changed_by::text
FROM customer_ownership h
"""
# A history row is kept only beside its customer (one the pull may have settled away).
INSERT = """
INSERT OR REPLACE INTO ownership_history
    (id, customer_id, previous_owner_id, owner_id, kind, reason, changed_at, changed_by)
SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM customers WHERE id = ?)
"""
FETCH_BATCH = 5000


def fetch_for(connection: psycopg.Connection, customer_ids: Iterable[str]) -> list[tuple]:
    """The whole history of these customers, oldest first."""
    wanted = sorted(customer_ids)
    if not wanted:
        return []
    return connection.execute(
        SELECT + " WHERE h.customer_id = ANY(%s::uuid[]) ORDER BY h.id", (wanted,)
    ).fetchall()


def replace_for(driver: Any, customer_ids: Iterable[str], rows: list[tuple]) -> None:
    """These customers' history becomes `rows` (inside the pull's local transaction)."""
    for ids, marks in in_lists(sorted(customer_ids)):
        driver.execute(f"DELETE FROM ownership_history WHERE customer_id IN ({marks})", ids)
    driver.executemany(INSERT, [(*row, row[1]) for row in rows])


def stream_all(
    store: Store,
    connection: psycopg.Connection,
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Every visible customer's history, in batches of their own transactions: a full sync cut
    short keeps no cursor, so the next one starts over and reads it all again."""
    with store.write() as session:
        driver = sqlite_connection(session)
        driver.execute("DELETE FROM ownership_history")
        # Rows come in the server's order, not their customers': each batch would touch most
        # pages of the index by customer (100,000 rows wrote 192 MB for a 24 MB table).
        suspended = suspended_indexes.suspend_indexes(driver, "ownership_history")
    done = 0
    # Only customers the user sees (their policy applies inside the subquery): a rep's own
    # part of the history of a customer he lost stays on the server.
    statement = SELECT + " WHERE h.customer_id IN (SELECT id FROM customers) ORDER BY h.id"
    try:
        with connection.cursor(name="crm_pull_ownership_history") as cursor:
            cursor.execute(statement)
            while rows := cursor.fetchmany(FETCH_BATCH):
                with store.write() as session:
                    sqlite_connection(session).executemany(INSERT, [(*row, row[1]) for row in rows])
                done += len(rows)
                if progress is not None:
                    progress("pull:ownership_history", done, 0)
    finally:
        if suspended:
            with store.write() as session:
                suspended_indexes.restore_indexes(sqlite_connection(session), ["ownership_history"])
