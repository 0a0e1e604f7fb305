"""No live record under a deleted customer (server migration 0025), tried as each role that may
write a customer's records, with plain SQL: adding one, restoring one, or moving one there is
refused; an edit of a record already there, deleting one, and restoring the customer first are
not. A deleted customer takes its records with it, and brings them back restored (0026)."""

from __future__ import annotations

import contextlib

import psycopg
import pytest

from tests.server import attack_helpers

shared_world = attack_helpers.shared_world
world = attack_helpers.world

# Each writer and a customer of the shared world he may change (a clerk: his rep's).
WRITERS = [("rob", "rob"), ("rae", "rae"), ("mia", "mia"), ("cal", "rae"), ("ada", "rob")]
REFUSED = "its customer was deleted meanwhile"


def _delete(world, own: str) -> None:
    world.owner().execute(
        "UPDATE customers SET deleted_at = now() WHERE id = %s", (world.customers[own],)
    )


@pytest.mark.parametrize("login, own", WRITERS)
def test_nothing_is_added_to_a_deleted_customer(world, login, own) -> None:
    customer = world.customers[own]
    with world.session(login) as connection:
        live = connection.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('Live', %s) RETURNING id",
            (world.users.get(own),),
        ).fetchone()[0]
    _delete(world, own)
    additions = {
        "a follow-up": (
            "INSERT INTO followups (customer_id, text) VALUES (%s, 'called')",
            (customer,),
        ),
        "a task": ("INSERT INTO tasks (title, customer_id) VALUES ('call', %s)", (customer,)),
        "a contact": ("INSERT INTO contacts (customer_id, name) VALUES (%s, 'Li')", (customer,)),
        "two follow-ups, one of them of a live customer": (
            "INSERT INTO followups (customer_id, text) VALUES (%s, 'a'), (%s, 'b')",
            (live, customer),
        ),
    }
    with world.session(login) as connection:
        for what, (statement, values) in additions.items():
            with (
                pytest.raises(psycopg.errors.CheckViolation, match=REFUSED),
                connection.transaction(),
            ):
                connection.execute(statement, values)
                pytest.fail(f"{login} added {what}")


@pytest.mark.parametrize("login, own", WRITERS)
def test_nothing_is_restored_or_moved_under_a_deleted_customer(world, login, own) -> None:
    customer = world.customers[own]
    follow_up = world.followups[own]
    world.owner().execute("UPDATE followups SET deleted_at = now() WHERE id = %s", (follow_up,))
    _delete(world, own)
    with world.session(login) as connection:
        with (
            pytest.raises(psycopg.errors.CheckViolation, match=REFUSED),
            connection.transaction(),
        ):
            connection.execute("UPDATE followups SET deleted_at = NULL WHERE id = %s", (follow_up,))
        other = connection.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('Other', %s) RETURNING id",
            (world.users.get(own),),
        ).fetchone()[0]
        contact = connection.execute(
            "INSERT INTO contacts (customer_id, name) VALUES (%s, 'Wang') RETURNING id", (other,)
        ).fetchone()[0]
        with (
            pytest.raises(psycopg.errors.CheckViolation, match=REFUSED),
            connection.transaction(),
        ):
            connection.execute(
                "UPDATE contacts SET customer_id = %s WHERE id = %s", (customer, contact)
            )


@pytest.mark.parametrize("login, own", WRITERS)
def test_what_is_already_there_may_be_edited_and_deleted(world, login, own) -> None:
    """A record left live under a deleted customer (before the rules, or by the deployment
    owner's SQL): edited, or deleted, as before; and the customer restored first takes records
    again."""
    customer = world.customers[own]
    _delete(world, own)
    left = (
        world.owner()
        .execute(
            "INSERT INTO followups (customer_id, text) VALUES (%s, 'left') RETURNING id",
            (customer,),
        )
        .fetchone()[0]
    )
    task = (
        world.owner()
        .execute(
            "INSERT INTO tasks (customer_id, title) VALUES (%s, 'left') RETURNING id", (customer,)
        )
        .fetchone()[0]
    )
    with world.session(login) as connection:
        connection.execute("UPDATE followups SET text = 'edited' WHERE id = %s", (left,))
        connection.execute("UPDATE tasks SET deleted_at = now() WHERE id = %s", (task,))
        connection.execute("UPDATE customers SET deleted_at = NULL WHERE id = %s", (customer,))
        connection.execute("UPDATE tasks SET deleted_at = NULL WHERE id = %s", (task,))
        connection.execute(
            "INSERT INTO followups (customer_id, text) VALUES (%s, 'back')", (customer,)
        )
    assert world.owner().execute(
        "SELECT text FROM followups WHERE id = %s", (left,)
    ).fetchone() == ("edited",)


def _stamps(world, customer: str) -> dict[str, set]:
    """Each table of a customer's records -> the deleted_at values its rows hold."""
    found: dict[str, set] = {}
    for table in attack_helpers.CHILD_TABLES:
        rows = (
            world.owner()
            .execute(f"SELECT deleted_at FROM {table} WHERE customer_id = %s", (customer,))
            .fetchall()
        )
        found[table] = {row[0] for row in rows}
    return found


@pytest.mark.parametrize("login, own", WRITERS)
def test_a_deleted_customer_takes_its_records_and_brings_them_back(world, login, own) -> None:
    """Server 0026: every live record of a customer takes the customer's stamp when he deletes
    it with plain SQL (the records a device did not know of, too), and comes back when he
    restores it; a record deleted on its own before stays deleted."""
    customer = world.customers[own]
    gone_before = (
        world.owner()
        .execute(
            "INSERT INTO tasks (customer_id, title, deleted_at)"
            " VALUES (%s, 'done', now() - interval '1 day') RETURNING deleted_at",
            (customer,),
        )
        .fetchone()[0]
    )
    with world.session(login) as connection:
        stamp = connection.execute(
            "UPDATE customers SET deleted_at = now() WHERE id = %s RETURNING deleted_at",
            (customer,),
        ).fetchone()[0]
    deleted = _stamps(world, customer)
    assert deleted.pop("tasks") == {stamp, gone_before}
    assert deleted == {table: {stamp} for table in deleted}
    with world.session(login) as connection:
        connection.execute("UPDATE customers SET deleted_at = NULL WHERE id = %s", (customer,))
    restored = _stamps(world, customer)
    assert restored.pop("tasks") == {None, gone_before}
    assert restored == {table: {None} for table in restored}


@pytest.mark.parametrize("login", ["rob", "rae", "cal"])
def test_nobody_deletes_or_restores_records_of_a_customer_he_may_not_change(world, login) -> None:
    """The records follow only a customer whose writer changed it: a rep's update of a customer
    he may not change (his colleague's, the pool's) touches none of its records either."""
    for own in ("mia", "pool"):
        customer = world.customers[own]
        # Unseen, it changes nothing; a pool customer is refused outright (claim it first).
        with (
            world.session(login) as connection,
            contextlib.suppress(psycopg.errors.InsufficientPrivilege),
            connection.transaction(),
        ):
            connection.execute("UPDATE customers SET deleted_at = now() WHERE id = %s", (customer,))
        assert _stamps(world, customer) == {
            table: {None} for table in attack_helpers.CHILD_TABLES
        }, (login, own)
    _delete(world, "mia")
    stamp = (
        world.owner()
        .execute("SELECT deleted_at FROM customers WHERE id = %s", (world.customers["mia"],))
        .fetchone()[0]
    )
    with world.session(login) as connection:
        connection.execute(
            "UPDATE customers SET deleted_at = NULL WHERE id = %s", (world.customers["mia"],)
        )
    assert _stamps(world, world.customers["mia"]) == {
        table: {stamp} for table in attack_helpers.CHILD_TABLES
    }


def test_a_customer_merged_away_gives_its_records_to_the_kept_one(world) -> None:
    """A merge moves what its device knew to the kept customer; the server moves the rest
    there too (as the writer, under row-level security), and deletes an identifier the kept
    customer has already."""
    merged = world.customers["rob"]
    with world.session("rob") as connection:
        kept = connection.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('Kept', %s) RETURNING id",
            (world.users["rob"],),
        ).fetchone()[0]
        connection.execute(
            "INSERT INTO customer_identifiers (customer_id, kind, value, value_key)"
            " VALUES (%s, 'tax_number', 'TAX-rob', 'tax-rob')",
            (kept,),
        )
        with connection.transaction():
            connection.execute("SET CONSTRAINTS ALL DEFERRED")  # as the push's merge group
            stamp = connection.execute(
                "UPDATE customers SET deleted_at = now(), merged_into_id = %s WHERE id = %s"
                " RETURNING deleted_at",
                (kept, merged),
            ).fetchone()[0]
    left = _stamps(world, merged)
    assert left.pop("customer_identifiers") == {stamp}  # the kept customer has it already
    assert left == {table: set() for table in left}
    moved = _stamps(world, kept)
    assert moved == {table: {None} for table in moved}
    for table in attack_helpers.CHILD_TABLES:
        if table != "customer_identifiers":
            row = world.row(table, world.rows(table)["rob"])
            assert str(row["customer_id"]) == str(kept), table


def test_the_deployment_owner_may_still_book_a_payment_of_a_deleted_customer(world) -> None:
    """An ERP writes as the owner: a payment it books for a customer deleted in the CRM is
    taken, as the owner's plain SQL is by every rule."""
    _delete(world, "rob")
    world.owner().execute(
        "INSERT INTO payments (customer_id, paid_on, amount_cents) VALUES (%s, current_date, 100)",
        (world.customers["rob"],),
    )
