"""Storage failures sorted by SQLite's result codes, never by the words of the message."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from crm_desktop.storage import errors
from crm_desktop.storage.store import STORE_FILE, Store, make_engine


def raised_by(work) -> BaseException:
    with pytest.raises((sqlite3.Error, DBAPIError)) as raised:
        work()
    return raised.value


def sentence(error: BaseException, path: Path) -> str | None:
    known = errors.classify(error, str(path), str(path.parent / "backups"))
    return None if known is None else known.message


def test_a_damaged_file_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    path.write_bytes(b"not a database at all " * 500)
    engine = make_engine(path)
    try:
        error = raised_by(lambda: engine.connect())
    finally:
        engine.dispose()
    assert isinstance(error, DBAPIError)  # wrapped by SQLAlchemy: the code is on .orig
    assert sentence(error, path) == errors.CORRUPT


def test_a_store_held_by_another_program_is_locked(profile_dir: Path) -> None:
    holder = sqlite3.connect(profile_dir / STORE_FILE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    store = Store(profile_dir)
    try:
        with store.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout=50")
            error = raised_by(lambda: connection.exec_driver_sql("BEGIN IMMEDIATE"))
    finally:
        store.close()
        holder.rollback()
        holder.close()
    assert sentence(error, profile_dir / STORE_FILE) == errors.LOCKED


def test_a_full_disk_is_said_plainly(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    connection = sqlite3.connect(path)
    try:
        connection.execute("CREATE TABLE t (x BLOB)")
        page_count = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={page_count + 2}")  # a disk about to fill
        error = raised_by(lambda: connection.execute("INSERT INTO t VALUES (zeroblob(1000000))"))
    finally:
        connection.close()
    assert sentence(error, path) == errors.DISK_FULL


def test_a_file_that_cannot_be_written_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    sqlite3.connect(path).close()
    # Opened read-only as SQLite would on a read-only folder (chmod does not stop root).
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        error = raised_by(lambda: connection.execute("CREATE TABLE t (x)"))
    finally:
        connection.close()
    assert sentence(error, path) == errors.READ_ONLY


def test_the_code_decides_not_the_words(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    chinese = sqlite3.OperationalError("数据库或磁盘已满")
    chinese.sqlite_errorcode = sqlite3.SQLITE_FULL
    assert sentence(chinese, path) == errors.DISK_FULL
    extended = sqlite3.OperationalError("数据库被锁定")
    extended.sqlite_errorcode = sqlite3.SQLITE_BUSY | (2 << 8)  # SQLITE_BUSY_SNAPSHOT
    assert sentence(extended, path) == errors.LOCKED
    # English words without a code are not a known failure: a bug, to be logged.
    assert sentence(sqlite3.OperationalError("database is locked"), path) is None
    assert sentence(ValueError("disk is full"), path) is None


def test_a_cancelled_read_is_told_by_its_code(profile_dir: Path) -> None:
    from crm_desktop.storage.store import Cancelled, cancel_when

    store = Store(profile_dir)
    try:
        with (
            store.read() as session,
            pytest.raises(Cancelled),
            cancel_when(session, lambda: True, every=1),
        ):
            session.execute(
                text(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                    "SELECT count(*) FROM n"
                )
            )
    finally:
        store.close()


def test_a_profile_folder_the_system_refuses_is_said_with_the_reason() -> None:
    """A read-only share, someone else's folder: the user's to see to, said with what and why.
    Only the profile's own folder, something in it or a folder above it: a file missing
    elsewhere (a font, a template) stays a bug, and a storage job's errors are not sorted so."""
    import errno

    profile = Path("/mnt/share/crm")
    refused = OSError(errno.EROFS, "Read-only file system", "/mnt/share/crm/backups")
    said = errors.profile_folder_problem(refused, profile)
    assert said is not None
    assert (
        said.text() == "/mnt/share/crm/backups could not be used: the disk or folder is read-only."
    )
    above = OSError(errno.EEXIST, "File exists", "/mnt/share")
    assert errors.profile_folder_problem(above, profile) is not None
    elsewhere = FileNotFoundError(errno.ENOENT, "No such file", "/usr/share/fonts/x.ttf")
    assert errors.profile_folder_problem(elsewhere, profile) is None
    assert errors.profile_folder_problem(OSError(errno.EROFS, "Read-only"), profile) is None
    assert errors.classify(refused, "/mnt/share/crm/crm.sqlite3") is None
