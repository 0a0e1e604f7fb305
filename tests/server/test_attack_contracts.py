"""Contracts, payment plans and payments (migration 0014), tried with plain SQL by each role with
his own password, beyond what the generic attacks on every customer child cover (scope, pool,
audit, values, deletes): a payment or instalment on another customer's contract, a contract
renewing or coming from another customer's, a number or another system's key used twice."""

from __future__ import annotations

import psycopg
import pytest

from tests.server import attack_helpers

shared_world = attack_helpers.shared_world
world = attack_helpers.world


def seen(world, login: str, table: str) -> set[str]:
    with world.session(login) as connection:
        return {row[0] for row in connection.execute(f"SELECT id::text FROM {table}")}


@pytest.mark.parametrize("table", ["contracts", "contract_instalments", "payments"])
def test_money_is_read_by_those_who_see_the_customer(world, table) -> None:
    rows = world.rows(table)
    # rob: his own and the pool's; mia: hers, her rep rob's and the pool's; cal: his rep rae's.
    assert seen(world, "rob", table) == {rows["rob"], rows["pool"]}
    assert seen(world, "rae", table) == {rows["rae"], rows["pool"]}
    assert seen(world, "mia", table) == {rows["mia"], rows["rob"], rows["pool"]}
    assert seen(world, "cal", table) == {rows["rae"]}
    assert seen(world, "ada", table) == set(rows.values())
    with world.session("rae") as connection:
        logged = connection.execute(
            "SELECT count(*) FROM sync_changes WHERE row_id = %s", (rows["rob"],)
        ).fetchone()[0]
    assert logged == 0  # nor does the change log tell her it exists


CROSS = {
    "payment on another's contract": (
        "INSERT INTO payments (customer_id, contract_id, paid_on, amount_cents)"
        " VALUES (%(own)s, %(their_contract)s, '2031-01-01', 100)"
    ),
    "instalment of another's contract": (
        "INSERT INTO contract_instalments (contract_id, customer_id, due_on)"
        " VALUES (%(their_contract)s, %(own)s, '2031-01-01')"
    ),
    "contract from another's deal": (
        "INSERT INTO contracts (number, customer_id, opportunity_id)"
        " VALUES ('X-1', %(own)s, %(their_deal)s)"
    ),
    "contract renewing another's": (
        "INSERT INTO contracts (number, customer_id, renewed_from_id)"
        " VALUES ('X-2', %(own)s, %(their_contract)s)"
    ),
    "payment moved to another's contract": (
        "UPDATE payments SET contract_id = %(their_contract)s WHERE id = %(own_payment)s"
    ),
}


@pytest.mark.parametrize("statement", CROSS.values(), ids=CROSS)
@pytest.mark.parametrize("login, own, other", [("rob", "rob", "rae"), ("mia", "mia", "rob")])
def test_money_never_points_at_another_customers_records(
    world, statement, login, own, other
) -> None:
    params = {
        "own": world.customers[own],
        "own_payment": world.payments[own],
        "their_contract": world.contracts[other],
        "their_deal": world.opportunities[other],
    }
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.ForeignKeyViolation),
        connection.transaction(),
    ):
        connection.execute(statement, params)
    world.assert_unchanged()


def test_a_live_contract_number_is_used_once(world) -> None:
    with world.session("rob") as connection, pytest.raises(psycopg.errors.UniqueViolation):
        connection.execute(
            "INSERT INTO contracts (number, customer_id) VALUES ('HT-rae', %s)",
            (world.customers["rob"],),
        )
    world.assert_unchanged()
    # A deleted contract's number is free again.
    with world.session("rob") as connection:
        connection.execute(
            "UPDATE contracts SET deleted_at = now() WHERE id = %s", (world.contracts["rob"],)
        )
        connection.execute(
            "INSERT INTO contracts (number, customer_id) VALUES ('HT-rob', %s)",
            (world.customers["rob"],),
        )


def test_another_systems_key_is_used_once_per_table(world) -> None:
    world.owner().execute(
        "UPDATE payments SET external_ref = 'ERP-1' WHERE id = %s", (world.payments["rae"],)
    )
    with world.session("rob") as connection:
        with pytest.raises(psycopg.errors.UniqueViolation):
            connection.execute(
                "UPDATE payments SET external_ref = 'ERP-1' WHERE id = %s",
                (world.payments["rob"],),
            )
        # The same key on a contract is another table's: allowed.
        connection.execute(
            "UPDATE contracts SET external_ref = 'ERP-1' WHERE id = %s", (world.contracts["rob"],)
        )
    with pytest.raises(psycopg.errors.UniqueViolation):
        world.owner().execute(
            "INSERT INTO payments (customer_id, paid_on, amount_cents, external_ref)"
            " VALUES (%s, '2031-01-01', 100, 'ERP-1')",
            (world.customers["mia"],),
        )


def test_a_contract_cannot_end_before_it_starts_nor_renew_itself(world) -> None:
    contract = world.contracts["rob"]
    with world.session("rob") as connection:
        for change in (
            "start_on = '2031-05-01', end_on = '2031-04-30'",
            "renewed_from_id = id",
        ):
            with pytest.raises(psycopg.errors.CheckViolation):
                connection.execute(f"UPDATE contracts SET {change} WHERE id = %s", (contract,))
    world.assert_unchanged()


@pytest.mark.parametrize("login", ["rob", "mia", "ada", "cal"])
def test_nobody_hard_deletes_money(world, login) -> None:
    with world.session(login) as connection:
        for table in ("contracts", "contract_instalments", "payments"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(f"DELETE FROM {table}")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(f"TRUNCATE {table} CASCADE")
    world.assert_unchanged()
