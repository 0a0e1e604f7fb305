"""pgbouncer's lookup login (`server pgbouncer-login`), attacked with plain SQL: no CRM role may
call the function that reads password hashes with the superuser's rights; the login itself gets
the hash of this database's users only (never a superuser's, a replication role's, one that
bypasses row-level security, or another database's user), reads no CRM table and changes
nothing; and the command refuses to hand the function to a schema or a login that others
control."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.pooler import POOLER_LOGIN, SCHEMA, set_up_pooler_login
from tests.postgres import CRM_ADMIN, CrmDatabase
from tests.server.conftest import World

PASSWORD = "pooler-Secret-1"
LOGINS = ("ada", "mia", "rob", "rae", "cal")


def set_up(db: CrmDatabase, password: str = PASSWORD, login: str = POOLER_LOGIN) -> None:
    set_up_pooler_login(db.server.dsn(dbname=db.name), password, login)


def as_pooler(db: CrmDatabase, password: str = PASSWORD) -> psycopg.Connection:
    return psycopg.connect(db.server.dsn(POOLER_LOGIN, password, db.name), autocommit=True)


def looked_up(connection: psycopg.Connection, name: str) -> list[tuple[str, str | None]]:
    return connection.execute(f"SELECT * FROM {SCHEMA}.get_auth(%s)", (name,)).fetchall()


def superuser(db: CrmDatabase) -> psycopg.Connection:
    """The test's own superuser session, safe from the traps the tests set in the database."""
    return db.server.connect(db.name, options="-c search_path=pg_catalog")


@pytest.fixture
def pooled(world: World) -> World:
    set_up(world.db)
    return world


@pytest.mark.parametrize("login", [*LOGINS, "admin"])
def test_no_crm_role_may_look_a_password_hash_up(pooled: World, login: str) -> None:
    db = pooled.db
    connection = db.connect_admin() if login == "admin" else db.connect_as(login)
    with connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            looked_up(connection, "rob")
        # Nor around it: the catalog of hashes, or a schema of its own named like it.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'rob'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(
                f"CREATE OR REPLACE FUNCTION {SCHEMA}.get_auth(p text)"
                " RETURNS TABLE (username text, password text) LANGUAGE sql"
                " AS $$ SELECT 'rob', 'x' $$"
            )
    with superuser(db) as admin:
        granted = admin.execute(
            f"SELECT has_function_privilege(%s, '{SCHEMA}.get_auth(text)', 'EXECUTE')",
            (CRM_ADMIN if login == "admin" else login,),
        ).fetchone()[0]
    assert granted is False


def test_the_lookup_gives_this_databases_users_only(pooled: World) -> None:
    db = pooled.db
    with superuser(db) as admin:
        # A role of another database, one that bypasses row-level security and may connect
        # here, and a CRM user whose password has expired.
        admin.execute("CREATE ROLE crm_elsewhere LOGIN PASSWORD 'elsewhere-1'")
        admin.execute("CREATE ROLE crm_bypass LOGIN BYPASSRLS PASSWORD 'bypass-1'")
        admin.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO crm_bypass").format(sql.Identifier(db.name))
        )
        admin.execute("ALTER ROLE rae VALID UNTIL '2001-01-01'")
        super_name = admin.execute("SELECT current_user").fetchone()[0]
    with as_pooler(db) as pooler:
        rob = looked_up(pooler, "rob")
        assert [name for name, _ in rob] == ["rob"]
        assert rob[0][1].startswith("SCRAM-SHA-256$")
        assert looked_up(pooler, CRM_ADMIN)[0][1].startswith("SCRAM-SHA-256$")
        assert looked_up(pooler, "rae") == [("rae", None)]  # expired: refused, as PostgreSQL would
        for refused in (super_name, "crm_elsewhere", "crm_bypass", "nobody", "crm_users"):
            assert looked_up(pooler, refused) == [], refused


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT count(*) FROM customers",
        "SELECT count(*) FROM users",
        "SELECT rolpassword FROM pg_authid",
        "UPDATE customers SET name = 'x'",
        f"CREATE TABLE {SCHEMA}.kept (x text)",
        "CREATE TABLE public.kept (x text)",
        f"ALTER FUNCTION {SCHEMA}.get_auth(text) SECURITY INVOKER",
        f"DROP FUNCTION {SCHEMA}.get_auth(text)",
        "SET ROLE rob",
        "GRANT crm_users TO pgbouncer_auth",
        "ALTER ROLE pgbouncer_auth SUPERUSER",
    ],
)
def test_the_lookup_login_reads_and_changes_nothing(pooled: World, statement: str) -> None:
    with as_pooler(pooled.db) as pooler, pytest.raises(psycopg.errors.InsufficientPrivilege):
        pooler.execute(statement)
    with superuser(pooled.db) as admin:
        flags = admin.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls,"
            " (SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid)"
            " FROM pg_roles r WHERE rolname = %s",
            (POOLER_LOGIN,),
        ).fetchone()
        definer = admin.execute(
            f"SELECT prosecdef, proowner::regrole::text FROM pg_proc"
            f" WHERE oid = '{SCHEMA}.get_auth(text)'::regprocedure"
        ).fetchone()
        super_name = admin.execute("SELECT current_user").fetchone()[0]
    assert flags == (False, False, False, False, 0)
    assert definer == (True, super_name)


def test_the_lookup_login_cannot_pass_the_function_on(pooled: World) -> None:
    """PostgreSQL answers a GRANT without the grant option with a warning, not an error: what
    counts is that rob still may not call it."""
    with as_pooler(pooled.db) as pooler:
        pooler.execute(f"GRANT EXECUTE ON FUNCTION {SCHEMA}.get_auth(text) TO rob")
    with superuser(pooled.db) as admin:
        granted = admin.execute(
            f"SELECT has_function_privilege('rob', '{SCHEMA}.get_auth(text)', 'EXECUTE')"
        ).fetchone()[0]
    assert granted is False
    with pooled.db.connect_as("rob") as rob, pytest.raises(psycopg.errors.InsufficientPrivilege):
        looked_up(rob, "rob")


def test_only_a_superuser_may_make_it(world: World) -> None:
    with pytest.raises(ServerAdminError, match="superuser"):
        set_up_pooler_login(world.db.admin_dsn, PASSWORD)
    with superuser(world.db) as admin:
        made = admin.execute(
            "SELECT to_regnamespace(%s), to_regrole(%s)", (SCHEMA, POOLER_LOGIN)
        ).fetchone()
    assert made == (None, None)


def test_a_crm_user_is_never_made_the_lookup_login(world: World) -> None:
    with pytest.raises(ServerAdminError, match="already exists"):
        set_up(world.db, login="rob")
    with world.db.connect_as("rob") as rob:  # his password and rights as they were
        assert rob.execute("SELECT crm_current_role()").fetchone()[0] == "rep"
    with superuser(world.db) as admin:
        assert admin.execute("SELECT to_regnamespace(%s)", (SCHEMA,)).fetchone()[0] is None


def test_a_schema_someone_else_made_first_is_refused(world: World) -> None:
    """The database's owner (or anyone with CREATE) could have placed objects for the
    superuser's function to meet."""
    with world.db.connect_admin() as owner:
        owner.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(SCHEMA)))
    with pytest.raises(ServerAdminError, match="not a superuser"):
        set_up(world.db)
    with superuser(world.db) as admin:
        assert admin.execute("SELECT to_regrole(%s)", (POOLER_LOGIN,)).fetchone()[0] is None
        admin.execute(
            sql.SQL("ALTER SCHEMA {} OWNER TO CURRENT_USER").format(sql.Identifier(SCHEMA))
        )
        admin.execute(
            sql.SQL("GRANT USAGE, CREATE ON SCHEMA {} TO {}").format(
                sql.Identifier(SCHEMA), sql.Identifier(CRM_ADMIN)
            )
        )
    with world.db.connect_admin() as owner:  # what he made there while he could
        owner.execute(f"CREATE TABLE {SCHEMA}.planted (x text)")
    with pytest.raises(ServerAdminError, match="holds objects"):
        set_up(world.db)
    with world.db.connect_admin() as owner:
        owner.execute(f"DROP TABLE {SCHEMA}.planted")
    set_up(world.db)  # a right to create there, granted before, is taken away
    with superuser(world.db) as admin:
        may_create = admin.execute(
            "SELECT has_schema_privilege(%s, %s, 'CREATE')", (CRM_ADMIN, SCHEMA)
        ).fetchone()[0]
    assert may_create is False


def test_running_it_again_changes_the_password(pooled: World) -> None:
    set_up(pooled.db, password="pooler-Secret-2")
    with pytest.raises(psycopg.OperationalError):
        as_pooler(pooled.db).close()
    with as_pooler(pooled.db, "pooler-Secret-2") as pooler:
        assert [name for name, _ in looked_up(pooler, "rob")] == ["rob"]


def test_the_docs_give_the_auth_query_the_function_answers() -> None:
    from pathlib import Path

    from crm_desktop.sync.server.pooler import AUTH_QUERY

    docs = (Path(__file__).parents[2] / "docs" / "server.md").read_text(encoding="utf-8")
    assert f"auth_query = {AUTH_QUERY}\n" in docs
    # On a line of its own: pgbouncer reads a comment after a value as part of the value.
    assert f"auth_user = {POOLER_LOGIN}\n" in docs


def test_the_owners_search_path_and_operators_never_run_as_the_superuser(world: World) -> None:
    """The database's owner sets its search_path to a schema of his own, with an `=` for the
    names the command compares that notes who ran it: the command must never call it."""
    db = world.db
    with db.connect_admin() as owner:
        owner.execute("CREATE SCHEMA trap")
        owner.execute("CREATE TABLE trap.caught (who text)")
        owner.execute("GRANT INSERT ON trap.caught TO PUBLIC")
        owner.execute("GRANT USAGE ON SCHEMA trap TO PUBLIC")
        owner.execute(
            "CREATE FUNCTION trap.same(a name, b name) RETURNS boolean LANGUAGE plpgsql AS $$"
            " BEGIN INSERT INTO trap.caught VALUES (current_user || ': ' || current_query());"
            " RETURN a::text OPERATOR(pg_catalog.=) b::text; END $$"
        )
        owner.execute(
            "CREATE OPERATOR trap.= (LEFTARG = name, RIGHTARG = name, FUNCTION = trap.same)"
        )
        owner.execute(
            sql.SQL("ALTER DATABASE {} SET search_path = trap, pg_catalog").format(
                sql.Identifier(db.name)
            )
        )
    with db.connect_admin() as owner:  # the trap works: a new session compares names with it
        owner.execute("SELECT 1 FROM pg_roles WHERE rolname = 'rob'")
        assert owner.execute("SELECT count(*) FROM trap.caught").fetchone()[0] > 0

    set_up(db)

    with superuser(db) as admin:
        caught = admin.execute(
            "SELECT DISTINCT split_part(who, ':', 1) FROM trap.caught"
        ).fetchall()
        owner_is_super = admin.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = %s", (CRM_ADMIN,)
        ).fetchone()[0]
    assert caught == [(CRM_ADMIN,)]  # only the owner's own session above
    assert owner_is_super is False
    with as_pooler(db) as pooler:  # and the lookup, run by pgbouncer's login, is not caught
        assert [name for name, _ in looked_up(pooler, "rob")] == ["rob"]
    with superuser(db) as admin:
        assert (
            admin.execute("SELECT DISTINCT split_part(who, ':', 1) FROM trap.caught").fetchall()
            == caught
        )


def test_a_lookup_login_someone_made_for_himself_first_is_refused(world: World) -> None:
    with world.db.connect_admin() as owner:  # CREATEROLE: he may make roles
        owner.execute(f"CREATE ROLE {POOLER_LOGIN} LOGIN PASSWORD 'mine-1'")
        owner.execute(f"GRANT {POOLER_LOGIN} TO {CRM_ADMIN}")
    with pytest.raises(ServerAdminError, match="already exists"):
        set_up(world.db)
    with superuser(world.db) as admin:
        assert admin.execute("SELECT to_regnamespace(%s)", (SCHEMA,)).fetchone()[0] is None


def test_before_server_init_only_the_owner_is_served(pg_cleanup) -> None:
    """A database made, not yet secured by `server init` (everyone may connect to it): the
    lookup still gives no hash but its owner's."""
    from tests.postgres import unique_name

    name = pg_cleanup.create_database(unique_name("crm_bare"), owner=CRM_ADMIN)
    pg_cleanup.execute("CREATE ROLE crm_stranger LOGIN PASSWORD 'stranger-1'")
    db = CrmDatabase(pg_cleanup, name)
    set_up(db)
    with as_pooler(db) as pooler:
        assert looked_up(pooler, "crm_stranger") == []
        assert [name for name, _ in looked_up(pooler, CRM_ADMIN)] == [CRM_ADMIN]


def test_what_an_earlier_set_up_left_is_replaced(world: World) -> None:
    """A lookup function of the old documentation's shape, usable by anyone, and an overload
    beside it: after the command, one function, callable by its login alone."""
    db = world.db
    with superuser(db) as admin:
        admin.execute(f"CREATE SCHEMA {SCHEMA}")
        admin.execute(f"GRANT USAGE ON SCHEMA {SCHEMA} TO PUBLIC")
        admin.execute(
            f"CREATE FUNCTION {SCHEMA}.get_auth(p_usename text, OUT usename name, OUT passwd text)"
            " LANGUAGE sql SECURITY DEFINER AS"
            " $$ SELECT rolname, rolpassword FROM pg_authid WHERE rolname = p_usename $$"
        )
        admin.execute(
            f"CREATE FUNCTION {SCHEMA}.get_auth(p integer) RETURNS text LANGUAGE sql"
            " SECURITY DEFINER AS $$ SELECT rolpassword FROM pg_authid LIMIT 1 $$"
        )
        admin.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {SCHEMA} TO PUBLIC")
    set_up(db)
    with superuser(db) as admin:
        left = admin.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p"
            " WHERE p.pronamespace = %s::regnamespace",
            (SCHEMA,),
        ).fetchall()
        callers = admin.execute(
            "SELECT r.rolname FROM pg_roles r"
            f" WHERE has_function_privilege(r.oid, '{SCHEMA}.get_auth(text)', 'EXECUTE')"
            " AND NOT r.rolsuper AND r.rolname NOT LIKE 'pg\\_%'"
        ).fetchall()
        users = admin.execute(
            "SELECT r.rolname FROM pg_roles r"
            " WHERE has_schema_privilege(r.oid, %s, 'USAGE') AND NOT r.rolsuper"
            " AND r.rolname NOT LIKE 'pg\\_%%'",  # PostgreSQL's own, reading every schema
            (SCHEMA,),
        ).fetchall()
    assert left == [(f"{SCHEMA}.get_auth(text)",)]
    assert callers == users == [(POOLER_LOGIN,)]  # PUBLIC's grants are gone
    with db.connect_as("rob") as rob, pytest.raises(psycopg.errors.InsufficientPrivilege):
        looked_up(rob, "rob")
    with as_pooler(db) as pooler:
        row = pooler.execute(f"SELECT username, password FROM {SCHEMA}.get_auth('rob')").fetchone()
    assert row[0] == "rob"
