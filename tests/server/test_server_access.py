"""Row-level security, tested the way users meet it: logged in as their own role, by password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from crm_desktop.sync.server.admin import assign_clerk

RLS_VIOLATION = "row-level security"


def visible_customers(world, login: str) -> set[str]:
    names = {value: key for key, value in world.customers.items()}
    with world.db.connect_as(login) as connection:
        rows = connection.execute("SELECT id FROM customers").fetchall()
    return {names[str(row[0])] for row in rows}


def visible_ids(world, login: str, table: str) -> set[str]:
    with world.db.connect_as(login) as connection:
        return {str(row[0]) for row in connection.execute(f"SELECT customer_id FROM {table}")}


def test_rep_sees_his_own_and_the_pool(world) -> None:
    assert visible_customers(world, "rob") == {"rob", "pool"}
    expected = {world.customers["rob"], world.customers["pool"]}
    assert visible_ids(world, "rob", "contacts") == expected
    assert visible_ids(world, "rob", "followups") == expected


def test_rep_cannot_touch_another_reps_customer(world) -> None:
    theirs = world.customers["rae"]
    with world.db.connect_as("rob") as connection:
        found = connection.execute("SELECT * FROM customers WHERE id = %s", (theirs,))
        assert found.fetchall() == []
        updated = connection.execute(
            "UPDATE customers SET name = 'mine now' WHERE id = %s", (theirs,)
        )
        assert updated.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("DELETE FROM customers WHERE id = %s", (theirs,))
        contact = world.contacts["rae"]
        updated = connection.execute("UPDATE contacts SET name = 'x' WHERE id = %s", (contact,))
        assert updated.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("DELETE FROM contacts WHERE id = %s", (contact,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute(
                "INSERT INTO contacts (customer_id, name) VALUES (%s, 'sneaky')", (theirs,)
            )
    with world.db.connect_admin() as connection:
        name = connection.execute("SELECT name FROM customers WHERE id = %s", (theirs,))
        assert name.fetchone()[0] == "rae Ltd"


def test_rep_cannot_create_a_customer_for_another_rep(world) -> None:
    with (
        world.db.connect_as("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION),
    ):
        connection.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('gift', %s)", (world.users["rae"],)
        )


def test_rep_claims_from_the_pool_and_releases_back(world) -> None:
    pool, own = world.customers["pool"], world.customers["rob"]
    with world.db.connect_as("rob") as connection:
        claim = connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s", (world.users["rob"], pool)
        )
        assert claim.rowcount == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute(
                "UPDATE customers SET owner_id = %s WHERE id = %s", (world.users["rae"], own)
            )
        release = connection.execute("UPDATE customers SET owner_id = NULL WHERE id = %s", (own,))
        assert release.rowcount == 1
        # A fresh customer of his own is fine.
        connection.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('new', %s)", (world.users["rob"],)
        )
    assert visible_customers(world, "rae") == {"rae", "rob"}  # rob's old one is pool now


def test_manager_sees_his_team(world) -> None:
    assert visible_customers(world, "mia") == {"mia", "rob", "pool"}
    assert visible_ids(world, "mia", "contacts") == {
        world.customers[key] for key in ("mia", "rob", "pool")
    }


def test_clerk_sees_assigned_reps_only_while_valid(world) -> None:
    assert visible_customers(world, "cal") == set()
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assign_clerk(world.db.admin_dsn, "cal", "rae", tomorrow)
    assert visible_customers(world, "cal") == {"rae"}
    assert visible_ids(world, "cal", "followups") == {world.customers["rae"]}

    with world.db.connect_as("cal") as connection:
        connection.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('for rae', %s)", (world.users["rae"],)
        )
        for owner in (world.users["rob"], None):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
                connection.execute(
                    "INSERT INTO customers (name, owner_id) VALUES ('no', %s)", (owner,)
                )

    assign_clerk(world.db.admin_dsn, "cal", "rae", datetime.now(UTC) - timedelta(minutes=1))
    assert visible_customers(world, "cal") == set()


def test_admin_sees_everything(world) -> None:
    assert visible_customers(world, "ada") == {"rob", "rae", "mia", "pool"}
    with world.db.connect_as("ada") as connection:
        assert connection.execute("SELECT count(*) FROM contacts").fetchone()[0] == 4
        moved = connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s",
            (world.users["rae"], world.customers["rob"]),
        )
        assert moved.rowcount == 1


def test_everyone_reads_users_and_products_but_only_admins_and_managers_write(world) -> None:
    with world.db.connect_as("mia") as connection:
        connection.execute(
            "INSERT INTO products (code, name, list_price_cents) VALUES ('P1', 'Pump', 129900)"
        )
    with world.db.connect_as("rob") as connection:
        assert connection.execute("SELECT count(*) FROM users").fetchone()[0] == 5
        price = connection.execute("SELECT list_price_cents FROM products WHERE code = 'P1'")
        assert price.fetchone()[0] == 129900
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute("INSERT INTO products (code, name) VALUES ('P2', 'Valve')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute(
                "INSERT INTO users (login, name, role) VALUES ('eve', 'Eve', 'admin')"
            )
        promoted = connection.execute("UPDATE users SET role = 'admin' WHERE login = 'rob'")
        assert promoted.rowcount == 0


def test_users_cannot_write_the_change_log(world) -> None:
    with (
        world.db.connect_as("ada") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute("DELETE FROM sync_changes")


def test_a_reps_counts_among_thousands_of_rows(world) -> None:
    owners = [world.users["rob"], world.users["rae"], world.users["mia"], None]
    with world.db.connect_admin() as connection:
        connection.execute(
            "INSERT INTO customers (name, owner_id)"
            " SELECT 'bulk ' || n, (%s::uuid[])[1 + n %% 4] FROM generate_series(1, 4000) n",
            (owners,),
        )
        connection.execute(
            "INSERT INTO contacts (customer_id, name)"
            " SELECT id, 'someone' FROM customers CROSS JOIN generate_series(1, 2)"
        )
        connection.execute("ANALYZE")
    with world.db.connect_as("rob") as connection:
        customers = connection.execute("SELECT count(*) FROM customers").fetchone()[0]
        contacts = connection.execute("SELECT count(*) FROM contacts").fetchone()[0]
        plan = "\n".join(
            row[0] for row in connection.execute("EXPLAIN SELECT count(*) FROM contacts")
        )
    assert customers == 2 + 2000  # his and the pool's, of 4000 + 4
    assert contacts == 2 + 2 * customers
    # The helpers run once per statement (an InitPlan), not once per row: their speed is
    # measured in bench/, here only that the plan is of that shape.
    assert "InitPlan" in plan
