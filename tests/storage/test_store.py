"""The local store: WAL, migrations from the first revision with data, backups, newer stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from crm_desktop.models.search_keys import search_key
from crm_desktop.profile import Profile
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from crm_desktop.storage.errors import StoreError
from crm_desktop.storage.store import STORE_FILE, Store, _alembic_config, sqlite_connection


def revisions_oldest_first() -> list[str]:
    scripts = ScriptDirectory.from_config(_alembic_config(None))
    return [r.revision for r in reversed(list(scripts.walk_revisions()))]


def test_new_store_is_wal_and_at_head(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    try:
        assert store.revision() == store.head()
        with store.read() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        store.close()


def test_upgrade_from_first_revision_keeps_data(tmp_path: Path) -> None:
    first = revisions_oldest_first()[0]
    store = Store(tmp_path)
    store.migrate(first)
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO customers (id, name, kind, search_text, created_at, updated_at)"
                " VALUES ('c1', '老客户', 'company', '老客户', '2024-01-01', '2024-01-01')"
            )
        )
    store.close()

    upgraded = Store.open(tmp_path)
    try:
        assert upgraded.revision() == upgraded.head()
        with upgraded.read() as session:
            names = session.execute(text("SELECT name FROM customers WHERE id = 'c1'")).scalars()
            assert list(names) == ["老客户"]
            # Revisions after the first index what was there: the old customer can be found.
            found = list_ids(session, TABLES["customers"], ListQuery(search="老客户"))
            assert found == ["c1"]
            key = session.execute(text("SELECT search_key FROM customers WHERE id = 'c1'"))
            assert key.scalar() == search_key("c1")
        if first != upgraded.head():
            assert list((tmp_path / "backups").glob("*.sqlite3")), "an upgrade backs up first"
    finally:
        upgraded.close()


def test_backup_is_a_complete_readable_copy(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    try:
        store.set_setting("marker", "kept")
        backup = store.backup("manual")
    finally:
        store.close()
    with sqlite3.connect(backup) as copy:
        value = copy.execute("SELECT value FROM local_settings WHERE key='marker'").fetchone()
    copy.close()
    assert value == ("kept",)


def test_store_from_a_newer_program_is_refused_untouched(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    with sqlite3.connect(tmp_path / STORE_FILE) as raw:
        raw.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    raw.close()
    with pytest.raises(StoreError, match="newer version"):
        Store.open(tmp_path)
    assert not (tmp_path / "backups").exists()  # refused before anything, a backup included
    with sqlite3.connect(tmp_path / STORE_FILE) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "from_the_future",
        )
    raw.close()


def test_outbox_numbers_are_never_reused(tmp_path: Path) -> None:
    from crm_desktop.profile import open_profile

    profile = open_profile(tmp_path)
    try:
        writer = profile.writer()
        writer.create("customers", {"name": "First"})
        with profile.store.write() as session:
            first = session.execute(text("SELECT max(seq) FROM outbox")).scalar()
            session.execute(text("DELETE FROM outbox"))  # as a sync does once pushed
        writer.create("customers", {"name": "Second"})
        with profile.store.read() as session:
            second = session.execute(text("SELECT min(seq) FROM outbox")).scalar()
        assert second > first
    finally:
        profile.close()


def test_migrations_build_the_schema_the_models_declare(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from crm_desktop.models.base import Base
    from crm_desktop.storage import search_index

    store = Store.open(tmp_path)
    try:
        with store.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        store.close()
    # The full-text tables are made by SQL of their own (storage/search_index.py).
    fts = (search_index.TRIGRAM_TABLE, search_index.GRAM_TABLE)
    unexpected = [
        difference
        for difference in differences
        if not (difference[0] == "remove_table" and difference[1].name.startswith(fts))
    ]
    assert unexpected == []


# Tables of a few dozen or hundred rows, seldom removed from a device, where a scan of the
# tables pointing at them per removed row costs little.
SMALL_TABLES = {"users", "products"}


def test_every_pointer_at_a_removable_row_is_found_by_an_index(profile: Profile) -> None:
    """Deleting a row makes SQLite look for the rows that point at it: every such pointer (a
    follow-up's customer, a deal's contact, the customer one was merged into) needs an index
    that lookup can use, or a sync removing many rows scans a table once per row (local
    migrations 0018 and 0019)."""
    with profile.store.read() as session:
        driver = sqlite_connection(session)
        tables = [
            row[0] for row in driver.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        pointers = [
            (table, link[3])
            for table in tables
            for link in driver.execute(f'PRAGMA foreign_key_list("{table}")')
            if link[2] not in SMALL_TABLES
        ]
        assert ("customers", "merged_into_id") in pointers
        assert ("followups", "customer_id") in pointers
        unsearched = [
            f"{table}.{column}"
            for table, column in pointers
            # The statement SQLite runs for its check, as its query planner would.
            if not driver.execute(
                f'EXPLAIN QUERY PLAN SELECT 1 FROM "{table}" WHERE "{column}" = ?', ("x",)
            )
            .fetchone()[3]
            .startswith("SEARCH")
        ]
        assert unsearched == [], "no index the foreign key check can use"
