"""A real pgbouncer in transaction pooling mode in front of the suite's throwaway PostgreSQL.

Loaded as a pytest plugin by tests/conftest.py. `pgbouncer` gives a test its own pgbouncer
(small pools, so transactions share server connections); `start_pgbouncer` is the same for
benches, which run outside pytest.

Users log in with their own PostgreSQL passwords: pgbouncer looks each one up with
`auth_query`, as the docs tell an administrator to set it up: its `auth_user` is the login
`crm-desktop server pgbouncer-login` makes, no superuser, calling the lookup function that
command puts in each database pgbouncer serves (`Pgbouncer.serve`). The client having proved
the password with SCRAM, logs in to PostgreSQL as that same user with the keys of that proof
(SCRAM pass-through). So users made later by `crm-desktop server add-user` log in with no
userlist to regenerate, and every pool belongs to one user and one database: `current_user`
on a pooled server connection is always the user the client logged in as.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import make_conninfo
from psycopg.rows import dict_row

from crm_desktop.sync.server.pooler import AUTH_QUERY, POOLER_LOGIN, set_up_pooler_login
from tests.postgres import LOOPBACK, START_ATTEMPTS, PostgresServer, _free_port

SEARCH_PATHS = ("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")
READY_SECONDS = 20.0

AUTH_PASSWORD = "pooler-Secret-1"

DEFAULT_SETTINGS: dict[str, str] = {
    "pool_mode": "transaction",
    # Small pools: concurrent clients of one user take turns on two server connections, so
    # any state a transaction left in its session would meet the next client's transactions.
    "default_pool_size": "2",
    "max_client_conn": "400",
    "auth_type": "scram-sha-256",
    "auth_query": AUTH_QUERY,
    # In transaction mode pgbouncer sends no reset query between clients (unless
    # server_reset_query_always); the program must leave nothing behind, and the tests check it.
    "server_reset_query": "DISCARD ALL",
    "server_reset_query_always": "0",
    "ignore_startup_parameters": "extra_float_digits",
    "unix_socket_dir": "",
    "log_connections": "0",
    "log_disconnections": "0",
    "log_pooler_errors": "1",
}


def find_pgbouncer() -> Path:
    found = shutil.which("pgbouncer") or next(
        (f"{d}/pgbouncer" for d in SEARCH_PATHS if os.access(f"{d}/pgbouncer", os.X_OK)), None
    )
    if found:
        return Path(found)
    # Like PostgreSQL itself: a missing pgbouncer is a broken test machine, never a skip.
    pytest.fail(
        "pgbouncer was not found on PATH or in /usr/sbin; install it (Debian: apt-get install "
        "pgbouncer) or run ./test, which installs it.",
        pytrace=False,
    )


@dataclass
class Pgbouncer:
    """A running pgbouncer; clients reach every database of `server` through it."""

    server: PostgresServer
    base_dir: Path
    settings: dict[str, str]
    port: int = 0
    host: str = LOOPBACK
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def log_file(self) -> Path:
        return self.base_dir / "pgbouncer.log"

    def dsn(self, user: str, password: str | None, dbname: str) -> str:
        params: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "user": user,
            "dbname": dbname,
        }
        if password is not None:
            params["password"] = password
        return make_conninfo(**params)

    def conninfo(self, dbname: str) -> str:
        """What a device linked through pgbouncer stores: no user, no password."""
        return make_conninfo(host=self.host, port=self.port, dbname=dbname)

    def show(self, what: str) -> list[dict[str, Any]]:
        """`SHOW POOLS`, `SHOW SERVERS`... on pgbouncer's admin console, as the superuser."""
        console = self.dsn(self.server.superuser, self.server.password, "pgbouncer")
        # The console speaks only the simple query protocol.
        with psycopg.connect(console, autocommit=True, prepare_threshold=None) as connection:
            cursor = connection.cursor(row_factory=dict_row)
            cursor.execute(f"SHOW {what}".encode(), prepare=False)
            return cursor.fetchall()

    def serve(self, dbname: str) -> None:
        """Let pgbouncer look users of `dbname` up (what `server pgbouncer-login` does)."""
        set_up_pooler_login(self.server.dsn(dbname=dbname), AUTH_PASSWORD)

    def pools(self, dbname: str) -> dict[str, dict[str, Any]]:
        """This database's pools, by user."""
        return {row["user"]: row for row in self.show("POOLS") if row["database"] == dbname}

    # -- life cycle --------------------------------------------------------------------------

    def _write_config(self) -> Path:
        server = self.server
        auth_file = self.base_dir / "userlist.txt"
        # Only the auth_user and the console's admin are listed, in clear (pgbouncer may then
        # log in with them by SCRAM); everyone else is found by auth_query.
        auth_file.write_text(
            f'"{POOLER_LOGIN}" "{AUTH_PASSWORD}"\n"{server.superuser}" "{server.password}"\n'
        )
        settings = {
            "listen_addr": self.host,
            "listen_port": str(self.port),
            "auth_file": str(auth_file),
            "auth_user": POOLER_LOGIN,
            "admin_users": server.superuser,
            "logfile": str(self.log_file),
            "pidfile": str(self.base_dir / "pgbouncer.pid"),
            **self.settings,
        }
        config = self.base_dir / "pgbouncer.ini"
        lines = [
            "[databases]",
            f"* = host={server.host} port={server.port}",
            "",
            "[pgbouncer]",
            *(f"{name} = {value}" for name, value in settings.items()),
        ]
        config.write_text("\n".join(lines) + "\n")
        for path in (auth_file, config):
            path.chmod(0o600)
            server._chown(path)
        return config

    def start(self) -> None:
        binary = find_pgbouncer()
        account = _account(self.server)
        for _ in range(START_ATTEMPTS):
            self.port = _free_port()
            config = self._write_config()
            self.log_file.unlink(missing_ok=True)
            # pgbouncer refuses to run as root: as root, start it as the service account that
            # runs PostgreSQL (a plain setuid in the child, so the pid we hold is pgbouncer's).
            self.process = subprocess.Popen(
                [str(binary), str(config)],
                cwd=self.base_dir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                **account,
            )
            if self._wait_ready():
                return
            log = self._log()
            self.stop()
            if "Address already in use" not in log:
                break
        pytest.fail(f"pgbouncer did not start:\n{self._log()}", pytrace=False)

    def _wait_ready(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if "listening on" in self._log():
                return True
            time.sleep(0.05)
        return False

    def _log(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: immediate shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def _account(server: PostgresServer) -> dict[str, Any]:
    """Popen's arguments to run as the cluster's service account (none when we are not root)."""
    if not server.run_as:
        return {}
    entry = pwd.getpwnam(server.run_as)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def start_pgbouncer(server: PostgresServer, **settings: str) -> Pgbouncer:
    """A pgbouncer in front of `server`, in a new directory the service account owns; the
    caller stops it with `stop_pgbouncer`. `settings` override DEFAULT_SETTINGS."""
    base_dir = Path(tempfile.mkdtemp(prefix="crm-pgbouncer-"))
    server._chown(base_dir)
    bouncer = Pgbouncer(server, base_dir, {**DEFAULT_SETTINGS, **settings})
    try:
        bouncer.start()
    except BaseException:
        shutil.rmtree(base_dir, ignore_errors=True)
        raise
    return bouncer


def stop_pgbouncer(bouncer: Pgbouncer) -> None:
    try:
        bouncer.stop()
    finally:
        shutil.rmtree(bouncer.base_dir, ignore_errors=True)


@pytest.fixture
def pgbouncer(pg_server: PostgresServer) -> Iterator[Pgbouncer]:
    """A pgbouncer of this test's own (transaction pooling, two server connections per
    user and database), stopped at the end. Starting one takes a few milliseconds."""
    bouncer = start_pgbouncer(pg_server)
    try:
        yield bouncer
    finally:
        stop_pgbouncer(bouncer)
