"""Change capture: every write, plain SQL included, lands in sync_changes for devices to pull."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest


def changes(connection: psycopg.Connection, after_seq: int = 0) -> list[tuple]:
    """The log as the owner reads it, who owned what included."""
    return connection.execute(
        "SELECT entity, row_id::text, customer_id::text, owner_id::text,"
        " previous_owner_id::text, op, changed_fields"
        " FROM sync_changes WHERE seq > %s ORDER BY seq",
        (after_seq,),
    ).fetchall()


def changes_seen_by_user(connection: psycopg.Connection, after_seq: int = 0) -> list[tuple]:
    """The log as a CRM user reads it: what changed, never who owns it."""
    return connection.execute(
        "SELECT entity, row_id::text, customer_id::text, op, changed_fields"
        " FROM sync_changes WHERE seq > %s ORDER BY seq",
        (after_seq,),
    ).fetchall()


def last_seq(connection: psycopg.Connection) -> int:
    return connection.execute("SELECT coalesce(max(seq), 0) FROM sync_changes").fetchone()[0]


def test_plain_sql_update_is_captured_with_its_fields(world) -> None:
    customer = world.customers["rob"]
    with world.db.connect_admin() as connection:
        before = connection.execute(
            "SELECT updated_at FROM customers WHERE id = %s", (customer,)
        ).fetchone()[0]
        mark = last_seq(connection)
        # What a finance system might run: no updated_at, no ids of ours.
        connection.execute(
            "UPDATE customers SET grade = 'A', phone = '555-0100' WHERE id = %s", (customer,)
        )
        after = connection.execute(
            "SELECT updated_at FROM customers WHERE id = %s", (customer,)
        ).fetchone()[0]
        captured = changes(connection, mark)
    assert after > before  # the BEFORE trigger stamped the change
    assert captured == [
        (
            "customers",
            customer,
            customer,
            world.users["rob"],
            None,
            "update",
            ["grade", "phone", "updated_at"],
        )
    ]


def test_an_update_that_changes_nothing_is_not_captured(world) -> None:
    with world.db.connect_admin() as connection:
        mark = last_seq(connection)
        connection.execute("UPDATE contacts SET name = name")
        assert changes(connection, mark) == []


def test_inserts_and_deletes_carry_their_customer(world) -> None:
    customer = world.customers["rae"]
    with world.db.connect_admin() as connection:
        mark = last_seq(connection)
        identifier = connection.execute(
            "INSERT INTO customer_identifiers (customer_id, kind, value, value_key)"
            " VALUES (%s, 'tax_number', '91-44', '9144') RETURNING id::text",
            (customer,),
        ).fetchone()[0]
        connection.execute("DELETE FROM customer_identifiers WHERE id = %s", (identifier,))
        captured = changes(connection, mark)
    assert [(row[0], row[1], row[2], row[5]) for row in captured] == [
        ("customer_identifiers", identifier, customer, "insert"),
        ("customer_identifiers", identifier, customer, "delete"),
    ]


def test_many_new_rows_in_one_statement_are_each_logged_as_one_alone_would_be(world) -> None:
    # New rows are logged per statement (server migration 0019): each still gets its own line,
    # with the customer and owner a row trigger gave it.
    rob, rae = world.users["rob"], world.users["rae"]
    with world.db.connect_admin() as connection:
        mark = last_seq(connection)
        connection.execute("SET crm.owner_change_reason = 'old system'")
        customers = [
            row[0]
            for row in connection.execute(
                "INSERT INTO customers (name, owner_id) VALUES ('A', %s), ('B', %s), ('C', NULL)"
                " RETURNING id::text",
                (rob, rae),
            ).fetchall()
        ]
        contacts = [
            row[0]
            for row in connection.execute(
                "INSERT INTO contacts (customer_id, name) VALUES (%s, 'a'), (%s, 'b')"
                " RETURNING id::text",
                (customers[0], customers[1]),
            ).fetchall()
        ]
        tasks = [
            row[0]
            for row in connection.execute(
                "INSERT INTO tasks (title, customer_id, assignee_id)"
                " VALUES ('of a customer', %s, %s), ('of nobody', NULL, %s) RETURNING id::text",
                (customers[0], rob, rae),
            ).fetchall()
        ]
        product = connection.execute(
            "INSERT INTO products (code, name) VALUES ('X1', 'Valve') RETURNING id::text"
        ).fetchone()[0]
        nothing = connection.execute(
            "INSERT INTO contacts (customer_id, name) SELECT id, 'none' FROM customers WHERE false"
        )
        captured = changes(connection, mark)
        history = connection.execute(
            "SELECT customer_id::text, previous_owner_id, owner_id::text, kind, reason,"
            " changed_by::text FROM customer_ownership WHERE customer_id = ANY(%s::uuid[])"
            " ORDER BY customer_id",
            (customers,),
        ).fetchall()
        admin = connection.execute("SELECT crm_current_user_id()::text").fetchone()[0]
    assert nothing.rowcount == 0
    assert sorted(captured, key=lambda line: (line[0], line[1])) == sorted(
        [
            ("customers", customers[0], customers[0], rob, None, "insert", None),
            ("customers", customers[1], customers[1], rae, None, "insert", None),
            ("customers", customers[2], customers[2], None, None, "insert", None),
            ("contacts", contacts[0], customers[0], None, None, "insert", None),
            ("contacts", contacts[1], customers[1], None, None, "insert", None),
            ("tasks", tasks[0], customers[0], None, None, "insert", None),
            ("tasks", tasks[1], None, rae, None, "insert", None),
            ("products", product, None, None, None, "insert", None),
        ],
        key=lambda line: (line[0], line[1]),
    )
    assert history == sorted(
        (customer, None, owner, "entered", "old system", admin)
        for customer, owner in zip(customers, (rob, rae, None), strict=True)
    )


def test_truncate_leaves_a_marker(world) -> None:
    with world.db.connect_admin() as connection:
        mark = last_seq(connection)
        connection.execute("TRUNCATE followups")
        assert changes(connection, mark) == [
            ("followups", None, None, None, None, "truncate", None)
        ]
    with world.db.connect_as("rob") as connection:
        # Every device must see it, whoever's rows were wiped.
        markers = connection.execute("SELECT count(*) FROM sync_changes WHERE op = 'truncate'")
        assert markers.fetchone()[0] == 1


def test_a_rep_reads_only_the_changes_he_may_see(world) -> None:
    with world.db.connect_as("rob") as connection:
        seen = {(row[0], row[2]) for row in changes_seen_by_user(connection)}
    mine = {world.customers["rob"], world.customers["pool"], None}
    assert {customer_id for _, customer_id in seen} <= mine
    assert ("customers", world.customers["rob"]) in seen
    assert ("contacts", world.customers["pool"]) in seen
    assert ("users", None) in seen


def test_a_customer_leaving_a_reps_view_is_still_reported_to_him(world) -> None:
    """Reassigned away from rob, the customer vanishes for him; the change saying so must not."""
    customer = world.customers["rob"]
    with world.db.connect_admin() as connection:
        mark = last_seq(connection)
        connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s", (world.users["rae"], customer)
        )
    with world.db.connect_as("rob") as connection:
        assert (
            connection.execute(
                "SELECT count(*) FROM customers WHERE id = %s", (customer,)
            ).fetchone()[0]
            == 0
        )
        captured = changes_seen_by_user(connection, mark)
    assert [(row[1], row[3], row[4]) for row in captured] == [
        (customer, "update", ["owned_since", "owner_id", "updated_at"])
    ]


def test_a_pool_customer_claimed_by_one_rep_is_reported_to_the_other(world) -> None:
    pool = world.customers["pool"]
    with world.db.connect_as("rob") as connection:
        mark = last_seq(connection)
        connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s", (world.users["rob"], pool)
        )
    with world.db.connect_as("rae") as connection:
        captured = changes_seen_by_user(connection, mark)
        # She learns the customer left the pool, not who took it.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SELECT owner_id FROM sync_changes")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SELECT count(*) FROM sync_changes WHERE previous_owner_id IS NULL")
    assert [(row[1], row[3]) for row in captured] == [(pool, "update")]


def test_a_clerk_stops_seeing_changes_when_his_assignment_ends(world) -> None:
    from crm_desktop.sync.server.admin import assign_clerk

    assign_clerk(world.db.admin_dsn, "cal", "rae", datetime.now(UTC) + timedelta(hours=1))
    with world.db.connect_as("cal") as connection:
        assert {row[2] for row in changes_seen_by_user(connection) if row[0] == "contacts"} == {
            world.customers["rae"]
        }
    assign_clerk(world.db.admin_dsn, "cal", "rae", datetime.now(UTC) - timedelta(hours=1))
    with world.db.connect_as("cal") as connection:
        assert [row for row in changes_seen_by_user(connection) if row[0] == "contacts"] == []


def test_changes_can_be_read_against_a_snapshot_by_an_ordinary_user(world) -> None:
    """What pull will do: in one REPEATABLE READ transaction, take the snapshot and read the
    changes committed since the previous snapshot. Works for a non-superuser role."""
    with world.db.connect_as("rob") as connection, connection.transaction():
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor = connection.execute("SELECT pg_current_snapshot()::text").fetchone()[0]
    with world.db.connect_admin() as connection:
        connection.execute(
            "UPDATE customers SET notes = 'after the cursor' WHERE id = %s",
            (world.customers["rob"],),
        )
    with world.db.connect_as("rob") as connection, connection.transaction():
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        rows = connection.execute(
            "SELECT entity, changed_fields FROM sync_changes"
            " WHERE txid >= pg_snapshot_xmin(%s::pg_snapshot)"
            " AND NOT pg_visible_in_snapshot(txid, %s::pg_snapshot)"
            " AND pg_visible_in_snapshot(txid, pg_current_snapshot())",
            (cursor, cursor),
        ).fetchall()
    assert rows == [("customers", ["notes", "updated_at"])]
