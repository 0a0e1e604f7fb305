"""A login for pgbouncer to look users up with, so that it need not be the cluster's superuser.

pgbouncer checks a user's password against the hash PostgreSQL keeps, which it reads with its
`auth_query` while logged in as its `auth_user`. Only a superuser may read those hashes
(`pg_authid`). So `server pgbouncer-login`, run once per CRM database as the superuser, makes:

- the login `pgbouncer_auth` (no other right: no member of any role, no CRM user, may connect
  to this database and nothing more);
- in a schema `pgbouncer` only that login may use, the function `pgbouncer.get_auth(name)`,
  which runs with the superuser's rights and returns one hash: that of a role which may log
  in and connect to this database, and is no superuser, no replication role and does not
  bypass row-level security. An expired password gives no hash, as PostgreSQL would refuse
  it. Nobody else may call it: every CRM role is refused, as the attack tests check.

pgbouncer 1.18 runs `auth_query` in the database being connected to, so each database
pgbouncer serves needs the function (run the command again with the same password for each).
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.schema import connect

POOLER_LOGIN = "pgbouncer_auth"
SCHEMA = "pgbouncer"
# What pgbouncer.ini's auth_query says.
AUTH_QUERY = f"SELECT username, password FROM {SCHEMA}.get_auth($1)"

GET_AUTH = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.get_auth(p_username text)
RETURNS TABLE (username text, password text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.rolname::text,
           CASE WHEN r.rolvaliduntil < now() THEN NULL ELSE r.rolpassword END
    FROM pg_catalog.pg_authid r
    WHERE r.rolname = p_username
      AND r.rolcanlogin
      AND NOT r.rolsuper AND NOT r.rolreplication AND NOT r.rolbypassrls
      AND pg_catalog.has_database_privilege(r.oid, pg_catalog.current_database(), 'CONNECT')
$$
"""


def set_up_pooler_login(dsn: str, password: str, login: str = POOLER_LOGIN) -> None:
    """Make (or bring up to date) pgbouncer's lookup login and its function in the database
    of `dsn`, in one transaction. `dsn` must log in as a superuser."""
    if not password:
        raise ServerAdminError("The password is empty; give the login a password.")
    with connect(dsn) as connection, connection.transaction():
        _check_superuser(connection)
        _login(connection, login, password)
        _function(connection, login)


def _check_superuser(connection: psycopg.Connection) -> None:
    row = connection.execute(
        "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user"
    ).fetchone()
    if not (row and row[0]):
        raise ServerAdminError(
            "Run this as the server's superuser (such as postgres): only it may read the "
            "password hashes pgbouncer checks passwords against."
        )


def _login(connection: psycopg.Connection, login: str, password: str) -> None:
    """The login with no right beyond connecting here; an existing one is checked first."""
    found = connection.execute(
        "SELECT r.oid, r.rolsuper,"
        " EXISTS (SELECT FROM pg_catalog.pg_auth_members m WHERE m.member = r.oid)"
        " FROM pg_catalog.pg_roles r WHERE r.rolname = %s",
        (login,),
    ).fetchone()
    if (found and (found[1] or found[2])) or _is_crm_user(connection, login):
        raise ServerAdminError(
            f"The role “{login}” already exists with other rights (a member of another role, "
            "a CRM user or a superuser); choose another name with --login."
        )
    verifier = connection.pgconn.encrypt_password(
        password.encode(), login.encode(), b"scram-sha-256"
    ).decode()
    rights = sql.SQL(
        "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD {}"
    ).format(sql.Literal(verifier))
    verb = "ALTER" if found else "CREATE"
    connection.execute(
        sql.SQL(verb + " ROLE {} {}").format(sql.Identifier(login), rights)  # verb: ours
    )
    database = connection.execute("SELECT current_database()").fetchone()[0]
    connection.execute(
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(login)
        )
    )


def _is_crm_user(connection: psycopg.Connection, login: str) -> bool:
    """A CRM user of this database (before `server init` there are none)."""
    schema_made = connection.execute("SELECT to_regclass('public.users')").fetchone()
    if not (schema_made and schema_made[0]):
        return False
    row = connection.execute("SELECT EXISTS (SELECT FROM public.users WHERE login = %s)", (login,))
    return bool(row.fetchone()[0])


def _function(connection: psycopg.Connection, login: str) -> None:
    """The schema (a superuser's alone) and the lookup function only the login may call."""
    owner = connection.execute(
        "SELECT r.rolsuper FROM pg_catalog.pg_namespace n"
        " JOIN pg_catalog.pg_roles r ON r.oid = n.nspowner WHERE n.nspname = %s",
        (SCHEMA,),
    ).fetchone()
    if owner is not None and not owner[0]:
        # Whoever owns it could put objects there that the function's caller would meet.
        raise ServerAdminError(
            f"The schema “{SCHEMA}” exists and belongs to a role that is not a superuser; "
            "drop it or give it to the superuser, then run this again."
        )
    schema, grantee = sql.Identifier(SCHEMA), sql.Identifier(login)
    connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema))
    connection.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(schema))
    creators = connection.execute(
        "SELECT string_agg(r.rolname, ', ' ORDER BY r.rolname) FROM pg_catalog.pg_roles r"
        " WHERE NOT r.rolsuper AND has_schema_privilege(r.oid, %s, 'CREATE')",
        (SCHEMA,),
    ).fetchone()
    if creators and creators[0]:
        raise ServerAdminError(
            f"Roles that are not superusers may create objects in the schema “{SCHEMA}” "
            f"({creators[0]}); revoke that, then run this again."
        )
    connection.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, grantee))
    connection.execute(GET_AUTH)
    function = sql.SQL("FUNCTION {}.get_auth(text)").format(schema)
    # Replacing a function keeps its owner, whose rights it runs with.
    connection.execute(sql.SQL("ALTER {} OWNER TO CURRENT_USER").format(function))
    connection.execute(sql.SQL("REVOKE ALL ON {} FROM PUBLIC").format(function))
    connection.execute(sql.SQL("GRANT EXECUTE ON {} TO {}").format(function, grantee))
