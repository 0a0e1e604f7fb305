"""Upgrading an older store at start: on the storage thread, with the window painting."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from crm_desktop.storage.errors import StoreError
from crm_desktop.storage.store import STORE_FILE, Store
from crm_desktop.views.upgrade_window import upgrade_with_progress
from tests.storage.test_store import revisions_oldest_first


def older_store(directory: Path) -> Store:
    store = Store(directory)
    store.migrate(revisions_oldest_first()[-2])
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO customers (id, name, kind, search_text, created_at, updated_at)"
                " VALUES ('c1', '老客户', 'company', '老客户', '2024-01-01', '2024-01-01')"
            )
        )
    return store


def test_upgrade_runs_while_the_event_loop_keeps_going(qtbot: QtBot, tmp_path: Path) -> None:
    store = older_store(tmp_path)
    assert store.needs_upgrade()
    ticks: list[int] = []
    timer = QTimer(interval=1)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    try:
        error = upgrade_with_progress(store)
    finally:
        timer.stop()
    assert error is None
    assert store.revision() == store.head()
    assert not store.needs_upgrade()
    # The GUI thread ran its event loop (painting, timers) while the storage thread migrated.
    assert ticks
    assert list((tmp_path / "backups").glob("*.sqlite3")), "the upgrade backed up first"
    store.close()


def test_a_failed_upgrade_is_reported_and_changes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    store = older_store(tmp_path)
    store.close()
    with sqlite3.connect(tmp_path / STORE_FILE) as raw:
        raw.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    raw.close()
    store = Store(tmp_path)
    try:
        assert store.needs_upgrade()
        error = upgrade_with_progress(store)
        assert isinstance(error, StoreError)
        assert "newer version" in error.text()
        assert store.revision() == "from_the_future"
    finally:
        store.close()
