"""A manager's lock keeps a customer with its owner, and `owned_since` is the server's word:
a rep or clerk cannot lock or unlock with plain SQL, nobody can move the date by hand, and a
customer leaving for the pool loses both."""

from __future__ import annotations

import psycopg
import pytest

from tests.postgres import backdate_ownership
from tests.server import attack_helpers

shared_world = attack_helpers.shared_world
world = attack_helpers.world

RETURN = "SELECT crm_return_due_customers()"


def test_a_locked_customer_never_returns_to_the_pool(world) -> None:
    robs = world.customers["rob"]
    with world.session("mia") as connection:
        assert connection.execute(
            "UPDATE customers SET pool_locked = true WHERE id = %s RETURNING id", (robs,)
        ).fetchone()
    backdate_ownership(world.owner(), 400, robs)
    world.owner().execute(
        "UPDATE followups SET happened_at = now() - interval '400 days' WHERE customer_id = %s",
        (robs,),
    )
    with world.session("rob") as connection:
        assert connection.execute(RETURN).fetchone()[0] == 0
    assert world.owner_login(robs) == "rob"
    with world.session("mia") as connection:
        connection.execute("UPDATE customers SET pool_locked = false WHERE id = %s", (robs,))
        assert connection.execute(RETURN).fetchone()[0] == 1
    assert world.owner_login(robs) is None


@pytest.mark.parametrize("login", ["rob", "cal"])
@pytest.mark.parametrize("locked", [True, False])
def test_a_rep_or_clerk_cannot_lock_or_unlock(world, login: str, locked: bool) -> None:
    customer = world.customers["rob" if login == "rob" else "rae"]
    world.owner().execute(
        "UPDATE customers SET pool_locked = %s WHERE id = %s", (not locked, customer)
    )
    with world.session(login) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(
            "UPDATE customers SET pool_locked = %s WHERE id = %s", (locked, customer)
        )
    assert world.row("customers", customer)["pool_locked"] is (not locked)


def test_a_rep_cannot_enter_a_customer_already_locked(world) -> None:
    with world.session("rob") as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(
            "INSERT INTO customers (name, owner_id, pool_locked)"
            " VALUES ('锁定', crm_current_user_id(), true)"
        )


def test_a_manager_cannot_lock_outside_his_team(world) -> None:
    raes = world.customers["rae"]
    with world.session("mia") as connection:
        changed = connection.execute(
            "UPDATE customers SET pool_locked = true WHERE id = %s RETURNING id", (raes,)
        ).fetchone()
    assert changed is None
    assert world.row("customers", raes)["pool_locked"] is False


@pytest.mark.parametrize("login", ["rob", "mia"])
def test_owned_since_is_set_by_the_server_only(world, login: str) -> None:
    customer = world.customers[login]
    before = world.row("customers", customer)["owned_since"]
    assert before is not None
    with world.session(login) as connection:
        connection.execute(
            "UPDATE customers SET owned_since = now() + interval '1 year', name = name || '!'"
            " WHERE id = %s",
            (customer,),
        )
        inserted = connection.execute(
            "INSERT INTO customers (name, owner_id, owned_since)"
            " VALUES ('新', crm_current_user_id(), '2000-01-01') RETURNING owned_since, now()"
        ).fetchone()
    assert world.row("customers", customer)["owned_since"] == before
    assert inserted[0] == inserted[1]


def test_a_customer_leaving_for_the_pool_loses_its_lock_and_date_and_a_claim_restarts_them(
    world,
) -> None:
    robs = world.customers["rob"]
    with world.session("mia") as connection:
        connection.execute("UPDATE customers SET pool_locked = true WHERE id = %s", (robs,))
        # Locked, it goes to the pool by his hand only (a rep's release is refused: below).
        connection.execute("UPDATE customers SET owner_id = NULL WHERE id = %s", (robs,))
    row = world.row("customers", robs)
    assert (row["owner_id"], row["owned_since"], row["pool_locked"]) == (None, None, False)
    with world.session("rae") as connection:
        connection.execute(
            "UPDATE customers SET owner_id = crm_current_user_id() WHERE id = %s", (robs,)
        )
        now = connection.execute("SELECT now()").fetchone()[0]
    assert world.row("customers", robs)["owned_since"] <= now
    assert world.row("customers", robs)["owned_since"] is not None


@pytest.mark.parametrize(
    "release",
    [
        "UPDATE customers SET owner_id = NULL WHERE id = %s",
        "INSERT INTO customers (id, name, owner_id) SELECT id, name, NULL FROM customers"
        " WHERE id = %s ON CONFLICT (id) DO UPDATE SET owner_id = EXCLUDED.owner_id",
    ],
)
def test_a_rep_cannot_undo_his_managers_lock_by_releasing_the_customer(world, release) -> None:
    robs = world.customers["rob"]
    with world.session("mia") as connection:
        connection.execute("UPDATE customers SET pool_locked = true WHERE id = %s", (robs,))
    with world.session("rob") as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(release, (robs,))
    row = world.row("customers", robs)
    assert world.owner_login(robs) == "rob" and row["pool_locked"] is True
    # His manager may let it go; the pool then has it, unlocked.
    with world.session("mia") as connection:
        connection.execute("UPDATE customers SET owner_id = NULL WHERE id = %s", (robs,))
    assert world.owner_login(robs) is None
    assert world.row("customers", robs)["pool_locked"] is False
    # Unlocked, a rep releases his own as before.
    raes = world.customers["rae"]
    with world.session("rae") as connection:
        assert connection.execute(
            "UPDATE customers SET owner_id = NULL WHERE id = %s RETURNING id", (raes,)
        ).fetchone()
    assert world.owner_login(raes) is None
