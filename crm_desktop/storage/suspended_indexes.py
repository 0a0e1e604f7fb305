"""Secondary indexes taken off a table for bulk work spread over many transactions, and put back
once it is done: off a (nearly) empty table for a load (a first sync's batches, each committed
on its own), and off a full one, only those on the columns a bulk rewrite changes (a push
giving 100,000 new records the server's times).

A random-UUID row inserted into a table with a dozen indexes touches a page of each, so a
batch committed on its own rewrites most of every index; one sort per index at the end is
several times faster. The same holds for a row whose indexed value changes: its old entry is
deleted and a new one inserted, in each index on the value.

What was taken off is recorded in the same transaction as the drop, and `Store.open` puts back
whatever bulk work killed half-way left off: the schema is always whole when the store is
opened. Primary keys and unique indexes stay, so constraints hold meanwhile.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from crm_desktop.storage.values import put_settings

# local_settings key holding the SQL of indexes taken off for a load not yet finished: until
# they are back, Store.open puts them back (a load killed half-way leaves the schema whole).
SUSPENDED_KEY = "suspended_indexes"
# A table holding fewer rows than this is loaded without its secondary indexes: putting them
# back costs one sort, and the table is (nearly) empty, so nothing the user does is slowed.
SUSPEND_BELOW = 1000
# Rows rewritten at once from which indexes on the rewritten columns may be worth rebuilding
# instead (`rewrites_most_of`): an index rebuilt costs one sort of the table.
REWRITE_IN_BULK = 5000


def suspend_indexes(driver: sqlite3.Connection, table: str) -> bool:
    """Take the secondary indexes of a (nearly) empty table off for a load of many batches,
    each committed on its own; `restore_indexes` puts them back. Runs in the caller's
    transaction, which also records what was taken off. Returns whether it did anything."""
    held = driver.execute(
        f'SELECT count(*) FROM (SELECT 1 FROM "{table}" LIMIT ?)', (SUSPEND_BELOW,)
    )
    if held.fetchone()[0] >= SUSPEND_BELOW:
        return False
    return _take_off(driver, table, _secondary_indexes(driver, table))


def rewrites_most_of(driver: sqlite3.Connection, table: str, rows: int) -> bool:
    """Whether rewriting this many rows of `table` is cheaper with its indexes on the columns
    rewritten built again afterwards: at least REWRITE_IN_BULK rows, and half the table (a few
    thousand of a million rows are cheaper changed in place than a million sorted again)."""
    if rows < REWRITE_IN_BULK:
        return False
    held = driver.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return 2 * rows >= held


def suspend_indexes_on(driver: sqlite3.Connection, table: str, columns: Iterable[str]) -> bool:
    """Take off the secondary indexes of `table` that hold any of `columns`, whatever the
    table holds, for a rewrite of those columns in many batches; `restore_indexes` puts them
    back. Queries keep working meanwhile, sorting on those columns without an index. Runs in
    the caller's transaction. Returns whether it did anything."""
    wanted = set(columns)
    indexes = [
        (name, sql)
        for name, sql in _secondary_indexes(driver, table)
        if wanted & {row[2] for row in driver.execute(f'PRAGMA index_info("{name}")')}
    ]
    return _take_off(driver, table, indexes)


def _secondary_indexes(driver: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(name, SQL) of the table's indexes that no constraint needs: not its primary key's or a
    unique one's, so that constraints hold while they are off."""
    return driver.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
        " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
        (table,),
    ).fetchall()


def _take_off(driver: sqlite3.Connection, table: str, indexes: list[tuple[str, str]]) -> bool:
    """Drop these indexes of `table`, recording how to build them again, in one transaction."""
    if not indexes:
        return False
    suspended = _suspended(driver)
    suspended[table] = [*suspended.get(table, []), *(sql for _, sql in indexes)]
    _keep_suspended(driver, suspended)
    for name, _ in indexes:
        driver.execute(f'DROP INDEX "{name}"')
    return True


def restore_indexes(driver: sqlite3.Connection, tables: Iterable[str] | None = None) -> None:
    """Put back the indexes `suspend_indexes` took off these tables (None: all), in the
    caller's transaction. Each is built in one sort of the table."""
    suspended = _suspended(driver)
    for table in list(suspended) if tables is None else tables:
        for statement in suspended.pop(table, []):
            driver.execute(statement)
    _keep_suspended(driver, suspended)


def any_suspended(driver: sqlite3.Connection) -> bool:
    """Whether a load left indexes off (on a store of any age: the settings table may be new)."""
    settings = driver.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'local_settings'"
    ).fetchone()
    return settings is not None and bool(_suspended(driver))


def _suspended(driver: sqlite3.Connection) -> dict[str, list[str]]:
    row = driver.execute("SELECT value FROM local_settings WHERE key = ?", (SUSPENDED_KEY,))
    found = row.fetchone()
    return json.loads(found[0]) if found else {}


def _keep_suspended(driver: sqlite3.Connection, suspended: dict[str, list[str]]) -> None:
    if suspended:
        put_settings(driver, {SUSPENDED_KEY: json.dumps(suspended)})
    else:
        driver.execute("DELETE FROM local_settings WHERE key = ?", (SUSPENDED_KEY,))
