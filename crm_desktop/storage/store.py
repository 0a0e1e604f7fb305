"""Opening a profile's SQLite store: WAL, migrations with a backup first, sessions for readers
and writers."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crm_desktop.models.entities import LocalSetting
from crm_desktop.storage.errors import NEWER_STORE, StoreError, sqlite_code

STORE_FILE = "crm.sqlite3"
BACKUP_DIR = "backups"
MIGRATIONS = Path(__file__).with_name("migrations")


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
    cursor.close()


def _begin(connection) -> None:
    # Writers take the write lock up front; a deferred BEGIN that upgrades later can hit
    # SQLITE_BUSY in WAL mode instead of waiting on busy_timeout.
    immediate = connection.get_execution_options().get("write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
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


class Cancelled(Exception):
    """A read given up part-way because nobody wants its answer any more."""


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
        store.migrate()
        return store

    def close(self) -> None:
        self.engine.dispose()

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
        """Whether this store holds data from another version (the migration may be long)."""
        current = self.revision()
        return current is not None and current != self.head()

    def migrate(self, target: str = "head") -> Path | None:
        """Bring the schema to `target`. Returns the backup taken first, if there was data."""
        current = self.revision()
        scripts = ScriptDirectory.from_config(_alembic_config(None))
        if current is not None and not _known_revision(scripts, current):
            raise StoreError(NEWER_STORE, path=str(self.path))
        wanted = scripts.get_current_head() if target == "head" else target
        if current == wanted:
            return None
        backup = self.backup(f"before-{wanted}") if current is not None else None
        with self.engine.execution_options(write=True).begin() as connection:
            command.upgrade(_alembic_config(connection), target)
        return backup

    def backup(self, label: str) -> Path:
        """A consistent copy of the store (SQLite's online backup, safe while others read)."""
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.backup_dir / f"crm-{stamp}-{label}.sqlite3"
        source = sqlite3.connect(self.path)
        try:
            destination = sqlite3.connect(target)
            with destination:
                source.backup(destination)
            destination.close()
        finally:
            source.close()
        return target

    # -- local settings ----------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.read() as session:
            value = session.scalar(select(LocalSetting.value).where(LocalSetting.key == key))
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as session:
            session.merge(LocalSetting(key=key, value=value))
