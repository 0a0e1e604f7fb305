"""Attacks across the scope of one customer: rows pointing at another customer's contact or
deal, rows moved between customers, the public pool changed without claiming it, customers
handed to someone else, clerks assigned beyond what a manager may give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from crm_desktop.sync.server.admin import assign_clerk
from tests.server import attack_helpers
from tests.server.attack_helpers import CHILD_TABLES, RLS_VIOLATION

shared_world = attack_helpers.shared_world
world = attack_helpers.world

# (login, the customer he writes on, the customer whose contact or deal he points at): each may
# change the first; the second is another customer, seen by him or not.
WRITERS = [
    ("rob", "rob", "rae"),  # a rep, at another rep's contact he cannot see
    ("rob", "rob", "pool"),  # a rep, at a pool customer's contact he sees
    ("mia", "mia", "rob"),  # a manager, between two customers she may both change
    ("cal", "rae", "rob"),  # a clerk, from his rep's customer to another rep's
    ("ada", "rob", "rae"),  # the admin, who may write everywhere
    ("ada", "pool", "mia"),
]
WRITER_IDS = [f"{login}:{own}->{other}" for login, own, other in WRITERS]

# What points where: (table, INSERT of a row on %(customer)s pointing at %(target)s, the kind
# of row the target is).
LINK_INSERTS = {
    "deal->contact": (
        "INSERT INTO opportunities (customer_id, contact_id, title)"
        " VALUES (%(customer)s, %(target)s, 'cross')",
        "contacts",
    ),
    "followup->contact": (
        "INSERT INTO followups (customer_id, contact_id, text)"
        " VALUES (%(customer)s, %(target)s, 'cross')",
        "contacts",
    ),
    "line->deal": (
        "INSERT INTO opportunity_lines (opportunity_id, customer_id, product_id)"
        " VALUES (%(target)s, %(customer)s, %(product)s)",
        "opportunities",
    ),
    "task->deal": (
        "INSERT INTO tasks (title, customer_id, opportunity_id)"
        " VALUES ('cross', %(customer)s, %(target)s)",
        "opportunities",
    ),
}
# The same, moving an existing row of %(customer)s: (table, UPDATE, kind of target).
LINK_UPDATES = {
    "deal->contact": (
        "UPDATE opportunities SET contact_id = %(target)s WHERE id = %(row)s",
        "contacts",
    ),
    "followup->contact": (
        "UPDATE followups SET contact_id = %(target)s WHERE id = %(row)s",
        "contacts",
    ),
    "line->deal": (
        "UPDATE opportunity_lines SET opportunity_id = %(target)s WHERE id = %(row)s",
        "opportunities",
    ),
    "task->deal": (
        "UPDATE tasks SET opportunity_id = %(target)s WHERE id = %(row)s",
        "opportunities",
    ),
}
UPDATED_TABLES = {
    "deal->contact": "opportunities",
    "followup->contact": "followups",
    "line->deal": "opportunity_lines",
    "task->deal": "tasks",
}
# Foreign keys are checked at commit (a device's batch comes in any order): an autocommit
# statement, an explicit transaction's COMMIT, or the statement itself once IMMEDIATE.
MODES = ["autocommit", "commit", "immediate"]


def run_until_refused(
    connection: psycopg.Connection,
    mode: str,
    statement: str,
    params: dict,
    error: type[Exception],
    rowcount: int = 1,
) -> None:
    """Run `statement` the way `mode` says and check where it is refused."""
    # The foreign keys that keep references within one customer are all named so.
    match = "same_customer" if error is psycopg.errors.ForeignKeyViolation else None
    if mode == "autocommit":
        with pytest.raises(error, match=match):
            connection.execute(statement, params)
        return
    accepted = []
    with pytest.raises(error, match=match), connection.transaction():
        if mode == "immediate":
            connection.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor = connection.execute(statement, params)
        accepted.append(cursor.rowcount)
    # Deferred: the statement went through (on a row he may change) and COMMIT refused it.
    assert accepted == ([rowcount] if mode == "commit" else [])


def link_params(world, own: str, other: str, kind: str, table: str | None = None) -> dict:
    params = {
        "customer": world.customers[own],
        "target": world.rows(kind)[other],
        "product": world.product,
    }
    if table:
        params["row"] = world.rows(table)[own]
    return params


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("link", LINK_INSERTS)
@pytest.mark.parametrize("login, own, other", WRITERS, ids=WRITER_IDS)
def test_a_new_row_cannot_point_at_another_customers_row(
    world, login, own, other, link, mode
) -> None:
    statement, kind = LINK_INSERTS[link]
    changes = world.count("sync_changes")
    with world.session(login) as connection:
        run_until_refused(
            connection,
            mode,
            statement,
            link_params(world, own, other, kind),
            psycopg.errors.ForeignKeyViolation,
        )
    assert world.count("sync_changes") == changes
    world.assert_unchanged()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("link", LINK_UPDATES)
@pytest.mark.parametrize("login, own, other", WRITERS, ids=WRITER_IDS)
def test_an_existing_row_cannot_be_pointed_at_another_customers_row(
    world, login, own, other, link, mode
) -> None:
    statement, kind = LINK_UPDATES[link]
    table = UPDATED_TABLES[link]
    params = link_params(world, own, other, kind, table)
    before = world.row(table, params["row"])
    with world.session(login) as connection:
        run_until_refused(connection, mode, statement, params, psycopg.errors.ForeignKeyViolation)
    assert world.row(table, params["row"]) == before
    world.assert_unchanged()


# A pool customer's rows are written only by those who may change the customer: nobody but an
# admin, until it is claimed. So a rep's link on the pool is refused before any foreign key.
@pytest.mark.parametrize("link", LINK_INSERTS)
@pytest.mark.parametrize("login", ["rob", "rae", "mia"])
def test_a_new_row_on_the_pool_is_refused_even_pointing_at_ones_own(world, login, link) -> None:
    statement, kind = LINK_INSERTS[link]
    with world.session(login) as connection:
        run_until_refused(
            connection,
            "autocommit",
            statement,
            link_params(world, "pool", login, kind),
            psycopg.errors.InsufficientPrivilege,
        )
    world.assert_unchanged()


OWN_DEAL = {"ada": "rae", "mia": "rob", "rob": "rob", "rae": "rae", "cal": "rae"}


@pytest.mark.parametrize("login", OWN_DEAL)
def test_a_task_on_a_deal_needs_the_deals_customer(world, login) -> None:
    deal = world.opportunities[OWN_DEAL[login]]
    task = world.tasks[OWN_DEAL[login]]
    with world.session(login) as connection:
        with pytest.raises(psycopg.errors.CheckViolation, match="opportunity_has_customer"):
            connection.execute(
                "INSERT INTO tasks (title, opportunity_id, assignee_id)"
                " VALUES ('no customer', %s, %s)",
                (deal, world.users[login]),
            )
        with pytest.raises(psycopg.errors.CheckViolation, match="opportunity_has_customer"):
            connection.execute("UPDATE tasks SET customer_id = NULL WHERE id = %s", (task,))
    world.assert_unchanged()


# A task may move to another customer, but not with a deal of the first one.
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "login, own, other, error",
    [
        ("mia", "rob", "mia", psycopg.errors.ForeignKeyViolation),
        ("ada", "rob", "rae", psycopg.errors.ForeignKeyViolation),
        ("ada", "rae", "pool", psycopg.errors.ForeignKeyViolation),
        ("rob", "rob", "rae", psycopg.errors.InsufficientPrivilege),
        ("rob", "rob", "pool", psycopg.errors.InsufficientPrivilege),
        ("cal", "rae", "rob", psycopg.errors.InsufficientPrivilege),
    ],
)
def test_a_task_cannot_take_its_deal_to_another_customer(
    world, login, own, other, error, mode
) -> None:
    task = world.tasks[own]
    before = world.row("tasks", task)
    if error is psycopg.errors.InsufficientPrivilege:
        mode = "autocommit"  # refused by the policy, at once
    with world.session(login) as connection:
        run_until_refused(
            connection,
            mode,
            "UPDATE tasks SET customer_id = %(target)s WHERE id = %(row)s",
            {"target": world.customers[other], "row": task},
            error,
        )
    assert world.row("tasks", task) == before
    world.assert_unchanged()


MOVABLE = (
    "customer_identifiers",
    "contacts",
    "opportunities",
    "opportunity_lines",
    "followups",
    "contracts",
    "contract_instalments",
    "payments",
)


@pytest.mark.parametrize("table", MOVABLE)
@pytest.mark.parametrize(
    "login, own, other",
    [
        ("rob", "rob", "pool"),  # he may not write the pool
        ("rob", "rob", "rae"),  # nor another rep's customer
        ("rae", "rob", "rae"),  # nor take another rep's row to his own
        ("cal", "rae", "rob"),  # a clerk writes for his rep alone
        ("mia", "mia", "rae"),  # a manager only within her team
    ],
)
def test_a_row_never_moves_to_or_from_a_customer_one_may_not_write(
    world, login, own, other, table
) -> None:
    """Since merges (migration 0017) a customer's rows may move to another customer, but only
    between two customers the mover may change, whoever owns what."""
    row = world.rows(table)[own]
    before = world.row(table, row)
    with world.session(login) as connection:
        for statement in (
            f"UPDATE {table} SET customer_id = %(target)s WHERE id = %(row)s",
            f"UPDATE {table} SET customer_id = %(target)s WHERE customer_id = %(own)s",
        ):
            try:
                with connection.transaction():
                    changed = connection.execute(
                        statement,
                        {"target": world.customers[other], "row": row, "own": world.customers[own]},
                    ).rowcount
            except psycopg.errors.InsufficientPrivilege:
                changed = 0
            assert changed == 0, statement
    assert world.row(table, row) == before
    world.assert_unchanged()


# What points at each table's row in the shared world, and must move with it.
LINKED = {
    "contacts": ("followups", "opportunities"),
    "opportunities": ("opportunity_lines", "tasks", "contracts"),
    "contracts": ("contract_instalments", "payments"),
}


@pytest.mark.parametrize("table", LINKED)
def test_a_row_moved_alone_leaves_no_link_across_customers(world, table) -> None:
    """Moving a contact without the follow-ups and deals naming it (or a deal without its
    lines and contracts) would tie one customer's records to another's: refused at commit."""
    row = world.rows(table)[("mia")]
    with (
        world.session("mia") as connection,
        pytest.raises(psycopg.errors.ForeignKeyViolation),
        connection.transaction(),
    ):
        connection.execute(
            f"UPDATE {table} SET customer_id = %s WHERE id = %s", (world.customers["rob"], row)
        )
    world.assert_unchanged()


def test_a_row_moved_is_news_for_the_old_customers_devices(world) -> None:
    """An administrator moves rob's identifier to rae's customer: rob's devices learn of it
    under rob's customer (and then find they no longer see it), rae's under hers."""
    identifier = world.identifiers["rob"]
    with world.session("ada") as connection:
        connection.execute(
            "UPDATE customer_identifiers SET customer_id = %s WHERE id = %s",
            (world.customers["rae"], identifier),
        )
    for login, customer in (("rob", "rob"), ("rae", "rae")):
        with world.session(login) as connection:
            told = connection.execute(
                "SELECT customer_id::text FROM sync_changes WHERE row_id = %s AND op = 'update'",
                (identifier,),
            ).fetchall()
        assert (world.customers[customer],) in told, login
    with world.session("rob") as connection:
        assert connection.execute(
            "SELECT count(*) FROM customer_identifiers WHERE id = %s", (identifier,)
        ).fetchone() == (0,)


# -- the public pool --------------------------------------------------------------------------

POOL_CHANGES = {
    "name": "UPDATE customers SET name = 'mine' WHERE id = %(pool)s",
    "notes": "UPDATE customers SET notes = 'scribbled' WHERE id = %(pool)s",
    "soft delete": "UPDATE customers SET deleted_at = now() WHERE id = %(pool)s",
    "soft delete, dated later": (
        "UPDATE customers SET deleted_at = now() + interval '1 year' WHERE id = %(pool)s"
    ),
    "no-op": "UPDATE customers SET name = name WHERE id = %(pool)s",
    "whole pool": "UPDATE customers SET grade = 'C' WHERE owner_id IS NULL",
    "upsert": (
        "INSERT INTO customers (id, name) VALUES (%(pool)s, 'mine')"
        " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name"
    ),
    "merge": (
        "MERGE INTO customers c USING (SELECT %(pool)s::uuid AS id) s ON c.id = s.id"
        " WHEN MATCHED THEN UPDATE SET name = 'mine'"
    ),
}


@pytest.mark.parametrize("change", POOL_CHANGES)
@pytest.mark.parametrize("login", ["rob", "rae", "mia"])
def test_the_pool_is_claimed_before_it_is_changed(world, login, change) -> None:
    pool = world.customers["pool"]
    before = world.row("customers", pool)
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="public pool"),
    ):
        connection.execute(POOL_CHANGES[change], {"pool": pool})
    assert world.row("customers", pool) == before
    world.assert_unchanged()


@pytest.mark.parametrize("login", ["rob", "rae", "mia"])
def test_claiming_with_a_change_in_the_same_statement_works(world, login) -> None:
    pool = world.customers["pool"]
    with world.session(login) as connection, connection.transaction():
        claimed = connection.execute(
            "UPDATE customers SET owner_id = %s, name = 'claimed' WHERE id = %s",
            (world.users[login], pool),
        )
        assert claimed.rowcount == 1
        row = connection.execute(
            "SELECT owner_id::text, name, updated_by::text FROM customers WHERE id = %s", (pool,)
        ).fetchone()
        assert row == (world.users[login], "claimed", world.users[login])
        raise psycopg.Rollback  # the world stays as it was for the other tests
    world.assert_unchanged()


# The pool's own rows: a rep sees them, but may not add, change or soft-delete any.
POOL_CHILD_INSERTS = {
    "customer_identifiers": "INSERT INTO customer_identifiers (customer_id, kind, value, value_key)"
    " VALUES (%(pool)s, 'other', 'x', 'x')",
    "contacts": "INSERT INTO contacts (customer_id, name) VALUES (%(pool)s, 'mine')",
    "opportunities": "INSERT INTO opportunities (customer_id, title) VALUES (%(pool)s, 'mine')",
    "opportunity_lines": "INSERT INTO opportunity_lines (opportunity_id, customer_id, product_id)"
    " VALUES (%(deal)s, %(pool)s, %(product)s)",
    "tasks": "INSERT INTO tasks (title, customer_id) VALUES ('mine', %(pool)s)",
    "followups": "INSERT INTO followups (customer_id, text) VALUES (%(pool)s, 'mine')",
    "contracts": "INSERT INTO contracts (number, customer_id) VALUES ('mine', %(pool)s)",
    "contract_instalments": "INSERT INTO contract_instalments (contract_id, customer_id, due_on)"
    " VALUES (%(contract)s, %(pool)s, '2031-02-01')",
    "payments": "INSERT INTO payments (customer_id, paid_on, amount_cents)"
    " VALUES (%(pool)s, '2031-02-01', 100)",
}
POOL_CHILD_CHANGES = {
    "customer_identifiers": "value = 'changed'",
    "contacts": "name = 'changed'",
    "opportunities": "stage = 'won'",
    "opportunity_lines": "quantity = 99",
    "tasks": "done = true",
    "followups": "text = 'changed'",
    "contracts": "renewal_status = 'renewing'",
    "contract_instalments": "amount_cents = 1",
    "payments": "amount_cents = 1",
}


@pytest.mark.parametrize("table", CHILD_TABLES)
@pytest.mark.parametrize("login", ["rob", "rae", "mia"])
def test_a_pool_customers_rows_are_read_only_until_claimed(world, login, table) -> None:
    row = world.rows(table)["pool"]
    before = world.row(table, row)
    params = {
        "pool": world.customers["pool"],
        "deal": world.opportunities["pool"],
        "contract": world.contracts["pool"],
        "product": world.product,
        "row": row,
    }
    with world.session(login) as connection:
        seen = connection.execute(f"SELECT count(*) FROM {table} WHERE id = %(row)s", params)
        assert seen.fetchone()[0] == 1  # he sees it: the refusals below are not for want of that
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute(POOL_CHILD_INSERTS[table], params)
        for change in (POOL_CHILD_CHANGES[table], "deleted_at = now()"):
            updated = connection.execute(f"UPDATE {table} SET {change} WHERE id = %(row)s", params)
            assert updated.rowcount == 0
    assert world.row(table, row) == before
    world.assert_unchanged()


CLERK_ON_THE_POOL = {
    "change": ("UPDATE customers SET name = 'mine' WHERE id = %(pool)s", 0),
    "claim for his rep": ("UPDATE customers SET owner_id = %(rae)s WHERE id = %(pool)s", 0),
    "soft delete": ("UPDATE customers SET deleted_at = now() WHERE id = %(pool)s", 0),
    "change a contact": ("UPDATE contacts SET name = 'mine' WHERE customer_id = %(pool)s", 0),
    "add a contact": ("INSERT INTO contacts (customer_id, name) VALUES (%(pool)s, 'mine')", None),
    "add to the pool": ("INSERT INTO customers (name) VALUES ('new in the pool')", None),
}


@pytest.mark.parametrize("statement, rowcount", CLERK_ON_THE_POOL.values(), ids=CLERK_ON_THE_POOL)
def test_a_clerk_cannot_touch_the_pool(world, statement, rowcount) -> None:
    params = {"pool": world.customers["pool"], "rae": world.users["rae"]}
    with world.session("cal") as connection:
        pool = connection.execute("SELECT count(*) FROM customers WHERE owner_id IS NULL")
        assert pool.fetchone()[0] == 0  # he does not even see it
        if rowcount is None:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
                connection.execute(statement, params)
        else:
            assert connection.execute(statement, params).rowcount == rowcount
    world.assert_unchanged()


@pytest.mark.parametrize(
    "login, customer, new_owner",
    [
        ("rob", "rob", "rae"),
        ("rob", "rob", "mia"),
        ("rae", "rae", "rob"),
        ("mia", "rob", "rae"),  # out of her team
        ("mia", "mia", "rae"),
        ("cal", "rae", "rob"),
        ("cal", "rae", "cal"),
    ],
)
def test_a_customer_cannot_be_handed_outside_what_one_sees(
    world, login, customer, new_owner
) -> None:
    customer_id = world.customers[customer]
    # A clerk is stopped before the policy is asked: he hands nothing to anyone.
    refusal = "clerk cannot hand" if login == "cal" else RLS_VIOLATION
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=refusal),
    ):
        connection.execute(
            "UPDATE customers SET owner_id = %s WHERE id = %s",
            (world.users[new_owner], customer_id),
        )
    assert str(world.row("customers", customer_id)["owner_id"]) == world.users[customer]
    world.assert_unchanged()


def test_a_clerk_of_two_reps_cannot_move_customers_between_them(world) -> None:
    assign_clerk(world.db.admin_dsn, "cal", "rob", datetime.now(UTC) + timedelta(days=1))
    customer_id = world.customers["rae"]
    with world.session("cal") as connection:
        assert (
            connection.execute(
                "SELECT count(*) FROM customers WHERE id = %s", (customer_id,)
            ).fetchone()[0]
            == 1
        )  # he sees it, and rob's too
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="clerk cannot hand"):
            connection.execute(
                "UPDATE customers SET owner_id = %s WHERE id = %s",
                (world.users["rob"], customer_id),
            )
    assert str(world.row("customers", customer_id)["owner_id"]) == world.users["rae"]


def test_not_even_the_owner_changes_a_rows_id(world) -> None:
    """The change log names a row by its id: a row renumbered would stay behind on the devices
    that had it, so plain SQL from other systems may not do it either. (A row moved to another
    customer is told to both customers' devices since migration 0017.)"""
    row = world.contacts["rob"]
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="cannot change"):
        world.owner().execute(
            "UPDATE contacts SET id = gen_random_uuid() WHERE id = %(row)s", {"row": row}
        )
    world.assert_unchanged()


# An upsert whose key is someone else's row: the DO UPDATE half must pass the same rules.
UPSERTS = {
    "customers": (
        "INSERT INTO customers (id, name, owner_id) VALUES (%(target)s, 'taken', %(owner)s)"
        " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, owner_id = EXCLUDED.owner_id"
    ),
    "contacts": (
        "INSERT INTO contacts (id, customer_id, name) VALUES (%(target)s, %(own)s, 'taken')"
        " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name"
    ),
    "followups": (
        "INSERT INTO followups (id, customer_id, text) VALUES (%(target)s, %(own)s, 'taken')"
        " ON CONFLICT (id) DO UPDATE SET text = EXCLUDED.text"
    ),
    "payments": (
        "INSERT INTO payments (id, customer_id, paid_on, amount_cents)"
        " VALUES (%(target)s, %(own)s, '2031-01-01', 1)"
        " ON CONFLICT (id) DO UPDATE SET amount_cents = EXCLUDED.amount_cents"
    ),
}


UPSERTERS = [
    ("rob", "rob", "rae"),
    ("rob", "rob", "pool"),
    ("mia", "rob", "rae"),
    ("cal", "rae", "mia"),
]


@pytest.mark.parametrize(
    "login, own, other, table",
    [
        (*upserter, table)
        for upserter in UPSERTERS
        for table in UPSERTS
        # Claiming a pool customer is allowed (tested above); its rows are not.
        if not (table == "customers" and upserter[2] == "pool")
    ],
)
def test_an_upsert_cannot_reach_a_row_one_may_not_change(world, login, own, other, table) -> None:
    target = world.rows(table)[other]
    before = world.row(table, target)
    params = {
        "target": target,
        "own": world.customers[own],
        "owner": world.users["rae" if login == "cal" else login],
    }
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION),
    ):
        connection.execute(UPSERTS[table], params)
    assert world.row(table, target) == before
    world.assert_unchanged()


# -- clerk assignments ------------------------------------------------------------------------

A_MONTH = "now() + interval '1 month'"
BAD_ASSIGNMENTS = {
    "a rep as clerk": ("rae", "rob", A_MONTH),
    "a rep as his own clerk": ("rob", "rob", A_MONTH),
    "the manager as clerk": ("mia", "rob", A_MONTH),
    "the admin as clerk": ("ada", "rob", A_MONTH),
    "a clerk of the manager": ("cal", "mia", A_MONTH),
    "a clerk of a clerk": ("cal", "cal", A_MONTH),
    "for ever": ("cal", "rob", "'infinity'"),
    "since for ever": ("cal", "rob", "'-infinity'"),
    "for more than a year": ("cal", "rob", "now() + interval '1 year 1 day'"),
    "for ten years": ("cal", "rob", "now() + interval '10 years'"),
}


@pytest.mark.parametrize("clerk, rep, until", BAD_ASSIGNMENTS.values(), ids=BAD_ASSIGNMENTS)
def test_a_manager_assigns_only_clerks_to_reps_for_a_while(world, clerk, rep, until) -> None:
    with (
        world.session("mia") as connection,
        pytest.raises(psycopg.errors.CheckViolation),
    ):
        connection.execute(
            "INSERT INTO clerk_assignments (clerk_id, rep_id, valid_until)"
            f" VALUES (%s, %s, {until})",
            (world.users[clerk], world.users[rep]),
        )
    world.assert_unchanged()


BAD_CHANGES = {
    "for ever": "valid_until = 'infinity'",
    "for two years": "valid_until = now() + interval '2 years'",
    "another rep": "rep_id = %(rae)s",
    "another clerk": "clerk_id = %(rob)s",
}


@pytest.mark.parametrize("change", BAD_CHANGES.values(), ids=BAD_CHANGES)
def test_a_manager_cannot_stretch_an_assignment(world, change) -> None:
    params = {"cal": world.users["cal"], "rob": world.users["rob"], "rae": world.users["rae"]}
    with world.session("mia") as connection, connection.transaction():
        connection.execute(
            "INSERT INTO clerk_assignments (clerk_id, rep_id, valid_until)"
            f" VALUES (%(cal)s, %(rob)s, {A_MONTH})",
            params,
        )  # a month for cal on rob's customers is fine...
        with pytest.raises(psycopg.errors.CheckViolation):  # ...this change of it is not
            connection.execute(
                f"UPDATE clerk_assignments SET {change} WHERE rep_id = %(rob)s", params
            )
        raise psycopg.Rollback
    world.assert_unchanged()


def test_a_manager_cannot_assign_outside_her_team(world) -> None:
    with world.session("mia") as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute(
                "INSERT INTO clerk_assignments (clerk_id, rep_id, valid_until)"
                f" VALUES (%s, %s, {A_MONTH})",
                (world.users["cal"], world.users["rae"]),
            )
        # Nor stretch the one the admin gave cal for rae, out of her team.
        stretched = connection.execute(
            f"UPDATE clerk_assignments SET valid_until = {A_MONTH} WHERE rep_id = %s",
            (world.users["rae"],),
        )
        assert stretched.rowcount == 0
    world.assert_unchanged()


@pytest.mark.parametrize("rep", ["rob", "rae"])
@pytest.mark.parametrize("login", ["rob", "rae", "cal"])
def test_reps_and_clerks_assign_nobody(world, login, rep) -> None:
    with world.session(login) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute(
                "INSERT INTO clerk_assignments (clerk_id, rep_id, valid_until)"
                f" VALUES (%s, %s, {A_MONTH})",
                (world.users["cal"], world.users[rep]),
            )
        # rae and cal see cal's assignment for rae; neither may stretch it.
        stretched = connection.execute(
            "UPDATE clerk_assignments SET valid_until = now() + interval '11 months'"
        )
        assert stretched.rowcount == 0
    world.assert_unchanged()


def test_a_manager_assigns_a_clerk_to_her_team_for_a_month(world) -> None:
    with world.session("mia") as connection:
        connection.execute(
            "INSERT INTO clerk_assignments (clerk_id, rep_id, valid_until, created_at, created_by)"
            f" VALUES (%s, %s, {A_MONTH}, '1970-01-01', %s)",
            (world.users["cal"], world.users["rob"], world.users["ada"]),
        )
    row = (
        world.owner()
        .execute(
            "SELECT created_by::text, created_at > now() - interval '1 minute',"
            " valid_until > now() + interval '27 days'"
            " FROM clerk_assignments WHERE rep_id = %s",
            (world.users["rob"],),
        )
        .fetchone()
    )
    assert row == (world.users["mia"], True, True)
    with world.session("cal") as connection:
        names = connection.execute("SELECT name FROM customers ORDER BY name").fetchall()
    assert names == [("rae Ltd",), ("rob Ltd",)]
