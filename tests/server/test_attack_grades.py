"""Grades (server migration 0015), attacked with plain SQL by each role with his own password:
only a manager (within his team) or an administrator fixes a grade, writes its note or changes
a fixed grade; only an administrator runs the grading; nobody writes the history of grades or
their rules but the server."""

from __future__ import annotations

import psycopg
import pytest

from tests.server import attack_helpers
from tests.server.attack_helpers import LOGINS

shared_world = attack_helpers.shared_world
world = attack_helpers.world

NOT_ADMINS = [login for login in LOGINS if login != "ada"]
# A customer each may change: his own, his team's, his rep's.
CHANGEABLE = {"ada": "rob", "mia": "rob", "rob": "rob", "rae": "rae", "cal": "rae"}
FIXING = [
    "UPDATE customers SET grade_fixed = true WHERE id = %(customer)s",
    "UPDATE customers SET grade = 'A', grade_fixed = true WHERE id = %(customer)s",
    "UPDATE customers SET grade_note = '我说的' WHERE id = %(customer)s",
    "INSERT INTO customers (name, owner_id, grade, grade_fixed)"
    " SELECT '自定', owner_id, 'A', true FROM customers WHERE id = %(customer)s",
    "INSERT INTO customers (name, owner_id, grade_note)"
    " SELECT '自定', owner_id, '理由' FROM customers WHERE id = %(customer)s",
]


@pytest.mark.parametrize("statement", FIXING)
@pytest.mark.parametrize("login", ["rob", "rae", "cal"])
def test_a_rep_or_clerk_cannot_fix_a_grade(world, login: str, statement: str) -> None:
    customer = world.customers[CHANGEABLE[login]]
    with world.session(login) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(statement, {"customer": customer})
    world.assert_unchanged()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE customers SET grade = 'C' WHERE id = %(customer)s",
        "UPDATE customers SET grade_fixed = false WHERE id = %(customer)s",
        "UPDATE customers SET grade_note = NULL WHERE id = %(customer)s",
    ],
)
@pytest.mark.parametrize("login", ["rob", "cal"])
def test_a_rep_or_clerk_cannot_change_or_unfix_a_fixed_grade(world, login, statement) -> None:
    customer = world.customers[CHANGEABLE[login]]
    world.owner().execute(
        "UPDATE customers SET grade = 'A', grade_fixed = true, grade_note = '战略' WHERE id = %s",
        (customer,),
    )
    with world.session(login) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(statement, {"customer": customer})
    row = world.row("customers", customer)
    assert (row["grade"], row["grade_fixed"], row["grade_note"]) == ("A", True, "战略")


def test_a_rep_may_type_a_grade_that_is_not_fixed(world) -> None:
    robs = world.customers["rob"]
    with world.session("rob") as connection:
        connection.execute("UPDATE customers SET grade = 'A' WHERE id = %s", (robs,))
    assert world.row("customers", robs)["grade"] == "A"


def test_a_manager_fixes_his_teams_grade_and_not_anyone_elses(world) -> None:
    robs, raes = world.customers["rob"], world.customers["rae"]
    with world.session("mia") as connection:
        fixed = connection.execute(
            "UPDATE customers SET grade = 'A', grade_fixed = true, grade_note = '战略客户'"
            " WHERE id = ANY (%s) RETURNING id",
            ([robs, raes],),
        ).fetchall()
    assert [str(row[0]) for row in fixed] == [robs]
    assert world.row("customers", raes)["grade_fixed"] is False
    reason = (
        world.owner()
        .execute(
            "SELECT reason FROM customer_ownership WHERE customer_id = %s AND kind = 'graded'",
            (robs,),
        )
        .fetchone()
    )
    assert reason == ("– → A: 战略客户",)
    # The grading leaves a fixed grade as it is.
    world.owner().execute("SELECT crm_apply_grades()")
    assert world.row("customers", robs)["grade"] == "A"


GRADING = ["SELECT * FROM crm_apply_grades()", "SELECT * FROM crm_proposed_grades()"]


@pytest.mark.parametrize("statement", GRADING)
@pytest.mark.parametrize("login", NOT_ADMINS)
def test_only_an_administrator_runs_the_grading(world, login: str, statement: str) -> None:
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="only an administrator"),
    ):
        connection.execute(statement)
    world.assert_unchanged()


@pytest.mark.parametrize("login", NOT_ADMINS)
def test_switching_role_does_not_make_one_an_administrator(world, login: str) -> None:
    with world.session(login) as connection:
        connection.execute("SET ROLE crm_users")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SELECT * FROM crm_apply_grades()")
    world.assert_unchanged()


def test_an_administrator_grades_every_customer(world) -> None:
    with world.session("ada") as connection:
        changed = connection.execute("SELECT count(*) FROM crm_apply_grades()").fetchone()[0]
    # Four live customers, nothing paid: all C, pool included.
    assert changed == 4
    grades = world.owner().execute("SELECT DISTINCT grade FROM customers").fetchall()
    assert grades == [("C",)]


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO customer_ownership (customer_id, kind, reason)"
        " SELECT id, 'graded', 'C → A' FROM customers",
        "UPDATE customer_ownership SET kind = 'graded'",
        "UPDATE crm_rules SET value = 100 WHERE key = 'grade_a_percent'",
        "UPDATE crm_rules SET value = 1 WHERE key = 'grade_by_won_opportunities'",
        "DROP TRIGGER crm_guard_grade ON customers",
        "ALTER TABLE customers DISABLE TRIGGER crm_guard_grade",
        "CREATE OR REPLACE FUNCTION crm_proposed_grades() RETURNS TABLE (customer_id uuid,"
        " grade varchar, proposed varchar, value_cents numeric, rank bigint, fixed boolean)"
        " LANGUAGE sql AS 'SELECT NULL::uuid, NULL, NULL, 0::numeric, 0::bigint, false'",
    ],
)
@pytest.mark.parametrize("login", NOT_ADMINS)
def test_nobody_but_the_server_writes_grade_history_or_rules(world, login, statement) -> None:
    with world.session(login) as connection:
        try:
            changed = connection.execute(statement).rowcount
        except psycopg.errors.InsufficientPrivilege:
            changed = 0
    assert changed == 0  # refused, or the policy hid every row
    world.assert_unchanged()
