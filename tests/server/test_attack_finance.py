"""The finance role (server migration 0016), attacked with plain SQL: a finance login reads every
live row through erp_customers, erp_contracts and erp_payments and nothing else (no table, no
CRM function, no write, nothing of its own), and CRM users do not read those views.

The module builds the shared sales team of attack_helpers once, adds contracts and payments
(some of them deleted) and a finance login `fin`, and checks after each attack that every row,
catalog object and role flag is as built.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from crm_desktop.sync.server.admin import add_finance_user
from crm_desktop.sync.server.schema import init_server
from tests.postgres import CrmDatabase, PostgresServer
from tests.server import attack_helpers
from tests.server.attack_helpers import LOGINS, World

FINANCE = "fin"
VIEWS = ("erp_customers", "erp_contracts", "erp_payments")
ERP_FUNCTIONS = ("crm_erp_customers()", "crm_erp_contracts()", "crm_erp_payments()")


def _add_money(world: World) -> None:
    """As the deployment owner (an ERP's plain SQL): a contract on each customer, paid in
    part, with a payment on account beside it; a deleted customer with its money, a deleted
    contract and a deleted payment, none of which finance reads."""
    connection = world.owner()
    with connection.transaction():
        for key in ("rob", "rae", "mia", "pool"):
            customer = world.customers[key]
            connection.execute(
                "UPDATE customers SET external_ref = %s WHERE id = %s", (f"CUS-{key}", customer)
            )
            contract = connection.execute(
                "INSERT INTO contracts (number, customer_id, amount_cents, status, external_ref,"
                " owner_id) SELECT %s, id, 100000, 'active', %s, owner_id FROM customers"
                " WHERE id = %s RETURNING id",
                (f"FIN-{key}", f"CON-{key}", customer),
            ).fetchone()[0]
            connection.execute(
                "INSERT INTO payments (customer_id, contract_id, paid_on, amount_cents,"
                " external_ref) VALUES (%s, %s, current_date, 30000, %s),"
                " (%s, NULL, current_date, 500, %s)",
                (customer, contract, f"PAY-{key}", customer, f"ACC-{key}"),
            )
            connection.execute(
                "INSERT INTO payments (customer_id, contract_id, paid_on, amount_cents,"
                " deleted_at) VALUES (%s, %s, current_date, 99999, now())",
                (customer, contract),
            )
        gone = connection.execute(
            "INSERT INTO customers (name, external_ref, deleted_at)"
            " VALUES ('已删除', 'CUS-gone', now()) RETURNING id"
        ).fetchone()[0]
        connection.execute(
            "INSERT INTO contracts (number, customer_id, amount_cents) VALUES ('FIN-gone', %s, 1)",
            (gone,),
        )
        connection.execute(
            "INSERT INTO payments (customer_id, paid_on, amount_cents)"
            " VALUES (%s, current_date, 1)",
            (gone,),
        )
        connection.execute(
            "INSERT INTO contracts (number, customer_id, amount_cents, deleted_at)"
            " VALUES ('FIN-void', %s, 1, now())",
            (world.customers["rob"],),
        )


@pytest.fixture(scope="module")
def world(pg_server: PostgresServer, crm_template: str) -> Iterator[World]:
    roles = pg_server.names("SELECT rolname FROM pg_roles")
    databases = pg_server.names("SELECT datname FROM pg_database")
    built = World(CrmDatabase(pg_server, attack_helpers._copy_database(pg_server, crm_template)))
    try:
        attack_helpers._populate(built)
        _add_money(built)
        built.db.passwords[FINANCE] = "fin-Secret-1"
        add_finance_user(built.db.admin_dsn, FINANCE, built.db.passwords[FINANCE])
        built.baseline = built.fingerprint()
        yield built
    finally:
        built.close()
        for name in pg_server.names("SELECT datname FROM pg_database") - databases:
            pg_server.drop_database(name)
        for name in pg_server.names("SELECT rolname FROM pg_roles") - roles:
            pg_server.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


LIVE = {
    "erp_customers": "SELECT id FROM customers WHERE deleted_at IS NULL",
    "erp_contracts": "SELECT k.id FROM contracts k JOIN customers c ON c.id = k.customer_id"
    " WHERE k.deleted_at IS NULL AND c.deleted_at IS NULL",
    "erp_payments": "SELECT p.id FROM payments p JOIN customers c ON c.id = p.customer_id"
    " WHERE p.deleted_at IS NULL AND c.deleted_at IS NULL",
}


def test_finance_reads_every_live_row_through_the_views(world: World) -> None:
    with world.session(FINANCE) as connection:
        seen = {
            view: {row[0] for row in connection.execute(f"SELECT id FROM {view}")} for view in VIEWS
        }
        customers = connection.execute(
            "SELECT external_ref, owner_login, owner_name FROM erp_customers"
            " WHERE external_ref IS NOT NULL ORDER BY 1"
        ).fetchall()
        contracts = connection.execute(
            "SELECT external_ref, customer_external_ref, amount_cents, paid_cents,"
            " outstanding_cents, owner_login FROM erp_contracts"
            " WHERE external_ref IS NOT NULL ORDER BY 1"
        ).fetchall()
        payments = connection.execute(
            "SELECT external_ref, customer_external_ref, contract_external_ref, amount_cents"
            " FROM erp_payments WHERE external_ref IS NOT NULL ORDER BY 1"
        ).fetchall()
    for view, statement in LIVE.items():
        live = {row[0] for row in world.owner().execute(statement)}
        assert seen[view] == live, view
        everything = view.removeprefix("erp_")
        assert world.count(everything) > len(live)  # deleted rows exist, and are left out
    assert len(seen["erp_customers"]) == 4  # every owner's and the pool's
    assert customers == [
        ("CUS-mia", "mia", "mia"),
        ("CUS-pool", None, None),
        ("CUS-rae", "rae", "rae"),
        ("CUS-rob", "rob", "rob"),
    ]
    # Paid: the contract's live payment only (not the deleted one, not the one on account).
    assert contracts == [
        (f"CON-{key}", f"CUS-{key}", 100000, 30000, 70000, None if key == "pool" else key)
        for key in ("mia", "pool", "rae", "rob")
    ]
    keys = ("mia", "pool", "rae", "rob")
    assert payments == [
        *[(f"ACC-{key}", f"CUS-{key}", None, 500) for key in keys],
        *[(f"PAY-{key}", f"CUS-{key}", f"CON-{key}", 30000) for key in keys],
    ]
    world.assert_unchanged()


def _relations(world: World) -> list[str]:
    """Every table, view and sequence in public but the three views."""
    rows = world.owner().execute(
        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        " AND relkind IN ('r', 'p', 'v', 'm', 'S') ORDER BY 1"
    )
    return [row[0] for row in rows if row[0] not in VIEWS]


def test_finance_reads_no_table_directly(world: World) -> None:
    relations = _relations(world)
    assert {"customers", "contracts", "payments", "users", "sync_changes"} <= set(relations)
    with world.session(FINANCE) as connection:
        for relation in relations:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                connection.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(relation)))
    world.assert_unchanged()


WRITES = [
    "INSERT INTO erp_payments (customer_id, paid_on, amount_cents)"
    " SELECT customer_id, current_date, 1 FROM erp_payments LIMIT 1",
    "UPDATE erp_customers SET name = 'taken'",
    "DELETE FROM erp_contracts",
    "INSERT INTO payments (customer_id, paid_on, amount_cents)"
    " SELECT id, current_date, 1 FROM erp_customers LIMIT 1",
    "UPDATE customers SET name = 'taken'",
    "UPDATE contracts SET amount_cents = 0",
    "DELETE FROM payments",
    "TRUNCATE payments",
    "UPDATE crm_rules SET value = 100",
    "INSERT INTO sync_changes (entity, op) VALUES ('customers', 'truncate')",
    # Another finance login recorded as this database's would be let in by the next init.
    "INSERT INTO crm_logins (login, kind) VALUES ('fin_friend', 'finance')",
]


@pytest.mark.parametrize("statement", WRITES)
def test_finance_writes_nothing(world: World, statement: str) -> None:
    # A view over a function is not updatable at all; a table is not his to write.
    refused = (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectNotInPrerequisiteState)
    with world.session(FINANCE) as connection, pytest.raises(refused):
        connection.execute(statement)
    world.assert_unchanged()


def test_finance_may_execute_only_the_views_functions(world: World) -> None:
    functions = (
        world.owner()
        .execute(
            "SELECT p.oid, p.oid::regprocedure::text FROM pg_proc p"
            " WHERE p.pronamespace = 'public'::regnamespace ORDER BY 2"
        )
        .fetchall()
    )
    executable = {
        name
        for oid, name in functions
        if world.owner()
        .execute("SELECT has_function_privilege(%s, %s, 'EXECUTE')", (FINANCE, oid))
        .fetchone()[0]
    }
    assert executable == set(ERP_FUNCTIONS)
    world.assert_unchanged()


@pytest.mark.parametrize(
    "call",
    [
        "crm_is_admin()",
        "crm_current_user_id()",
        "crm_visible_owner_ids()",
        "crm_return_due_customers()",
        "* FROM crm_apply_grades()",
        "* FROM crm_proposed_grades()",
        "crm_capture_truncate()",
    ],
)
def test_finance_calls_no_crm_function(world: World, call: str) -> None:
    with (
        world.session(FINANCE) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
    ):
        connection.execute(f"SELECT {call}")
    world.assert_unchanged()


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TEMP TABLE evil (x int)",
        "CREATE TABLE public.evil (x int)",
        "CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE VIEW public.evil AS SELECT * FROM erp_customers",
        "SET ROLE crm_users",
        "SET ROLE crm_admin",
        "GRANT crm_finance TO rob",
        "ALTER VIEW erp_customers RENAME TO evil",
        "CREATE OR REPLACE VIEW erp_customers AS SELECT * FROM crm_erp_customers()",
        "ALTER FUNCTION crm_erp_customers() SECURITY INVOKER",
    ],
)
def test_finance_makes_and_changes_nothing(world: World, statement: str) -> None:
    with world.session(FINANCE) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(statement)
    world.assert_unchanged()


def test_finance_cannot_pass_its_views_on(world: World) -> None:
    with world.session(FINANCE) as connection:
        # PostgreSQL only warns: he holds no grant option, so nothing is granted.
        connection.execute("GRANT SELECT ON erp_customers, erp_payments TO rob, crm_users")
        connection.execute("GRANT EXECUTE ON FUNCTION crm_erp_customers() TO PUBLIC")
    for view in VIEWS:
        for grantee in ("rob", "crm_users", "public"):
            assert (
                not world.owner()
                .execute("SELECT has_table_privilege(%s, %s, 'SELECT')", (grantee, view))
                .fetchone()[0]
            )
    for function in ERP_FUNCTIONS:
        assert (
            not world.owner()
            .execute("SELECT has_function_privilege('rob', %s, 'EXECUTE')", (function,))
            .fetchone()[0]
        )
    world.assert_unchanged()


@pytest.mark.parametrize("login", LOGINS)
def test_crm_users_read_no_erp_view(world: World, login: str) -> None:
    with world.session(login) as connection:
        for view in VIEWS:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                connection.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(view)))
        for function in ERP_FUNCTIONS:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                connection.execute(f"SELECT * FROM {function}")
    world.assert_unchanged()


def test_a_crm_user_made_a_finance_member_by_mistake_reads_nothing(world: World) -> None:
    with world.db.server.connect(world.db.name) as superuser:
        superuser.execute("GRANT crm_finance TO rob")
        try:
            with world.session("rob") as connection:
                for view in VIEWS:
                    count = connection.execute(
                        sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(view))
                    ).fetchone()[0]
                    assert count == 0, f"rob reads {count} rows of {view}"
        finally:
            superuser.execute("REVOKE crm_finance FROM rob")
    world.assert_unchanged()


def test_a_finance_login_switched_off_reads_nothing_in_its_open_session(world: World) -> None:
    with world.session(FINANCE) as connection:
        assert connection.execute("SELECT count(*) FROM erp_customers").fetchone()[0] == 4
        with world.db.server.connect(world.db.name) as superuser:
            superuser.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(FINANCE)))
            try:
                for view in VIEWS:
                    count = connection.execute(
                        sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(view))
                    ).fetchone()[0]
                    assert count == 0
            finally:
                superuser.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(FINANCE)))
    world.assert_unchanged()


def _connects(server: PostgresServer, login: str, password: str, database: str) -> bool:
    try:
        psycopg.connect(server.dsn(login, password, database)).close()
    except psycopg.OperationalError as error:
        assert "permission denied for database" in str(error)
        return False
    return True


def test_a_finance_login_reads_no_other_crm_database_of_the_server(
    world: World, pg_server: PostgresServer, crm_template: str
) -> None:
    """Login roles are shared by the whole server: another CRM database's `server init` (run
    at every upgrade) gives this database's finance login no way in, nor this one's the other
    database's finance login (server revision 0023)."""
    other = CrmDatabase(pg_server, attack_helpers._copy_database(pg_server, crm_template))
    try:
        init_server(other.admin_dsn)
        assert not _connects(pg_server, FINANCE, world.db.passwords[FINANCE], other.name)
        add_finance_user(other.admin_dsn, "fin_other", "fin-Other-2")
        init_server(world.db.admin_dsn)
        assert not _connects(pg_server, "fin_other", "fin-Other-2", world.db.name)
        assert _connects(pg_server, "fin_other", "fin-Other-2", other.name)
    finally:
        pg_server.drop_database(other.name)
        pg_server.execute("DROP ROLE IF EXISTS fin_other")
    # This database's own finance login still reads it after the init.
    with world.session(FINANCE) as connection:
        assert connection.execute("SELECT count(*) FROM erp_customers").fetchone()[0] == 4
    world.assert_unchanged()


def test_payments_too_large_to_sum_leave_the_contracts_view_working(world: World) -> None:
    """A rep may record payments of up to 10^14 fen on a contract of his, and 92,300 of them
    sum past a bigint: the view failed for every reader (server revision 0024). The contract
    shows no paid or outstanding figure; the others show theirs. (Made in a transaction of the
    owner's that is rolled back, so the module's rows stay as built.)"""
    connection = world.owner()
    with connection.transaction(force_rollback=True):
        contract, customer = connection.execute(
            "SELECT id, customer_id FROM contracts WHERE external_ref = 'CON-rob'"
        ).fetchone()
        connection.execute(
            "INSERT INTO payments (customer_id, contract_id, paid_on, amount_cents)"
            " SELECT %s, %s, date '2020-01-01', 100000000000000 FROM generate_series(1, 92300)",
            (customer, contract),
        )
        figures = connection.execute(
            "SELECT external_ref, paid_cents, outstanding_cents FROM erp_contracts"
            " WHERE external_ref IS NOT NULL ORDER BY 1"
        ).fetchall()
    assert figures == [
        ("CON-mia", 30000, 70000),
        ("CON-pool", 30000, 70000),
        ("CON-rae", 30000, 70000),
        ("CON-rob", None, None),
    ]
    world.assert_unchanged()
