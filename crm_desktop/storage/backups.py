"""Backups a user can restore, and a damaged store recovered.

Every backup is a whole, checked copy: written under a `.part` name with SQLite's online backup,
checked with `PRAGMA integrity_check`, and only then given its name in the profile's `backups/`
folder (`crm-YYYYMMDD-HHMMSS-ffffff-LABEL.sqlite3`, local time). A copy that fails the check is
deleted and the failure raised, never kept as if it were good.

Kinds, by label: `daily` (made on quit, at most once a day), `manual` (Back up now, the
`backup` command), `before-<revision>` (Store.migrate, before an update), `before-restore`
(the store a restore replaced) and `damaged` (a store found damaged at start, moved aside).
Retention (`prune`): each kind on its own, the newest backup of each of the last 7 days and the
newest of each of the 4 weeks before, and always the newest of the kind; of the copies from
before a restore, every one of the last 7 days (each is the only copy of what it replaced).
A kind of its own means a week of daily backups never pushes out the only copy from before an
update or a restore, yet those too age out once the step is weeks behind. Damaged stores are
never deleted by the program: they may hold the only copy of what could not be read.

Restore (`restore`) builds the new store beside the old one (a folder of its own per run,
`restoring-*`), then swaps it in with one os.replace, after the old store's write-ahead log was
folded into it: a process killed at any point leaves either the old store or the new one whole.
A restore or recovery holds `restore.lock` in the profile (QLockFile: a lock whose process died
is taken over); a second one at the same time is refused with a plain sentence. The store a
restore replaces is kept aside as a checked `before-restore` copy; when that copy fails its
check (damage the quick check misses, in an index say), as a byte copy labelled `damaged`, and
the restore goes on. What the restore carries over:

- settings (server link, device id, language...) from the current store: they describe the
  device, not the data. Device settings only the copy holds (the link of the machine it was
  made on) are dropped; settings describing the file's schema (indexes taken off for a load,
  the search texts' version) are never carried, the new store keeps its own. The pull cursor
  is dropped, so the next sync is a full one and brings everything the server has changed
  since the copy was made;
- for a profile linked to a server, the outbox: the restored store's outbox becomes the
  current one (same seqs). Entries the copy holds that are no longer waiting were pushed since
  (or handed over on purpose) and are left out, so nothing is sent twice; entries waiting now
  keep the number their push receipt on the server is filed under, so one whose
  acknowledgement was lost is answered from its receipt instead of applied again. The records
  those entries change get their current values (with any parent they need), so the user sees
  his waiting changes at once, and unresolved conflicts are kept. A profile working on this
  computer only keeps the copy's own outbox: there, every change ever made waits in it, and
  carrying it over would carry the whole current store over the copy the user asked for.

Recovery (`recover`): a store that fails `PRAGMA quick_check` at start is copied aside as
`damaged`; the new store is the newest good backup (else a fresh one), and whatever of the
damaged store can be read, row by row where a page is unreadable, is carried over as in a
restore, the outbox merged with the backup's. The backup's entries numbered at or below the
damaged store's highest pushed seq were pushed since the backup and are dropped: kept, push
would renumber them as never sent and the server would apply them again. When that mark cannot
be read (the settings page lost), the backup's entries keep their numbers and the backup's own,
lower mark: sent again, each already pushed is answered from its push receipt. (New changes
are numbered above both stores' counters where they can be read; were neither, a new change
could reuse a number pushed from the damaged store.) A linked profile is then filled from the
server by a full sync.

The check at start (`check_due`): the whole file is read (quick check) only when the last
session did not end cleanly (`note_started` / `note_closed_cleanly`, in `check-state.json`),
when the last check is CHECK_EVERY_DAYS (7) days old, or when the file's header or schema
cannot be read; the full integrity check (indexes too, repaired by REINDEX when only they are
damaged) when a daily backup failed its check. A daily backup whose copy fails its check tries
REINDEX and copies again; failing still, it asks the next start for the full check.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLockFile

from crm_desktop.models.entities import ENTITIES, IN_CUSTOMER_SEARCH
from crm_desktop.storage import search_index
from crm_desktop.storage.errors import LOCKED, NEWER_STORE, StoreError, plain_reason, sqlite_code
from crm_desktop.storage.store import BACKUP_DIR, STORE_FILE, Store, make_engine, sqlite_connection
from crm_desktop.storage.suspended_indexes import SUSPENDED_KEY
from crm_desktop.storage.values import absent_ids, in_lists, put_settings

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

DAILY, MANUAL, BEFORE_UPDATE, BEFORE_RESTORE, DAMAGED = (
    "daily",
    "manual",
    "before_update",
    "before_restore",
    "damaged",
)
_LABELS = {DAILY: "daily", MANUAL: "manual", BEFORE_RESTORE: "before-restore", DAMAGED: "damaged"}
_NAME = re.compile(r"^crm-(\d{8}-\d{6}-\d{6})-(.+)\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S-%f"
DAYS_KEPT, WEEKS_KEPT = 7, 4
STAGING_DIR = "restoring"  # the new store is built here, beside the one it replaces
PENDING_FILE = "restore-pending"  # a restore chosen in the window, done with the store closed
_STATE_LOCK = threading.Lock()
CHECK_STATE_FILE = "check-state.json"  # when the store was last checked, and how it closed
CHECK_EVERY_DAYS = 7  # the check at start runs at least this often, even after clean closes
LOCK_FILE = "restore.lock"  # held by the process restoring or recovering the profile
# Pages SQLite may cache while checking a copy: a bigger cache checks a 1 GB store in 12 s
# instead of 16 s.
_CHECK_CACHE_KIB = 256 * 1024
_RANGE = 1000  # rowids read at a time from a damaged store; a failing range is halved

# Settings the layers above own (storage sits below them; tests/storage/test_backups.py holds
# these equal to the originals): the pull cursor and epoch (sync/pull.py), the server link
# (sync/link.py), the highest pushed seq (sync/push.py), the profile's user (profile.py).
CURSOR_KEYS = ("sync_cursor", "sync_epoch")
SERVER_KEY = "sync_server"
PUSHED_THROUGH_KEY = "sync_pushed_through"
USER_KEY = "current_user_id"
# Settings that describe the copy's data rather than the device: the copy keeps its own (on a
# profile working on this computer only: its records are that user's). A profile linked to a
# server keeps the device's user, whose the server says its data is: a copy made by a
# colleague's CRM Desktop must not make new records his until the next sync.
_DATA_KEYS = {USER_KEY}
# Settings that describe the file's schema (indexes taken off for a load, the version that
# derived the search texts): true of the file they are in only, never carried to another.
# Carried, Store.open would put back indexes the new store already has, and fail.
_SCHEMA_KEYS = {SUSPENDED_KEY, search_index.VERSION_KEY}

NO_STORE = QT_TRANSLATE_NOOP("StoreError", "There is no data to back up in {path}.")
NO_FILE = QT_TRANSLATE_NOOP("StoreError", "There is no file {path}.")
A_FOLDER = QT_TRANSLATE_NOOP(
    "StoreError", "{path} is a folder; choose one of the backup files in it (crm-….sqlite3)."
)
NOT_A_STORE = QT_TRANSLATE_NOOP("StoreError", "{path} is not a CRM Desktop data file.")
CANNOT_WRITE_COPY = QT_TRANSLATE_NOOP(
    "StoreError", "The copy cannot be written to {path} ({reason}); choose another place."
)
COPY_DAMAGED = QT_TRANSLATE_NOOP(
    "StoreError", "The copy {path} is damaged and cannot be used; choose another backup."
)
BACKUP_FAILED = QT_TRANSLATE_NOOP(
    "StoreError",
    "The backup copy failed its check and was deleted; the data file {path} may be damaged.",
)
COPY_FOUND_DAMAGE = QT_TRANSLATE_NOOP(
    "StoreError",
    "The backup copy failed its check: the data file {path} is damaged. Start CRM Desktop"
    " again to repair it (or run: crm-desktop backup --check).",
)
BUSY_RESTORING = QT_TRANSLATE_NOOP(
    "StoreError",
    "Another CRM Desktop is restoring or repairing the data in {path}; try again when it has"
    " finished.",
)
NEWER_COPY = QT_TRANSLATE_NOOP(
    "StoreError",
    "The copy {path} was made by a newer version of this program; please upgrade it first.",
)


@dataclass(frozen=True)
class Backup:
    path: Path
    made_at: datetime  # local time, from the name
    kind: str
    size: int


@dataclass
class RestoreReport:
    restored_from: Path | None  # None: a fresh, empty store (a recovery with no good backup)
    kept_aside: Path | None  # where the store it replaced now is
    unsynced: int = 0  # changes waiting to be sent, in the new store's outbox
    records_kept: int = 0  # records given the values they had in the replaced store
    linked: bool = False  # the profile syncs with a server: its next sync is a full one
    incomplete: bool = False  # some of the replaced store could not be read
    made_at: datetime | None = None  # when the copy restored from was made
    damaged: bool = False  # the replaced store was damaged (a recovery)
    # The copy was made by another user's CRM Desktop: the device's user stays, and the next
    # sync replaces the copy's records with what he may see.
    another_users: bool = False


# -- backups -----------------------------------------------------------------------------------


def store_path(profile_dir: Path) -> Path:
    return Path(profile_dir) / STORE_FILE


def backup_dir(profile_dir: Path) -> Path:
    return Path(profile_dir) / BACKUP_DIR


def kind_of(label: str) -> str | None:
    for kind, known in _LABELS.items():
        if label == known:
            return kind
    return BEFORE_UPDATE if label.startswith("before-") else None


def list_backups(profile_dir: Path) -> list[Backup]:
    """The profile's backups, newest first (files not named by this program are left out)."""
    found = []
    folder = backup_dir(profile_dir)
    if not folder.is_dir():
        return []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        kind = kind_of(match.group(2)) if match else None
        if match is None or kind is None:
            continue
        try:
            made_at = datetime.strptime(match.group(1), _STAMP)
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(path, made_at, kind, size))
    return sorted(found, key=lambda backup: backup.made_at, reverse=True)


def new_backup_path(profile_dir: Path, kind: str, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime(_STAMP)
    return backup_dir(profile_dir) / f"crm-{stamp}-{_LABELS[kind]}.sqlite3"


def back_up(
    profile_dir: Path,
    kind: str = MANUAL,
    out: Path | None = None,
    now: datetime | None = None,
    repair: bool = False,
) -> Path:
    """A checked copy of the profile's store, in its backups folder (or at `out`).

    A copy that fails its check means the store itself is damaged where the quick check at
    start does not look: COPY_FOUND_DAMAGE, which tells the user how to repair it, and the
    next start runs the full check and repairs the store. With `repair` (only where no window
    has the store open: REINDEX writes the whole file and would hold up its saves), damage in
    indexes only is repaired at once (`repair_indexes`) and the copy made again."""
    source = store_path(profile_dir)
    if not source.exists():
        raise StoreError(NO_STORE, path=str(profile_dir))
    target = new_backup_path(profile_dir, kind, now)
    if out is not None:
        # A folder given for the copy gets it under the name the backups folder would.
        target = Path(out) / target.name if Path(out).is_dir() else Path(out)
        _check_writable(target)
    made = _sound_copy(source, target)
    if made is None and repair and repair_indexes(profile_dir):
        made = _sound_copy(source, target)
    if made is None:
        request_full_check(profile_dir)
        raise StoreError(COPY_FOUND_DAMAGE, path=str(source))
    return made


def _partial(target: Path) -> Path:
    """Where a copy is written before it is whole and renamed to `target`."""
    return target.with_name(target.name + ".part")


def _check_writable(target: Path) -> None:
    """A place the user gave for a copy, tried before the copy is made: a sentence naming
    it, not one about the data file, when it cannot be written (a read-only share, a folder
    the user may not write in)."""
    partial = _partial(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.touch()
        partial.unlink()
    except OSError as error:
        raise StoreError(CANNOT_WRITE_COPY, path=str(target), reason=plain_reason(error)) from None


def _sound_copy(source: Path, target: Path) -> Path | None:
    """checked_copy, or None when the copy failed its check (and was deleted)."""
    try:
        return checked_copy(source, target)
    except StoreError as error:
        if error.message != BACKUP_FAILED:
            raise
    return None


def checked_copy(source: Path, target: Path) -> Path:
    """Copy a store with SQLite's online backup (safe while others use it) to `target`.

    The copy is written under a `.part` name, checked with `PRAGMA integrity_check`, made a
    self-contained file (no write-ahead log beside it) and only then renamed: a file with the
    usual name is always whole and checked, even after a full disk or a crash.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(target)
    try:
        with (
            closing(sqlite3.connect(source)) as reader,
            closing(sqlite3.connect(partial, isolation_level=None)) as copy,
        ):
            reader.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            problems = integrity_problems(copy)
        if problems:
            log.error("the backup of %s failed its check: %s", source, "; ".join(problems[:5]))
            raise StoreError(BACKUP_FAILED, path=str(source))
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def integrity_problems(connection: sqlite3.Connection, quick: bool = False) -> list[str]:
    """What `PRAGMA integrity_check` (or the faster quick_check) finds; [] for a sound file."""
    connection.execute(f"PRAGMA cache_size=-{_CHECK_CACHE_KIB}")
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = connection.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as error:
        if sqlite_code(error) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return [str(error)]
        raise
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


def backup_on_quit(profile_dir: Path, now: datetime | None = None) -> Path | None:
    """The daily backup, when the window has closed (`back_up`, repairing what it can): made
    unless one was made today, then old ones pruned."""
    now = now or datetime.now()
    if not daily_due(profile_dir, now):
        return None
    made = back_up(profile_dir, DAILY, now=now, repair=True)
    prune(profile_dir, now)
    return made


def daily_due(profile_dir: Path, now: datetime | None = None) -> bool:
    """Whether quitting now makes the daily backup (none made today yet)."""
    now = now or datetime.now()
    if not store_path(profile_dir).exists():
        return False
    today = [b for b in list_backups(profile_dir) if b.kind == DAILY]
    return not any(b.made_at.date() == now.date() for b in today)


def check(profile_dir: Path, full: bool = False) -> bool:
    """The check at start: whether the store is damaged. `full`: the integrity check, and
    damage in indexes only repaired at once (REINDEX) rather than called damage."""
    if not is_damaged(profile_dir, full=full):
        return False
    return not (full and repair_indexes(profile_dir))


def repair_indexes(profile_dir: Path) -> bool:
    """Rebuild every index from its table (REINDEX, and the search index when its own check
    fails), then run the full integrity check: True when the store is sound now. Damage in
    indexes only is repaired so, losing nothing; damage in tables is not (recovery is the
    repair for that)."""
    path = store_path(profile_dir)
    try:
        with closing(sqlite3.connect(path, isolation_level=None, timeout=5)) as connection:
            connection.execute("REINDEX")
            for table in damaged_search_tables(connection):
                # From the text FTS5 keeps beside its index (the customers' search texts).
                connection.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
            sound = not integrity_problems(connection) and not damaged_search_tables(connection)
    except sqlite3.DatabaseError as error:
        if sqlite_code(error) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return False
        raise
    log.warning(
        "the indexes of %s were rebuilt: %s", path, "sound now" if sound else "still damaged"
    )
    return sound


def to_prune(backups: Iterable[Backup], now: datetime) -> list[Backup]:
    """The backups retention lets go: per kind, the newest of each of the last DAYS_KEPT days
    and of each of the WEEKS_KEPT calendar weeks before them stay, and the kind's newest
    always. Weeks are the calendar's, not counted back from today: a week's copy then stays
    the same from one day to the next and grows old, rather than being replaced daily by a
    newer one. Damaged stores, and copies dated after today (made while the clock was wrong),
    stay until the user deletes them: they would otherwise count as today's newest and push
    each real copy of today out. Copies from before a restore made in the last DAYS_KEPT days
    all stay: each is the only copy of the store its restore replaced."""
    today = now.date()
    by_kind: dict[str, list[Backup]] = {}
    for backup in sorted(backups, key=lambda b: b.made_at, reverse=True):
        if backup.made_at.date() <= today:
            by_kind.setdefault(backup.kind, []).append(backup)
    doomed = []
    for kind, newest_first in by_kind.items():
        if kind == DAMAGED:
            continue
        kept_buckets: set[tuple[str, int]] = set()
        for position, backup in enumerate(newest_first):
            bucket = _bucket(today, backup.made_at.date())
            if kind == BEFORE_RESTORE and bucket is not None and bucket[0] == "day":
                # Each is the only copy of what its restore replaced: two restores in a day
                # (the wrong copy, then the right one) keep both for the days kept.
                continue
            if position == 0 or (bucket is not None and bucket not in kept_buckets):
                if bucket is not None:
                    kept_buckets.add(bucket)
                continue
            doomed.append(backup)
    return doomed


def _bucket(today: date, day: date) -> tuple[str, int] | None:
    age = (today - day).days
    if age < DAYS_KEPT:
        return ("day", age)
    # Calendar weeks (Monday to Sunday); the first kept is the one the daily copies end in.
    week = _week(day)
    return ("week", week) if _week(today - timedelta(days=DAYS_KEPT)) - week < WEEKS_KEPT else None


def _week(day: date) -> int:
    return (day.toordinal() - 1) // 7  # ordinal 1, 1 January of year 1, was a Monday


def prune(profile_dir: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups retention lets go, and copies a crash left half-written."""
    now = now or datetime.now()
    removed = []
    for backup in to_prune(list_backups(profile_dir), now):
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    folder = backup_dir(profile_dir)
    for half_written in folder.glob("*.part") if folder.is_dir() else ():
        # Another process may be writing this one now: only a day-old one is surely dead.
        if now.timestamp() - half_written.stat().st_mtime > 86400:
            half_written.unlink(missing_ok=True)
    return removed


# -- checking a copy ---------------------------------------------------------------------------


_REQUIRED_TABLES = {"alembic_version", "local_settings", "outbox", "customers"}


def check_copy(path: Path) -> None:
    """Raise a StoreError saying why `path` cannot be restored: missing, not a CRM store,
    damaged. (A copy from a newer version is found when it is opened: Store.migrate.)"""
    path = Path(path)
    if path.is_dir():
        raise StoreError(A_FOLDER, path=str(path))
    if not path.is_file():
        raise StoreError(NO_FILE, path=str(path))
    try:
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA query_only = ON")
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables >= _REQUIRED_TABLES:
                raise StoreError(NOT_A_STORE, path=str(path))
            if integrity_problems(connection):
                raise StoreError(COPY_DAMAGED, path=str(path))
    except sqlite3.DatabaseError as error:
        if sqlite_code(error) == sqlite3.SQLITE_NOTADB:
            raise StoreError(NOT_A_STORE, path=str(path)) from None
        if sqlite_code(error) == sqlite3.SQLITE_CORRUPT:
            raise StoreError(COPY_DAMAGED, path=str(path)) from None
        raise


# -- reading a store that may be damaged -------------------------------------------------------


class _Source:
    """The store being replaced, read as far as it can be: an unreadable page costs the rows
    on it, not the rest of the table."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, timeout=5)
        self.connection.execute("PRAGMA query_only = ON")
        self.incomplete = False

    def close(self) -> None:
        self.connection.close()

    def columns(self, table: str) -> list[str]:
        try:
            return [row[1] for row in self.connection.execute(f"PRAGMA table_info({table})")]
        except sqlite3.DatabaseError:
            self.incomplete = True
            return []

    def all_rows(self, table: str, columns: list[str]) -> list[tuple]:
        names = ", ".join(columns)
        try:
            return self.connection.execute(f"SELECT {names} FROM {table} ORDER BY rowid").fetchall()
        except sqlite3.DatabaseError:
            self.incomplete = True
        bounds = self._bounds(table)
        if bounds is None:
            return []
        rows: list[tuple] = []
        for start in range(bounds[0], bounds[1] + 1, _RANGE):
            rows += self._range(table, names, start, min(start + _RANGE - 1, bounds[1]))
        return rows

    def _bounds(self, table: str) -> tuple[int, int] | None:
        """The lowest and highest rowid to try; None when even those cannot be read."""
        low = self.scalar(f"SELECT min(rowid) FROM {table}")
        high = self.scalar(f"SELECT max(rowid) FROM {table}")
        if high is None:  # an AUTOINCREMENT table's highest number is kept in another table
            high = self.scalar("SELECT seq FROM sqlite_sequence WHERE name = ?", table)
        if high is None:
            return None
        return (low if low is not None else 1), high

    def scalar(self, query: str, *parameters: object) -> Any:
        with suppress(sqlite3.DatabaseError):
            found = self.connection.execute(query, parameters).fetchone()
            return found[0] if found else None
        return None

    def _range(self, table: str, names: str, low: int, high: int) -> list[tuple]:
        try:
            return self.connection.execute(
                f"SELECT {names} FROM {table} WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                (low, high),
            ).fetchall()
        except sqlite3.DatabaseError:
            if low == high:
                return []
            middle = (low + high) // 2
            return self._range(table, names, low, middle) + self._range(
                table, names, middle + 1, high
            )

    def rows_by_id(self, table: str, columns: list[str], ids: list[str]) -> list[tuple]:
        names = ", ".join(columns)
        rows: list[tuple] = []
        for part, marks in in_lists(ids):
            query = f"SELECT {names} FROM {table} WHERE id IN ({marks})"
            try:
                rows += self.connection.execute(query, part).fetchall()
            except sqlite3.DatabaseError:
                self.incomplete = True
                for one in part:
                    with suppress(sqlite3.DatabaseError):
                        rows += self.connection.execute(
                            f"SELECT {names} FROM {table} WHERE id = ?", (one,)
                        ).fetchall()
        return rows


# -- restore -----------------------------------------------------------------------------------


def restore(
    profile_dir: Path, copy: Path, before_swap: Callable[[Path], None] | None = None
) -> RestoreReport:
    """Replace the profile's store with `copy`, the current store kept aside first.

    The store must be closed (the window and the command close it first); another program
    holding it open is found and refused. Raises StoreError when the copy cannot be used.
    `before_swap` runs on the new store's path, the last moment before it takes the old one's
    place.
    """
    copy = Path(copy)
    check_copy(copy)
    return _replace(Path(profile_dir), copy, _made_at(copy), before_swap=before_swap)


def _replace(
    profile_dir: Path,
    copy: Path | None,
    made_at: datetime | None,
    damaged: bool | None = None,
    before_swap: Callable[[Path], None] | None = None,
) -> RestoreReport:
    """Build the new store from `copy` (None: a fresh one) beside the current one, carry the
    current one's state over, keep it aside and swap the new one in."""
    current = store_path(profile_dir)
    if damaged is None:
        damaged = is_damaged(profile_dir)
    report = RestoreReport(copy, None, made_at=made_at, damaged=damaged)
    with _exclusive(profile_dir), _staging(profile_dir) as staging:
        # The new store first: a copy that cannot be used leaves the current one untouched.
        if copy is not None:
            _copy_into(copy, staging)
        _open_to_head(staging, copy)
        # A damaged store is copied byte for byte before anything opens it.
        aside = _keep_damaged(profile_dir, current) if damaged and current.exists() else None
        # From the first read of the store to the swap, nobody else may be using it: what
        # another window or a sync wrote meanwhile would go into the file being replaced.
        with ExitStack() as holding:
            try:
                holding.enter_context(_held(current, damaged))
            except StoreError:
                if aside is not None:  # a copy of a store still in use: not the one to keep
                    for path in (aside, Path(f"{aside}-wal")):
                        path.unlink(missing_ok=True)
                raise
            if current.exists():
                report.kept_aside = aside or _keep_before_restore(profile_dir, current)
                try:
                    source = _Source(current)
                except sqlite3.DatabaseError:
                    report.incomplete = True
                else:
                    try:
                        _merge(staging, source, report, recovering=damaged)
                    finally:
                        source.close()
        if before_swap is not None:
            before_swap(staging)
        _swap_in(staging, current)
    log.info("replaced %s by %s; the store it replaced is %s", current, copy, report.kept_aside)
    return report


def _keep_before_restore(profile_dir: Path, current: Path) -> Path:
    """A checked copy of the store a restore replaces; when that copy fails its check (damage
    the quick check at start does not see, in an index say), a byte copy kept as `damaged`
    instead: the user is replacing that store anyway, and refusing would leave him with it."""
    try:
        return checked_copy(current, new_backup_path(profile_dir, BEFORE_RESTORE))
    except StoreError as error:
        if error.message != BACKUP_FAILED:
            raise
    log.warning("the store %s a restore replaces is damaged: kept as it is", current)
    return _keep_damaged(profile_dir, current)


def _keep_damaged(profile_dir: Path, current: Path) -> Path:
    """A byte copy of a damaged store and its log in the backups folder. Copied, not moved:
    until the new store is in place, the damaged one stays where it was."""
    aside = new_backup_path(profile_dir, DAMAGED)
    aside.parent.mkdir(parents=True, exist_ok=True)
    log_file = Path(f"{current}-wal")
    if log_file.exists():
        shutil.copyfile(log_file, f"{aside}-wal")
    partial = _partial(aside)
    shutil.copyfile(current, partial)
    os.replace(partial, aside)
    return aside


def _made_at(path: Path) -> datetime | None:
    match = _NAME.match(path.name)
    if match:
        try:
            return datetime.strptime(match.group(1), _STAMP)
        except ValueError:
            pass
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None


def restore_in_progress(profile_dir: Path) -> bool:
    """Whether another process is restoring or repairing this profile's store now (it holds
    `restore.lock`): nothing may open the store meanwhile, or what it writes goes into the file
    the restore is about to replace."""
    path = Path(profile_dir) / LOCK_FILE
    if not path.exists():  # the usual case, and a profile not made yet
        return False
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):  # left by a process that died: nobody is restoring
        lock.unlock()
        return False
    # Held by a live process; a folder this user may not write in is for opening to say.
    return lock.error() == QLockFile.LockError.LockFailedError


def check_not_restoring(profile_dir: Path) -> None:
    """StoreError(BUSY_RESTORING) while another process restores or repairs the profile."""
    if restore_in_progress(profile_dir):
        raise StoreError(BUSY_RESTORING, path=str(profile_dir))


@contextmanager
def _exclusive(profile_dir: Path) -> Iterator[None]:
    """Held across a restore or a recovery: a second process (another window, the command)
    replacing the same store at once would swap in a store without the first one's result.
    QLockFile writes the holder's pid and takes over a lock whose process is gone, on every
    platform; a stale time of 0 means a long restore is never taken for a dead one."""
    lock = QLockFile(str(Path(profile_dir) / LOCK_FILE))
    lock.setStaleLockTime(0)
    if not lock.tryLock(0):
        raise StoreError(BUSY_RESTORING, path=str(profile_dir))
    try:
        yield
    finally:
        lock.unlock()


@contextmanager
def _staging(profile_dir: Path) -> Iterator[Path]:
    """A folder of this run's own beside the store for the one being built; gone afterwards,
    whatever happens. Called with the lock held: folders a killed process left are cleared."""
    for left in profile_dir.glob(f"{STAGING_DIR}*"):
        if left.is_dir():
            shutil.rmtree(left, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{STAGING_DIR}-", dir=profile_dir))
    try:
        yield folder / STORE_FILE
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy_into(source: Path, target: Path) -> None:
    with (
        closing(sqlite3.connect(source)) as reader,
        closing(sqlite3.connect(target)) as writer,
    ):
        reader.backup(writer)


def _open_to_head(staging: Path, copy: Path | None) -> None:
    """Bring the copy to this program's schema (a fresh store when `copy` is None)."""
    try:
        Store.open(staging.parent).close()
    except StoreError as error:
        if error.message == NEWER_STORE and copy is not None:
            raise StoreError(NEWER_COPY, path=str(copy)) from None
        raise


@contextmanager
def _held(current: Path, damaged: bool) -> Iterator[None]:
    """Make sure no other connection has the store open (_fold_log), then keep a write lock on
    it until the block ends, just before the swap: another program opening it meanwhile can
    read but neither write nor turn its log on, and says the store is locked. A damaged store
    SQLite cannot read far enough to tell is not held (nothing can be using it well either)."""
    if not current.exists():
        yield
        return
    guard = None
    try:
        _fold_log(current)
        guard = sqlite3.connect(current, isolation_level=None, timeout=2)
        guard.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as error:
        if guard is not None:
            guard.close()
            guard = None
        if sqlite_code(error) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise StoreError(LOCKED) from None
        if not damaged:
            raise
        log.warning("the damaged store %s could not be locked: %s", current, error)
    try:
        yield
    finally:
        if guard is not None:
            guard.rollback()
            guard.close()


def _fold_log(path: Path) -> None:
    """Fold the write-ahead log into the store and leave it in rollback-journal mode (the next
    open turns WAL on again), so the file alone is the whole store and no log of the old store
    lies beside the new one. SQLite changes the mode only when no other connection is open:
    the check that nobody else (another window, a sync) is using the store."""
    with closing(sqlite3.connect(path, isolation_level=None, timeout=2)) as connection:
        try:
            mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError as error:
            if sqlite_code(error) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise StoreError(LOCKED) from None
            raise
        if str(mode).lower() != "delete":
            raise StoreError(LOCKED)


def _swap_in(staging: Path, current: Path) -> None:
    """Make the built store self-contained, then put it in place with one atomic rename."""
    _fold_log(staging)
    for suffix in ("-wal", "-shm"):
        Path(f"{staging}{suffix}").unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):  # folded into the old store by _fold_log, or unreadable
        Path(f"{current}{suffix}").unlink(missing_ok=True)
    _before_replace()
    os.replace(staging, current)


def _before_replace() -> None:
    """Test hook: the last moment before the swap (tests kill the restore here)."""


# -- carrying the current store's state over ---------------------------------------------------


def _merge(staging: Path, source: _Source, report: RestoreReport, recovering: bool) -> None:
    """Carry settings, waiting changes, the records they change and open conflicts from the
    replaced store into the new one, in one transaction."""
    engine = make_engine(staging)
    try:
        with engine.execution_options(write=True).begin() as connection:
            driver = sqlite_connection(connection)
            driver.execute("PRAGMA defer_foreign_keys = ON")
            copy_user = driver.execute(
                "SELECT value FROM local_settings WHERE key = ?", (USER_KEY,)
            ).fetchone()
            settings = _carry_settings(driver, source, whole=not recovering)
            report.linked = bool(settings.get(SERVER_KEY))
            report.another_users = bool(
                report.linked
                and copy_user is not None
                and settings.get(USER_KEY) not in (None, copy_user[0])
            )
            # A profile with no server keeps the copy's own outbox (see the module's words);
            # a recovery takes what it can read either way.
            if report.linked or recovering:
                if recovering and PUSHED_THROUGH_KEY in settings:
                    _drop_pushed(driver, _int(settings[PUSHED_THROUGH_KEY]))
                entries = _carry_outbox(driver, source, replace=not recovering)
                report.records_kept = _carry_records(driver, connection, source, entries)
                _carry_conflicts(driver, source)
            report.unsynced = driver.execute("SELECT count(*) FROM outbox").fetchone()[0]
            for key in CURSOR_KEYS:  # the next sync is a full one
                driver.execute("DELETE FROM local_settings WHERE key = ?", (key,))
            _settle_references(driver)
    finally:
        engine.dispose()
    report.incomplete = source.incomplete


def _carry_settings(driver: Any, source: _Source, whole: bool) -> dict[str, str]:
    """The replaced store's device settings into the new store. `whole` (a restore): the
    device settings only the copy holds go (the server link and device id of the machine the
    copy came from must not be taken over by a profile that had none); a recovery keeps them,
    as the damaged store's settings may be unreadable rather than absent."""
    rows = source.all_rows("local_settings", ["key", "value"])
    current = dict(rows)
    held = dict(driver.execute("SELECT key, value FROM local_settings").fetchall())
    if whole and not source.incomplete:
        theirs = {key for key, _value in rows}
        for key in held.keys() - theirs - _DATA_KEYS - _SCHEMA_KEYS - {PUSHED_THROUGH_KEY}:
            driver.execute("DELETE FROM local_settings WHERE key = ?", (key,))
    linked = bool(current.get(SERVER_KEY))
    for key, value in rows:
        if key in CURSOR_KEYS or key in _SCHEMA_KEYS:
            continue
        if key in _DATA_KEYS and key in held and not linked:
            continue
        if key == PUSHED_THROUGH_KEY:
            value = str(max(_int(value), _int(held.get(key))))
        driver.execute(
            "INSERT INTO local_settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
    return current


def _drop_pushed(driver: Any, through: int) -> None:
    """Take out of the copy's outbox the entries the damaged store had pushed since the copy
    was made (every seq up to its highest pushed one). Kept, they would sit at or below the
    pushed mark raised from the damaged store, and push renumbers such entries as never sent:
    under a new number no receipt answers them, and they would be applied again."""
    driver.execute("DELETE FROM outbox WHERE seq <= ?", (through,))


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def _carry_outbox(driver: Any, source: _Source, replace: bool) -> list[tuple[str, str]]:
    """The replaced store's waiting changes, under their own seqs. `replace`: they become the
    whole outbox (the replaced store's is complete); otherwise they are added to the copy's,
    winning where both hold a seq. Returns the (entity, row id) they change."""
    columns = _shared_columns(driver, source, "outbox")
    if "seq" not in columns:
        return []
    rows = source.all_rows("outbox", columns)
    if replace:
        driver.execute("DELETE FROM outbox")
    names, marks = ", ".join(columns), ", ".join("?" * len(columns))
    driver.executemany(f"INSERT OR REPLACE INTO outbox ({names}) VALUES ({marks})", rows)
    # AUTOINCREMENT: the next change is numbered above every number either store handed out,
    # so no new change is filed under an old one's push receipt.
    highest = max([row[columns.index("seq")] for row in rows], default=0)
    held = driver.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
    through = driver.execute(
        "SELECT value FROM local_settings WHERE key = ?", (PUSHED_THROUGH_KEY,)
    ).fetchone()
    # The replaced store's own counter too, where it can be read: its outbox may be empty
    # while numbers above everything the copy knows were already pushed.
    theirs = source.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")
    top = max(
        highest,
        held[0] if held else 0,
        _int(through[0] if through else None),
        theirs if isinstance(theirs, int) else 0,
    )
    driver.execute("DELETE FROM sqlite_sequence WHERE name = 'outbox'")
    driver.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)", (top,))
    entity_at, row_at = columns.index("entity"), columns.index("row_id")
    return [(row[entity_at], row[row_at]) for row in rows]


def _shared_columns(driver: Any, source: _Source, table: str) -> list[str]:
    """The columns both stores' tables have, in the new store's order (the replaced store may
    be from an older version: a recovery runs before any upgrade)."""
    theirs = set(source.columns(table))
    return [row[1] for row in driver.execute(f"PRAGMA table_info({table})") if row[1] in theirs]


def _references(entity: str) -> list[tuple[str, str, bool]]:
    """(column, table it points at, nullable) of each link from an entity's rows."""
    table = ENTITIES[entity].__table__
    return [
        (key.parent.name, key.column.table.name, bool(key.parent.nullable))
        for key in table.foreign_keys
        if key.column.table.name in ENTITIES
    ]


def _carry_records(
    driver: Any, connection: Any, source: _Source, changed: list[tuple[str, str]]
) -> int:
    """The rows the waiting changes touch, as the replaced store holds them, with every row
    they point at that the new store lacks. Returns how many rows were written."""
    wanted: dict[str, set[str]] = {}
    for entity, row_id in changed:
        if entity in ENTITIES:
            wanted.setdefault(entity, set()).add(row_id)
    found: dict[str, dict[str, tuple]] = {entity: {} for entity in ENTITIES}
    columns = {entity: _shared_columns(driver, source, entity) for entity in ENTITIES}
    while wanted:
        missing_parents: dict[str, set[str]] = {}
        for entity, ids in wanted.items():
            if "id" not in columns[entity]:
                continue
            rows = source.rows_by_id(entity, columns[entity], sorted(ids - found[entity].keys()))
            at_id = columns[entity].index("id")
            for row in rows:
                found[entity][row[at_id]] = row
            for column, target, _nullable in _references(entity):
                if column not in columns[entity]:
                    continue
                at = columns[entity].index(column)
                pointed = {row[at] for row in rows if row[at] is not None} - found[target].keys()
                absent = absent_ids(driver, target, pointed)
                if absent:
                    missing_parents.setdefault(target, set()).update(absent)
        wanted = missing_parents
    written = 0
    customers: set[str] = set()
    for entity in ENTITIES:  # parents first
        rows = list(found[entity].values())
        if not rows:
            continue
        names = columns[entity]
        updates = ", ".join(f"{name} = excluded.{name}" for name in names if name != "id")
        driver.executemany(
            f"INSERT INTO {entity} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            f" ON CONFLICT(id) DO UPDATE SET {updates}",
            rows,
        )
        written += len(rows)
        if entity == "customers":
            customers |= set(found[entity])
        elif entity in IN_CUSTOMER_SEARCH and "customer_id" in names:
            at = names.index("customer_id")
            customers |= {row[at] for row in rows}
    _reindex(driver, connection, sorted(customers))
    return written


def _reindex(driver: Any, connection: Any, customers: list[str]) -> None:
    """Search text and index entries of these customers composed again: the copied text may
    equal the composed one while the copy's index still holds the old. (A composed text is
    never empty: it holds the name.)"""
    for part, marks in in_lists(customers):
        driver.execute(f"UPDATE customers SET search_text = '' WHERE id IN ({marks})", part)
    search_index.refresh_customers(connection, customers)


def _carry_conflicts(driver: Any, source: _Source) -> None:
    """Open conflicts the copy does not hold (by what they say, not their number)."""
    columns = [c for c in _shared_columns(driver, source, "conflicts") if c != "id"]
    if not {"entity", "row_id", "kind", "detected_at", "resolved_at"} <= set(columns):
        return
    names = ", ".join(columns)
    held = set(driver.execute(f"SELECT {names} FROM conflicts").fetchall())
    resolved_at = columns.index("resolved_at")
    rows = [
        row
        for row in source.all_rows("conflicts", columns)
        if row[resolved_at] is None and row not in held
    ]
    marks = ", ".join("?" * len(columns))
    driver.executemany(f"INSERT INTO conflicts ({names}) VALUES ({marks})", rows)


def _settle_references(driver: Any) -> None:
    """A row carried over whose parent could not be read (a damaged store) loses an optional
    link, or is left out, rather than making the new store fail its foreign-key check."""
    for _round in range(10):
        problems = driver.execute("PRAGMA foreign_key_check").fetchall()
        if not problems:
            return
        for table, rowid, _parent, key_number in problems:
            link = [row for row in driver.execute(f"PRAGMA foreign_key_list({table})")]
            column = next((row[3] for row in link if row[0] == key_number), None)
            nullable = column is not None and not any(
                row[1] == column and row[3] for row in driver.execute(f"PRAGMA table_info({table})")
            )
            if nullable:
                driver.execute(f"UPDATE {table} SET {column} = NULL WHERE rowid = ?", (rowid,))
            else:
                driver.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
            log.warning("restore: %s row %s pointed at a missing %s", table, rowid, _parent)


# -- a damaged store at start ------------------------------------------------------------------


def is_damaged(profile_dir: Path, full: bool = False) -> bool:
    """Whether the profile's store fails SQLite's quick check (`full`: the integrity check,
    which also compares every index with its table). A missing store is not damaged; one
    another program holds locked is not either: opening it says so."""
    path = store_path(profile_dir)
    if not path.exists():
        return False
    try:
        with closing(sqlite3.connect(path, timeout=5)) as connection:
            if integrity_problems(connection, quick=not full):
                return True
            return full and bool(damaged_search_tables(connection))
    except sqlite3.DatabaseError as error:
        return sqlite_code(error) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def damaged_search_tables(connection: sqlite3.Connection) -> list[str]:
    """The tables of the search index that fail FTS5's own check, which `PRAGMA
    integrity_check` does not read: a search that runs into one fails, and only rebuilding it
    repairs it."""
    damaged = []
    for table in (search_index.TRIGRAM_TABLE, search_index.GRAM_TABLE):
        if connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
            try:
                # Names are ours; FTS5 takes its commands as inserts into the table's own column.
                connection.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as error:
                if sqlite_code(error) != sqlite3.SQLITE_CORRUPT:
                    raise
                log.error("the search index table %s failed its check: %s", table, error)
                damaged.append(table)
    return damaged


def opens_badly(profile_dir: Path) -> bool:
    """The cheap test at every start: whether the header and schema of the store can be read
    (SQLITE_CORRUPT or SQLITE_NOTADB on the first read says the file is damaged)."""
    path = store_path(profile_dir)
    if not path.exists():
        return False
    try:
        with closing(sqlite3.connect(path, timeout=5)) as connection:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        return sqlite_code(error) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return False


# -- when the check at start runs --------------------------------------------------------------


def _read_state(profile_dir: Path) -> dict[str, Any]:
    try:
        state = json.loads((Path(profile_dir) / CHECK_STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _write_state(profile_dir: Path, **changes: Any) -> None:
    # Read, changed and written whole by one thread at a time: the storage thread and the
    # network's may both find damage at once.
    with _STATE_LOCK:
        _write_json(Path(profile_dir) / CHECK_STATE_FILE, {**_read_state(profile_dir), **changes})


def _write_json(target: Path, value: Any) -> None:
    """Written beside, then renamed: a reader finds the old file or the new one, whole. The
    file beside is this thread's own, so two writers never write into one."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.part")
    partial.write_text(json.dumps(value), encoding="utf-8")
    os.replace(partial, target)


def check_due(profile_dir: Path, now: datetime | None = None) -> str | None:
    """Whether the start must run the check, and which: "full" (the integrity check, asked for
    by a daily backup that failed its check), "quick" (the last session did not end cleanly,
    or the last check is CHECK_EVERY_DAYS old, or the file's header or schema cannot be read),
    or None. Reading the whole file at every start costs seconds on a big store."""
    if not store_path(profile_dir).exists():
        return None
    state = _read_state(profile_dir)
    if state.get("full"):
        return "full"
    checked = state.get("checked_at")
    moment = (now or datetime.now()).timestamp()
    stale = not isinstance(checked, (int, float)) or moment - checked > CHECK_EVERY_DAYS * 86400
    if not state.get("clean") or stale or opens_badly(profile_dir):
        return "quick"
    return None


def note_started(profile_dir: Path, checked: bool, now: datetime | None = None) -> None:
    """The session has begun (no longer closed cleanly); `checked`: the check has just run."""
    changes: dict[str, Any] = {"clean": False}
    if checked:
        changes.update(full=False, checked_at=(now or datetime.now()).timestamp())
    _write_state(profile_dir, **changes)


def note_closed_cleanly(profile_dir: Path) -> None:
    """The window closed normally and the store with it: the next start may skip the check."""
    _write_state(profile_dir, clean=True)


def request_full_check(profile_dir: Path) -> None:
    """The next start runs the full integrity check (and recovers what fails it)."""
    _write_state(profile_dir, full=True)


def recover(profile_dir: Path) -> RestoreReport:
    """Replace a damaged store: copy it aside, start from the newest good backup (or a fresh
    store), carry over whatever of it can be read, and mark the next sync a full one."""
    profile_dir = Path(profile_dir)
    base = _newest_good_backup(profile_dir)
    report = _replace(
        profile_dir,
        base.path if base else None,
        base.made_at if base else None,
        damaged=True,
    )
    log.warning(
        "the store in %s was damaged; kept as %s, replaced from %s with %d waiting changes",
        profile_dir,
        report.kept_aside,
        report.restored_from or "a fresh store",
        report.unsynced,
    )
    return report


def _newest_good_backup(profile_dir: Path) -> Backup | None:
    for backup in list_backups(profile_dir):
        if backup.kind == DAMAGED:
            continue
        try:
            check_copy(backup.path)
        except StoreError:
            log.warning("backup %s cannot be used for recovery", backup.path)
            continue
        return backup
    return None


# -- a restore chosen in the window ------------------------------------------------------------


def schedule_restore(profile_dir: Path, copy: Path) -> None:
    """Note a restore to do when the window has closed the store (or at the next start), with
    a mark of its own that the restored store will carry (see run_pending_restore)."""
    check_copy(copy)
    _write_json(Path(profile_dir) / PENDING_FILE, {"copy": str(copy), "mark": uuid.uuid4().hex})


def pending_restore(profile_dir: Path) -> Path | None:
    noted = _pending_note(profile_dir)
    return None if noted is None else noted[0]


def _pending_note(profile_dir: Path) -> tuple[Path, str] | None:
    """The noted copy, and the restore's mark ("" in a note from before there were marks)."""
    try:
        noted = json.loads((Path(profile_dir) / PENDING_FILE).read_text(encoding="utf-8"))
        return Path(noted["copy"]), str(noted.get("mark") or "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


# local_settings key: the mark of the noted restore that made this store (run_pending_restore).
RESTORE_MARK_KEY = "restored_by_note"


def _mark_restored(staging: Path, mark: str) -> None:
    with closing(sqlite3.connect(staging, isolation_level=None)) as connection:
        put_settings(connection, {RESTORE_MARK_KEY: mark})


def _setting_of(path: Path, key: str) -> str | None:
    """One local setting of a store, read without opening it as a Store (None: no file, no
    such setting, or no store that can be read)."""
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            row = connection.execute(
                "SELECT value FROM local_settings WHERE key = ?", (key,)
            ).fetchone()
    except sqlite3.Error:
        return None  # a damaged store: the restore that replaces it says what it finds
    return row[0] if row else None


def cancel_pending_restore(profile_dir: Path) -> None:
    (Path(profile_dir) / PENDING_FILE).unlink(missing_ok=True)


def run_pending_restore(profile_dir: Path) -> RestoreReport | None:
    """Do the restore the window noted; the note is taken away whether it works or not (a
    failing restore must not fail at every start), and its error raised.

    The restored store carries the note's mark. A process killed after the swap leaves the
    note, and the next start finds its mark in the store: the restore is done, and is not done
    a second time over the store just restored (which would keep that aside as "before
    restore" instead of what the user had). Killed before the swap, the store has no mark and
    the restore is done then."""
    noted = _pending_note(profile_dir)
    if noted is None:
        cancel_pending_restore(profile_dir)  # an unreadable note is no restore
        return None
    copy, mark = noted
    try:
        if mark and _setting_of(store_path(profile_dir), RESTORE_MARK_KEY) == mark:
            return None
        return restore(profile_dir, copy, before_swap=partial(_mark_restored, mark=mark))
    finally:
        cancel_pending_restore(profile_dir)
