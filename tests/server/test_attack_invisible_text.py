"""No invisible characters in one-line text (server migration 0027), tried as each role with
plain SQL: a right-to-left override that makes a customer's name read as another, a zero-width
space that makes a second 华为 look like the first. The devices take them out of what users
type; the server refuses them from anyone else."""

from __future__ import annotations

import psycopg
import pytest

from tests.server import attack_helpers

shared_world = attack_helpers.shared_world
world = attack_helpers.world

# Each writer and a customer of the shared world he may change (a clerk: his rep's).
WRITERS = [("rob", "rob"), ("rae", "rae"), ("mia", "mia"), ("cal", "rae"), ("ada", "rob")]
INVISIBLE = ["\u202e", "\u200b", "\u2066", "\ufeff", "\u200f", "\u2060"]


@pytest.mark.parametrize("login, own", WRITERS)
def test_no_role_writes_an_invisible_character_into_one_line_text(world, login, own) -> None:
    customer = world.customers[own]
    attempts = {
        "a customer's name read backwards": (
            "UPDATE customers SET name = %s WHERE id = %s",
            ("Acme \u202eLtd", customer),
        ),
        "a new customer named like another": (
            "INSERT INTO customers (name, owner_id) VALUES (%s, %s)",
            (f"{own} Ltd\u200b", world.users.get(own)),
        ),
        "a contact's name": (
            "INSERT INTO contacts (customer_id, name) VALUES (%s, %s)",
            (customer, "张\u2060伟"),
        ),
        "a task's title": (
            "UPDATE tasks SET title = %s WHERE id = %s",
            ("\u2066call\u2069", world.tasks[own]),
        ),
        "a contract's number": (
            "UPDATE contracts SET number = %s WHERE id = %s",
            (f"HT-{own}\ufeff", world.contracts[own]),
        ),
        "a phone": ("UPDATE customers SET phone = %s WHERE id = %s", ("138\u200f", customer)),
    }
    with world.session(login) as connection:
        for what, (statement, values) in attempts.items():
            with (
                pytest.raises(psycopg.errors.CheckViolation, match="visible"),
                connection.transaction(),
            ):
                connection.execute(statement, values)
                pytest.fail(f"{login} wrote {what}")
    assert world.owner().execute(
        "SELECT name FROM customers WHERE id = %s", (customer,)
    ).fetchone() == (f"{own} Ltd",)


@pytest.mark.parametrize("character", INVISIBLE)
def test_not_even_the_deployment_owner_writes_one(world, character) -> None:
    with pytest.raises(psycopg.errors.CheckViolation), world.owner().transaction():
        world.owner().execute(
            "UPDATE customers SET name = %s WHERE id = %s",
            (f"rob{character} Ltd", world.customers["rob"]),
        )


def test_every_one_line_text_column_refuses_them(world) -> None:
    """Each column with the one-line CHECK (no control characters) has this one too, so a
    column added later without it fails here."""
    checks = (
        world.owner()
        .execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint"
            " WHERE contype = 'c' AND conname NOT LIKE '%\\_long\\_text'"
            "   AND (conname LIKE 'ck\\_%\\_text' OR conname LIKE 'ck\\_%\\_visible')"
        )
        .fetchall()
    )
    one_line = {name.removesuffix("_text") for _, name in checks if name.endswith("_text")}
    visible = {name.removesuffix("_visible") for _, name in checks if name.endswith("_visible")}
    assert len(one_line) > 30
    assert one_line == visible
