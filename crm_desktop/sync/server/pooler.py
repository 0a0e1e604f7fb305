"""A login for pgbouncer to look users up with, so that it need not be the cluster's superuser.

pgbouncer checks a user's password against the hash PostgreSQL keeps, which it reads with its
`auth_query` while logged in as its `auth_user`. Only a superuser may read those hashes
(`pg_authid`). So `server pgbouncer-login`, run once per CRM database as the superuser, makes:

- the login `pgbouncer_auth`: no member of any role, no role a member of it, and no right but
  to connect to this database and call one function;
- in a schema `pgbouncer` that only that login may use and that holds nothing else, the
  function `pgbouncer.get_auth(name)`. It runs with the superuser's rights and returns the hash
  of one login of this database: the database's owner, or a CRM or finance login (a direct
  member of `crm_users` or `crm_finance`) that may connect to it. Never a superuser's, a
  replication role's or one that bypasses row-level security, and never for an expired
  password. Nobody else may call it: every CRM role is refused, as the attack tests check.

The command itself runs as the superuser in a database the deployment admin owns, and trusts
nothing there: its search path is PostgreSQL's own catalog alone (the owner may have set
another for the database, with operators of his own on it), it reads roles and privileges from
the catalog, never a CRM table, and it refuses a schema, a login or objects others made first.

On PostgreSQL 15 and older a role with CREATEROLE (the deployment admin) may change the
password of any role that is not a superuser, this login included; it is trusted with every
CRM login already. From PostgreSQL 16 it may not touch a role the superuser made.

pgbouncer 1.18 runs `auth_query` in the database being connected to, so each database
pgbouncer serves needs the function (run the command again with the same password for each).
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from crm_desktop.sync.server.admin import check_new_password, grant_connect, scram_verifier
from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.schema import connect

POOLER_LOGIN = "pgbouncer_auth"
SCHEMA = "pgbouncer"
# What pgbouncer.ini's auth_query says.
AUTH_QUERY = f"SELECT username, password FROM {SCHEMA}.get_auth($1)"
# The logins pgbouncer serves besides the database's owner: server init's group of CRM users
# and migration 0016's finance group (copies of their names: roles are the server's).
SERVED_GROUPS = ("crm_users", "crm_finance")

GET_AUTH = f"""
CREATE FUNCTION {SCHEMA}.get_auth(p_username pg_catalog.text)
RETURNS TABLE (username pg_catalog.text, password pg_catalog.text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.rolname::pg_catalog.text,
           CASE WHEN r.rolvaliduntil OPERATOR(pg_catalog.<) pg_catalog.now() THEN NULL
                ELSE r.rolpassword END
    FROM pg_catalog.pg_authid r
    WHERE r.rolname OPERATOR(pg_catalog.=) p_username
      AND r.rolcanlogin
      AND NOT r.rolsuper AND NOT r.rolreplication AND NOT r.rolbypassrls
      AND pg_catalog.has_database_privilege(r.oid, pg_catalog.current_database(), 'CONNECT')
      AND (
          r.oid OPERATOR(pg_catalog.=) (
              SELECT d.datdba FROM pg_catalog.pg_database d
              WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database())
          OR EXISTS (
              SELECT FROM pg_catalog.pg_auth_members m
              JOIN pg_catalog.pg_roles g ON g.oid OPERATOR(pg_catalog.=) m.roleid
              WHERE m.member OPERATOR(pg_catalog.=) r.oid
                AND g.rolname OPERATOR(pg_catalog.=) ANY (ARRAY{list(SERVED_GROUPS)!r}))
      )
$$
"""


def set_up_pooler_login(dsn: str, password: str, login: str = POOLER_LOGIN) -> None:
    """Make (or bring up to date) pgbouncer's lookup login and its function in the database
    of `dsn`, in one transaction. `dsn` must log in as a superuser."""
    check_new_password(password, "login")
    with connect(dsn) as connection, connection.transaction():
        # Before anything else: the database's own search_path is its owner's choice.
        connection.execute("SET LOCAL search_path = pg_catalog, pg_temp")
        _check_superuser(connection)
        _login(connection, login, password)
        _schema(connection, login)
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
    """The login with no right beyond connecting here; an existing one must have no member,
    no membership and no special right (someone could have made it first, for himself)."""
    found = connection.execute(
        "SELECT r.oid, r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication"
        " OR r.rolbypassrls"
        " OR EXISTS (SELECT FROM pg_catalog.pg_auth_members m"
        "            WHERE m.member = r.oid OR m.roleid = r.oid)"
        " FROM pg_catalog.pg_roles r WHERE r.rolname = %s",
        (login,),
    ).fetchone()
    if found and found[1]:
        raise ServerAdminError(
            f"The role “{login}” already exists with other rights (a member of another role, "
            "a role with members, a CRM user or a role with special rights); drop it or "
            "choose another name with --login."
        )
    verifier = scram_verifier(connection, login, password)
    rights = sql.SQL(
        "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT"
        " PASSWORD {} VALID UNTIL 'infinity'"
    ).format(sql.Literal(verifier))
    verb = sql.SQL("ALTER" if found else "CREATE")
    connection.execute(sql.SQL("{} ROLE {} {}").format(verb, sql.Identifier(login), rights))
    grant_connect(connection, login)


def _schema(connection: psycopg.Connection, login: str) -> None:
    """The schema, a superuser's, holding nothing of anyone else's, used by the login alone."""
    found = connection.execute(
        "SELECT n.oid, r.rolsuper FROM pg_catalog.pg_namespace n"
        " JOIN pg_catalog.pg_roles r ON r.oid = n.nspowner WHERE n.nspname = %s",
        (SCHEMA,),
    ).fetchone()
    if found is not None and not found[1]:
        # Whoever owns it could put objects there that the function's caller would meet.
        raise ServerAdminError(
            f"The schema “{SCHEMA}” exists and belongs to a role that is not a superuser; "
            "drop it, then run this again."
        )
    if found is not None:
        others = connection.execute(
            "SELECT count(*) FROM ("
            " SELECT relowner AS owner FROM pg_catalog.pg_class WHERE relnamespace = %(n)s"
            " UNION ALL SELECT proowner FROM pg_catalog.pg_proc WHERE pronamespace = %(n)s"
            " UNION ALL SELECT typowner FROM pg_catalog.pg_type WHERE typnamespace = %(n)s"
            " UNION ALL SELECT oprowner FROM pg_catalog.pg_operator WHERE oprnamespace = %(n)s"
            ") o JOIN pg_catalog.pg_roles r ON r.oid = o.owner WHERE NOT r.rolsuper",
            {"n": found[0]},
        ).fetchone()
        if others and others[0]:
            raise ServerAdminError(
                f"The schema “{SCHEMA}” holds objects of roles that are not superusers; drop "
                "it, then run this again."
            )
    schema = sql.Identifier(SCHEMA)
    connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema))
    # Whatever was granted on it before (to PUBLIC, to a login of an earlier --login) goes.
    for grantee in _grantees(
        connection, "SELECT nspacl FROM pg_catalog.pg_namespace WHERE nspname = %s", SCHEMA
    ):
        connection.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(schema, grantee))
    connection.execute(
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, sql.Identifier(login))
    )


def _function(connection: psycopg.Connection, login: str) -> None:
    """The lookup function, made afresh (no overload, grant or owner of an earlier one stays),
    only the login may call."""
    earlier = connection.execute(
        "SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p"
        " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = %s AND p.proname = 'get_auth'",
        (SCHEMA,),
    ).fetchall()
    for (signature,) in earlier:
        # regprocedure's text names it fully, each part quoted as needed.
        connection.execute(sql.SQL("DROP FUNCTION {}").format(sql.SQL(signature)))
    connection.execute(GET_AUTH)
    function = sql.SQL("FUNCTION {}.get_auth(pg_catalog.text)").format(sql.Identifier(SCHEMA))
    connection.execute(sql.SQL("REVOKE ALL ON {} FROM PUBLIC").format(function))
    connection.execute(sql.SQL("GRANT EXECUTE ON {} TO {}").format(function, sql.Identifier(login)))


def _grantees(connection: psycopg.Connection, acl_query: str, name: str) -> list[sql.Composable]:
    """Every grantee of an object's ACL but its owner's own entry, PUBLIC as the keyword."""
    rows = connection.execute(
        "SELECT DISTINCT a.grantee, a.grantee = 0 FROM (" + acl_query + ") o (acl),"
        " aclexplode(o.acl) a WHERE a.grantee <> a.grantor",
        (name,),
    ).fetchall()
    grantees: list[sql.Composable] = []
    for oid, is_public in rows:
        if is_public:
            grantees.append(sql.SQL("PUBLIC"))
            continue
        role = connection.execute(
            "SELECT rolname FROM pg_catalog.pg_roles WHERE oid = %s", (oid,)
        ).fetchone()
        if role is not None:
            grantees.append(sql.Identifier(role[0]))
    return grantees
