"""Claims from the public pool and the history of who owned each customer, tried with plain SQL
by each role with his own password: the caps hold for everyone but administrators, a refusal
names its rule and when the claim is allowed, and nobody writes or rewrites the history."""

from __future__ import annotations

import psycopg
import pytest

from tests.server import attack_helpers
from tests.server.attack_helpers import LOGINS

shared_world = attack_helpers.shared_world
world = attack_helpers.world

CLAIM = "UPDATE customers SET owner_id = crm_current_user_id() WHERE id = %s"
HISTORY = (
    "SELECT kind, o.login, n.login, c.login, h.reason FROM customer_ownership h"
    " LEFT JOIN users o ON o.id = h.previous_owner_id LEFT JOIN users n ON n.id = h.owner_id"
    " LEFT JOIN users c ON c.id = h.changed_by WHERE h.customer_id = %s ORDER BY h.id"
)


def set_rule(world, key: str, value: int) -> None:
    world.owner().execute("UPDATE crm_rules SET value = %s WHERE key = %s", (value, key))


def pool_customers(world, count: int) -> list[str]:
    """More customers in the pool, put there by the owner's plain SQL."""
    rows = world.owner().execute(
        "INSERT INTO customers (id, name) SELECT gen_random_uuid(), 'pool ' || g"
        " FROM generate_series(1, %s) g RETURNING id::text",
        (count,),
    )
    return [row[0] for row in rows.fetchall()]


def history(world, customer: str) -> list[tuple]:
    return world.owner().execute(HISTORY, (customer,)).fetchall()


def test_a_claim_is_recorded_by_the_server(world) -> None:
    pool = world.customers["pool"]
    assert history(world, pool) == [("entered", None, None, None, None)]
    with world.session("rob") as connection:
        assert connection.execute(CLAIM, (pool,)).rowcount == 1
    assert world.owner_login(pool) == "rob"
    assert history(world, pool)[-1] == ("claimed", None, "rob", "rob", None)


def test_claims_per_day_are_capped_and_the_refusal_says_until_when(world) -> None:
    set_rule(world, "claim_per_day", 2)
    first, second, third = pool_customers(world, 3)
    with world.session("rob") as connection:
        connection.execute(CLAIM, (first,))
        connection.execute(CLAIM, (second,))
        with pytest.raises(
            psycopg.errors.CheckViolation,
            match=r"claim_per_day: 2 claimed in the last 24 hours; you may claim again from ",
        ):
            connection.execute(CLAIM, (third,))
    assert [world.owner_login(c) for c in (first, second, third)] == ["rob", "rob", None]
    # Another rep's claims are his own count.
    with world.session("rae") as connection:
        assert connection.execute(CLAIM, (third,)).rowcount == 1


def test_two_claims_at_once_cannot_both_slip_under_the_cap(world) -> None:
    set_rule(world, "claim_per_day", 1)
    first, second = pool_customers(world, 2)
    with world.db.connect_as("rob") as one, world.db.connect_as("rob") as two:
        one.autocommit = two.autocommit = False
        one.execute(CLAIM, (first,))
        # The second waits for the first's lock, then counts its claim.
        two.execute("SET lock_timeout = '200ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            two.execute(CLAIM, (second,))
        one.commit()
        two.rollback()
        with pytest.raises(psycopg.errors.CheckViolation, match="claim_per_day"):
            two.execute(CLAIM, (second,))
    assert (world.owner_login(first), world.owner_login(second)) == ("rob", None)


def test_nobody_owns_more_than_max_owned(world) -> None:
    set_rule(world, "max_owned", 1)  # rob owns one customer already
    (extra,) = pool_customers(world, 1)
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.CheckViolation, match="max_owned: rob already owns 1"),
    ):
        connection.execute(CLAIM, (extra,))
    # Nor may his manager hand him one more.
    with (
        world.session("mia") as connection,
        pytest.raises(psycopg.errors.CheckViolation, match="max_owned"),
    ):
        connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s", (world.users["rob"], extra)
        )
    assert world.owner_login(extra) is None
    # An administrator is not held to the caps.
    with world.session("ada") as connection:
        connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s", (world.users["rob"], extra)
        )
    assert world.owner_login(extra) == "rob"
    assert history(world, extra)[-1][:4] == ("assigned", None, "rob", "ada")


def test_a_restore_does_not_take_a_rep_past_max_owned(world) -> None:
    """Deleting a customer of his, claiming one from the pool and restoring the deleted one
    left a rep owning one more than the cap (server revision 0024)."""
    set_rule(world, "max_owned", 1)  # rob owns one customer already
    own = world.customers["rob"]
    (extra,) = pool_customers(world, 1)
    with world.session("rob") as connection:
        connection.execute("UPDATE customers SET deleted_at = now() WHERE id = %s", (own,))
        connection.execute(CLAIM, (extra,))
        with pytest.raises(psycopg.errors.CheckViolation, match="max_owned: rob already owns 1"):
            connection.execute("UPDATE customers SET deleted_at = NULL WHERE id = %s", (own,))
    assert world.owner().execute(
        "SELECT deleted_at IS NOT NULL FROM customers WHERE id = %s", (own,)
    ).fetchone() == (True,)
    # Under the cap, a restore goes through (an undone delete); an administrator's always.
    set_rule(world, "max_owned", 2)
    with world.session("rob") as connection:
        connection.execute("UPDATE customers SET deleted_at = NULL WHERE id = %s", (own,))
        connection.execute("UPDATE customers SET deleted_at = now() WHERE id = %s", (own,))
    set_rule(world, "max_owned", 1)
    with world.session("ada") as connection:
        connection.execute("UPDATE customers SET deleted_at = NULL WHERE id = %s", (own,))
    assert world.owner().execute(
        "SELECT count(*) FROM customers WHERE owner_id = %s AND deleted_at IS NULL",
        (world.users["rob"],),
    ).fetchone() == (2,)


def test_a_released_customer_is_not_claimed_back_within_the_block(world) -> None:
    mine = world.customers["rob"]
    with world.session("rob") as connection:
        connection.execute("SET crm.owner_change_reason = 'moved to Shanghai'")
        connection.execute("UPDATE customers SET owner_id = NULL WHERE id = %s", (mine,))
        with pytest.raises(
            psycopg.errors.CheckViolation, match=r"reclaim_block_days: .* claim it back from"
        ):
            connection.execute(CLAIM, (mine,))
    assert history(world, mine)[-1] == ("released", "rob", None, "rob", "moved to Shanghai")
    with world.session("rae") as connection:
        assert connection.execute(CLAIM, (mine,)).rowcount == 1
    assert world.owner_login(mine) == "rae"


def test_a_manager_assigns_within_his_team(world) -> None:
    pool = world.customers["pool"]
    with world.session("mia") as connection:
        connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s", (world.users["rob"], pool)
        )
    assert history(world, pool)[-1][:4] == ("assigned", None, "rob", "mia")


@pytest.mark.parametrize("login, receiver", [("mia", "cal"), ("ada", "cal"), ("ada", "ada")])
def test_only_a_rep_or_a_manager_is_given_a_customer(world, login, receiver) -> None:
    """Server 0035: a clerk of the manager's own team, an administrator, the administrator
    himself: nobody but a rep or a manager is made an owner, by a manager or an
    administrator. A rep is given one as before; the deployment owner's SQL keeps what it
    sets."""
    world.owner().execute(
        "UPDATE users SET manager_id = %s WHERE login = 'cal'", (world.users["mia"],)
    )
    pool = world.customers["pool"]
    give = "UPDATE customers SET owner_id = %s WHERE id = %s"
    with world.session(login) as connection:
        with pytest.raises(psycopg.errors.CheckViolation, match="owner_role") as refused:
            connection.execute(give, (world.users[receiver], pool))
        assert refused.value.diag.message_detail == receiver
        connection.execute(give, (world.users["rob"], pool))
    assert world.owner_login(pool) == "rob"
    world.owner().execute(give, (world.users["cal"], pool))
    assert world.owner_login(pool) == "cal"


@pytest.mark.parametrize("login, owner", [("mia", "cal"), ("ada", "cal"), ("rob", "ada")])
def test_nobody_enters_a_customer_for_a_clerk_or_another_administrator(world, login, owner) -> None:
    """Server 0035, for new customers: a whole statement with one such row is refused (a
    manager entering one for a clerk of his team; an administrator for a clerk; anyone for an
    administrator but himself). An administrator enters his own, as his first sync does with
    the customers of a profile he used on its own."""
    world.owner().execute(
        "UPDATE users SET manager_id = %s WHERE login = 'cal'", (world.users["mia"],)
    )
    before = world.owner().execute("SELECT count(*) FROM customers").fetchone()[0]
    with world.session(login) as connection:
        with pytest.raises(
            (psycopg.errors.CheckViolation, psycopg.errors.InsufficientPrivilege)
        ) as refused:
            connection.execute(
                "INSERT INTO customers (name, owner_id) VALUES ('甲', crm_current_user_id()),"
                " ('乙', %s)",
                (world.users[owner],),
            )
        if login != "rob":  # a rep's own policy refuses any owner but himself first
            assert isinstance(refused.value, psycopg.errors.CheckViolation)
            assert "owner_role" in str(refused.value)
    assert world.owner().execute("SELECT count(*) FROM customers").fetchone()[0] == before
    with world.session("ada") as connection:
        connection.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('丙', crm_current_user_id())"
        )
    assert world.owner().execute("SELECT count(*) FROM customers").fetchone()[0] == before + 1


def test_an_owner_of_customers_does_not_become_a_clerk_or_an_administrator(world) -> None:
    with world.session("ada") as connection:
        for role in ("clerk", "admin"):
            with pytest.raises(psycopg.errors.CheckViolation, match="owner_role"):
                connection.execute("UPDATE users SET role = %s WHERE login = 'rob'", (role,))
        # Without customers he may: rae's go to the pool first.
        connection.execute(
            "UPDATE customers SET owner_id = NULL WHERE owner_id = %s", (world.users["rae"],)
        )
        connection.execute("UPDATE users SET role = 'clerk' WHERE login = 'rae'")
    roles = dict(world.owner().execute("SELECT login, role FROM users").fetchall())
    assert (roles["rob"], roles["rae"]) == ("rep", "clerk")


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO customer_ownership (customer_id, owner_id, kind)"
        " SELECT id, owner_id, 'claimed' FROM customers LIMIT 1",
        "UPDATE customer_ownership SET kind = 'assigned'",
        "UPDATE customer_ownership SET changed_at = now() - interval '1 year'",
        "DELETE FROM customer_ownership",
        "TRUNCATE customer_ownership",
        "SELECT crm_record_owner_changes()",
        "ALTER TABLE customers DISABLE TRIGGER crm_check_claim",
        "ALTER TABLE customers DISABLE TRIGGER crm_record_owner_changes",
        "DROP TRIGGER crm_record_owner_changes ON customers",
        "SELECT crm_record_entries()",
        "ALTER TABLE customers DISABLE TRIGGER crm_record_entries",
        "DROP TRIGGER crm_record_entries ON customers",
        "DROP TRIGGER crm_check_claim ON customers",
    ],
)
@pytest.mark.parametrize("login", LOGINS)
def test_nobody_writes_the_history_or_switches_the_rules_off(world, login, statement) -> None:
    with world.session(login) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(statement)
    world.assert_unchanged()


def test_the_history_is_read_by_those_who_see_the_customer(world) -> None:
    robs = world.customers["rob"]
    with world.session("rob") as connection:
        mine = connection.execute(
            "SELECT count(*) FROM customer_ownership WHERE customer_id = %s", (robs,)
        ).fetchone()[0]
    with world.session("rae") as connection:
        others = connection.execute(
            "SELECT count(*) FROM customer_ownership WHERE customer_id = %s", (robs,)
        ).fetchone()[0]
    assert (mine, others) == (1, 0)
    world.assert_unchanged()


def test_a_clerk_claims_nothing(world) -> None:
    with world.session("cal") as connection:
        # He does not see the pool at all.
        assert connection.execute(CLAIM, (world.customers["pool"],)).rowcount == 0
    world.assert_unchanged()


def test_a_new_owner_and_a_new_grade_in_one_statement_are_two_lines_each(world) -> None:
    robs, raes = world.customers["rob"], world.customers["rae"]
    with world.session("ada") as connection:
        connection.execute(
            "UPDATE customers SET owner_id = %s, grade = 'B' WHERE id = ANY (%s::uuid[])",
            (world.users["mia"], [robs, raes]),
        )
    for customer, login in ((robs, "rob"), (raes, "rae")):
        assert history(world, customer)[-2:] == [
            ("assigned", login, "mia", "ada", None),
            ("graded", "mia", "mia", "ada", "– → B"),
        ]


CLAIM_MANY = "UPDATE customers SET owner_id = %s WHERE id = ANY (%s::uuid[])"


def test_claiming_many_in_one_statement_keeps_to_the_days_cap(world) -> None:
    set_rule(world, "claim_per_day", 2)
    pool = pool_customers(world, 5)
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.CheckViolation, match="claim_per_day"),
    ):
        connection.execute(CLAIM_MANY, (world.users["rob"], pool))
    assert [world.owner_login(customer) for customer in pool] == [None] * 5
    # As many as the cap, in one statement, is within it.
    with world.session("rob") as connection:
        assert connection.execute(CLAIM_MANY, (world.users["rob"], pool[:2])).rowcount == 2
    assert [history(world, customer)[-1][0] for customer in pool[:2]] == ["claimed"] * 2


def test_a_managers_own_team_customers_moved_to_him_are_no_claims(world) -> None:
    """Mia takes two of her team's customers and one from the pool in one statement: one
    claim, within a cap of one."""
    set_rule(world, "claim_per_day", 1)
    teams = [
        world.customers["rob"],
        world.owner()
        .execute(
            "INSERT INTO customers (name, owner_id) VALUES ('rob 2', %s) RETURNING id::text",
            (world.users["rob"],),
        )
        .fetchone()[0],
    ]
    (pool,) = pool_customers(world, 1)
    with world.session("mia") as connection:
        moved = connection.execute(CLAIM_MANY, (world.users["mia"], [*teams, pool]))
        assert moved.rowcount == 3
    assert [history(world, customer)[-1][0] for customer in [*teams, pool]] == [
        "assigned",
        "assigned",
        "claimed",
    ]
