"""Frozen copies of live code that migrations need: history, never changed once released.

A migration must do tomorrow exactly what it did the day it shipped, whatever the live code
has become since, so it never imports crm_desktop outside this package. What it needs of
the full-text index is copied here as it stood when revisions 0002 and 0005 were written
(crm_desktop/models/search_keys.py `search_key`, crm_desktop/storage/search_index.py
`short_grams`, its table statements and `rebuild`).

Never edit a function or constant here once a released migration uses it. A migration that
needs new behaviour gets a new function (`short_grams_v2`) beside the old one.
tests/storage/test_migration_history.py checks that these copies still agree with the live
code; when the live code changes on purpose, that test is the place to say so, not this file.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sqlalchemy import Connection

TRIGRAM_TABLE_V1 = "customer_trigrams"
GRAM_TABLE_V1 = "customer_grams"

FTS_CREATE_V1 = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAM_TABLE_V1} USING fts5("
    "customer_id UNINDEXED, search_text, tokenize='trigram', detail='full')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {GRAM_TABLE_V1} USING fts5("
    "customer_id UNINDEXED, grams, tokenize='unicode61', detail='none')",
)
FTS_DROP_V1 = (
    f"DROP TABLE IF EXISTS {TRIGRAM_TABLE_V1}",
    f"DROP TABLE IF EXISTS {GRAM_TABLE_V1}",
)

# CJK ideographs (basic block, extension A, compatibility): runs of them are indexed piecewise.
_CJK_RUN_V1 = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD_V1 = re.compile(r"[^\W_]+")


def search_key_v1(customer_id: str) -> int:
    """A customer's rowid in the full-text tables and its `customers.search_key`: the first 8
    bytes of the BLAKE2b of its id, as a big-endian integer shifted right by one (63 bits)."""
    digest = hashlib.blake2b(customer_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def short_grams_v1(search_text: str) -> str:
    """The short-search words of one search text: every one- and two-character piece of each
    run of CJK ideographs and the first two characters of every word, sorted, space-separated."""
    grams: set[str] = set()
    for run in _CJK_RUN_V1.findall(search_text):
        grams.update(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    grams.update(word[:2] for word in _WORD_V1.findall(search_text))
    return " ".join(sorted(grams))


def rebuild_fts_v1(connection: Connection) -> None:
    """Fill both full-text tables from every customer's `search_text`, from scratch."""
    driver: Any = connection.connection.driver_connection
    for table in (TRIGRAM_TABLE_V1, GRAM_TABLE_V1):
        driver.execute(f"DELETE FROM {table}")
    pairs = driver.execute("SELECT id, search_text FROM customers").fetchall()
    # FTS5 appends rows several times faster in rowid order than scattered.
    rows = sorted((search_key_v1(row_id), row_id, text or "") for row_id, text in pairs)
    driver.executemany(
        f"INSERT INTO {TRIGRAM_TABLE_V1}(rowid, customer_id, search_text) VALUES (?, ?, ?)", rows
    )
    driver.executemany(
        f"INSERT INTO {GRAM_TABLE_V1}(rowid, customer_id, grams) VALUES (?, ?, ?)",
        [(key, row_id, short_grams_v1(text)) for key, row_id, text in rows],
    )
