"""A customer's open work follows it to its new owner (server migration 0029), tried with plain
SQL as each role that may give a customer an owner: the trigger moves only what the writer may
change, never a record of a customer he may not give, and a return to the pool moves nothing."""

from __future__ import annotations

import contextlib

import psycopg
import pytest

from tests.server import attack_helpers

shared_world = attack_helpers.shared_world
world = attack_helpers.world


def _owners(world, key: str) -> tuple[object, ...]:
    """The owner of the open deal, of the running contract and the assignee of the open task
    of the shared world's customer `key`."""
    return tuple(
        world.owner().execute(statement, (row,)).fetchone()[0]
        for statement, row in (
            ("SELECT owner_id FROM opportunities WHERE id = %s", world.opportunities[key]),
            ("SELECT owner_id FROM contracts WHERE id = %s", world.contracts[key]),
            ("SELECT assignee_id FROM tasks WHERE id = %s", world.tasks[key]),
        )
    )


def test_a_rep_claiming_from_the_pool_takes_its_open_work(world) -> None:
    """Its deal and its task were rae's, who had it before it returned to the pool: rob, who
    claims it, takes both (server 0034 for the task: it stayed with rae, who no longer saw
    the customer). A task done stays as it was."""
    for statement in (
        "UPDATE opportunities SET owner_id = %s WHERE id = %s",
        "UPDATE tasks SET assignee_id = %s WHERE id = %s",
    ):
        world.owner().execute(
            statement,
            (
                world.users["rae"],
                (world.opportunities if "opp" in statement else world.tasks)["pool"],
            ),
        )
    done = (
        world.owner()
        .execute(
            "INSERT INTO tasks (title, customer_id, assignee_id, done, done_at)"
            " VALUES ('called', %s, %s, true, now()) RETURNING id",
            (world.customers["pool"], world.users["rae"]),
        )
        .fetchone()[0]
    )
    with world.session("rob") as connection:
        connection.execute(
            "UPDATE customers SET owner_id = crm_current_user_id() WHERE id = %s",
            (world.customers["pool"],),
        )
    assert tuple(map(str, _owners(world, "pool"))) == (world.users["rob"],) * 3
    kept = world.owner().execute("SELECT assignee_id FROM tasks WHERE id = %s", (done,))
    assert str(kept.fetchone()[0]) == world.users["rae"]


@pytest.mark.parametrize("login, own", [("mia", "rob"), ("ada", "rae")])
def test_a_manager_or_admin_giving_a_customer_moves_its_work(world, login, own) -> None:
    with world.session(login) as connection:
        connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s",
            (world.users["mia"], world.customers[own]),
        )
    assert tuple(map(str, _owners(world, own))) == (world.users["mia"],) * 3


@pytest.mark.parametrize("login", ["rob", "rae", "cal"])
def test_nobody_moves_the_work_of_a_customer_he_may_not_give(world, login) -> None:
    before = _owners(world, "mia")
    with (
        world.session(login) as connection,
        contextlib.suppress(psycopg.errors.InsufficientPrivilege, psycopg.errors.CheckViolation),
        connection.transaction(),
    ):
        connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s",
            (world.users[login], world.customers["mia"]),
        )
    assert _owners(world, "mia") == before


def test_a_customer_returned_to_the_pool_keeps_its_work_where_it_was(world) -> None:
    before = _owners(world, "rob")
    with world.session("rob") as connection:
        connection.execute(
            "UPDATE customers SET owner_id = NULL WHERE id = %s", (world.customers["rob"],)
        )
    assert _owners(world, "rob") == before
