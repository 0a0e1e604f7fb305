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
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from crm_desktop.models.search_keys import search_key, search_text_of
from crm_desktop.storage.store import sqlite_connection

TRIGRAM_TABLE = "customer_trigrams"
GRAM_TABLE = "customer_grams"

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
    if ids is not None and len(ids) >= REFRESH_ALL_FROM:
        ids = None
    if ids is None:
        composed = _composed(driver, None)
    else:
        composed = []
        for start in range(0, len(ids), REFRESH_CHUNK):
            composed += _composed(driver, ids[start : start + REFRESH_CHUNK])
    changed = [(customer_id, new) for customer_id, new, old in composed if new != old]
    _store_texts(driver, changed)
    if ids is None and len(changed) >= REFRESH_ALL_FROM:
        rebuild(session)
        return len(changed)
    if ids is None:
        forget_missing(driver)
    index_customers(session, changed)
    return len(changed)


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
    for table in (TRIGRAM_TABLE, GRAM_TABLE):
        driver.execute(f"DELETE FROM {table}")
    rows = session.execute(text("SELECT id, search_text FROM customers")).all()
    _insert(driver, [(row[0], row[1] or "") for row in rows])


def _insert(driver: Any, pairs: list[tuple[str, str]]) -> None:
    # FTS5 appends rows several times faster in rowid order than scattered.
    rows = sorted((search_key(customer_id), customer_id, text_) for customer_id, text_ in pairs)
    driver.executemany(
        f"INSERT INTO {TRIGRAM_TABLE}(rowid, customer_id, search_text) VALUES (?, ?, ?)", rows
    )
    driver.executemany(
        f"INSERT INTO {GRAM_TABLE}(rowid, customer_id, grams) VALUES (?, ?, ?)",
        [(key, customer_id, short_grams(text_)) for key, customer_id, text_ in rows],
    )
