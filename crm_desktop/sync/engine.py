"""One sync round: connect, check the server's schema, push the outbox, then pull."""

from __future__ import annotations

import functools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from alembic.script import ScriptDirectory
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from sqlalchemy import Table, func, or_, select, text, update
from sqlalchemy.orm import Session

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import (
    ENTERS_FOR_KEY,
    ENTITIES,
    LocalSetting,
    OutboxEntry,
    User,
    entered_for,
    user_columns,
)
from crm_desktop.profile import USER_KEY, Profile
from crm_desktop.storage import suspended_indexes
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.sync import link as links
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.sync.pull import PullReport, never_pulled, pull
from crm_desktop.sync.push import PushReport, push
from crm_desktop.sync.server import schema as server_schema
from crm_desktop.sync.server.grades import grade_on_sync

LAST_SYNC_KEY = "sync_last_success"
# When this device last asked the server to return its user's overdue customers to the pool.
POOL_CHECKED_KEY = "sync_pool_checked"
# The pool's clock counts days: asked once an hour, a quiet sync costs what changed, not a
# look at every customer the user owns (0.3 s at 10,000; most of such a sync's time).
POOL_CHECK_EVERY = timedelta(hours=1)
# Rounds of one sync when the server cancels one to break a deadlock (see sync_once), and the
# errors that say so (class 40; psycopg makes the two common ones subclasses of its own).
SYNC_ATTEMPTS = 3
TRANSIENT = (
    psycopg.errors.DeadlockDetected,
    psycopg.errors.SerializationFailure,
    psycopg.errors.TransactionRollback,
)
# The oldest server schema this program syncs with: every table and column a device reads or
# writes is there from this revision on (what came later, such as the letterhead of 0018, is
# looked for with has_object and done without). An administrator may upgrade the devices
# before the server. Raise it when a migration adds something a sync cannot do without;
# tests/server/test_server_upgrade_command.py checks it against the synced columns.
OLDEST_SERVER_REVISION = "0017"
# The detail of SyncProblem.SERVER's sentence for a database the CRM was never set up in (a
# wrong database name in the address, or `server init` not run yet).
NO_SCHEMA = QT_TRANSLATE_NOOP("SyncError", "the database has no CRM schema")
Progress = Callable[[str, int, int], None]


@dataclass
class SyncReport:
    pushed: PushReport = field(default_factory=PushReport)
    pulled: PullReport = field(default_factory=PullReport)
    # Customers this sync returned to the public pool (the user's own, or his team's).
    returned_to_pool: int = 0
    finished_at: datetime | None = None


@dataclass
class CrashPoints:
    """Test hooks: called right before a local commit, where a real crash would hurt most."""

    after_push_sent: Callable[[], None] | None = None
    after_pull_read: Callable[[], None] | None = None


def known_server_revisions() -> frozenset[str]:
    return _server_revisions(server_schema.MIGRATIONS, OLDEST_SERVER_REVISION)[0]


def syncable_server_revisions() -> frozenset[str]:
    """The server schemas this program syncs with: its newest down to OLDEST_SERVER_REVISION."""
    return _server_revisions(server_schema.MIGRATIONS, OLDEST_SERVER_REVISION)[1]


@functools.cache
def _server_revisions(folder: Path, oldest: str) -> tuple[frozenset[str], frozenset[str]]:
    """(every revision in the migrations `folder`, those from `oldest` on), read once.

    Alembic loads every migration script to list them (some 25 ms each time), and
    check_server asks inside the sync's first transaction: done on every sync, it held a
    server connection (under pgbouncer, a pooled one) idle in transaction meanwhile, and
    tripled sync times with many devices at once (bench/bench_pgbouncer_load.py). The folder
    is part of the key because it is what a program knows (a test may point it elsewhere).
    """
    config = server_schema._alembic_config(None)
    config.set_main_option("script_location", str(folder))
    scripts = ScriptDirectory.from_config(config)
    known = frozenset(script.revision for script in scripts.walk_revisions())
    syncable = frozenset(
        script.revision for script in scripts.iterate_revisions("heads", oldest, inclusive=True)
    )
    return known, syncable


def check_server(connection: psycopg.Connection) -> str:
    """The server's schema must be one this program syncs with; returns the user's id there.

    Checked before anything is pushed or pulled, so a refusal leaves the outbox waiting: a
    schema newer than this program asks the user to upgrade it (UPGRADE), one older than it
    can work with asks for the administrator's `server upgrade` (SERVER_OUTDATED)."""
    with connection.transaction():
        try:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except psycopg.errors.UndefinedTable:
            detail = QCoreApplication.translate("SyncError", NO_SCHEMA)
            raise SyncError(SyncProblem.SERVER, detail) from None
        if revision is None or revision[0] not in known_server_revisions():
            raise SyncError(SyncProblem.UPGRADE)
        if revision[0] not in syncable_server_revisions():
            raise SyncError(SyncProblem.SERVER_OUTDATED)
        user = connection.execute("SELECT crm_current_user_id()::text").fetchone()
        if user is None or user[0] is None:
            # The server knows nobody by this login while his office is not live: ask before
            # calling the password wrong. Nothing is pushed or pulled; the outbox waits.
            waiting = office_waiting(connection)
            if waiting is not None:
                raise SyncError(SyncProblem.OFFICE_NOT_LIVE, waiting)
            raise SyncError(SyncProblem.AUTH)
    return user[0]


def office_waiting(connection: psycopg.Connection) -> str | None:
    """The name of the user's office while it is not live, else None. A server whose schema
    predates offices (migration 0010) has none, so nobody waits there."""
    if not server_schema.has_object(connection, "crm_office_waiting()"):
        return None
    row = connection.execute("SELECT crm_office_waiting()").fetchone()
    return row[0] if row else None


def sync_once(
    profile: Profile,
    progress: Progress | None = None,
    password: str | None = None,
    crash: CrashPoints | None = None,
    check_pool: bool = False,
) -> SyncReport:
    """Push then pull. Raises SyncError; whatever happens, nothing local is lost.

    `check_pool`: return the user's overdue customers to the pool now, however recently this
    device asked (after a change of owner or lock, whose result the user waits to see).

    A round the server cancelled to break a deadlock (two devices of one user locking the
    same rows in another order) runs again, up to SYNC_ATTEMPTS times: the cancelled
    transaction changed nothing, and what a push sent before it is answered from its receipts.
    """
    for attempt in range(1, SYNC_ATTEMPTS + 1):
        try:
            return _sync_round(profile, progress, password, crash, check_pool)
        except TRANSIENT as error:
            if attempt == SYNC_ATTEMPTS:
                message = error.diag.message_primary or str(error)
                raise SyncError(SyncProblem.SERVER, message) from error
            time.sleep(random.uniform(0.05, 0.25) * attempt)  # out of step with the other
    raise AssertionError("unreachable")


def _sync_round(
    profile: Profile,
    progress: Progress | None,
    password: str | None,
    crash: CrashPoints | None,
    check_pool: bool,
) -> SyncReport:
    dropped = links.move_stored_password(profile.store)  # a profile made by an older version
    link = links.link_of(profile.store)
    if link is None:
        raise SyncError(SyncProblem.NOT_CONNECTED)
    crash = crash or CrashPoints()
    connection = links.open_connection(link, password if password is not None else dropped)
    try:
        server_user = check_server(connection)
        adopt_server_user(profile, server_user, link.login)
        device = links.device_id(profile.store)
        report = SyncReport()
        if never_pulled(profile.store):
            if profile.writer().pending_changes() == 0:
                # The user's overdue customers go back to the pool before the copy is taken,
                # so it has them where they are: returned after it, thousands of them would
                # make the pull after the push take the whole copy again. Only with nothing to
                # send: a store without a cursor may still hold the server's customers and
                # changes to them (restored, upgraded, or a first sync cut short), and a
                # follow-up waiting to go keeps its customer only if it is sent first.
                report.returned_to_pool = _return_due(profile, connection)
            # A first sync takes the server's copy before sending this device's records, so
            # the pull after the push brings only what others changed meanwhile, not every
            # record just sent (an imported list of 100,000 would come straight back).
            report.pulled = pull(profile.store, connection, progress=progress)
        report.pushed = push(profile.store, connection, device, progress, crash.after_push_sent)
        if check_pool or pool_check_due(profile.store.setting(POOL_CHECKED_KEY), utcnow()):
            report.returned_to_pool += _return_due(profile, connection)
        grade_on_sync(connection)  # an administrator's sync grades every customer
        record_sync(connection, device)
        report.pulled += pull(
            profile.store,
            connection,
            report.pushed.refetch,
            progress,
            crash.after_pull_read,
            report.pushed.transactions,
            report.pushed.sent,
        )
    except TRANSIENT:
        raise  # a deadlock or a serialization failure: sync_once runs the round again
    except psycopg.OperationalError as error:
        raise links.classify_connect_error(error) from None
    except psycopg.Error as error:
        raise SyncError(SyncProblem.SERVER, error.diag.message_primary or str(error)) from error
    finally:
        connection.close()
    # Whom a clerk enters records for may have changed: his next new record is theirs.
    profile.enters_for = entered_for(profile.store.setting(ENTERS_FOR_KEY))
    report.finished_at = utcnow()
    profile.store.set_setting(LAST_SYNC_KEY, report.finished_at.isoformat())
    return report


def _return_due(profile: Profile, connection: psycopg.Connection) -> int:
    """return_due_customers, noting when this device asked (for pool_check_due)."""
    returned = return_due_customers(connection)
    profile.store.set_setting(POOL_CHECKED_KEY, utcnow().isoformat())
    return returned


def pool_check_due(checked: str | None, now: datetime) -> bool:
    """Whether this sync asks for the return of overdue customers: at the first, then once
    every POOL_CHECK_EVERY (and whenever the last time is unreadable or ahead of the clock)."""
    try:
        last = datetime.fromisoformat(checked) if checked else None
        return last is None or not last <= now < last + POOL_CHECK_EVERY
    except (ValueError, TypeError):  # not a time, or one with an offset (ours are naive UTC)
        return True


def return_due_customers(connection: psycopg.Connection) -> int:
    """Customers of this user's (a manager: his team's) whose time without a follow-up has run
    out go back to the public pool, by the server's rules, before the pull brings the result.
    Asked after the push, what a rep's device has pushed counts: a follow-up it logged offline
    is on the server now (a first sync with nothing to send asks before its first pull)."""
    with connection.transaction():
        returned = connection.execute(
            "SELECT CASE WHEN crm_current_role() IN ('rep', 'manager')"
            " THEN crm_return_due_customers() ELSE 0 END"
        ).fetchone()
    return int(returned[0])


def record_sync(connection: psycopg.Connection, device: str) -> None:
    """Tell the server this user synced now (his managers see it in team activity); the
    server signs the row with his id and its own clock. A server older than migration 0013
    keeps no such record."""
    with connection.transaction():
        if not server_schema.has_object(connection, "user_syncs"):
            return
        connection.execute(
            "INSERT INTO user_syncs (user_id, device_id) VALUES (crm_current_user_id(), %s)"
            " ON CONFLICT (user_id, device_id) DO UPDATE SET synced_at = now()",
            (device,),
        )


def adopt_server_user(profile: Profile, server_user: str, login: str) -> None:
    """From the first sync on, the person at the keyboard is the server's user of that login.

    Records made before connecting were made by the profile's local user: they are handed to
    the server user (rows and unsent outbox entries alike), so they push as his.
    """
    local_user = profile.user_id
    if local_user == server_user:
        return
    with profile.store.write() as session:
        local = session.get(User, local_user)
        if local is not None:
            local.login = f"{local.login}~local~{local_user[:8]}"  # frees the login
            local.active = False
        # Stands in for the server's row until the pull brings the real one.
        session.merge(User(id=server_user, login=login, name=login, role="rep"))
        session.flush()
        driver = sqlite_connection(session)
        for entity, model in ENTITIES.items():
            table = model.__table__
            columns = user_columns(entity)
            # Taken off and built again in this same transaction: nothing to put back later.
            suspended = _mostly_made_by(session, table, columns, local_user) and (
                suspended_indexes.suspend_indexes_on(driver, table.name, columns)
            )
            for column in columns:
                session.execute(
                    update(table)
                    .where(table.columns[column] == local_user)
                    .values({column: server_user})
                )
            if suspended:
                suspended_indexes.restore_indexes(driver, [table.name])
        # In SQL, not entry by entry: an import's first sync has every one of its records
        # waiting. A field holding the user's id is the JSON string of it, quotes included,
        # which nothing else in the JSON text can be (a quote inside a value is escaped).
        session.execute(
            text(
                "UPDATE outbox SET changes = replace(changes, :local, :server)"
                " WHERE instr(changes, :local) > 0"
            ),
            {"local": json.dumps(local_user), "server": json.dumps(server_user)},
        )
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.made_by == local_user)
            .values(made_by=server_user)
            .execution_options(synchronize_session=False)
        )
        session.query(OutboxEntry).filter(
            OutboxEntry.entity == "users", OutboxEntry.row_id == local_user
        ).delete()
        session.merge(LocalSetting(key=USER_KEY, value=server_user))
    profile.user_id = server_user


def _mostly_made_by(session: Session, table: Table, columns: tuple[str, ...], user: str) -> bool:
    """Whether most of the table's rows name the user in one of these columns: an import made
    before the first sync, whose rows are handed over at once. Their indexes on those columns
    are then cheaper built again than changed row by row."""
    named = session.scalar(
        select(func.count()).where(or_(*(table.columns[c] == user for c in columns)))
    )
    return suspended_indexes.rewrites_most_of(sqlite_connection(session), table.name, named or 0)
