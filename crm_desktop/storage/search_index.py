"""Full-text indexes over customers' search text, so search-as-you-type needs no table scan.

Two SQLite FTS5 tables, both keyed by a 63-bit hash of the customer id (FTS5 rows need integer
ids, and a plain rowid of `customers` may change when SQLite vacuums a table keyed by text). The
same hash is stored in `customers.search_key`, so a search joins its hits to customers on an
integer index without reading the ids the FTS tables also hold:

- `customer_trigrams` (trigram tokenizer) finds any substring of three characters or more:
  "华强电", "0013", "northw".
- `customer_grams` answers the short searches trigrams can't: every one- and two-character piece
  of Chinese text (a surname "张", a brand "华强" inside "深圳市华强电子"), and the first two
  characters of every word ("li" finds "Li Lei", "13" finds mobiles starting 13, "粤b" finds
  licence plates of Guangdong starting with B).

A customer's search text (`customers.search_text`) is composed from its own fields, its
contacts and its identifiers by `models.search_keys.search_text_of`; `refresh_customers` is the
one place that reads those rows and stores the text and the index entries, for the write service
and the pull alike, in the caller's transaction.

The search text (with the pinyin of the names in it) and the pinyin sort keys of names and titles
(`models.entities.SORT_KEYS`) are derived by the program, and the program may derive them
otherwise from one version to the next. The store notes the version that derived what it holds
(DERIVED_TEXT_VERSION, in local_settings); opened by a program of another version, it derives
everything again (`refresh_derived_text`, run by Store.migrate).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from crm_desktop.models.entities import SORT_KEYS
from crm_desktop.models.pinyin import sort_key
from crm_desktop.models.search_keys import DERIVED_TEXT_VERSION, search_key, search_text_of
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.storage.values import in_lists, put_settings

TRIGRAM_TABLE = "customer_trigrams"
GRAM_TABLE = "customer_grams"
# local_settings key: the DERIVED_TEXT_VERSION that derived the store's search texts and sort
# keys; absent in a store from before there was one (migration 0012's downgrade takes it out).
VERSION_KEY = "derived_text_version"
# local_settings key, present while search texts a bulk load stored may not be indexed yet
# (store_texts, left_unindexed).
UNINDEXED_KEY = "search_texts_not_indexed"

CREATE_STATEMENTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAM_TABLE} USING fts5("
    "customer_id UNINDEXED, search_text, tokenize='trigram', detail='full')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {GRAM_TABLE} USING fts5("
    "customer_id UNINDEXED, grams, tokenize='unicode61', detail='none')",
)
DROP_STATEMENTS = (f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}", f"DROP TABLE IF EXISTS {GRAM_TABLE}")

# CJK ideographs (basic block, extension A, compatibility): runs of them are indexed piecewise.
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W_]+")

Executor = Session | Connection


def short_grams(search_text: str) -> str:
    """The words of the short-search index for one search text, space-separated."""
    grams: set[str] = set()
    for run in _CJK_RUN.findall(search_text):
        grams.update(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    grams.update(word[:2] for word in _WORD.findall(search_text))
    return " ".join(sorted(grams))


def is_short_searchable(term: str) -> bool:
    """Whether the short-search index can answer a term of fewer than three characters."""
    return bool(_CJK_RUN.fullmatch(term)) or (len(term) == 2 and term.isalnum())


# An insert of this many customers or more is a bulk load (see _larger_pending_terms).
BULK_ROWS = 5000
BULK_HASH_BYTES = 32 * 1024 * 1024
DEFAULT_HASH_BYTES = 1024 * 1024  # FTS5's own default

log = logging.getLogger(__name__)

# Customers composed per query: few enough for SQLite's limit on bound parameters.
REFRESH_CHUNK = 500
# Past this many customers one pass over all of them beats many IN (...) lists.
REFRESH_ALL_FROM = 20_000


def refresh_customers(session: Executor, customer_ids: Iterable[str] | None) -> int:
    """Recompose the search text of these customers (None: all) and store it, with its index
    entries, where it differs from the stored one. Returns how many texts changed.

    Comparing first makes a full sync of what the device already has cost reads only.
    Customers that no longer exist are skipped.
    """
    driver = sqlite_connection(session)
    ids = None if customer_ids is None else sorted(set(customer_ids))
    total = driver.execute("SELECT count(*) FROM customers").fetchone()[0]
    # One pass over every customer only when these are most of them: an import of 100,000
    # into a store of 100,000 recomposes the new ones, not the old ones as well.
    if ids is not None and len(ids) >= REFRESH_ALL_FROM and len(ids) * 2 > total:
        ids = None
    changed = _changed_texts(driver, ids)
    _store_texts(driver, changed)
    if len(changed) >= REFRESH_ALL_FROM and len(changed) * 2 > total:
        # Most of the index changes: building it anew beats replacing entries one by one.
        rebuild(session)
        return len(changed)
    if ids is None:
        forget_missing(driver)
    index_customers(session, changed)
    return len(changed)


def store_texts(session: Executor, customer_ids: list[str]) -> list[str]:
    """The first half of refresh_customers, for a download of many customers: recompose and
    store these customers' search text where it differs, and return those customers, for
    index_stored to index afterwards.

    Each half then goes in the order that suits it: the texts in the table's own order, so that
    a batch rewrites a run of its pages (in the index's key order, 5,000 customers of 100,000
    touched nearly every page of the table, and each batch wrote it all out again), and the
    index in its key order (see index_stored). Until all_indexed, the store notes that texts
    may wait for the index: a load killed in between is made good by the next (left_unindexed).
    """
    driver = sqlite_connection(session)
    changed = _changed_texts(driver, sorted(customer_ids))
    if changed:
        put_settings(driver, {UNINDEXED_KEY: "1"})
    _store_texts(driver, changed)
    # The caller's own strings, not the copies read back: 100,000 ids are 9 MB.
    differ = {customer_id for customer_id, _ in changed}
    return [customer_id for customer_id in customer_ids if customer_id in differ]


def index_stored(session: Executor, customer_ids: Iterable[str]) -> None:
    """(Re)index the stored search texts of these customers (see store_texts)."""
    driver = sqlite_connection(session)
    pairs: list[tuple[str, str]] = []
    for ids, marks in in_lists(sorted(customer_ids), REFRESH_CHUNK):
        pairs += driver.execute(
            f"SELECT id, search_text FROM customers WHERE id IN ({marks})", ids
        ).fetchall()
    index_customers(session, pairs)


def left_unindexed(session: Executor) -> list[str] | None:
    """The customers whose stored search text the index does not hold, after a load killed
    between store_texts and index_stored; None when no load was (without looking: comparing
    every text with the index's copy takes a second or two at 100,000)."""
    driver = sqlite_connection(session)
    if driver.execute("SELECT 1 FROM local_settings WHERE key = ?", (UNINDEXED_KEY,)).fetchone():
        return [
            row_id
            for (row_id,) in driver.execute(
                f"SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM {TRIGRAM_TABLE} t"
                " WHERE t.rowid = c.search_key AND t.search_text = c.search_text)"
            )
        ]
    return None


def all_indexed(session: Executor) -> None:
    """The texts store_texts stored are all in the index now."""
    sqlite_connection(session).execute("DELETE FROM local_settings WHERE key = ?", (UNINDEXED_KEY,))


def _changed_texts(driver: Any, ids: list[str] | None) -> list[tuple[str, str]]:
    """(id, search text composed now) of these customers (None: all) whose stored text differs."""
    if ids is None:
        composed = _composed(driver, None)
    else:
        composed = []
        for chunk, _ in in_lists(ids, REFRESH_CHUNK):
            composed += _composed(driver, chunk)
    return [(customer_id, new) for customer_id, new, old in composed if new != old]


def forget_missing(driver: Any) -> None:
    """Take out the index entries of customers no longer in the table."""
    for table in (TRIGRAM_TABLE, GRAM_TABLE):
        driver.execute(f"DELETE FROM {table} WHERE rowid NOT IN (SELECT search_key FROM customers)")


def _composed(driver: Any, ids: list[str] | None) -> list[tuple[str, str, str]]:
    """(id, search text composed now, search text stored) of these customers (None: all)."""
    where, parameters = "", ids or []
    if ids is not None:
        where = f" WHERE {{}} IN ({', '.join('?' * len(ids))})"
    live = (where.format("customer_id") + " AND" if where else " WHERE") + " deleted_at IS NULL"
    contacts: dict[str, list[tuple]] = defaultdict(list)
    for row in driver.execute(
        "SELECT customer_id, name, email, phone, mobile FROM contacts" + live, parameters
    ):
        contacts[row[0]].append(row[1:])
    identifiers: dict[str, list[str]] = defaultdict(list)
    for row in driver.execute(
        "SELECT customer_id, value FROM customer_identifiers" + live, parameters
    ):
        identifiers[row[0]].append(row[1])
    own = driver.execute(
        "SELECT id, name, short_name, email, phone, phone2, search_text FROM customers"
        + where.format("id"),
        parameters,
    )
    return [
        (
            customer_id,
            search_text_of(
                name,
                short_name,
                email,
                [phone, phone2],
                contacts.get(customer_id, ()),
                identifiers.get(customer_id, ()),
            ),
            stored,
        )
        for customer_id, name, short_name, email, phone, phone2, stored in own
    ]


def _store_texts(driver: Any, pairs: list[tuple[str, str]]) -> None:
    driver.executemany(
        "UPDATE customers SET search_text = ? WHERE id = ?", [(text_, id_) for id_, text_ in pairs]
    )


def index_customers(session: Executor, pairs: list[tuple[str, str]]) -> None:
    """(Re)index these customers' (id, search_text)."""
    if not pairs:
        return
    driver = sqlite_connection(session)
    forget_customers(driver, [customer_id for customer_id, _ in pairs])
    _insert(driver, pairs)


def forget_customers(driver: Any, customer_ids: list[str]) -> None:
    """Take these customers out of the index (given the raw sqlite3 connection)."""
    keys = [(search_key(customer_id),) for customer_id in customer_ids]
    for table in (TRIGRAM_TABLE, GRAM_TABLE):
        driver.executemany(f"DELETE FROM {table} WHERE rowid = ?", keys)


def add_customers(session: Executor, pairs: list[tuple[str, str]]) -> None:
    """Index customers that are new to the index (a bulk load): no old entries to remove."""
    if pairs:
        _insert(sqlite_connection(session), pairs)


def rebuild(session: Executor) -> None:
    """Index every customer from scratch."""
    driver = sqlite_connection(session)
    # Made again empty: FTS5 deletes rows one at a time, reading each back (15 s for 100,000
    # customers, against 4 s to drop and create the tables).
    for statement in (*DROP_STATEMENTS, *CREATE_STATEMENTS):
        driver.execute(statement)
    rows = session.execute(text("SELECT id, search_text FROM customers")).all()
    _insert(driver, [(row[0], row[1] or "") for row in rows])


def _insert(driver: Any, pairs: list[tuple[str, str]]) -> None:
    # FTS5 appends rows several times faster in rowid order than scattered.
    rows = sorted((search_key(customer_id), customer_id, text_) for customer_id, text_ in pairs)
    with _larger_pending_terms(driver, len(rows) >= BULK_ROWS):
        driver.executemany(
            f"INSERT INTO {TRIGRAM_TABLE}(rowid, customer_id, search_text) VALUES (?, ?, ?)", rows
        )
        driver.executemany(
            f"INSERT INTO {GRAM_TABLE}(rowid, customer_id, grams) VALUES (?, ?, ?)",
            [(key, customer_id, short_grams(text_)) for key, customer_id, text_ in rows],
        )


@contextmanager
def _larger_pending_terms(driver: Any, bulk: bool) -> Iterator[None]:
    """For a bulk insert, let FTS5 gather BULK_HASH_BYTES of new terms in memory before it
    writes them out as a segment (1 MB by default), then put its default back.

    With the default, 100,000 customers are written as hundreds of small segments that FTS5
    then merges again and again: 12.8 s against 8.2 s with 32 MB, side by side on the same
    texts. The setting is stored in the index's own config table, in the caller's
    transaction, so a rollback takes it back too. A SQLite too old to know it is left as it is.
    """
    if not bulk:
        yield
        return
    changed = _set_hash_size(driver, BULK_HASH_BYTES)
    try:
        yield
    finally:
        if changed:
            _set_hash_size(driver, DEFAULT_HASH_BYTES)


def _set_hash_size(driver: Any, size: int) -> bool:
    try:
        for table in (TRIGRAM_TABLE, GRAM_TABLE):
            # Names are ours; FTS5 takes its settings as inserts into the table's own column.
            driver.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (size,))
    except sqlite3.OperationalError:
        log.info("this SQLite's FTS5 has no hashsize setting: indexing with its default")
        return False
    return True


def derived_text_outdated(session: Executor) -> bool:
    """Whether the store's search texts and sort keys were derived by another version of the
    program's composition (or by one from before it noted which)."""
    stored = sqlite_connection(session).execute(
        "SELECT value FROM local_settings WHERE key = ?", (VERSION_KEY,)
    )
    row = stored.fetchone()
    return row is None or row[0] != str(DERIVED_TEXT_VERSION)


def refresh_derived_text(session: Executor) -> int:
    """Derive every sort key and every customer's search text again, store those that differ
    (the full-text index along), and note this version's DERIVED_TEXT_VERSION. Returns how many
    values changed. It runs under the upgrade window, in the upgrade's transaction: for 100,000
    customers about a minute, most of it refilling the full-text index."""
    changed = refresh_sort_keys(session)
    changed += refresh_customers(session, None)
    put_settings(sqlite_connection(session), {VERSION_KEY: str(DERIVED_TEXT_VERSION)})
    return changed


def refresh_sort_keys(session: Executor) -> int:
    """Store models/pinyin.sort_key of every name and title (SORT_KEYS) where the stored key
    differs. Returns how many changed."""
    driver = sqlite_connection(session)
    changed = 0
    for table, keys in SORT_KEYS.items():
        for column, key in keys.items():
            rows = driver.execute(f"SELECT id, {column}, {key} FROM {table} ORDER BY id")
            wanted = [(row_id, sort_key(value), stored) for row_id, value, stored in rows]
            stale = [(new, row_id) for row_id, new, stored in wanted if new != stored]
            driver.executemany(f"UPDATE {table} SET {key} = ? WHERE id = ?", stale)
            changed += len(stale)
    return changed
