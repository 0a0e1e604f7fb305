"""A finance system (server migration 0016): `crm-desktop server add-finance-user` makes its
read-only login, through the real command line; the ERP writes payments with plain INSERTs as
the deployment owner, which the change log carries to the devices, and a payment it sends twice
is refused the second time."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from tests.postgres import CrmDatabase
from tests.server import test_server_command

crm = test_server_command.crm  # the fixture: `crm-desktop ...` in this process


def test_add_finance_user_makes_a_login_that_reads_only_the_views(crm, crm_db: CrmDatabase) -> None:
    rob = crm_db.add_user("rob", "rep")
    with crm_db.connect_admin() as connection:
        connection.execute(
            "INSERT INTO customers (name, owner_id, external_ref) VALUES ('华为', %s, 'K-1')",
            (rob,),
        )
    code, out, err = crm(
        "server", "add-finance-user", "erp", "--dsn", crm_db.admin_dsn, stdin="erp-Secret-9\n"
    )
    assert (code, err) == (0, "")
    assert out == (
        "Added finance login “erp”: it reads erp_customers, erp_contracts and erp_payments.\n"
    )
    dsn = crm_db.server.dsn("erp", "erp-Secret-9", crm_db.name)
    with psycopg.connect(dsn) as connection:
        assert connection.execute(
            "SELECT external_ref, owner_login FROM erp_customers"
        ).fetchall() == [("K-1", "rob")]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SELECT * FROM customers")
    with crm_db.server.connect(crm_db.name) as connection:
        role = connection.execute(
            "SELECT rolpassword, rolcanlogin, rolcreaterole,"
            " pg_has_role(oid, 'crm_finance', 'MEMBER'), pg_has_role(oid, 'crm_users', 'MEMBER'),"
            " has_database_privilege(oid, current_database(), 'CONNECT')"
            " FROM pg_authid WHERE rolname = 'erp'"
        ).fetchone()
        users = connection.execute("SELECT count(*) FROM users WHERE login = 'erp'").fetchone()
    assert role[0].startswith("SCRAM-SHA-256$")  # sent hashed, never in clear
    assert role[1:] == (True, False, True, False, True)
    assert users == (0,)  # no CRM user


@pytest.mark.parametrize(
    ("login", "stdin", "message"),
    [
        ("rob", "pw-2026-x\n", "A user or database role named “rob” already exists."),
        ("crm_finance", "pw-2026-x\n", "“crm_finance” can't be a user name"),
        ("Fin Team", "pw-2026-x\n", "can't be a user name"),
        ("fin", "\n", "The password is empty"),
        (
            "fin",
            "abc1234\n",
            "The password is 7 characters long; give the login one of at least 8.",
        ),
    ],
)
def test_add_finance_user_mistakes_are_one_sentence(crm, crm_db, login, stdin, message) -> None:
    crm_db.add_user("rob", "rep")
    code, out, err = crm(
        "server", "add-finance-user", login, "--dsn", crm_db.admin_dsn, stdin=stdin
    )
    assert (code, out) == (1, "")
    assert message in err and err.count("\n") == 1
    with crm_db.server.connect(crm_db.name) as connection:
        finance = connection.execute(
            "SELECT count(*) FROM pg_auth_members WHERE roleid = 'crm_finance'::regrole"
        ).fetchone()
    assert finance == (0,)


def test_a_crm_user_cannot_add_a_finance_login(crm, crm_db) -> None:
    crm_db.add_user("ada", "admin", password="ada-pw-2026")
    dsn = crm_db.server.dsn("ada", "ada-pw-2026", crm_db.name)
    code, _, err = crm("server", "add-finance-user", "fin", "--dsn", dsn, stdin="pw-2026-x\n")
    assert code == 1 and "may not add finance logins" in err
    with crm_db.server.connect(crm_db.name) as connection:
        assert connection.execute("SELECT to_regrole('fin')").fetchone() == (None,)


def test_the_erps_payments_reach_the_change_log_and_a_duplicate_is_refused(
    crm_db: CrmDatabase,
) -> None:
    rob = crm_db.add_user("rob", "rep")
    with crm_db.connect_admin() as connection:
        customer = connection.execute(
            "INSERT INTO customers (name, owner_id, external_ref) VALUES ('华为', %s, 'K-1')"
            " RETURNING id",
            (rob,),
        ).fetchone()[0]
        contract = connection.execute(
            "INSERT INTO contracts (number, customer_id, amount_cents, external_ref)"
            " VALUES ('HT-1', %s, 100000, 'C-1') RETURNING id",
            (customer,),
        ).fetchone()[0]
    erp_time = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    # What the finance system would run, as the deployment owner (docs/server.md).
    pay = (
        "INSERT INTO payments (customer_id, contract_id, paid_on, amount_cents, method,"
        " external_ref, created_at, updated_at)"
        " SELECT c.id, k.id, '2026-01-05', 40000, 'transfer', 'ERP-PAY-1', %(at)s, %(at)s"
        " FROM customers c JOIN contracts k ON k.customer_id = c.id"
        " WHERE c.external_ref = 'K-1' AND k.external_ref = 'C-1' RETURNING id"
    )
    with crm_db.connect_admin() as connection:
        payment = connection.execute(pay, {"at": erp_time}).fetchone()[0]
        logged = connection.execute(
            "SELECT entity, customer_id, op FROM sync_changes WHERE row_id = %s", (payment,)
        ).fetchall()
        kept = connection.execute(
            "SELECT created_at, updated_at, created_by FROM payments WHERE id = %s", (payment,)
        ).fetchone()
        with pytest.raises(psycopg.errors.UniqueViolation, match="uq_payments_external_ref"):
            connection.execute(pay, {"at": erp_time})
        # The documented retry books nothing twice; a cancel is a soft delete.
        again = connection.execute(
            pay.replace(
                " RETURNING id",
                " ON CONFLICT (external_ref) WHERE external_ref IS NOT NULL DO NOTHING"
                " RETURNING id",
            ),
            {"at": erp_time},
        ).fetchall()
        assert again == []
        assert connection.execute(
            "SELECT count(*) FROM payments WHERE external_ref = 'ERP-PAY-1'"
        ).fetchone() == (1,)
    assert logged == [("payments", customer, "insert")]
    assert kept == (erp_time, erp_time, None)  # the owner's plain SQL keeps what it sets
    # The rep whose customer it is reads the change and the payment (his device pulls them).
    with crm_db.connect_as("rob") as connection:
        assert connection.execute(
            "SELECT op FROM sync_changes WHERE row_id = %s", (payment,)
        ).fetchall() == [("insert",)]
        assert connection.execute(
            "SELECT amount_cents FROM payments WHERE id = %s", (payment,)
        ).fetchone() == (40000,)
    # Finance sees what is left to pay.
    crm_db.server.create_role("fin_reader", "fin-pw")
    with crm_db.connect_admin() as connection:
        connection.execute(
            "GRANT crm_finance TO fin_reader;"
            f" GRANT CONNECT ON DATABASE {crm_db.name} TO fin_reader"
        )
    with psycopg.connect(crm_db.server.dsn("fin_reader", "fin-pw", crm_db.name)) as connection:
        assert connection.execute(
            "SELECT id, paid_cents, outstanding_cents FROM erp_contracts"
        ).fetchall() == [(contract, 40000, 60000)]
