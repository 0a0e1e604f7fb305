"""Upgrading a server that already holds rows breaking the new rules: each is repaired, and the
value it had is kept in server_repairs."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from crm_desktop.sync.server.admin import add_user
from crm_desktop.sync.server.schema import head_revision, init_server
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, PostgresServer, unique_name


@pytest.fixture
def old_server(pg_cleanup: PostgresServer, crm_template: str) -> str:
    """A CRM database at revision 0002, the schema before the hardening (made by the same
    deployment admin the template was)."""
    name = pg_cleanup.create_database(unique_name("crm_old"), owner=CRM_ADMIN)
    dsn = pg_cleanup.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name)
    init_server(dsn, target="0002")
    return dsn


def test_bad_rows_are_repaired_and_their_values_kept(old_server: str) -> None:
    rob = add_user(old_server, "rob_u", "rep", "pw-rob-2026")
    rae = add_user(old_server, "rae_u", "rep", "pw-rae-2026")
    cal = add_user(old_server, "cal_u", "clerk", "pw-cal-2026")
    with psycopg.connect(old_server, autocommit=True) as connection:
        mine = connection.execute(
            "INSERT INTO customers (name, owner_id, grade, kind) VALUES"
            " ('Bell' || chr(7) || ' Ltd', %s, 'Z', 'alien') RETURNING id",
            (rob,),
        ).fetchone()[0]
        theirs = connection.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('Other', %s) RETURNING id", (rae,)
        ).fetchone()[0]
        their_contact = connection.execute(
            "INSERT INTO contacts (customer_id, name) VALUES (%s, 'Li') RETURNING id", (theirs,)
        ).fetchone()[0]
        opportunity = connection.execute(
            "INSERT INTO opportunities (customer_id, contact_id, title, stage, probability,"
            " amount_cents) VALUES (%s, %s, 'Deal', 'hacked', 1000, -5) RETURNING id",
            (mine, their_contact),
        ).fetchone()[0]
        connection.execute(
            "INSERT INTO clerk_assignments (clerk_id, rep_id, valid_until)"
            " VALUES (%s, %s, 'infinity')",
            (cal, rob),
        )
        followup = connection.execute(
            "INSERT INTO followups (customer_id, happened_at, next_step_at)"
            " VALUES (%s, 'infinity', '-infinity') RETURNING id",
            (mine,),
        ).fetchone()[0]
        connection.execute("UPDATE users SET active = false WHERE login = 'rae_u'")

    result = init_server(old_server)

    assert (result.previous, result.current) == ("0002", head_revision())
    with psycopg.connect(old_server, autocommit=True) as connection:
        customer = connection.execute(
            "SELECT name, grade, kind FROM customers WHERE id = %s", (mine,)
        ).fetchone()
        assert customer == ("Bell  Ltd", None, "company")
        deal = connection.execute(
            "SELECT contact_id, stage, probability, amount_cents FROM opportunities WHERE id = %s",
            (opportunity,),
        ).fetchone()
        assert deal == (None, "lead", 100, 0)
        times = connection.execute(
            "SELECT happened_at <= now(), next_step_at FROM followups WHERE id = %s", (followup,)
        ).fetchone()
        assert times == (True, None)  # a time no device can hold: now, or none
        until = connection.execute("SELECT valid_until FROM clerk_assignments").fetchone()[0]
        assert until <= datetime.now(UTC)
        repairs = {
            (table, column): (old, new)
            for table, column, old, new in connection.execute(
                "SELECT table_name, column_name, old_value, new_value FROM server_repairs"
            )
        }
        can_login = connection.execute(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'rae_u'"
        ).fetchone()[0]
    assert repairs[("customers", "name")] == ("Bell\x07 Ltd", "Bell  Ltd")
    assert repairs[("customers", "grade")] == ("Z", None)
    assert repairs[("customers", "kind")] == ("alien", "company")
    assert repairs[("opportunities", "contact_id")] == (str(their_contact), None)
    assert repairs[("opportunities", "stage")] == ("hacked", "lead")
    assert repairs[("opportunities", "probability")] == ("1000", "100")
    assert repairs[("opportunities", "amount_cents")] == ("-5", "0")
    assert repairs[("clerk_assignments", "valid_until")][0] == "infinity"
    assert can_login is False  # deactivated before the upgrade: his login is disabled by it


def test_an_upgraded_server_enforces_the_rules(old_server: str) -> None:
    init_server(old_server)
    with psycopg.connect(old_server, autocommit=True) as connection:
        with pytest.raises(psycopg.errors.CheckViolation):
            connection.execute("INSERT INTO customers (name, grade) VALUES ('x', 'Z')")
        rights = connection.execute(
            "SELECT has_database_privilege('crm_users', current_database(), 'TEMPORARY'),"
            " has_database_privilege('public', current_database(), 'CONNECT')"
        ).fetchone()
    assert rights == (False, False)


def test_invisible_characters_are_taken_out_of_one_line_text(
    pg_cleanup: PostgresServer, crm_template: str
) -> None:
    """0027: a value holding a zero-width space or a direction override, from before the rule,
    is repaired and kept in server_repairs; a unique one keeps its place visibly (U+FFFD)."""
    name = pg_cleanup.create_database(unique_name("crm_0026"), owner=CRM_ADMIN)
    dsn = pg_cleanup.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name)
    init_server(dsn, target="0026")
    with psycopg.connect(dsn, autocommit=True) as connection:

        def insert(statement: str, *values: object) -> str:
            return str(connection.execute(statement + " RETURNING id", values).fetchone()[0])

        pasted = insert("INSERT INTO customers (name, phone) VALUES (%s, %s)",
                        "华\u200b为", "+86138\u200b00138000")  # fmt: skip
        spoofed = insert("INSERT INTO customers (name) VALUES (%s)", "Acme \u202eLtd")
        nothing = insert("INSERT INTO customers (name) VALUES (%s)", "\u200b")
        code = insert("INSERT INTO products (code, name) VALUES (%s, 'Pump')", "P\u20601")
        insert("INSERT INTO products (code, name) VALUES ('P1', 'Pump')")
        contact = insert("INSERT INTO contacts (customer_id, name) VALUES (%s, %s)",
                         pasted, "\ufeff张伟")  # fmt: skip
        note = "met \u202bمرحبا\u202c \U0001f468\u200d\U0001f469"
        follow_up = insert("INSERT INTO followups (customer_id, text) VALUES (%s, %s)",
                           pasted, note)  # fmt: skip
        connection.execute("UPDATE crm_company SET name = %s", ("\u200b",))

    init_server(dsn)

    with psycopg.connect(dsn, autocommit=True) as connection:

        def value(table: str, column: str, row_id: str) -> str:
            return connection.execute(
                f"SELECT {column} FROM {table} WHERE id = %s", (row_id,)
            ).fetchone()[0]

        assert value("customers", "name", pasted) == "华为"
        assert value("customers", "phone", pasted) == "+8613800138000"
        assert value("customers", "name", spoofed) == "Acme Ltd"
        assert value("customers", "name", nothing) == "\ufffd"  # never blank
        assert value("products", "code", code) == "P\ufffd1"  # not a second P1
        assert value("contacts", "name", contact) == "张伟"
        assert value("followups", "text", follow_up) == note  # long text keeps them
        assert connection.execute("SELECT name FROM crm_company").fetchone() == ("",)
        repairs = connection.execute(
            "SELECT table_name, column_name, old_value, new_value FROM server_repairs"
            " WHERE reason = 'ck_one_line_visible'"
        ).fetchall()
        for statement, values in (
            ("INSERT INTO customers (name) VALUES (%s)", ("B\u200bell",)),
            ("UPDATE contacts SET title = %s", ("\u202eyub",)),
            ("UPDATE crm_company SET tax_id = %s", ("91\u2066",)),
        ):
            with pytest.raises(psycopg.errors.CheckViolation), connection.transaction():
                connection.execute(statement, values)
    assert sorted(repairs) == sorted(
        [
            ("customers", "name", "华\u200b为", "华为"),
            ("customers", "phone", "+86138\u200b00138000", "+8613800138000"),
            ("customers", "name", "Acme \u202eLtd", "Acme Ltd"),
            ("customers", "name", "\u200b", "\ufffd"),
            ("products", "code", "P\u20601", "P\ufffd1"),
            ("contacts", "name", "\ufeff张伟", "张伟"),
            ("crm_company", "name", "\u200b", ""),
        ]
    )
