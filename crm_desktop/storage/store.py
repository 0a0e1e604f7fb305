"""Opening a profile's SQLite store: WAL, migrations with a backup first, sessions for readers
and writers."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from types import ModuleType

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from PySide6.QtCore import QT_TRANSLATE_NOOP
from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crm_desktop.models.entities import LocalSetting
from crm_desktop.storage import suspended_indexes
from crm_desktop.storage.errors import NEWER_STORE, StoreError, classify, sqlite_code

STORE_FILE = "crm.sqlite3"
# Page cache per connection, above SQLite's 2 MB default so that the window's sorted and
# searched reads of 100,000 customers keep their index pages at hand. 16 MB reads as fast as
# 64 MB did (bench_window.py, 2026-11-30) now that a first sync writes in key order with its
# indexes suspended; 64 MB made a first sync of 100,000 customers peak at 327 MB, not 278.
CACHE_KIB = 16 * 1024
BACKUP_DIR = "backups"
MIGRATIONS = Path(__file__).with_name("migrations")

UPGRADE_FAILED = QT_TRANSLATE_NOOP(
    "StoreError",
    "The data in {path} could not be updated for this version and was left as it was;"
    " a copy made before the update is in {backup}.",
)

log = logging.getLogger(__name__)
# The traceback of a failed upgrade goes wherever the application logs (its log file); with no
# logging set up (a command-line run) it goes nowhere rather than onto the user's terminal.
log.addHandler(logging.NullHandler())


def _alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _known_revision(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is not None
    except CommandError:
        return False  # a revision this program doesn't have: a newer program made the store


def _configure_connection(dbapi_connection: sqlite3.Connection, _record) -> None:
    # pysqlite's own implicit BEGIN is turned off so the "begin" hook below decides the kind.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no committed data
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.close()


def _begin(connection) -> None:
    # Writers take the write lock up front; a deferred BEGIN that upgrades later can hit
    # SQLITE_BUSY in WAL mode instead of waiting on busy_timeout.
    immediate = connection.get_execution_options().get("write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path) -> Engine:
    # Most recently used first: the connection whose page cache is warm serves the next read,
    # instead of each pooled connection filling a cache of its own (CACHE_KIB each).
    engine = create_engine(f"sqlite:///{path}", pool_use_lifo=True)
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def sql_connection(executor: Session | Connection) -> Connection:
    """The SQLAlchemy connection under a session (inside its open transaction), or itself."""
    return executor.connection() if isinstance(executor, Session) else executor


def sqlite_connection(executor: Session | Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a session or connection, inside its open transaction.

    Bulk reads and writes go straight to the driver: for 100,000 rows SQLAlchemy's per-row
    processing costs more than SQLite's own work.
    """
    return sql_connection(executor).connection.driver_connection


def _search_index() -> ModuleType:
    # Imported when used: search_index itself imports this module (sqlite_connection).
    from crm_desktop.storage import search_index

    return search_index


class Cancelled(Exception):
    """Work given up part-way because nobody wants its answer any more (a read, an import's
    check or run the user cancelled): no fault, and nothing of it kept."""


@contextmanager
def cancel_when(
    executor: Session | Connection, stop: Callable[[], bool], every: int = 10_000
) -> Iterator[None]:
    """Abandon the statements run in this block as soon as `stop()` is true, raising Cancelled.

    SQLite asks `stop` every `every` virtual-machine steps (a fraction of a millisecond), so a
    list query for a search the user has already typed past ends at once instead of holding up
    the next one. For reads only: an interrupted write would roll back.
    """
    driver = sqlite_connection(executor)
    driver.set_progress_handler(lambda: int(stop()), every)
    try:
        yield
    except (sqlite3.OperationalError, OperationalError) as error:
        if stop() and sqlite_code(error) == sqlite3.SQLITE_INTERRUPT:
            raise Cancelled from error
        raise
    finally:
        driver.set_progress_handler(None, 0)


class Store:
    """One profile's local database. Thread-safe to share: each thread uses its own sessions."""

    def __init__(self, profile_dir: Path) -> None:
        self.profile_dir = Path(profile_dir)
        self.path = self.profile_dir / STORE_FILE
        self.backup_dir = self.profile_dir / BACKUP_DIR
        self.engine = make_engine(self.path)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(write=True), expire_on_commit=False
        )

    @classmethod
    def open(cls, profile_dir: Path) -> Store:
        """Open (creating or upgrading as needed) the store of a profile folder."""
        profile_dir = Path(profile_dir)
        profile_dir.mkdir(parents=True, exist_ok=True)
        store = cls(profile_dir)
        store._restore_suspended_indexes()
        store.migrate()
        return store

    def close(self) -> None:
        self.engine.dispose()

    def _restore_suspended_indexes(self) -> None:
        """Indexes a bulk load took off and did not live to put back (a first sync killed
        half-way) are built again before anything reads the store or upgrades its schema."""
        with self.engine.connect() as connection:
            if not suspended_indexes.any_suspended(sqlite_connection(connection)):
                return
        with self.engine.execution_options(write=True).begin() as connection:
            suspended_indexes.restore_indexes(sqlite_connection(connection))

    # -- sessions ----------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back whole if it raises."""
        with self._writer() as session, session.begin():
            yield session

    # -- schema ------------------------------------------------------------------------------

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def head(self) -> str:
        head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
        assert head is not None
        return head

    def needs_upgrade(self) -> bool:
        """Whether this store holds data from another version (the migration may be long): an
        older schema, or names whose search text and sort keys another version derived."""
        current = self.revision()
        if current is None:
            return False
        if current != self.head():
            return True
        search_index = _search_index()
        with self.engine.connect() as connection:
            return search_index.derived_text_outdated(connection)

    def migrate(self, target: str = "head") -> Path | None:
        """Bring the schema to `target`. Returns the backup taken first, if there was data.

        All of it is one SQLite transaction (DDL included) under the write lock, and the backup
        is taken under that lock too, so it holds exactly what the upgrade started from. If
        any step fails, or the process dies, nothing of the upgrade remains: the store is as it
        was. A failure is raised as a StoreError: a known one (disk full, locked...) with its
        own sentence, any other as a bug whose traceback is logged and whose sentence says that
        the data was left as it was and where the backup is.

        At the head, what the program derives from names (search text, sort keys) is derived
        again in the same transaction if another version derived it (search_index).
        """
        scripts = ScriptDirectory.from_config(_alembic_config(None))
        wanted = scripts.get_current_head() if target == "head" else target
        backup = None
        try:
            with self.engine.execution_options(write=True).begin() as connection:
                current = MigrationContext.configure(connection).get_current_revision()
                if current is not None and not _known_revision(scripts, current):
                    raise StoreError(NEWER_STORE, path=str(self.path))
                at_head = wanted == scripts.get_current_head()
                search_index = _search_index()
                if current == wanted:
                    if at_head and search_index.derived_text_outdated(connection):
                        search_index.refresh_derived_text(connection)
                    return None
                if current is not None:
                    backup = self._backup_once(f"before-{wanted}")
                command.upgrade(_alembic_config(connection), target)
                if at_head and search_index.derived_text_outdated(connection):
                    search_index.refresh_derived_text(connection)
        except StoreError:
            raise
        except Exception as error:
            known = classify(error, str(self.path), str(self.backup_dir))
            if known is not None:
                raise known from error
            if backup is None:
                raise  # a new, empty store that cannot be made: a plain bug
            log.error("upgrading %s failed; it was left as it was", self.path, exc_info=True)
            raise StoreError(UPGRADE_FAILED, path=str(self.path), backup=str(backup)) from error
        return backup

    def _backup_once(self, label: str) -> Path:
        """A backup under `label` that replaces the earlier ones under it: copies of the same
        store before the same upgrade, left by attempts that failed (each left the store as it
        was). The newest holds what they held; one more full copy at every start or command
        while the upgrade keeps failing would fill the disk. Deleted only once the new copy is
        whole."""
        made = self.backup(label)
        for earlier in self.backup_dir.glob(f"crm-*-{label}.sqlite3"):
            if earlier != made:
                earlier.unlink(missing_ok=True)
        return made

    def backup(self, label: str) -> Path:
        """A consistent copy of the store (SQLite's online backup, safe while others read).

        Written under a temporary name and renamed when complete, so a file in the backups
        folder with the usual name is always a whole copy, even after a full disk or a crash.
        """
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.backup_dir / f"crm-{stamp}-{label}.sqlite3"
        partial = target.with_name(target.name + ".part")
        try:
            with (
                closing(sqlite3.connect(self.path)) as source,
                closing(sqlite3.connect(partial)) as destination,
            ):
                source.backup(destination)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return target

    # -- local settings ----------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.read() as session:
            value = session.scalar(select(LocalSetting.value).where(LocalSetting.key == key))
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as session:
            session.merge(LocalSetting(key=key, value=value))
