"""Indexes taken off a nearly empty table for a load of many transactions come back exactly as
they were: when the load ends, and when it was killed half-way (at the next open)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from crm_desktop.profile import open_profile
from crm_desktop.storage import suspended_indexes
from crm_desktop.storage.store import STORE_FILE, Store, sqlite_connection

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"


def schema(directory: Path) -> list[tuple]:
    with closing(sqlite3.connect(directory / STORE_FILE)) as raw:
        return raw.execute(SCHEMA).fetchall()


def indexes_of(directory: Path, table: str) -> set[str]:
    with closing(sqlite3.connect(directory / STORE_FILE)) as raw:
        rows = raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL",
            (table,),
        )
        return {name for (name,) in rows}


def test_a_load_puts_back_exactly_what_it_took_off(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    before = schema(tmp_path)
    assert len(indexes_of(tmp_path, "customers")) > 5  # the test is about something
    with store.write() as session:
        assert suspended_indexes.suspend_indexes(sqlite_connection(session), "customers")
        assert suspended_indexes.suspend_indexes(sqlite_connection(session), "contacts")
    assert indexes_of(tmp_path, "customers") == indexes_of(tmp_path, "contacts") == set()
    with store.write() as session:
        suspended_indexes.restore_indexes(sqlite_connection(session), ["customers"])
    assert indexes_of(tmp_path, "customers") and not indexes_of(tmp_path, "contacts")
    with store.write() as session:
        suspended_indexes.restore_indexes(sqlite_connection(session), ["contacts"])
        assert not suspended_indexes.any_suspended(sqlite_connection(session))
    assert schema(tmp_path) == before
    store.close()


def test_a_table_with_rows_keeps_its_indexes(tmp_path: Path) -> None:
    profile = open_profile(tmp_path)
    with profile.writer().transaction() as unit:
        for n in range(suspended_indexes.SUSPEND_BELOW):
            unit.create("customers", {"name": f"客户 {n}"})
    before = indexes_of(tmp_path, "customers")
    with profile.store.write() as session:
        assert not suspended_indexes.suspend_indexes(sqlite_connection(session), "customers")
    assert indexes_of(tmp_path, "customers") == before
    profile.close()


KILLED_LOAD = """
import os, sys
from crm_desktop.profile import open_profile
from crm_desktop.storage import suspended_indexes
from crm_desktop.profile import open_profile
from crm_desktop.storage.store import sqlite_connection
profile = open_profile(sys.argv[1])
with profile.store.write() as session:
    suspended_indexes.suspend_indexes(sqlite_connection(session), "customers")
print(profile.writer().create("customers", {"name": "Acme"}).primary_id, flush=True)
os._exit(9)  # killed before the load could put anything back
"""


def test_a_load_killed_half_way_gets_its_indexes_back_at_the_next_open(tmp_path: Path) -> None:
    open_profile(tmp_path).close()
    before = schema(tmp_path)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_LOAD, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert killed.returncode == 9, killed.stderr
    made = killed.stdout.strip()
    assert indexes_of(tmp_path, "customers") == set()

    store = Store.open(tmp_path)
    assert schema(tmp_path) == before
    with store.read() as session:
        assert not suspended_indexes.any_suspended(sqlite_connection(session))
        # The row written while the indexes were off is found through them.
        found = sqlite_connection(session).execute(
            "SELECT id FROM customers INDEXED BY ix_customers_live_name"
            " WHERE name = 'Acme' AND deleted_at IS NULL"
        )
        assert found.fetchall() == [(made,)]
    store.close()
