"""Tuning SQLite for one big load (demo data, a device's first download)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from crm_desktop.storage.store import sql_connection

BULK_LOAD_CACHE_KIB = 512 * 1024


@contextmanager
def bulk_load(
    session: Session | Connection, tables: Iterable[str], *, enabled: bool = True
) -> Iterator[None]:
    """A large page cache, and the tables' secondary indexes dropped for the load and recreated
    afterwards.

    With the default 2 MB cache, random-UUID key inserts spill pages to the WAL and read them
    back; one sort per index at the end is several times faster than updating a dozen indexes
    row by row. The exact SQL SQLite holds is replayed, so the schema is unchanged, and it all
    happens inside the caller's transaction: a failed load leaves the indexes as they were.
    Primary keys and unique constraints (SQLite's autoindexes, which have no SQL) stay, so
    upserts keep working during the load.
    """
    if not enabled:
        yield
        return
    connection = sql_connection(session)
    cache_size = int(connection.exec_driver_sql("PRAGMA cache_size").scalar())
    connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_LOAD_CACHE_KIB}")
    wanted = list(tables)
    marks = ", ".join("?" * len(wanted))
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master "
        f"WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        tuple(wanted),
    ).all()
    try:
        for name, _ in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        yield
        for _, sql in indexes:
            connection.exec_driver_sql(sql)
    except BaseException:
        # A Ctrl+C inside a statement leaves the connection unusable (SQLAlchemy throws it
        # away, cache and all): what stopped the load is what the caller hears, not that.
        with suppress(Exception):
            _normal_cache(connection, cache_size)
        raise
    _normal_cache(connection, cache_size)


def _normal_cache(connection: Connection, cache_size: int) -> None:
    # The pooled connection outlives the load; give it back its normal cache.
    connection.exec_driver_sql(f"PRAGMA cache_size = {cache_size}")
