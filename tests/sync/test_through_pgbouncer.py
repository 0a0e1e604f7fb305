"""Everything through a real pgbouncer in transaction pooling mode: `server init`, `add-user`,
and devices of several users making overlapping offline edits and syncing in rounds.

The pools are small (two server connections per user and database, one in the concurrent
test), so many clients' transactions run on the same PostgreSQL sessions. Whatever a
transaction left in its session (a setting, a prepared statement, a temporary table, a lock)
would meet the next client's transactions there: the tests look for it on those very
sessions. pgbouncer keeps a pool per user and database, so `current_user` (on which
row-level security rests) is always the user who logged in; the tests check that too, and
that every device holds exactly what its user sees on the server.
"""

from __future__ import annotations

import contextlib
import io
import random
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from crm_desktop import cli
from crm_desktop.models.entities import Customer
from crm_desktop.sync.engine import SyncReport
from crm_desktop.sync.server.pooler import AUTH_QUERY
from tests.pgbouncer import AUTH_PASSWORD, Pgbouncer, start_pgbouncer, stop_pgbouncer
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, CrmDatabase, PostgresServer, unique_name
from tests.sync.conftest import Device, Fleet
from tests.sync.test_many_devices import Actor, device_rows, random_offline_work, server_rows

# Users and their CRM roles, in the order `add-user` makes them (mia before her rep rob).
TEAM = (
    ("ada", "admin", None),
    ("mia", "manager", None),
    ("rob", "rep", "mia"),
    ("rae", "rep", None),
)
# Settings pgbouncer itself keeps in step between each client and the server (its "varcache");
# any other setting changed for a whole session was left behind by some client. (A
# `SET TRANSACTION` marks transaction_isolation as set by the session, at its default value:
# so a setting counts when its value differs from the session's starting one.)
TRACKED_BY_PGBOUNCER = (
    "application_name",
    "client_encoding",
    "DateStyle",
    "TimeZone",
    "standard_conforming_strings",
)


@dataclass
class BouncedFleet(Fleet):
    """Devices whose stored server address is pgbouncer's, not PostgreSQL's."""

    bouncer: Pgbouncer | None = None

    @property
    def server(self) -> str:
        assert self.bouncer is not None
        return self.bouncer.conninfo(self.db.name)


def crm(*argv: str, stdin: str = "") -> tuple[int, str]:
    """`crm-desktop ...` in this process; (exit code, what it printed)."""
    out = io.StringIO()
    real_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out):
            code = cli.main(list(argv))
    finally:
        sys.stdin = real_stdin
    return code, out.getvalue()


def bounced_database(server: PostgresServer, bouncer: Pgbouncer, tmp_path: Path) -> BouncedFleet:
    """A CRM database made from nothing by `server init` and `server add-user` run through
    pgbouncer, as an office whose admin only reaches the server through it would."""
    name = server.create_database(unique_name("crm_bounce"), owner=CRM_ADMIN)
    # As the docs say: the superuser, straight to PostgreSQL, makes pgbouncer's lookup login.
    code, out = crm(
        "server", "pgbouncer-login", "--dsn", server.dsn(dbname=name), stdin=AUTH_PASSWORD
    )
    assert code == 0 and f"auth_query = {AUTH_QUERY}" in out, out
    admin_dsn = bouncer.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name)
    code, out = crm("server", "init", "--dsn", admin_dsn)
    assert code == 0 and "upgraded from empty" in out, out
    db = CrmDatabase(server, name)
    fleet = BouncedFleet(db, tmp_path, bouncer=bouncer)
    for login, role, manager in TEAM:
        password = f"pw-{login}-{random.randrange(10**8)}"
        argv = ["server", "add-user", login, "--role", role, "--dsn", admin_dsn]
        code, out = crm(*argv, *(["--manager", manager] if manager else []), stdin=password)
        assert (code, out) == (0, f"Added {role} “{login}”.\n")
        db.passwords[login] = password
        with db.connect_as(login) as connection:  # straight to PostgreSQL, not through pgbouncer
            fleet.user_ids[login] = str(
                connection.execute("SELECT crm_current_user_id()").fetchone()[0]
            )
    return fleet


@pytest.fixture
def bounced(
    pg_cleanup: PostgresServer, crm_template: str, pgbouncer: Pgbouncer, tmp_path: Path
) -> Iterator[BouncedFleet]:
    """The team of tests/sync/conftest.py, made and reached through pgbouncer.
    (`crm_template` only for its admin role, which the suite makes once.)"""
    made = bounced_database(pg_cleanup, pgbouncer, tmp_path)
    yield made
    made.close()


def pooled_sessions(fleet: BouncedFleet) -> dict[int, str]:
    """pgbouncer's server connections to this database: backend pid -> the pool's user."""
    assert fleet.bouncer is not None
    return {
        int(row["remote_pid"]): row["user"]
        for row in fleet.bouncer.show("SERVERS")
        if row["database"] == fleet.db.name
    }


def leftovers(fleet: BouncedFleet, login: str) -> dict[str, object]:
    """Through pgbouncer as `login`: what the pooled session that answers holds beyond a fresh
    login's state. Empty when the program's transactions left nothing behind."""
    assert fleet.bouncer is not None
    dsn = fleet.bouncer.dsn(login, fleet.db.passwords[login], fleet.db.name)
    with psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as connection:
        row = connection.execute(
            "SELECT pg_backend_pid(), current_user::text, session_user::text,"
            " (SELECT coalesce(array_agg(name ORDER BY name), '{}') FROM pg_settings"
            "   WHERE source = 'session' AND setting IS DISTINCT FROM reset_val"
            "   AND name <> ALL(%s)),"
            " (SELECT count(*) FROM pg_prepared_statements),"
            " (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()),"
            " (SELECT count(*) FROM pg_listening_channels()),"
            " (SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()"
            "   AND locktype = 'advisory'),"
            " current_setting('search_path'), current_setting('role')",
            (list(TRACKED_BY_PGBOUNCER),),
        ).fetchone()
    pid, current, session, settings, prepared, temp, channels, locks, path, role = row
    assert pooled_sessions(fleet).get(pid) == login, "answered by a session of another pool"
    found: dict[str, object] = {}
    if (current, session) != (login, login):
        found["user"] = (current, session)
    if settings:
        found["session settings"] = settings
    for what, count in (
        ("prepared statements", prepared),
        ("temporary tables", temp),
        ("LISTEN channels", channels),
        ("advisory locks", locks),
    ):
        if count:
            found[what] = count
    if path != '"$user", public':
        found["search_path"] = path
    if role != "none":
        found["role"] = role
    return found


def test_server_init_and_add_user_through_pgbouncer(bounced: BouncedFleet) -> None:
    # Each user's own login works through pgbouncer, as himself, in a pool of his own.
    assert bounced.bouncer is not None
    for login, role, _ in TEAM:
        dsn = bounced.bouncer.dsn(login, bounced.db.passwords[login], bounced.db.name)
        with psycopg.connect(dsn, prepare_threshold=None) as connection:
            row = connection.execute(
                "SELECT current_user::text, role, crm_current_user_id()::text FROM users"
                " WHERE login = current_user"
            ).fetchone()
        assert row == (login, role, bounced.user_ids[login])
    assert {login for login, _, _ in TEAM} <= set(bounced.bouncer.pools(bounced.db.name))
    # A wrong password is refused by pgbouncer, as the server itself would.
    wrong = bounced.bouncer.dsn("rob", "not his password", bounced.db.name)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(wrong).close()
    # init again through pgbouncer: already at head, nothing to do.
    code, out = crm(
        "server", "init", "--dsn",
        bounced.bouncer.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, bounced.db.name),
    )  # fmt: skip
    assert code == 0 and "nothing to do" in out, out


@pytest.mark.parametrize("seed", [7, 2024])
def test_random_offline_work_converges_through_pgbouncer(
    bounced: BouncedFleet, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/sync/test_many_devices.py's random work, every sync through pgbouncer: each
    pushed entry meets the conflict rule, every lost value is kept on the device that typed
    it, and every device ends with what its user sees on the server."""
    random_offline_work(bounced, seed, monkeypatch)

    # Every device synced six times or more, over at most two server sessions per user.
    sessions = pooled_sessions(bounced)
    for login in ("rob", "rae"):
        assert 1 <= list(sessions.values()).count(login) <= 2, sessions
        assert leftovers(bounced, login) == {}, login


def concurrent_syncs(devices: list[Device]) -> list[SyncReport]:
    """Every device's sync at once, each in its own thread and connection."""
    start = threading.Barrier(len(devices))

    def one(device: Device) -> SyncReport:
        start.wait()
        return device.sync()

    with ThreadPoolExecutor(max_workers=len(devices)) as pool:
        return list(pool.map(one, devices))


def edit_own_customers(device: Device, rng: random.Random, count: int) -> None:
    """Edits to customers the device's user owns, oldest first (so his other devices pick the
    same ones and their edits collide), and a new customer of his own."""
    me = device.profile.user_id
    mine = [c for c in Actor.live_on(device, Customer) if c.owner_id == me]
    mine.sort(key=lambda customer: (customer.created_at, customer.id))
    for customer in mine[:count]:
        field = rng.choice(("name", "phone", "industry"))
        value = {
            "name": f"{customer.name.split(' #')[0]} #{rng.randrange(1000)}",
            "phone": f"139{rng.randrange(10**8):08d}",
            "industry": rng.choice(("Steel", "Paper", "Glass")),
        }[field]
        device.writer.update("customers", customer.id, {field: value})
    device.writer.create(
        "customers", {"name": f"{device.login} new {rng.randrange(10**6)}", "owner_id": me}
    )


def test_concurrent_syncs_share_one_session_per_user_and_leave_nothing_behind(
    pg_cleanup: PostgresServer, crm_template: str, tmp_path: Path
) -> None:
    """One server session per user and database: three of rob's devices, two of rae's, mia's
    and ada's sync at the same moment, round after round, with edits that collide. Each
    still ends with exactly his own rows, rae never holds one of rob's customers, and the
    sessions that ran all this hold nothing a transaction left behind."""
    bouncer = start_pgbouncer(pg_cleanup, default_pool_size="1")
    fleet = bounced_database(pg_cleanup, bouncer, tmp_path)
    try:
        rng = random.Random(5)
        with fleet.db.connect_admin() as connection:  # a few customers each to start with
            for login in ("rob", "rae", "mia"):
                for number in range(4):
                    connection.execute(
                        "INSERT INTO customers (name, owner_id) VALUES (%s, %s)",
                        (f"{login} start {number}", fleet.user_ids[login]),
                    )
        logins = ("rob", "rob", "rob", "rae", "rae", "mia", "ada")
        devices = [fleet.device(login) for login in logins]
        concurrent_syncs(devices)
        for _round in range(3):
            for device in devices:
                edit_own_customers(device, rng, 2)
            concurrent_syncs(devices)
        for _twice in range(2):
            concurrent_syncs(devices)

        conflicts = 0
        for device in devices:
            assert device.outbox() == 0
            held = device_rows(device)
            assert held == server_rows(fleet, device.login), device.login
            conflicts += sum(1 for c in device.conflicts() if c.kind == "same_field")
        assert conflicts > 0, "rob's devices edited the same customers: some values lost"
        robs = {row[0] for row in fleet.admin(
            "SELECT id::text FROM customers WHERE owner_id = %s", (fleet.user_ids["rob"],)
        )}  # fmt: skip
        assert robs and not robs & device_rows(devices[3])["customers"].keys()

        stats = [row for row in bouncer.show("STATS") if row["database"] == fleet.db.name]
        assert stats[0]["total_wait_time"] > 0, "no client ever waited for a pooled session"
        sessions = pooled_sessions(fleet)
        # pgbouncer pools per user: each user's syncs ran on one session logged in as him.
        for login in ("rob", "rae", "mia", "ada"):
            assert list(sessions.values()).count(login) == 1, sessions
        with pg_cleanup.connect(fleet.db.name) as connection:
            logged_in = dict(
                connection.execute(
                    "SELECT pid, usename::text FROM pg_stat_activity WHERE datname = %s",
                    (fleet.db.name,),
                ).fetchall()
            )
        for pid, login in sessions.items():
            assert logged_in.get(pid) == login
        for login in ("rob", "rae", "mia", "ada"):
            assert leftovers(fleet, login) == {}, login
    finally:
        fleet.close()
        stop_pgbouncer(bouncer)


def test_a_session_setting_left_behind_would_be_found(bounced: BouncedFleet) -> None:
    """The check above can fail: a plain SET in one client's transaction stays on the pooled
    session and is what the next client of that pool meets."""
    assert bounced.bouncer is not None
    dsn = bounced.bouncer.dsn("rae", bounced.db.passwords["rae"], bounced.db.name)
    with psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as connection:
        connection.execute("SET search_path = pg_catalog")
        connection.execute("SET work_mem = '8MB'")
    found = leftovers(bounced, "rae")
    assert found.get("search_path") == "pg_catalog" and "work_mem" in found["session settings"]
