"""An upgrade that fails halfway, or whose process is killed halfway, leaves the store exactly
as it was and its backup usable; the user is told so in one plain sentence."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from crm_desktop.storage import errors, store
from crm_desktop.storage.errors import StoreError
from crm_desktop.storage.store import BACKUP_DIR, STORE_FILE, Store
from tests.storage.test_store import revisions_oldest_first

ROOT = Path(__file__).resolve().parents[2]
FIRST = revisions_oldest_first()[0]
HEAD = revisions_oldest_first()[-1]


def old_store(directory: Path, customers: int = 300) -> list[str]:
    """A store left at the first revision by an old version, with data in every table an
    upgrade rewrites; returns its complete dump (schema and rows)."""
    directory.mkdir(parents=True, exist_ok=True)
    made = Store(directory)
    made.migrate(FIRST)
    made.close()
    with closing(sqlite3.connect(directory / STORE_FILE)) as raw, raw:
        stamp = "2024-01-01 08:00:00.000000"
        raw.execute(
            "INSERT INTO users (id, login, name, role, active, created_at, updated_at)"
            " VALUES ('u1', 'rob', 'Rob', 'rep', 1, ?, ?)",
            (stamp, stamp),
        )
        raw.executemany(
            "INSERT INTO customers (id, name, kind, phone, owner_id, search_text, created_at,"
            " updated_at) VALUES (?, ?, 'company', ?, 'u1', ?, ?, ?)",
            [
                (
                    f"c{i:05}",
                    f"深圳市华强电子 {i}",
                    f"+86138{i:08}",
                    f"深圳市华强电子 {i}\x1f+86138{i:08}",
                    stamp,
                    stamp,
                )
                for i in range(customers)
            ],
        )
        raw.executemany(
            "INSERT INTO contacts (id, customer_id, name, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(f"p{i:05}", f"c{i:05}", f"张伟 {i}", stamp, stamp) for i in range(customers)],
        )
        raw.executemany(
            "INSERT INTO outbox (entity, row_id, op, changes, base, made_at)"
            " VALUES ('customers', ?, 'update', ?, '{}', ?)",
            [(f"c{i:05}", f'{{"name": "new {i}"}}', stamp) for i in range(0, customers, 7)],
        )
        raw.execute("INSERT INTO local_settings (key, value) VALUES ('sync_pushed_through', '41')")
    return dump(directory / STORE_FILE)


def dump(path: Path) -> list[str]:
    """Every statement that would rebuild the database: its schema and all of its rows."""
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return list(raw.iterdump())


def revision_in(path: Path) -> str:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def only_backup(directory: Path) -> Path:
    files = list((directory / BACKUP_DIR).iterdir())
    assert len(files) == 1 and files[0].suffix == ".sqlite3", files
    return files[0]


def assert_left_as_it_was(directory: Path, before: list[str], scratch: Path) -> None:
    """The store and its backup both hold exactly the old data at the old revision, and
    either opens as a store and upgrades normally."""
    assert dump(directory / STORE_FILE) == before
    assert revision_in(directory / STORE_FILE) == FIRST
    backup = only_backup(directory)
    assert dump(backup) == before
    assert revision_in(backup) == FIRST

    restored = scratch / "restored"
    restored.mkdir()
    shutil.copyfile(backup, restored / STORE_FILE)
    for folder in (directory, restored):
        reopened = Store.open(folder)
        try:
            assert reopened.revision() == HEAD
            with closing(sqlite3.connect(reopened.path)) as raw:
                names = raw.execute("SELECT count(*), min(name) FROM customers").fetchone()
                assert names == (300, "深圳市华强电子 0")
        finally:
            reopened.close()


@contextmanager
def statements_run(engine) -> Iterator[list[str]]:
    """Every statement the engine runs inside this block."""
    run: list[str] = []

    def seen(_connection, _cursor, statement, *_args) -> None:
        run.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield run
    finally:
        event.remove(engine, "before_cursor_execute", seen)


FAILING_REVISION = '''"""throwaway: changes the schema and the data, then fails"""

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("halfway", sa.Integer()))
    op.create_table("halfway", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("UPDATE customers SET name = 'overwritten', halfway = 1")
    op.execute("DELETE FROM contacts")
    op.drop_index("ix_customers_live_phone", table_name="customers")
    with op.batch_alter_table("local_settings", recreate="always"):
        pass
    raise RuntimeError("broken after every statement above ran")


def downgrade() -> None:
    pass
'''


@pytest.fixture
def failing_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This program's migrations plus a last one that breaks after DDL and data changes."""
    copy = tmp_path / "migrations"
    shutil.copytree(store.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "9999_breaks.py").write_text(FAILING_REVISION.format(head=HEAD))
    monkeypatch.setattr(store, "MIGRATIONS", copy)


def test_an_upgrade_that_fails_halfway_leaves_the_store_and_backup_as_they_were(
    tmp_path: Path,
    failing_migrations: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    directory = tmp_path / "profile"
    before = old_store(directory)
    opened = Store(directory)
    try:
        with (
            statements_run(opened.engine) as run,
            caplog.at_level(logging.ERROR),
            pytest.raises(StoreError) as raised,
        ):
            opened.migrate()
    finally:
        opened.close()
    # Every revision up to the broken one ran, DDL included, before it failed.
    assert any(s.startswith("ALTER") and "search_key" in s for s in run)
    assert any(s.startswith("CREATE") and "halfway" in s for s in run)
    assert isinstance(raised.value.__cause__, RuntimeError)
    # One plain sentence: what happened, that nothing changed, where the copy is.
    sentence = str(raised.value)
    assert raised.value.message == store.UPGRADE_FAILED
    assert str(only_backup(directory)) in sentence
    assert "\n" not in sentence and "Traceback" not in sentence and "RuntimeError" not in sentence

    monkeypatch.undo()  # this program's own migrations again
    assert_left_as_it_was(directory, before, tmp_path)
    # The details are a bug's: logged with the traceback for whoever looks into it.
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert logged, "the failed upgrade's traceback goes to the log"


def test_an_upgrade_that_keeps_failing_keeps_one_copy_not_one_per_attempt(
    tmp_path: Path, failing_migrations: None
) -> None:
    """Each start (and each command) tries again; the copies made before it do not pile up."""
    directory = tmp_path / "profile"
    old_store(directory)
    for _attempt in range(3):
        opened = Store(directory)
        try:
            with pytest.raises(StoreError):
                opened.migrate()
        finally:
            opened.close()
    copies = list((directory / "backups").glob("crm-*-before-9999.sqlite3"))
    assert len(copies) == 1
    assert copies[0] == only_backup(directory)


def test_a_disk_that_fills_up_halfway_through_an_upgrade_changes_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "profile"
    before = old_store(directory)
    with closing(sqlite3.connect(directory / STORE_FILE)) as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]
    opened = Store(directory)

    def small_disk(dbapi_connection, _record) -> None:
        # Room for the first revisions' new tables, not for all the upgrade writes: SQLite
        # answers SQLITE_FULL part-way, as on a full disk.
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 40}")

    event.listen(opened.engine, "connect", small_disk)
    try:
        with statements_run(opened.engine) as run, pytest.raises(StoreError) as raised:
            opened.migrate()
    finally:
        opened.close()
    ddl = [s for s in run if s.split()[0].upper() in ("CREATE", "ALTER", "DROP")]
    assert ddl, "the disk filled up after the upgrade had changed the schema"
    assert raised.value.message == errors.DISK_FULL
    assert errors.sqlite_code(raised.value.__cause__) == sqlite3.SQLITE_FULL
    assert_left_as_it_was(directory, before, tmp_path)


KILLED_UPGRADE = """
import sys
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Connection

from crm_desktop.storage.store import Store

directory, marker = Path(sys.argv[1]), Path(sys.argv[2])
real = Connection.exec_driver_sql


def stall_in_the_last_revision(self, statement, *args, **kwargs):
    if statement.startswith("CREATE INDEX ix_customers_search_key"):
        marker.write_text("stalled")  # the revisions before, and half of this one, have run
        time.sleep(600)  # until killed
    return real(self, statement, *args, **kwargs)


Connection.exec_driver_sql = stall_in_the_last_revision
opened = Store(directory)
# A small page cache: the upgrade's uncommitted pages spill into the WAL file on disk.
event.listen(opened.engine, "connect", lambda c, _r: c.execute("PRAGMA cache_size = 10"))
opened.migrate()
"""


def test_a_process_killed_halfway_through_an_upgrade_leaves_the_store_whole(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "profile"
    before = old_store(directory)
    marker = tmp_path / "stalled"
    script = tmp_path / "upgrade.py"
    script.write_text(KILLED_UPGRADE)
    process = subprocess.Popen(
        [sys.executable, str(script), str(directory), str(marker)],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        },
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, "the upgrade ended before it was killed"
            assert time.monotonic() < deadline, "the upgrade never reached its last revision"
            time.sleep(0.05)
        wal = directory / (STORE_FILE + "-wal")
        assert wal.stat().st_size > 0, "the half-done upgrade had written to disk"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert_left_as_it_was(directory, before, tmp_path)


class BackupFillsTheDisk(sqlite3.Connection):
    """A store connection whose backup stops part-way with SQLite's "disk full"."""

    def backup(self, target: sqlite3.Connection, **_kwargs: object) -> None:
        super().backup(target, pages=1, progress=self.give_up)

    @staticmethod
    def give_up(_status: int, remaining: int, _total: int) -> None:
        if remaining:
            full = sqlite3.OperationalError("database or disk is full")
            full.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise full


def test_a_backup_the_disk_cannot_hold_leaves_no_backup_and_no_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "profile"
    before = old_store(directory)
    real_connect = sqlite3.connect

    def connect(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if Path(str(path)) == directory / STORE_FILE:
            return real_connect(path, *args, factory=BackupFillsTheDisk, **kwargs)
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(store.sqlite3, "connect", connect)
    with pytest.raises(StoreError) as raised:
        Store.open(directory)
    monkeypatch.undo()
    assert raised.value.message == errors.DISK_FULL
    # No half-written copy that looks like a backup is left behind, and nothing was upgraded.
    assert list((directory / BACKUP_DIR).iterdir()) == []
    assert dump(directory / STORE_FILE) == before


def test_nothing_is_written_between_the_backup_and_the_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backup is taken under the upgrade's write lock: another program's write waits
    instead of landing in the upgraded store but not in the copy of it."""
    directory = tmp_path / "profile"
    old_store(directory)
    real_backup = Store.backup
    attempts: list[str] = []

    def backup_then_write(self: Store, label: str) -> Path:
        made = real_backup(self, label)
        with closing(sqlite3.connect(self.path, timeout=0, isolation_level=None)) as other:
            try:
                other.execute("INSERT INTO local_settings (key, value) VALUES ('late', 'x')")
                attempts.append("written")
            except sqlite3.OperationalError as error:
                attempts.append("busy" if errors.sqlite_code(error) == sqlite3.SQLITE_BUSY else "?")
        return made

    monkeypatch.setattr(Store, "backup", backup_then_write)
    Store.open(directory).close()
    assert attempts == ["busy"]
