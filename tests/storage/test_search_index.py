"""The full-text indexes under a bulk load: the larger in-memory hash FTS5 is given for it is
taken back afterwards, and what was loaded is found."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from crm_desktop.models.search_keys import search_key
from crm_desktop.storage import search_index
from crm_desktop.storage.store import Store, sqlite_connection


def hash_sizes(store: Store) -> dict[str, int | None]:
    """Each full-text table's stored hashsize setting (None: FTS5's default, never set)."""
    sizes: dict[str, int | None] = {}
    with store.read() as session:
        driver = sqlite_connection(session)
        for table in (search_index.TRIGRAM_TABLE, search_index.GRAM_TABLE):
            row = driver.execute(f"SELECT v FROM {table}_config WHERE k = 'hashsize'").fetchone()
            sizes[table] = None if row is None else row[0]
    return sizes


def customers(count: int) -> list[tuple[str, str]]:
    return [(str(uuid.uuid4()), f"深圳市客户{n:06d} kehu 1380013{n:04d}") for n in range(count)]


@pytest.fixture
def store(tmp_path: Path):
    store = Store.open(tmp_path)
    yield store
    store.close()


def test_a_bulk_load_puts_the_default_hash_back_and_is_found(store: Store) -> None:
    pairs = customers(search_index.BULK_ROWS + 10)
    with store.write() as session:
        search_index.add_customers(session, pairs)
    # Not left at the bulk size: every later transaction would gather that much.
    assert set(hash_sizes(store).values()) <= {None, search_index.DEFAULT_HASH_BYTES}
    wanted = pairs[search_index.BULK_ROWS]
    with store.read() as session:
        driver = sqlite_connection(session)
        found = driver.execute(
            f"SELECT rowid FROM {search_index.TRIGRAM_TABLE} WHERE {search_index.TRIGRAM_TABLE}"
            " MATCH ?",
            (wanted[1].split()[0],),
        ).fetchall()
        short = driver.execute(
            f"SELECT count(*) FROM {search_index.GRAM_TABLE} WHERE {search_index.GRAM_TABLE}"
            " MATCH '客户'"
        ).fetchone()[0]
        for table in (search_index.TRIGRAM_TABLE, search_index.GRAM_TABLE):
            driver.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    assert found == [(search_key(wanted[0]),)]
    assert short == len(pairs)


def test_a_bulk_load_rolled_back_leaves_the_setting_as_it_was(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as session:
        search_index.add_customers(session, customers(search_index.BULK_ROWS))
        raise RuntimeError("the import stops")
    assert hash_sizes(store) == dict.fromkeys(
        (search_index.TRIGRAM_TABLE, search_index.GRAM_TABLE), None
    )


def test_a_small_insert_does_not_touch_the_setting(store: Store) -> None:
    with store.write() as session:
        search_index.add_customers(session, customers(3))
    assert hash_sizes(store) == dict.fromkeys(
        (search_index.TRIGRAM_TABLE, search_index.GRAM_TABLE), None
    )
