"""Merged records (migration 0017), tried with plain SQL by each role with his own password: a
record points at the one it was merged into only once deleted, never at itself, never at a
record the writer cannot see or that is gone, a contact only at one of its own customer; a
restore clears the pointer; the kept customer's history says what was merged into it, and
nobody writes that history himself."""

from __future__ import annotations

import psycopg
import pytest

from tests.server import attack_helpers

shared_world = attack_helpers.shared_world
world = attack_helpers.world

# Each role and a customer of the shared world he may change.
WRITERS = [("rob", "rob"), ("rae", "rae"), ("mia", "mia"), ("cal", "rae"), ("ada", "rob")]


def _second_customer(connection: psycopg.Connection, owner_id: str) -> str:
    return str(
        connection.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('Second Ltd', %s) RETURNING id",
            (owner_id,),
        ).fetchone()[0]
    )


@pytest.mark.parametrize("login, own", WRITERS)
def test_a_merge_of_two_own_customers_is_recorded_in_the_kept_ones_history(
    world, login, own
) -> None:
    kept = world.customers[own]
    owner = world.users.get(own)
    with world.session(login) as connection:
        merged = _second_customer(connection, owner)
        connection.execute(
            "UPDATE customers SET deleted_at = now(), merged_into_id = %s WHERE id = %s",
            (kept, merged),
        )
        history = connection.execute(
            "SELECT h.kind, h.reason, u.login FROM customer_ownership h"
            " JOIN users u ON u.id = h.changed_by WHERE h.customer_id = %s AND h.kind = 'merged'",
            (kept,),
        ).fetchall()
    assert history == [("merged", "Second Ltd", login)]


BROKEN_POINTERS = {
    "a live record pointing": (
        "UPDATE customers SET merged_into_id = %(other_own)s WHERE id = %(own)s",
        psycopg.errors.CheckViolation,
    ),
    "pointing at itself": (
        "UPDATE customers SET deleted_at = now(), merged_into_id = id WHERE id = %(own)s",
        psycopg.errors.CheckViolation,
    ),
    "pointing at a customer he cannot see": (
        "UPDATE customers SET deleted_at = now(), merged_into_id = %(hidden)s WHERE id = %(own)s",
        psycopg.errors.CheckViolation,
    ),
    "pointing at a deleted customer": (
        "UPDATE customers SET deleted_at = now(), merged_into_id = %(gone)s WHERE id = %(own)s",
        psycopg.errors.CheckViolation,
    ),
    "pointing at nothing": (
        "UPDATE customers SET deleted_at = now(),"
        " merged_into_id = '00000000-0000-0000-0000-000000000001' WHERE id = %(own)s",
        psycopg.errors.CheckViolation,
    ),
    "a contact pointing at another customer's contact": (
        "UPDATE contacts SET deleted_at = now(), merged_into_id = %(other_contact)s"
        " WHERE id = %(own_contact)s",
        psycopg.errors.CheckViolation,
    ),
    "a new row already merged away": (
        "INSERT INTO customers (name, owner_id, deleted_at, merged_into_id)"
        " VALUES ('Ghost', %(owner)s, now(), %(hidden)s)",
        psycopg.errors.CheckViolation,
    ),
}


@pytest.mark.parametrize("statement, error", BROKEN_POINTERS.values(), ids=BROKEN_POINTERS)
@pytest.mark.parametrize("login, own", [w for w in WRITERS if w[0] != "ada"])
def test_no_role_writes_a_broken_pointer(world, statement, error, login, own) -> None:
    hidden = "rae" if own != "rae" else "rob"
    with world.session(login) as connection:
        with connection.transaction():
            other_own = _second_customer(connection, world.users.get(own))
            gone = _second_customer(connection, world.users.get(own))
            connection.execute("UPDATE customers SET deleted_at = now() WHERE id = %s", (gone,))
        params = {
            "own": world.customers[own],
            "other_own": other_own,
            "hidden": world.customers[hidden],
            "gone": gone,
            "own_contact": world.contacts[own],
            "other_contact": world.contacts[hidden],
            "owner": world.users.get(own),
        }
        with pytest.raises(error), connection.transaction():
            connection.execute(statement, params)
    assert world.row("customers", world.customers[own])["merged_into_id"] is None
    assert world.row("contacts", world.contacts[own])["merged_into_id"] is None


def test_an_administrator_too_merges_only_into_a_live_customer(world) -> None:
    with world.session("ada") as connection:
        gone = _second_customer(connection, world.users["rob"])
        connection.execute("UPDATE customers SET deleted_at = now() WHERE id = %s", (gone,))
        with pytest.raises(psycopg.errors.CheckViolation), connection.transaction():
            connection.execute(
                "UPDATE customers SET deleted_at = now(), merged_into_id = %s WHERE id = %s",
                (gone, world.customers["rob"]),
            )
    assert world.row("customers", world.customers["rob"])["deleted_at"] is None


@pytest.mark.parametrize("login, own", WRITERS)
def test_a_restore_must_clear_the_pointer(world, login, own) -> None:
    with world.session(login) as connection:
        merged = _second_customer(connection, world.users.get(own))
        connection.execute(
            "UPDATE customers SET deleted_at = now(), merged_into_id = %s WHERE id = %s",
            (world.customers[own], merged),
        )
        with pytest.raises(psycopg.errors.CheckViolation), connection.transaction():
            connection.execute("UPDATE customers SET deleted_at = NULL WHERE id = %s", (merged,))
        connection.execute(
            "UPDATE customers SET deleted_at = NULL, merged_into_id = NULL WHERE id = %s",
            (merged,),
        )
    row = world.row("customers", merged)
    assert row["deleted_at"] is None and row["merged_into_id"] is None


@pytest.mark.parametrize("login", ["rob", "rae", "mia", "cal"])
def test_nobody_writes_a_merge_into_history_himself(world, login) -> None:
    with world.session(login) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege), connection.transaction():
            connection.execute(
                "INSERT INTO customer_ownership (customer_id, kind, reason)"
                " VALUES (%s, 'merged', 'forged')",
                (world.customers["rob"],),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege), connection.transaction():
            connection.execute("SELECT crm_check_merge_target()")
    world.assert_unchanged()


@pytest.mark.parametrize("login", ["rob", "rae", "mia"])
def test_nobody_merges_into_a_pool_customer_he_only_sees(world, login) -> None:
    """A merge writes a line into the kept customer's history, which every rep reads: into a
    pool customer it would let anyone write it, and hide the `returned` line a late follow-up
    looks for (server revision 0024). A customer is claimed before it is merged into."""
    pool = world.customers["pool"]
    before = (
        world.owner()
        .execute("SELECT count(*) FROM customer_ownership WHERE customer_id = %s", (pool,))
        .fetchone()
    )
    with world.session(login) as connection:
        mine = _second_customer(connection, world.users[login])
        with pytest.raises(psycopg.errors.CheckViolation, match="you may change"):
            connection.execute(
                "UPDATE customers SET deleted_at = now(), merged_into_id = %s WHERE id = %s",
                (pool, mine),
            )
    after = (
        world.owner()
        .execute("SELECT count(*) FROM customer_ownership WHERE customer_id = %s", (pool,))
        .fetchone()
    )
    assert after == before


@pytest.mark.parametrize("login, own", WRITERS)
def test_a_contact_merged_away_passes_what_names_it_to_the_kept_one(world, login, own) -> None:
    """Server 0030: the shared world's follow-up and deal name the customer's contact; merged
    into a second contact, they name that one, whoever merges with plain SQL."""
    customer, merged = world.customers[own], world.contacts[own]
    with world.session(login) as connection:
        kept = connection.execute(
            "INSERT INTO contacts (customer_id, name) VALUES (%s, 'Kept') RETURNING id",
            (customer,),
        ).fetchone()[0]
        connection.execute(
            "UPDATE contacts SET deleted_at = now(), merged_into_id = %s WHERE id = %s",
            (kept, merged),
        )
    for table, row in (
        ("followups", world.followups[own]),
        ("opportunities", world.opportunities[own]),
    ):
        assert str(world.row(table, row)["contact_id"]) == str(kept), (login, table)


@pytest.mark.parametrize("login", ["rob", "rae", "cal"])
def test_nobody_moves_what_names_a_contact_of_a_customer_he_may_not_change(world, login) -> None:
    """Mia's contact: unseen, his merge changes nothing, and nothing that names it moves."""
    kept = world.contacts["pool"]
    with world.session(login) as connection:
        connection.execute(
            "UPDATE contacts SET deleted_at = now(), merged_into_id = %s WHERE id = %s",
            (kept, world.contacts["mia"]),
        )
    assert str(world.row("followups", world.followups["mia"])["contact_id"]) == str(
        world.contacts["mia"]
    )
