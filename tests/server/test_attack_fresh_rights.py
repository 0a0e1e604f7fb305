"""Rights as they are now, not as a transaction began (server migration 0021), tried with plain
SQL by each role with his own password: nobody writes under an old snapshot (so nobody claims
past the caps from several old snapshots either), a clerk's assignment ends inside an open
transaction too, a manager's move to the pool is not undone by a back-dated follow-up, and a
follow-up that was to keep a pool customer is refused when someone else claimed the customer
first."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from crm_desktop.sync.server.admin import assign_clerk, unassign_clerk
from tests.postgres import backdate_ownership
from tests.server import attack_helpers
from tests.server.attack_helpers import LOGINS

shared_world = attack_helpers.shared_world
world = attack_helpers.world

# One write each role may make in READ COMMITTED (the contrast below shows it goes through).
OWN_WRITE = {
    "ada": ("UPDATE contacts SET name = 'x' WHERE customer_id = %s", "rob"),
    "mia": ("UPDATE contacts SET name = 'x' WHERE customer_id = %s", "rob"),
    "rob": ("UPDATE contacts SET name = 'x' WHERE customer_id = %s", "rob"),
    "rae": ("UPDATE contacts SET name = 'x' WHERE customer_id = %s", "rae"),
    "cal": ("UPDATE contacts SET name = 'x' WHERE customer_id = %s", "rae"),
}
OLD_SNAPSHOT = "changes need a READ COMMITTED transaction"
HISTORY = (
    "SELECT kind, p.login, c.login FROM customer_ownership h"
    " LEFT JOIN users p ON p.id = h.previous_owner_id LEFT JOIN users c ON c.id = h.changed_by"
    " WHERE h.customer_id = %s ORDER BY h.id DESC LIMIT 1"
)


@pytest.mark.parametrize("isolation", ["REPEATABLE READ", "SERIALIZABLE"])
@pytest.mark.parametrize("login", LOGINS)
def test_nobody_writes_under_an_old_snapshot(world, login: str, isolation: str) -> None:
    statement, customer = OWN_WRITE[login]
    with world.session(login) as connection:
        connection.execute(f"BEGIN ISOLATION LEVEL {isolation}")
        connection.execute("SELECT count(*) FROM customers")  # the snapshot is taken
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=OLD_SNAPSHOT):
            connection.execute(statement, (world.customers[customer],))
        connection.rollback()
        # Nor a new record, nor a claim.
        connection.execute(f"BEGIN ISOLATION LEVEL {isolation}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=OLD_SNAPSHOT):
            connection.execute(
                "INSERT INTO tasks (title, assignee_id) VALUES ('t', crm_current_user_id())"
            )
        connection.rollback()
    world.assert_unchanged()


@pytest.mark.parametrize("login", LOGINS)
def test_the_same_write_goes_through_in_read_committed(world, login: str) -> None:
    """The contrast: the refusal above is the snapshot's, not the write's."""
    statement, customer = OWN_WRITE[login]
    with world.session(login) as connection:
        changed = connection.execute(statement, (world.customers[customer],))
        assert changed.rowcount == 1


def test_reading_under_an_old_snapshot_still_works(world) -> None:
    """The program's own pull reads in one REPEATABLE READ, READ ONLY transaction."""
    with world.session("rob") as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        names = connection.execute("SELECT name FROM customers ORDER BY name").fetchall()
        connection.rollback()
    assert ("rob Ltd",) in names and ("rae Ltd",) not in names
    world.assert_unchanged()


def test_a_clerks_assignment_ends_inside_his_open_transaction(world) -> None:
    raes = world.customers["rae"]
    assign_clerk(world.db.admin_dsn, "cal", "rae", datetime.now(UTC) + timedelta(seconds=2))
    with world.db.connect_as("cal") as cal:
        cal.autocommit = False
        assert cal.execute("SELECT count(*) FROM followups").fetchone()[0] == 1
        time.sleep(2.5)  # the assignment ends while his transaction is open
        assert cal.execute("SELECT count(*) FROM followups").fetchone()[0] == 0
        changed = cal.execute("UPDATE contacts SET name = 'x' WHERE customer_id = %s", (raes,))
        assert changed.rowcount == 0
        cal.commit()
    assert world.row("contacts", world.contacts["rae"])["name"] == "rae contact"


def test_a_clerk_unassigned_while_his_transaction_is_open_changes_nothing(world) -> None:
    raes = world.customers["rae"]
    with world.db.connect_as("cal") as cal:
        cal.autocommit = False
        assert cal.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1
        unassign_clerk(world.db.admin_dsn, "cal", "rae")
        changed = cal.execute("UPDATE contacts SET name = 'x' WHERE customer_id = %s", (raes,))
        assert changed.rowcount == 0
        cal.commit()
    assert world.row("contacts", world.contacts["rae"])["name"] == "rae contact"


def test_entering_new_business_is_not_held_to_max_owned(world) -> None:
    """The cap holds claims and assignments of customers that exist; a customer entered new, by
    the rep or by his clerk during rollout, is never refused for it (docs/server.md)."""
    world.owner().execute("UPDATE crm_rules SET value = 1 WHERE key = 'max_owned'")
    for login, owner in (("rob", "rob"), ("cal", "rae")):
        with world.session(login) as connection:
            connection.execute(
                "INSERT INTO customers (name, owner_id) VALUES ('new business', %s)",
                (world.users[owner],),
            )
    assert world.count("customers") == 6


def wait_until_blocked(world, connection: psycopg.Connection) -> None:
    waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = %s"
    for _ in range(500):
        if world.owner().execute(waiting, (connection.info.backend_pid,)).fetchone()[0]:
            return
        time.sleep(0.01)
    raise AssertionError("the second statement never waited on the first")


def test_a_managers_move_to_the_pool_is_not_undone_by_a_back_dated_follow_up(world) -> None:
    robs = world.customers["rob"]
    with world.session("mia") as connection:
        connection.execute("UPDATE customers SET owner_id = NULL WHERE id = %s", (robs,))
    assert world.owner().execute(HISTORY, (robs,)).fetchone() == ("released", "rob", "mia")
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
    ):
        connection.execute(
            "INSERT INTO followups (customer_id, kind, happened_at, text)"
            " VALUES (%s, 'call', now() - interval '1 minute', 'called before')",
            (robs,),
        )
    assert world.owner_login(robs) is None


def make_due(world, customer: str) -> None:
    """The customer's owner since, and its follow-ups, 31 days back: due to return to the pool."""
    backdate_ownership(world.owner(), 31, customer)
    world.owner().execute(
        "UPDATE followups SET happened_at = now() - interval '31 days' WHERE customer_id = %s",
        (customer,),
    )


def test_a_managers_device_returning_a_due_customer_still_records_a_return(world) -> None:
    robs = world.customers["rob"]
    make_due(world, robs)
    with world.session("mia") as connection:
        assert connection.execute("SELECT crm_return_due_customers()").fetchone()[0] == 1
    assert world.owner().execute(HISTORY, (robs,)).fetchone() == ("returned", "rob", "mia")


def test_a_follow_up_is_refused_when_someone_claimed_its_customer_first(world) -> None:
    """rob's follow-up, dated before his customer returned, would keep it; rae claims it at
    the same moment and commits first. rob's follow-up must not stay on rae's customer."""
    robs = world.customers["rob"]
    make_due(world, robs)
    world.owner().execute("SELECT crm_return_due_customers()")
    follow_up = (
        "INSERT INTO followups (customer_id, kind, happened_at, text)"
        " VALUES (%s, 'call', now() - interval '2 days', 'called')"
    )
    with world.db.connect_as("rae") as rae, world.db.connect_as("rob") as rob:
        rae.autocommit = False
        rae.execute("UPDATE customers SET owner_id = crm_current_user_id() WHERE id = %s", (robs,))
        with ThreadPoolExecutor(max_workers=1) as pool:
            written = pool.submit(rob.execute, follow_up, (robs,))
            wait_until_blocked(world, rob)  # on the row rae's claim holds
            rae.commit()
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="claimed by someone"):
                written.result(timeout=30)
    assert world.owner_login(robs) == "rae"
    texts = world.owner().execute(
        "SELECT text FROM followups WHERE customer_id = %s ORDER BY text", (robs,)
    )
    assert texts.fetchall() == [("called rob",)]


def test_every_table_crm_roles_may_write_refuses_an_old_snapshot(world) -> None:
    """A table added later without the trigger would be a way round it."""
    writable = (
        world.owner()
        .execute(
            "SELECT c.relname, EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = c.oid"
            "                          AND t.tgname = 'crm_fresh_rights')"
            " FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'"
            " AND (has_any_column_privilege('crm_users', c.oid, 'INSERT')"
            "      OR has_any_column_privilege('crm_users', c.oid, 'UPDATE'))"
            " ORDER BY 1"
        )
        .fetchall()
    )
    assert {"customers", "followups", "clerk_assignments", "crm_rules"} <= {
        name for name, _ in writable
    }
    assert [name for name, guarded in writable if not guarded] == []


def test_a_due_return_after_a_merge_is_still_a_return(world) -> None:
    """A duplicate merged into a customer adds a `merged` line to its history; the return's
    own rule (last follow-up, else owned_since) still finds it due, and so must the label, or a
    follow-up logged in time would be refused as if a manager had taken the customer away."""
    robs = world.customers["rob"]
    duplicate = (
        world.owner()
        .execute(
            "INSERT INTO customers (name, owner_id) VALUES ('rob Ltd again', %s) RETURNING id",
            (world.users["rob"],),
        )
        .fetchone()[0]
    )
    make_due(world, robs)
    with world.session("rob") as connection:
        connection.execute(
            "UPDATE customers SET merged_into_id = %s, deleted_at = now() WHERE id = %s",
            (robs, duplicate),
        )
    kinds = world.owner().execute(
        "SELECT kind FROM customer_ownership WHERE customer_id = %s ORDER BY id DESC LIMIT 1",
        (robs,),
    )
    assert kinds.fetchone() == ("merged",)
    with world.session("mia") as connection:
        assert connection.execute("SELECT crm_return_due_customers()").fetchone()[0] == 1
    assert world.owner().execute(HISTORY, (robs,)).fetchone() == ("returned", "rob", "mia")


def test_a_merge_into_a_returned_customer_does_not_take_the_late_follow_up_away(world) -> None:
    """rob's customer returned to the pool while he was away; his follow-up dated before the
    return keeps it. A record merged into it meanwhile (an administrator's cleanup) wrote a
    `merged` line after the `returned` one, which the rule took for the customer's latest
    change (server revision 0024)."""
    robs = world.customers["rob"]
    make_due(world, robs)
    world.owner().execute("SELECT crm_return_due_customers()")
    with world.session("ada") as connection:
        copy = connection.execute(
            "INSERT INTO customers (name) VALUES ('a copy of it') RETURNING id"
        ).fetchone()[0]
        connection.execute(
            "UPDATE customers SET deleted_at = now(), merged_into_id = %s WHERE id = %s",
            (robs, copy),
        )
    with world.session("rob") as connection:
        connection.execute(
            "INSERT INTO followups (customer_id, kind, happened_at, text)"
            " VALUES (%s, 'call', now() - interval '2 days', 'called before it returned')",
            (robs,),
        )
    assert world.owner_login(robs) == "rob"
