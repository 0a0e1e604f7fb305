"""Attacks on the server itself: running code with the owner's rights, making objects of one's
own, switching the rules off, hard deletes. Each role logs in with its own password, as psql
would, tries, is refused, and the data stays as it was."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from tests.server import attack_helpers
from tests.server.attack_helpers import LOGINS, RLS_VIOLATION, SYNCED_TABLES

shared_world = attack_helpers.shared_world
world = attack_helpers.world

OWNER_RIGHTS_FUNCTIONS = (
    "crm_capture_change()",
    "crm_capture_truncate()",
    "crm_sync_login()",
    # A customer's new owner or grade in its history, per statement (0020).
    "crm_record_owner_changes()",
    # New rows' log lines and first ownership history, per statement (0019).
    "crm_capture_inserts()",
    "crm_record_entries()",
    "crm_keep_followed_customer()",
    # Finance (0016): executable by crm_finance alone, never by a CRM role.
    "crm_erp_customers()",
    "crm_erp_contracts()",
    "crm_erp_payments()",
)
# The invoker-rights helpers the policies call: the only functions a CRM role may execute.
POLICY_HELPERS = {
    "crm_current_user_id()",
    "crm_current_role()",
    "crm_is_admin()",
    "crm_sees_pool()",
    "crm_visible_owner_ids()",
    "crm_can_see_customer(uuid)",
    # Also invoker rights: the pool's due date, and returning what is due of one's own.
    "crm_pool_due_at(uuid,uuid,text)",
    "crm_return_due_customers()",
    "crm_followup_keeps(uuid,timestamp with time zone,uuid)",
    # Offices (0010): a manager's team by office, and the office a user waits for.
    "crm_team_ids()",
    # Work logs (0012): whose logs the caller reads.
    "crm_log_author_ids()",
    "crm_office_waiting()",
    # Grades (0015): refused to anyone but an administrator.
    "crm_proposed_grades()",
    "crm_apply_grades()",
}
PUBLIC_FUNCTIONS = """
SELECT p.oid, p.oid::regprocedure::text, p.prosecdef
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public'
ORDER BY 2
"""

# Owner-rights functions anyone may run: PUBLIC (grantee 0) or the group holding EXECUTE.
DEFINERS_GRANTED_TO_ALL = """
SELECT p.oid::regprocedure::text, a.grantee
FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
  AND a.privilege_type = 'EXECUTE'
  AND (a.grantee = 0 OR a.grantee = 'crm_users'::regrole)
"""


@pytest.mark.parametrize("role", [*LOGINS, "crm_users", "public"])
def test_no_crm_role_may_execute_an_owner_rights_function(world, role) -> None:
    functions = world.owner().execute(PUBLIC_FUNCTIONS).fetchall()
    definers = {name for _, name, definer in functions if definer}
    assert definers >= set(OWNER_RIGHTS_FUNCTIONS)  # the check below is about something
    executable = [
        name
        for oid, name, definer in functions
        if definer
        and world.owner()
        .execute("SELECT has_function_privilege(%s, %s, 'EXECUTE')", (role, oid))
        .fetchone()[0]
    ]
    assert executable == []
    world.assert_unchanged()


def test_no_function_in_public_is_owner_rights_and_granted_to_the_group_or_public(world) -> None:
    granted = world.owner().execute(DEFINERS_GRANTED_TO_ALL).fetchall()
    assert granted == []
    world.assert_unchanged()


def test_crm_users_may_execute_only_the_policy_helpers(world) -> None:
    executable = {
        name
        for oid, name, _ in world.owner().execute(PUBLIC_FUNCTIONS).fetchall()
        if world.owner()
        .execute("SELECT has_function_privilege('crm_users', %s, 'EXECUTE')", (oid,))
        .fetchone()[0]
    }
    assert executable == POLICY_HELPERS
    world.assert_unchanged()


@pytest.mark.parametrize("function", OWNER_RIGHTS_FUNCTIONS)
@pytest.mark.parametrize("login", LOGINS)
def test_calling_an_owner_rights_function_is_refused(world, login, function) -> None:
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
    ):
        connection.execute(f"SELECT {function}")
    world.assert_unchanged()


OWN_OBJECTS = [
    "CREATE TEMP TABLE evil (x int)",
    "CREATE TEMP VIEW evil AS SELECT 1 AS x",
    "CREATE TEMP SEQUENCE evil",
    "SELECT 1 AS x INTO TEMP evil",
    "CREATE TABLE evil (x int)",
    "CREATE TABLE public.evil (x int)",
    "CREATE TABLE public.evil AS SELECT * FROM customers",
    "CREATE VIEW public.evil AS SELECT 1 AS x",
    "CREATE SEQUENCE public.evil",
    "CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "CREATE FUNCTION pg_temp.evil() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "CREATE PROCEDURE public.evil() LANGUAGE sql AS 'SELECT 1'",
    "CREATE TYPE evil AS (x int)",
    "CREATE TYPE pg_temp.evil AS (x int)",
    "CREATE TYPE public.evil AS ENUM ('a')",
    "CREATE DOMAIN public.evil AS int",
    "CREATE SCHEMA evil",
    "CREATE OPERATOR public.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = int4eq)",
    "CREATE CAST (text AS uuid) WITH INOUT",
    "CREATE ROLE evil",
    "CREATE DATABASE evil",
]


@pytest.mark.parametrize("statement", OWN_OBJECTS)
@pytest.mark.parametrize("login", LOGINS)
def test_objects_of_ones_own_are_refused(world, login, statement) -> None:
    with world.session(login) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)
        # Nor does anything of the name exist afterwards, temporary or not.
        assert connection.execute("SELECT to_regclass('evil')").fetchone()[0] is None
    world.assert_unchanged()


TAMPERING = [
    # Attach an owner-rights function to one of our tables (TRIGGER privilege, ownership).
    "CREATE TRIGGER evil AFTER INSERT ON customers"
    " FOR EACH ROW EXECUTE FUNCTION crm_capture_change()",
    "CREATE TRIGGER evil BEFORE INSERT ON contacts"
    " FOR EACH ROW EXECUTE FUNCTION crm_capture_change()",
    "CREATE TRIGGER evil AFTER TRUNCATE ON followups"
    " FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_truncate()",
    "CREATE TRIGGER evil AFTER INSERT ON contacts REFERENCING NEW TABLE AS crm_new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_inserts()",
    "ALTER TABLE contacts DISABLE TRIGGER crm_capture_inserts",
    "DROP TRIGGER crm_capture_inserts ON contacts",
    "CREATE TRIGGER evil AFTER UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION crm_sync_login()",
    "CREATE TRIGGER evil AFTER UPDATE ON users FOR EACH ROW EXECUTE FUNCTION crm_sync_login()",
    # Switch a rule off.
    "ALTER TABLE customers DISABLE TRIGGER crm_stamp_row",
    "ALTER TABLE customers DISABLE TRIGGER crm_guard_customer",
    "ALTER TABLE sync_changes DISABLE TRIGGER ALL",
    "ALTER TABLE customers DISABLE TRIGGER ALL",
    "ALTER TABLE customers NO FORCE ROW LEVEL SECURITY",
    "ALTER TABLE customers DISABLE ROW LEVEL SECURITY",
    "DROP POLICY customers_select ON customers",
    "ALTER POLICY customers_select ON customers USING (true)",
    "CREATE POLICY evil ON customers USING (true)",
    "DROP TRIGGER crm_guard_customer ON customers",
    "ALTER TABLE customers DROP CONSTRAINT ck_customers_grade",
    "ALTER TABLE opportunities DROP CONSTRAINT fk_opportunities_contact_same_customer",
    "ALTER TABLE customers ADD COLUMN evil int",
    "ALTER TABLE customers OWNER TO current_user",
    "DROP TABLE sync_changes",
    "COMMENT ON TABLE customers IS 'evil'",
    "CREATE INDEX evil ON customers (name)",
    "CREATE OR REPLACE FUNCTION crm_is_admin() RETURNS boolean LANGUAGE sql AS 'SELECT true'",
    "ALTER FUNCTION crm_is_admin() SECURITY DEFINER",
    "ALTER FUNCTION crm_stamp_row() OWNER TO current_user",
    "DROP FUNCTION crm_guard_customer() CASCADE",
    # Become someone else, or more.
    "SET ROLE crm_admin",
    "SET ROLE postgres",
    "SET SESSION AUTHORIZATION crm_admin",
    "SET session_replication_role = replica",
    "GRANT crm_admin TO current_user",
    "ALTER ROLE current_user SUPERUSER",
    "ALTER ROLE current_user CREATEROLE",
    "ALTER ROLE current_user BYPASSRLS",
    "ALTER ROLE crm_users LOGIN",
    "ALTER ROLE crm_admin NOLOGIN",
]


@pytest.mark.parametrize("statement", TAMPERING)
@pytest.mark.parametrize("login", LOGINS)
def test_tampering_with_the_schema_or_roles_is_refused(world, login, statement) -> None:
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute(statement)
    world.assert_unchanged()


@pytest.mark.parametrize("login", LOGINS)
def test_changing_another_users_role_is_refused(world, login) -> None:
    others = [other for other in LOGINS if other != login]
    with world.session(login) as connection:
        for other in others:
            for change in ("NOLOGIN", "PASSWORD 'taken'", "VALID UNTIL '2000-01-01'"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(
                        sql.SQL("ALTER ROLE {} " + change).format(sql.Identifier(other))
                    )
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(other)))
    world.assert_unchanged()
    for other in others:  # still logs in with his own password
        with world.db.connect_as(other) as connection:
            assert connection.execute("SELECT current_user").fetchone()[0] == other


@pytest.mark.parametrize("login", LOGINS)
def test_the_group_role_sees_and_changes_nothing(world, login) -> None:
    with world.session(login) as connection:
        connection.execute("SET ROLE crm_users")
        assert connection.execute("SELECT crm_is_admin()").fetchone()[0] is False
        for table in ("customers", "contacts", "followups", "opportunities", "tasks"):
            count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert count == 0, f"crm_users sees {count} {table}"
        updated = connection.execute("UPDATE customers SET name = 'taken'")
        assert updated.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute("INSERT INTO customers (name) VALUES ('from the group')")
    world.assert_unchanged()


@pytest.mark.parametrize("login", LOGINS)
def test_row_security_cannot_be_switched_off(world, login) -> None:
    with world.session(login) as connection:
        connection.execute("SET row_security = off")
        for table in ("customers", "contacts", "sync_changes", "sync_pushes"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                connection.execute(f"SELECT count(*) FROM {table}")
    world.assert_unchanged()


# The owner (or anyone who could) attaching an owner-rights function to a table that is not one
# of ours: the function's own check refuses before it looks at the row.
FOREIGN_ATTACHMENTS = {
    "scratch table": (
        "CREATE TABLE public.scratch (id uuid DEFAULT gen_random_uuid(), customer_id uuid);"
        " CREATE TRIGGER evil AFTER INSERT ON public.scratch"
        " FOR EACH ROW EXECUTE FUNCTION crm_capture_change()",
        "INSERT INTO public.scratch (customer_id) VALUES (gen_random_uuid())",
    ),
    "a customers table in another schema": (
        "CREATE SCHEMA evil; CREATE TABLE evil.customers (LIKE public.customers);"
        " CREATE TRIGGER evil AFTER INSERT ON evil.customers"
        " FOR EACH ROW EXECUTE FUNCTION crm_capture_change()",
        "INSERT INTO evil.customers SELECT * FROM public.customers",
    ),
    "a BEFORE trigger on a CRM table": (
        "CREATE TRIGGER evil BEFORE INSERT ON public.contacts"
        " FOR EACH ROW EXECUTE FUNCTION crm_capture_change()",
        "INSERT INTO contacts (customer_id, name) SELECT id, 'x' FROM customers LIMIT 1",
    ),
    "a statement trigger on a CRM table": (
        "CREATE TRIGGER evil AFTER INSERT ON public.contacts"
        " FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_change()",
        "INSERT INTO contacts (customer_id, name) SELECT id, 'x' FROM customers LIMIT 1",
    ),
    "truncate capture on a scratch table": (
        "CREATE TABLE public.scratch (id uuid);"
        " CREATE TRIGGER evil AFTER TRUNCATE ON public.scratch"
        " FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_truncate()",
        "TRUNCATE public.scratch",
    ),
    "truncate capture as a row trigger": (
        "CREATE TRIGGER evil AFTER INSERT ON public.contacts"
        " FOR EACH ROW EXECUTE FUNCTION crm_capture_truncate()",
        "INSERT INTO contacts (customer_id, name) SELECT id, 'x' FROM customers LIMIT 1",
    ),
    "login sync on a users-like table": (
        "CREATE TABLE public.scratch (login text, active boolean, deleted_at timestamptz);"
        " INSERT INTO public.scratch VALUES ('rob', true, NULL);"
        " CREATE TRIGGER evil AFTER UPDATE ON public.scratch"
        " FOR EACH ROW EXECUTE FUNCTION crm_sync_login()",
        "UPDATE public.scratch SET active = false",
    ),
    "owner changes on a customers table in another schema": (
        "CREATE SCHEMA evil; CREATE TABLE evil.customers (LIKE public.customers);"
        " INSERT INTO evil.customers SELECT * FROM public.customers;"
        " CREATE TRIGGER evil AFTER UPDATE ON evil.customers"
        " REFERENCING OLD TABLE AS crm_old_rows NEW TABLE AS crm_new_rows"
        " FOR EACH STATEMENT EXECUTE FUNCTION crm_record_owner_changes()",
        "UPDATE evil.customers SET owner_id = NULL, grade = 'A'",
    ),
    "owner changes as a BEFORE trigger on customers": (
        "CREATE TRIGGER evil BEFORE UPDATE ON public.customers"
        " FOR EACH STATEMENT EXECUTE FUNCTION crm_record_owner_changes()",
        "UPDATE customers SET name = name || '!'",
    ),
    "owner changes as a row trigger on customers": (
        "CREATE TRIGGER evil AFTER UPDATE ON public.customers"
        " FOR EACH ROW EXECUTE FUNCTION crm_record_owner_changes()",
        "UPDATE customers SET name = name || '!'",
    ),
    "owner changes on an INSERT into customers": (
        "CREATE TRIGGER evil AFTER INSERT ON public.customers"
        " REFERENCING NEW TABLE AS crm_new_rows"
        " FOR EACH STATEMENT EXECUTE FUNCTION crm_record_owner_changes()",
        "INSERT INTO customers (name) VALUES ('x')",
    ),
    "owner changes on contacts": (
        "CREATE TRIGGER evil AFTER UPDATE ON public.contacts"
        " REFERENCING OLD TABLE AS crm_old_rows NEW TABLE AS crm_new_rows"
        " FOR EACH STATEMENT EXECUTE FUNCTION crm_record_owner_changes()",
        "UPDATE contacts SET name = name || '!'",
    ),
    "insert capture on a scratch table": (
        "CREATE TABLE public.scratch (id uuid DEFAULT gen_random_uuid(), customer_id uuid);"
        " CREATE TRIGGER evil AFTER INSERT ON public.scratch REFERENCING NEW TABLE AS"
        " crm_new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_inserts()",
        "INSERT INTO public.scratch (customer_id) VALUES (gen_random_uuid())",
    ),
    "insert capture on a customers table in another schema": (
        "CREATE SCHEMA evil; CREATE TABLE evil.customers (LIKE public.customers);"
        " CREATE TRIGGER evil AFTER INSERT ON evil.customers REFERENCING NEW TABLE AS"
        " crm_new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_inserts()",
        "INSERT INTO evil.customers SELECT * FROM public.customers",
    ),
    "insert capture as a row trigger on a CRM table": (
        "CREATE TRIGGER evil AFTER INSERT ON public.contacts"
        " FOR EACH ROW EXECUTE FUNCTION crm_capture_inserts()",
        "INSERT INTO contacts (customer_id, name) SELECT id, 'x' FROM customers LIMIT 1",
    ),
    "insert capture on updates of a CRM table": (
        "CREATE TRIGGER evil AFTER UPDATE ON public.contacts REFERENCING NEW TABLE AS"
        " crm_new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_inserts()",
        "UPDATE contacts SET name = name || '!'",
    ),
    "entries history on contacts": (
        "CREATE TRIGGER evil AFTER INSERT ON public.contacts REFERENCING NEW TABLE AS"
        " crm_new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_record_entries()",
        "INSERT INTO contacts (customer_id, name) SELECT id, 'x' FROM customers LIMIT 1",
    ),
    "entries history on a customers table in another schema": (
        "CREATE SCHEMA evil; CREATE TABLE evil.customers (LIKE public.customers);"
        " CREATE TRIGGER evil AFTER INSERT ON evil.customers REFERENCING NEW TABLE AS"
        " crm_new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_record_entries()",
        "INSERT INTO evil.customers SELECT * FROM public.customers",
    ),
    "entries history as a row trigger on customers": (
        "CREATE TRIGGER evil AFTER INSERT ON public.customers"
        " FOR EACH ROW EXECUTE FUNCTION crm_record_entries()",
        "INSERT INTO customers (name) VALUES ('x')",
    ),
    "follow-up keeping on a scratch table": (
        "CREATE TABLE public.scratch (customer_id uuid, happened_at timestamptz,"
        " created_by uuid);"
        " CREATE TRIGGER evil AFTER INSERT ON public.scratch"
        " FOR EACH ROW EXECUTE FUNCTION crm_keep_followed_customer()",
        "INSERT INTO public.scratch SELECT id, now(), owner_id FROM customers",
    ),
    "follow-up keeping as a BEFORE trigger on followups": (
        "CREATE TRIGGER evil BEFORE INSERT ON public.followups"
        " FOR EACH ROW EXECUTE FUNCTION crm_keep_followed_customer()",
        "INSERT INTO followups (customer_id, text) SELECT id, 'x' FROM customers LIMIT 1",
    ),
    "login sync as a BEFORE trigger on users": (
        "CREATE TRIGGER evil BEFORE UPDATE ON public.users"
        " FOR EACH ROW EXECUTE FUNCTION crm_sync_login()",
        "UPDATE users SET active = false WHERE login = 'rob'",
    ),
}


@pytest.mark.parametrize("setup, attack", FOREIGN_ATTACHMENTS.values(), ids=FOREIGN_ATTACHMENTS)
def test_owner_rights_triggers_refuse_tables_that_are_not_ours(world, setup, attack) -> None:
    changes = world.count("sync_changes")
    with (
        world.db.connect_admin() as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="fires only on"),
        connection.transaction(),
    ):
        connection.execute(setup)
        connection.execute(attack)
    assert world.count("sync_changes") == changes
    assert world.can_log_in("rob")
    world.assert_unchanged()


# -- no hard deletes --------------------------------------------------------------------------

DELETABLE = (*SYNCED_TABLES, "clerk_assignments", "sync_pushes")


@pytest.mark.parametrize("statement", ["DELETE FROM {}", "TRUNCATE {}"])
@pytest.mark.parametrize("table", DELETABLE)
@pytest.mark.parametrize("login", LOGINS)
def test_hard_deletes_are_refused(world, login, table, statement) -> None:
    counts = world.count(table)
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
    ):
        connection.execute(sql.SQL(statement).format(sql.Identifier(table)))
    assert world.count(table) == counts
    world.assert_unchanged()


HIDDEN_DELETES = [
    "DELETE FROM customers WHERE id = %(customer)s",
    "DELETE FROM contacts WHERE customer_id = %(customer)s",
    "WITH gone AS (DELETE FROM followups WHERE customer_id = %(customer)s RETURNING id)"
    " SELECT count(*) FROM gone",
    "MERGE INTO customers c USING (SELECT %(customer)s::uuid AS id) s ON c.id = s.id"
    " WHEN MATCHED THEN DELETE",
    "MERGE INTO opportunities o USING (SELECT %(customer)s::uuid AS id) s"
    " ON o.customer_id = s.id WHEN MATCHED THEN DELETE",
]


@pytest.mark.parametrize("statement", HIDDEN_DELETES)
@pytest.mark.parametrize("login", LOGINS)
def test_deleting_ones_own_rows_is_refused_too(world, login, statement) -> None:
    # A customer each may change: his own, his team's, his rep's; the admin any.
    key = {"ada": "rob", "mia": "mia", "rob": "rob", "rae": "rae", "cal": "rae"}[login]
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
    ):
        connection.execute(statement, {"customer": world.customers[key]})
    assert world.row("customers", world.customers[key])["deleted_at"] is None
    world.assert_unchanged()
