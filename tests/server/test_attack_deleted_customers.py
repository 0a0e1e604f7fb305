"""No live record under a deleted customer (server migration 0025), tried as each role that may
write a customer's records, with plain SQL: adding one, restoring one, or moving one there is
refused; an edit of a record already there, deleting one, and restoring the customer first are
not."""

from __future__ import annotations

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
    """A record left live under a customer deleted before the rule: edited, or deleted with
    it, as before; and the customer restored first takes records again."""
    customer = world.customers[own]
    _delete(world, own)
    with world.session(login) as connection:
        connection.execute(
            "UPDATE followups SET text = 'edited' WHERE id = %s", (world.followups[own],)
        )
        connection.execute("UPDATE tasks SET deleted_at = now() WHERE id = %s", (world.tasks[own],))
        connection.execute("UPDATE customers SET deleted_at = NULL WHERE id = %s", (customer,))
        connection.execute("UPDATE tasks SET deleted_at = NULL WHERE id = %s", (world.tasks[own],))
        connection.execute(
            "INSERT INTO followups (customer_id, text) VALUES (%s, 'back')", (customer,)
        )
    assert world.owner().execute(
        "SELECT text FROM followups WHERE id = %s", (world.followups[own],)
    ).fetchone() == ("edited",)


def test_the_deployment_owner_may_still_book_a_payment_of_a_deleted_customer(world) -> None:
    """An ERP writes as the owner: a payment it books for a customer deleted in the CRM is
    taken, as the owner's plain SQL is by every rule."""
    _delete(world, "rob")
    world.owner().execute(
        "INSERT INTO payments (customer_id, paid_on, amount_cents) VALUES (%s, current_date, 100)",
        (world.customers["rob"],),
    )
