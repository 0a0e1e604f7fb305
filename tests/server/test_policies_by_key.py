"""The policies over customers' records find the customer by its key (server migration 0022):
the same rows visible to each role as the customers they see, and a statement that touches a
few rows no longer reads every customer first."""

from __future__ import annotations

import json

import pytest

from tests.server import attack_helpers
from tests.server.attack_helpers import CHILD_TABLES, LOGINS

shared_world = attack_helpers.shared_world
world = attack_helpers.world


def test_no_policy_reads_every_customer_to_check_one_row(world) -> None:
    policies = world.owner().execute(
        "SELECT tablename, policyname, coalesce(qual, '') || coalesce(with_check, '')"
        " FROM pg_policies WHERE schemaname = 'public'"
    )
    old_form = [
        (table, name) for table, name, text in policies if "IN ( SELECT customers.id" in text
    ]
    assert old_form == []


@pytest.mark.parametrize("table", CHILD_TABLES)
@pytest.mark.parametrize("login", LOGINS)
def test_each_role_sees_the_records_of_the_customers_it_sees(world, login, table) -> None:
    with world.session(login) as connection:
        visible = {row[0] for row in connection.execute(f"SELECT id FROM {table}")}
        of_customers_seen = {
            row[0]
            for row in connection.execute(
                f"SELECT t.id FROM {table} t JOIN customers c ON c.id = t.customer_id"
            )
        }
    # A task without a customer is seen by its own rule (its assignee or its author).
    assert of_customers_seen <= visible
    if table != "tasks":
        assert visible == of_customers_seen


def test_reading_one_record_reads_its_customer_only(world) -> None:
    """Planned as on a big table (seq scans off: this one is small), the row's customer is
    looked up by its key; the old form hashed every customer the user sees first."""
    row = world.rows("followups")["rob"]
    with world.session("rob") as connection:
        connection.execute("SET enable_seqscan = off")
        (plan,) = connection.execute(
            "EXPLAIN (FORMAT JSON) SELECT * FROM followups WHERE id = %s", (row,)
        ).fetchone()
    text = json.dumps(plan)
    assert '"Relation Name": "customers"' in text  # the customer is still asked
    assert "hashed" not in text
