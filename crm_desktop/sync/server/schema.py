"""Creating and upgrading the server schema with alembic, over one psycopg connection.

Works without superuser (managed PostgreSQL) and behind pgbouncer in transaction-pooling mode:
the whole upgrade is one transaction, its lock is a transaction-level advisory lock, and nothing
sets session state.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from crm_desktop.sync.server.errors import ServerAdminError, invalid_connection_string

MIGRATIONS = Path(__file__).with_name("migrations")
# NOLOGIN role holding the table privileges; every CRM user's login role is a member.
GROUP_ROLE = "crm_users"
# Serialises two `server init` runs on one database (held until commit; pgbouncer-safe).
MIGRATION_LOCK_KEY = 0x63726D5F696E6974  # "crm_init"
# CRM roles may not create temporary tables (nor the types, casts and functions that could go
# with them), and only this database's logins may connect to it: login roles are shared by every
# database on the server. A database's own privileges are not carried by pg_dump or by CREATE
# DATABASE ... TEMPLATE, so every `server init` applies this again (migration 0003 did it first),
# to the logins made for this database (`crm_logins`, server revision 0023; a schema stopped at
# an older revision still goes by its users and finance logins, as those revisions did).
SECURE_DATABASE = """
DO $$
DECLARE
    login text;
BEGIN
    EXECUTE 'REVOKE CONNECT, TEMPORARY ON DATABASE ' || quote_ident(current_database())
        || ' FROM PUBLIC';
    IF to_regclass('public.crm_logins') IS NOT NULL THEN
        FOR login IN
            SELECT l.login FROM public.crm_logins l JOIN pg_roles r ON r.rolname = l.login
            WHERE NOT r.rolsuper
        LOOP
            EXECUTE 'GRANT CONNECT ON DATABASE ' || quote_ident(current_database())
                || ' TO ' || quote_ident(login);
        END LOOP;
        RETURN;
    END IF;
    FOR login IN SELECT u.login FROM public.users u JOIN pg_roles r ON r.rolname = u.login LOOP
        EXECUTE 'GRANT CONNECT ON DATABASE ' || quote_ident(current_database())
            || ' TO ' || quote_ident(login);
    END LOOP;
    FOR login IN
        SELECT r.rolname FROM pg_roles r
        WHERE r.rolcanlogin AND to_regrole('crm_finance') IS NOT NULL
          AND pg_has_role(r.oid, 'crm_finance', 'MEMBER') AND NOT r.rolsuper
    LOOP
        EXECUTE 'GRANT CONNECT ON DATABASE ' || quote_ident(current_database())
            || ' TO ' || quote_ident(login);
    END LOOP;
END
$$
"""


def has_object(connection: psycopg.Connection, name: str) -> bool:
    """Whether the server's schema holds a table or view (`name`), or a function (`name()`
    with its argument types): what a newer migration added, absent from an older server."""
    lookup = "to_regprocedure" if "(" in name else "to_regclass"
    row = connection.execute(f"SELECT {lookup}(%s) IS NOT NULL", (f"public.{name}",)).fetchone()
    return bool(row and row[0])


@dataclass(frozen=True)
class InitResult:
    previous: str | None
    current: str

    @property
    def changed(self) -> bool:
        return self.previous != self.current


def connect(dsn: str, **kwargs: object) -> psycopg.Connection:
    """Open a connection; a refused or failed login becomes one plain sentence.

    `dsn` is a libpq URL or key=value string; a password may also come from PGPASSWORD or
    ~/.pgpass. The DSN is never repeated in messages, as it may hold a password.
    """
    # No server-side prepared statements: under pgbouncer's transaction pooling the next
    # transaction may run on another server connection that never saw them.
    kwargs.setdefault("prepare_threshold", None)
    try:
        connection = psycopg.connect(dsn, **kwargs)
    except psycopg.OperationalError as error:
        # libpq's whole message: its last line alone dropped what names the cause (which
        # certificate file is missing; which address refused, before "Is the server running").
        lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
        reason = " ".join(lines) if lines else "no reason given"
        raise ServerAdminError(f"Could not connect to the server: {reason}") from None
    except psycopg.ProgrammingError as error:  # a malformed connection string
        raise invalid_connection_string(error) from None
    # A CRM user's changes need READ COMMITTED (revision 0021), whatever the database's default.
    connection.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
    return connection


def make_engine(dsn: str) -> Engine:
    """A SQLAlchemy engine over our own psycopg connections (any libpq DSN form works);
    no pool, so nothing stays open after a command."""
    return create_engine("postgresql+psycopg://", creator=lambda: connect(dsn), poolclass=NullPool)


def _alembic_config(connection: Connection | None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert head is not None
    return head


def current_revision(dsn: str) -> str | None:
    engine = make_engine(dsn)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def init_server(dsn: str, target: str = "head") -> InitResult:
    """Create the schema, or upgrade it to `target`; at the target already, change nothing."""
    scripts = ScriptDirectory.from_config(_alembic_config(None))
    with connect(dsn) as raw:  # before SQLAlchemy, which cannot even start on SQL_ASCII
        _check_encoding(raw)
    engine = make_engine(dsn)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
            _check_server(connection)
            previous = MigrationContext.configure(connection).get_current_revision()
            if previous is not None and scripts.get_revision(previous) is None:
                raise ServerAdminError(
                    "The server schema was made by a newer version of this program; "
                    "please upgrade it before running server init."
                )
            _ensure_group_role(connection)
            command.upgrade(_alembic_config(connection), target)
            current = MigrationContext.configure(connection).get_current_revision()
            connection.exec_driver_sql(SECURE_DATABASE)
    except DBAPIError as error:
        # SQLAlchemy wraps the driver's error; a missing right is the admin's to fix, the rest
        # are bugs and keep their traceback.
        if isinstance(error.orig, psycopg.errors.InsufficientPrivilege):
            raise ServerAdminError(
                "The role in the connection string lacks a right server init needs "
                "(it must own the database and have CREATEROLE): "
                f"{error.orig.diag.message_primary}"
            ) from None
        raise
    finally:
        engine.dispose()
    assert current is not None
    return InitResult(previous, current)


def _check_server(connection: Connection) -> None:
    version = int(connection.execute(text("SHOW server_version_num")).scalar_one())
    if version < 130000:
        # xid8, pg_current_xact_id() and a core gen_random_uuid() arrived in PostgreSQL 13.
        raise ServerAdminError("The server runs a PostgreSQL older than 13; please upgrade it.")


def _check_encoding(connection: psycopg.Connection) -> None:
    encoding = connection.info.parameter_status("server_encoding")
    if encoding != "UTF8":
        # Chinese names cannot be stored in SQL_ASCII (a C-locale cluster's default) or LATIN1,
        # and init failed on it with a bug's apology.
        raise ServerAdminError(
            f"The database is in the {encoding} encoding, which cannot hold Chinese text; make "
            "it again with ENCODING 'UTF8' TEMPLATE template0 (see docs/server.md, What you "
            "need), then run server init."
        )


def _ensure_group_role(connection: Connection) -> None:
    # Also done by the first migration; repeated here for a database restored onto a new
    # cluster (pg_dump does not carry roles).
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": GROUP_ROLE}
    ).first()
    if not exists:
        connection.exec_driver_sql(f"CREATE ROLE {GROUP_ROLE} NOLOGIN")
