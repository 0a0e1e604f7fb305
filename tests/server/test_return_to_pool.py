"""The return to the public pool, run by the server: a customer nobody followed up within the
rules' days goes back to the pool, counted from when a follow-up happened (not when it reached
the server) or from when its owner got it, and the history says it returned."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from tests.postgres import backdate_ownership
from tests.server import attack_helpers

shared_world = attack_helpers.shared_world
world = attack_helpers.world

RETURN = "SELECT crm_return_due_customers()"


def age(world, customer: str, days: int) -> None:
    """Make the customer's owner have had it, and its follow-ups have happened, `days` ago."""
    backdate_ownership(world.owner(), days, customer)
    world.owner().execute(
        "UPDATE followups SET happened_at = now() - make_interval(days => %s)"
        " WHERE customer_id = %s",
        (days, customer),
    )


def last_history(world, customer: str) -> tuple:
    return (
        world.owner()
        .execute(
            "SELECT kind, p.login FROM customer_ownership h LEFT JOIN users p"
            " ON p.id = h.previous_owner_id WHERE customer_id = %s ORDER BY h.id DESC LIMIT 1",
            (customer,),
        )
        .fetchone()
    )


def test_a_customer_not_followed_up_in_time_returns_to_the_pool(world) -> None:
    robs, raes = world.customers["rob"], world.customers["rae"]
    age(world, robs, 31)
    age(world, raes, 29)
    with world.session("rob") as connection:
        assert connection.execute(RETURN).fetchone()[0] == 1
    assert (world.owner_login(robs), world.owner_login(raes)) == (None, "rae")
    assert last_history(world, robs) == ("returned", "rob")


def test_what_counts_is_when_the_follow_up_happened(world) -> None:
    robs = world.customers["rob"]
    age(world, robs, 40)
    # Logged offline ten days ago, reaching the server only now: it keeps the customer.
    world.owner().execute(
        "INSERT INTO followups (customer_id, kind, happened_at, text)"
        " VALUES (%s, 'call', now() - interval '10 days', 'called')",
        (robs,),
    )
    with world.session("rob") as connection:
        assert connection.execute(RETURN).fetchone()[0] == 0
    assert world.owner_login(robs) == "rob"


def test_a_follow_up_dated_in_the_future_does_not_count(world) -> None:
    robs = world.customers["rob"]
    age(world, robs, 40)
    world.owner().execute(
        "INSERT INTO followups (customer_id, kind, happened_at, text)"
        " VALUES (%s, 'call', now() + interval '10 days', 'later')",
        (robs,),
    )
    with world.session("rob") as connection:
        assert connection.execute(RETURN).fetchone()[0] == 1


def test_a_grade_has_its_own_days_and_a_claim_restarts_the_clock(world) -> None:
    robs = world.customers["rob"]
    world.owner().execute("UPDATE customers SET grade = 'A' WHERE id = %s", (robs,))
    world.owner().execute("UPDATE crm_rules SET value = 60 WHERE key = 'pool_return_days_A'")
    age(world, robs, 45)
    with world.session("rob") as connection:
        assert connection.execute(RETURN).fetchone()[0] == 0
    world.owner().execute("UPDATE crm_rules SET value = 40 WHERE key = 'pool_return_days_A'")
    with world.session("rob") as connection:
        assert connection.execute(RETURN).fetchone()[0] == 1
    # rae claims it: her clock starts now, whatever the old follow-ups say.
    with world.session("rae") as connection:
        connection.execute(
            "UPDATE customers SET owner_id = crm_current_user_id() WHERE id = %s", (robs,)
        )
        assert connection.execute(RETURN).fetchone()[0] == 0
    assert world.owner_login(robs) == "rae"


def test_each_returns_only_what_he_may_change(world) -> None:
    for key in ("rob", "rae", "mia"):
        age(world, world.customers[key], 31)
    with world.session("cal") as connection:  # a clerk hands nothing to the pool
        assert connection.execute(RETURN).fetchone()[0] == 0
    with world.session("mia") as connection:  # her own and her team's (rob), not rae's
        assert connection.execute(RETURN).fetchone()[0] == 2
    assert world.owner_login(world.customers["rae"]) == "rae"
    with world.session("ada") as connection:
        assert connection.execute(RETURN).fetchone()[0] == 1
    assert world.owner_login(world.customers["rae"]) is None


def test_releasing_a_customer_that_is_not_due_is_a_release(world) -> None:
    robs = world.customers["rob"]
    with world.session("rob") as connection:
        connection.execute("UPDATE customers SET owner_id = NULL WHERE id = %s", (robs,))
    assert last_history(world, robs) == ("released", "rob")


def test_only_the_rep_it_returned_from_keeps_it_with_a_follow_up(world) -> None:
    robs = world.customers["rob"]
    age(world, robs, 31)
    world.owner().execute("SELECT crm_return_due_customers()")
    follow_up = (
        "INSERT INTO followups (customer_id, kind, happened_at, text)"
        " VALUES (%s, 'call', now() - interval '2 days', 'called')"
    )
    # Not rae: it never was hers.
    with (
        world.session("rae") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
    ):
        connection.execute(follow_up, (robs,))
    # Nor rob with a follow-up dated after the return, or too long before it.
    for happened in ("now() + interval '1 hour'", "now() - interval '40 days'"):
        with (
            world.session("rob") as connection,
            pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
        ):
            connection.execute(
                "INSERT INTO followups (customer_id, kind, happened_at, text)"
                f" VALUES (%s, 'call', {happened}, 'called')",
                (robs,),
            )
    assert world.owner_login(robs) is None
    with world.session("rob") as connection:
        connection.execute(follow_up, (robs,))
    assert world.owner_login(robs) == "rob"


def test_the_reason_a_follow_up_kept_a_customer_is_on_utc_whatever_the_session_zone(
    world,
) -> None:
    """rob's psql session runs on Shanghai time: the history still says the follow-up's time on
    the UTC clock every window reads it by."""
    robs = world.customers["rob"]
    age(world, robs, 31)
    world.owner().execute("SELECT crm_return_due_customers()")
    happened = (datetime.now(UTC) - timedelta(days=2)).replace(second=0, microsecond=0)
    with world.session("rob") as connection:
        connection.execute("SET TimeZone = 'Asia/Shanghai'")
        connection.execute(
            "INSERT INTO followups (customer_id, kind, happened_at, text)"
            " VALUES (%s, 'call', %s, 'called')",
            (robs, happened),
        )
    assert world.owner_login(robs) == "rob"
    reason = (
        world.owner()
        .execute(
            "SELECT reason FROM customer_ownership WHERE customer_id = %s ORDER BY id DESC LIMIT 1",
            (robs,),
        )
        .fetchone()[0]
    )
    assert reason == f"a follow-up of {happened:%Y-%m-%d %H:%M} happened before the return"


def test_a_follow_up_dated_long_before_the_authors_previous_sync_does_not_bring_it_back(
    world,
) -> None:
    robs = world.customers["rob"]
    age(world, robs, 31)
    world.owner().execute("SELECT crm_return_due_customers()")
    # Rob synced three days ago (a receipt the server wrote then), and minutes ago (this sync).
    # (Receipts are written only under their pusher's own name: the owner lifts that here.)
    with world.db.connect_admin() as connection, connection.transaction():
        connection.execute("ALTER TABLE sync_pushes NO FORCE ROW LEVEL SECURITY")
        for pushed_at in ("now() - interval '3 days'", "now() - interval '2 minutes'"):
            connection.execute(
                "INSERT INTO sync_pushes (device_id, seq, pushed_by, pushed_at, result)"
                f" VALUES (gen_random_uuid(), 1, %s, {pushed_at}, '{{}}')",
                (world.users["rob"],),
            )
        connection.execute("ALTER TABLE sync_pushes FORCE ROW LEVEL SECURITY")
    logged = (
        "INSERT INTO followups (customer_id, kind, happened_at, text) VALUES (%s, 'call', {}, 'x')"
    )
    # Five days ago: his sync two days later would have sent it. It does not count.
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
    ):
        connection.execute(logged.format("now() - interval '5 days'"), (robs,))
    assert world.owner_login(robs) is None
    # The evening before that sync, logged late: it counts (a day's leeway).
    with world.session("rob") as connection:
        connection.execute(logged.format("now() - interval '3 days 12 hours'"), (robs,))
    assert world.owner_login(robs) == "rob"


def test_a_device_that_only_received_since_its_last_push_is_judged_by_its_last_sync(
    world,
) -> None:
    """Rob's laptop last sent something a month ago, but synced (nothing to send) two days
    ago: a follow-up dated five days back, typed in psql under that laptop's id, would have
    gone at that sync. It does not bring the customer back, nor does one dated before a sync
    of a moment ago (his own UPDATE of his row dates it now, whatever he writes); one of a
    few hours ago does."""
    robs = world.customers["rob"]
    age(world, robs, 31)
    world.owner().execute("SELECT crm_return_due_customers()")
    laptop = "5a1e5a1e-0000-4000-8000-00000000f00d"
    with world.db.connect_admin() as connection, connection.transaction():
        connection.execute("ALTER TABLE sync_pushes NO FORCE ROW LEVEL SECURITY")
        connection.execute(
            "INSERT INTO sync_pushes (device_id, seq, pushed_by, pushed_at, result)"
            " VALUES (%s, 1, %s, now() - interval '30 days', '{}')",
            (laptop, world.users["rob"]),
        )
        connection.execute("ALTER TABLE sync_pushes FORCE ROW LEVEL SECURITY")
        connection.execute(
            "INSERT INTO user_syncs (user_id, device_id, synced_at)"
            " VALUES (%s, %s, now() - interval '2 days')",
            (world.users["rob"], laptop),
        )
    logged = (
        "INSERT INTO followups (customer_id, kind, happened_at, text) VALUES (%s, 'call', {}, 'x')"
    )
    for device in (laptop, "an id of no device"):
        with (
            world.session("rob") as connection,
            pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
        ):
            connection.execute("SELECT set_config('crm.device_id', %s, false)", (device,))
            connection.execute(logged.format("now() - interval '5 days'"), (robs,))
        assert world.owner_login(robs) is None, device
    # Nor after a sync a moment ago (his row moved to now): that sync is his previous one.
    with world.session("rob") as connection:
        connection.execute(
            "UPDATE user_syncs SET synced_at = now() - interval '1 year' WHERE device_id = %s",
            (laptop,),
        )
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
    ):
        connection.execute("SELECT set_config('crm.device_id', %s, false)", (laptop,))
        connection.execute(logged.format("now() - interval '2 days 12 hours'"), (robs,))
    assert world.owner_login(robs) is None
    with world.session("rob") as connection:
        connection.execute("SELECT set_config('crm.device_id', %s, false)", (laptop,))
        connection.execute(logged.format("now() - interval '12 hours'"), (robs,))
    assert world.owner_login(robs) == "rob"


# The rule in plain SQL, as the owner reads it: each customer's latest follow-up that has
# happened, or when its owner got it, whichever is later, plus its grade's days. The server's
# function (0009), or any quicker form of it, must pick exactly these customers.
DUE_AS_FIRST_WRITTEN = """
SELECT k.id::text FROM customers k
LEFT JOIN (
    SELECT f.customer_id, max(f.happened_at) AS at FROM followups f
    WHERE f.deleted_at IS NULL AND f.happened_at <= now() GROUP BY f.customer_id
) followed ON followed.customer_id = k.id
CROSS JOIN (
    SELECT max(value) FILTER (WHERE key = 'pool_return_days') AS days,
           max(value) FILTER (WHERE key = 'pool_return_days_A') AS days_a,
           max(value) FILTER (WHERE key = 'pool_return_days_B') AS days_b,
           max(value) FILTER (WHERE key = 'pool_return_days_C') AS days_c
    FROM crm_rules
) r
WHERE k.owner_id = %s AND k.deleted_at IS NULL AND NOT k.pool_locked
  AND greatest(followed.at, k.owned_since) + make_interval(days => CASE k.grade
      WHEN 'A' THEN coalesce(r.days_a, r.days) WHEN 'B' THEN coalesce(r.days_b, r.days)
      WHEN 'C' THEN coalesce(r.days_c, r.days) ELSE r.days END) <= now()
"""


def test_the_function_returns_exactly_the_customers_the_rule_picks(world) -> None:
    """Many customers of rob's, each owned for a different time, graded or not, with follow-ups
    past, future and deleted, around each grade's days: the function returns exactly the ones
    the rule in plain SQL picks, and no others."""
    owner = world.owner()
    owner.execute("UPDATE crm_rules SET value = 20 WHERE key = 'pool_return_days_A'")
    owner.execute("UPDATE crm_rules SET value = 45 WHERE key = 'pool_return_days_C'")
    rob = world.users["rob"]
    owner.execute(
        "INSERT INTO customers (name, owner_id, grade)"
        " SELECT 'Due ' || g, %s, (ARRAY['A', 'B', 'C', NULL])[1 + g %% 4]"
        " FROM generate_series(1, 240) g",
        (rob,),
    )
    mine = [row[0] for row in owner.execute(
        "SELECT id::text FROM customers WHERE owner_id = %s ORDER BY name", (rob,)
    )]  # fmt: skip
    for number, customer in enumerate(mine):
        backdate_ownership(owner, 5 + (number * 7) % 80, customer)
        for nth in range(number % 4):  # none, one, two or three follow-ups
            days_ago = (number * 13 + nth * 29) % 90 - 10  # some in the future
            owner.execute(
                "INSERT INTO followups (customer_id, kind, happened_at, text, deleted_at)"
                " VALUES (%s, 'call', now() - make_interval(days => %s), 'x',"
                " CASE WHEN %s THEN now() END)",
                (customer, days_ago, (number + nth) % 7 == 0),
            )
    expected = {row[0] for row in owner.execute(DUE_AS_FIRST_WRITTEN, (rob,))}
    assert 20 < len(expected) < len(mine) - 20  # both kinds, plenty of each
    with world.session("rob") as connection:
        assert connection.execute(RETURN).fetchone()[0] == len(expected)
    still_his = {row[0] for row in owner.execute(
        "SELECT id::text FROM customers WHERE owner_id = %s", (rob,)
    )}  # fmt: skip
    assert set(mine) - still_his == expected
    assert {last_history(world, customer) for customer in expected} == {("returned", "rob")}


def test_letting_many_go_in_one_statement_tells_each_release_from_each_return(world) -> None:
    """Mia lets 40 of her rep Rob's customers go in one UPDATE, owned for different times,
    graded or not, some locked (which only a manager may let go): each gets the line the pool's
    own due date says, `returned` when it was due and `released` when it was not (a locked
    customer is never due)."""
    owner = world.owner()
    mine = [row[0] for row in owner.execute(
        "INSERT INTO customers (name, owner_id, grade, pool_locked)"
        " SELECT 'Let go ' || g, %s, (ARRAY['A', 'B', 'C', NULL])[1 + g %% 4], g %% 5 = 0"
        " FROM generate_series(1, 40) g RETURNING id::text",
        (world.users["rob"],),
    )]  # fmt: skip
    for number, customer in enumerate(mine):
        backdate_ownership(owner, (number * 11) % 60, customer)
    due = {row[0] for row in owner.execute(
        "SELECT id::text FROM customers WHERE id = ANY (%s::uuid[])"
        " AND crm_pool_due_at(id, owner_id, grade) <= now()",
        (mine,),
    )}  # fmt: skip
    assert 5 < len(due) < len(mine) - 5
    with world.session("mia") as connection:
        released = connection.execute(
            "UPDATE customers SET owner_id = NULL WHERE id = ANY (%s::uuid[])", (mine,)
        )
        assert released.rowcount == len(mine)
    assert {customer: last_history(world, customer) for customer in mine} == {
        customer: ("returned" if customer in due else "released", "rob") for customer in mine
    }


def returning_while_another_waits(world) -> int:
    """Two devices of rob's ask for the return at once: the first returns his overdue customer
    and commits while the second waits on that row. What the second returned."""
    with world.db.connect_as("rob") as one, world.db.connect_as("rob") as two:
        one.autocommit = False
        assert one.execute(RETURN).fetchone()[0] == 1
        with ThreadPoolExecutor(max_workers=1) as pool:
            second = pool.submit(lambda: two.execute(RETURN).fetchone()[0])
            # The second's statement waits on the row the first has changed.
            waited = "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = %s"
            for _ in range(500):
                if world.owner().execute(waited, (two.info.backend_pid,)).fetchone()[0]:
                    break
                time.sleep(0.01)
            else:
                raise AssertionError("the second return never waited on the first")
            one.commit()
            return second.result(timeout=30)


def test_two_devices_returning_at_once_both_finish_and_return_it_once(world) -> None:
    robs = world.customers["rob"]
    age(world, robs, 31)
    assert returning_while_another_waits(world) == 0
    assert world.owner_login(robs) is None
    returns = world.owner().execute(
        "SELECT count(*) FROM customer_ownership WHERE customer_id = %s AND kind = 'returned'",
        (robs,),
    )
    assert returns.fetchone()[0] == 1


def test_naming_a_device_moves_the_limit_back_only_to_that_devices_own_previous_sync(
    world,
) -> None:
    """Server 0037, as rob with plain SQL: his laptop last synced ten days ago, his office
    computer two days ago. A follow-up of six days ago counts when sent as from the laptop
    (it could not have gone sooner), not as from the office computer, a device he makes up,
    or a setting that is no device at all: each of those is judged by his latest sync."""
    robs = world.customers["rob"]
    age(world, robs, 31)
    world.owner().execute("SELECT crm_return_due_customers()")
    laptop, office = "6f1c0a52-1d2e-4b7a-9c3d-0e5f6a7b8c9d", "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"
    with world.db.connect_admin() as connection, connection.transaction():
        connection.execute("ALTER TABLE sync_pushes NO FORCE ROW LEVEL SECURITY")
        for device, days in ((laptop, 10), (office, 2)):
            connection.execute(
                "INSERT INTO sync_pushes (device_id, seq, pushed_by, pushed_at, result)"
                " VALUES (%s, 1, %s, now() - make_interval(days => %s), '{}')",
                (device, world.users["rob"], days),
            )
        connection.execute("ALTER TABLE sync_pushes FORCE ROW LEVEL SECURITY")
    logged = (
        "INSERT INTO followups (customer_id, kind, happened_at, text)"
        " VALUES (%s, 'call', now() - interval '6 days', 'x')"
    )
    made_up = "11111111-2222-4333-8444-555555555555"
    for named in (office, made_up, "not a device', 'x'); --", "", office.upper()):
        with (
            world.session("rob") as connection,
            pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
        ):
            connection.execute("SELECT set_config('crm.device_id', %s, false)", (named,))
            connection.execute(logged, (robs,))
        assert world.owner_login(robs) is None, named
    with world.session("rob") as connection:
        connection.execute("SELECT set_config('crm.device_id', %s, false)", (laptop.upper(),))
        connection.execute(logged, (robs,))
    assert world.owner_login(robs) == "rob"


def test_a_receipt_takes_the_servers_time_whoever_writes_it(world) -> None:
    """Server 0037: a rep who writes a receipt backdated under a device he names, to move that
    device's previous sync back and bring a customer back with a follow-up of long ago, is
    refused its time; one without it takes the server's now, which only moves his limit
    forward."""
    robs = world.customers["rob"]
    age(world, robs, 31)
    world.owner().execute("SELECT crm_return_due_customers()")
    device = "9999aaaa-0000-4000-8000-000000000001"
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
    ):
        connection.execute(
            "INSERT INTO sync_pushes (device_id, seq, pushed_at, result)"
            " VALUES (%s, 1, now() - interval '400 days', '{}')",
            (device,),
        )
    with world.session("rob") as connection:
        connection.execute(
            "INSERT INTO sync_pushes (device_id, seq, result, pushed_by)"
            " VALUES (%s, 1, '{}', crm_current_user_id())",
            (device,),
        )
        (stamped,) = connection.execute(
            "SELECT pushed_at > now() - interval '1 minute' FROM sync_pushes WHERE device_id = %s",
            (device,),
        ).fetchone()
    assert stamped
    for role in ("rob", "mia", "cal", "ada"):
        with (
            world.session(role) as connection,
            pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
        ):
            connection.execute(
                "UPDATE sync_pushes SET pushed_at = now() - interval '400 days'"
                " WHERE device_id = %s",
                (device,),
            )
