"""A throwaway PostgreSQL server for the tests, started once per session from the machine's
binaries, plus a fresh CRM database per test copied from a template that already has the schema.

Loaded as a pytest plugin by tests/conftest.py, so server and sync tests share one server.
The generic part (`pg_server`, `pg_cleanup`) knows nothing about the CRM; the CRM part
(`crm_template`, `crm_db`) builds on it.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

# The service account that owns the data directory when the suite runs as root (CI does):
# postgres refuses to start as root. Debian's package creates `postgres`; otherwise we add ours.
SERVICE_ACCOUNTS = ("postgres", "crm-test-pg")
SUPERUSER = "postgres"
LOOPBACK = "127.0.0.1"
START_ATTEMPTS = 4  # a free port can be taken between our probe and the server's bind


def _version_key(directory: Path) -> tuple[int, ...]:
    """'/usr/lib/postgresql/15/bin' -> (15,); non-numeric versions sort first."""
    numbers = re.findall(r"\d+", directory.parent.name)
    return tuple(int(number) for number in numbers) or (0,)


def find_postgres_bin() -> Path:
    """The directory holding initdb and pg_ctl: Debian's highest version first, then PATH."""
    debian = [Path(path).parent for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    debian = [directory for directory in debian if (directory / "pg_ctl").exists()]
    if debian:
        return max(debian, key=_version_key)
    initdb = shutil.which("initdb")
    if initdb:
        directory = Path(initdb).resolve().parent
        if (directory / "pg_ctl").exists():
            return directory
    # Server tests must never skip: a missing server is a broken test machine, said plainly.
    pytest.fail(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin "
        "or on PATH; install the server package (Debian: apt-get install postgresql) "
        "or run ./test, which installs it.",
        pytrace=False,
    )


def _service_account() -> pwd.struct_passwd:
    for name in SERVICE_ACCOUNTS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    name = SERVICE_ACCOUNTS[-1]
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam(name)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


@dataclass
class PostgresServer:
    """A running throwaway cluster. TCP on loopback with SCRAM passwords, like a real server."""

    bin_dir: Path
    base_dir: Path
    port: int = 0
    host: str = LOOPBACK
    superuser: str = SUPERUSER
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    run_as: str | None = None  # service account when we are root

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base_dir

    @property
    def log_file(self) -> Path:
        return self.base_dir / "server.log"

    @property
    def superuser_dsn(self) -> str:
        return self.dsn()

    def dsn(
        self, user: str | None = None, password: str | None = None, dbname: str = "postgres"
    ) -> str:
        """A libpq connection string; with no user, the superuser and its password."""
        if user is None:
            user, password = self.superuser, self.password
        params = {"host": self.host, "port": self.port, "user": user, "dbname": dbname}
        if password is not None:
            params["password"] = password
        return make_conninfo(**params)

    def connect(self, dbname: str = "postgres", **kwargs: object) -> psycopg.Connection:
        """An autocommit superuser connection (close it, or use it in a `with`)."""
        return psycopg.connect(self.dsn(dbname=dbname), autocommit=True, **kwargs)

    def execute(self, statement: sql.Composable | str, dbname: str = "postgres") -> None:
        with self.connect(dbname) as connection:
            connection.execute(statement)

    def create_database(
        self, name: str, template: str = "template0", owner: str | None = None
    ) -> str:
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
        if owner:
            statement = sql.SQL("{} OWNER {}").format(statement, sql.Identifier(owner))
        self.execute(statement)
        return name

    def drop_database(self, name: str) -> None:
        # WITH (FORCE) (PG13+) ends connections a failed test may have leaked.
        self.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def create_role(self, name: str, password: str, options: str = "LOGIN") -> str:
        # `options` is test-written SQL (LOGIN CREATEROLE ...); name and password are quoted.
        self.execute(
            sql.SQL("CREATE ROLE {} " + options + " PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(password)
            )
        )
        return name

    def names(self, catalog_query: str) -> set[str]:
        with self.connect() as connection:
            return {row[0] for row in connection.execute(catalog_query)}

    # -- life cycle --------------------------------------------------------------------------

    def _command(self, *args: str | Path) -> list[str]:
        command = [str(arg) for arg in args]
        if self.run_as:
            return ["runuser", "-u", self.run_as, "--", *command]
        return command

    def _run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        # PG* variables from the caller's shell must not redirect initdb or pg_ctl.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env["LC_ALL"] = "C"
        return subprocess.run(
            self._command(*args),
            cwd=self.base_dir,  # the service account may not be allowed into our cwd
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def initdb(self) -> None:
        password_file = self.base_dir / "superuser-password"
        password_file.write_text(self.password)
        self._chown(password_file)
        result = self._run(
            self.bin_dir / "initdb",
            "--pgdata",
            self.data_dir,
            "--username",
            self.superuser,
            "--pwfile",
            password_file,
            "--auth",
            "scram-sha-256",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",  # throwaway data: no need to wait for the disk
        )
        password_file.unlink()
        if result.returncode != 0:
            pytest.fail(f"initdb failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
        # Passwords on every connection, local socket included, so role passwords are real.
        (self.data_dir / "pg_hba.conf").write_text(
            f"local all all scram-sha-256\nhost all all {LOOPBACK}/32 scram-sha-256\n"
        )

    def _configure(self) -> None:
        settings = {
            "listen_addresses": f"'{LOOPBACK}'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.socket_dir}'",
            "password_encryption": "'scram-sha-256'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "32MB",
            "max_connections": "100",  # room for the concurrency tests of the sync work
            "log_min_messages": "warning",
        }
        # Later lines win in postgresql.conf, so a port retry just appends a new block.
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n# crm-desktop test harness\n")
            for name, value in settings.items():
                conf.write(f"{name} = {value}\n")

    def start(self) -> None:
        for _ in range(START_ATTEMPTS):
            self.port = _free_port()
            self._configure()
            result = self._run(
                self.bin_dir / "pg_ctl",
                "start",
                "--pgdata",
                self.data_dir,
                "--log",
                self.log_file,
                "--wait",
                "--timeout",
                "60",
            )
            if result.returncode == 0:
                return
            log = self.log_file.read_text() if self.log_file.exists() else ""
            if "could not bind" not in log and "already in use" not in log:
                break
        pytest.fail(
            f"PostgreSQL did not start:\n{result.stdout}\n{result.stderr}\n{log}", pytrace=False
        )

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._run(self.bin_dir / "pg_ctl", "stop", "--pgdata", self.data_dir, "-m", "fast")

    def _chown(self, path: Path) -> None:
        if self.run_as:
            account = pwd.getpwnam(self.run_as)
            os.chown(path, account.pw_uid, account.pw_gid)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the whole run, stopped and deleted at the end."""
    bin_dir = find_postgres_bin()
    # Not pytest's tmp_path: as root that lives under /tmp/pytest-of-root (mode 700), which the
    # service account can't enter.
    run_as = _service_account().pw_name if os.geteuid() == 0 else None
    with running_cluster(bin_dir, run_as, "crm-pg-") as server:
        yield server


@contextlib.contextmanager
def running_cluster(bin_dir: Path, run_as: str | None, prefix: str) -> Iterator[PostgresServer]:
    """A new PostgreSQL cluster in a temporary folder, started, then stopped and deleted."""
    base_dir = Path(tempfile.mkdtemp(prefix=prefix))
    server = PostgresServer(bin_dir=bin_dir, base_dir=base_dir, run_as=run_as)
    server._chown(base_dir)
    try:
        server.initdb()
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(base_dir, ignore_errors=True)


@pytest.fixture
def pg_cleanup(pg_server: PostgresServer) -> Iterator[PostgresServer]:
    """Drops the databases and roles a test made. Roles are cluster-wide, so without this a
    role made in one test's database would still exist in the next test."""
    roles = pg_server.names("SELECT rolname FROM pg_roles")
    databases = pg_server.names("SELECT datname FROM pg_database")
    yield pg_server
    for name in pg_server.names("SELECT datname FROM pg_database") - databases:
        pg_server.drop_database(name)
    for name in pg_server.names("SELECT rolname FROM pg_roles") - roles:
        pg_server.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


_database_numbers = itertools.count(1)


def backdate_ownership(
    connection: psycopg.Connection, days: int, customer: str | None = None
) -> None:
    """As if the owners had got their customers (all, or one) `days` ago, for the public
    pool's rules. The ownership history is append-only even for the table's owner (no policy
    lets him change it): the owner's `connection` lifts that for this one statement."""
    with connection.transaction():
        connection.execute("ALTER TABLE customer_ownership NO FORCE ROW LEVEL SECURITY")
        connection.execute(
            "UPDATE customer_ownership SET changed_at = now() - make_interval(days => %s)"
            " WHERE %s::uuid IS NULL OR customer_id = %s::uuid",
            (days, customer, customer),
        )
        connection.execute("ALTER TABLE customer_ownership FORCE ROW LEVEL SECURITY")
        # What the server keeps on the customer itself (migration 0009); the owner may set it.
        connection.execute(
            "UPDATE customers SET owned_since = now() - make_interval(days => %s)"
            " WHERE owner_id IS NOT NULL AND (%s::uuid IS NULL OR id = %s::uuid)",
            (days, customer, customer),
        )


def unique_name(prefix: str) -> str:
    return f"{prefix}_{next(_database_numbers)}"


# -- the CRM server schema ---------------------------------------------------------------------

# The deployment admin: not a superuser, like on managed PostgreSQL; it owns the CRM database
# and may create roles. Every test database is therefore built the way production is.
CRM_ADMIN = "crm_admin"
CRM_ADMIN_PASSWORD = "admin-Secret-1"
TEMPLATE_DB = "crm_template"


@pytest.fixture(scope="session")
def crm_template(pg_server: PostgresServer) -> str:
    """A database with the server schema, made once by `server init` as the non-superuser
    admin; test databases are copied from it (far faster than migrating each time)."""
    from crm_desktop.sync.server.schema import init_server

    pg_server.create_role(CRM_ADMIN, CRM_ADMIN_PASSWORD, "LOGIN CREATEROLE CREATEDB")
    pg_server.create_database(TEMPLATE_DB, owner=CRM_ADMIN)
    init_server(pg_server.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, TEMPLATE_DB))
    return TEMPLATE_DB


@dataclass
class CrmDatabase:
    """One test's CRM database and the ways to reach it."""

    server: PostgresServer
    name: str
    passwords: dict[str, str] = field(default_factory=dict)
    admin_login: str = CRM_ADMIN

    @property
    def admin_dsn(self) -> str:
        return self.server.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, self.name)

    def dsn_for(self, login: str) -> str:
        return self.server.dsn(login, self.passwords[login], self.name)

    def connect_as(self, login: str) -> psycopg.Connection:
        """Log in as a CRM user with his own password, as psql would; autocommit."""
        return psycopg.connect(self.dsn_for(login), autocommit=True)

    def connect_admin(self) -> psycopg.Connection:
        return psycopg.connect(self.admin_dsn, autocommit=True)

    def add_user(
        self, login: str, role: str, manager: str | None = None, password: str | None = None
    ) -> str:
        """Create a CRM user the way `server add-user` does; returns his users.id."""
        from crm_desktop.sync.server.admin import add_user

        password = password or f"pw-{login}-{secrets.token_hex(4)}"
        user_id = add_user(self.admin_dsn, login, role, password, manager=manager)
        self.passwords[login] = password
        return user_id


@pytest.fixture
def crm_db(pg_cleanup: PostgresServer, crm_template: str) -> CrmDatabase:
    """A fresh CRM database per test; the roles and databases it made are dropped after."""
    from crm_desktop.sync.server.schema import SECURE_DATABASE

    name = pg_cleanup.create_database(unique_name("crm_test"), crm_template, owner=CRM_ADMIN)
    # A copy does not inherit the template's database privileges: secure it as init would.
    pg_cleanup.execute(SECURE_DATABASE, name)
    return CrmDatabase(pg_cleanup, name)
