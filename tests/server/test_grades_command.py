"""`crm-desktop server apply-rules [--dry-run]` grades customers (server migration 0015) before
it returns due customers to the pool, and `server rules set` holds the grade rules to their
ranges; through the real command line against the real server."""

from __future__ import annotations

import uuid

import pytest

from tests.postgres import CrmDatabase, backdate_ownership
from tests.server import test_server_command

crm = test_server_command.crm  # the fixture: `crm-desktop ...` in this process

STATE = """
SELECT
    (SELECT string_agg(id || ':' || coalesce(grade, '-') || ':' || coalesce(owner_id::text, '-'),
                       ',' ORDER BY id) FROM customers),
    (SELECT count(*) FROM customer_ownership),
    (SELECT count(*) FROM sync_changes)
"""


def team(crm_db: CrmDatabase) -> dict[str, str]:
    """rob's customers: one that paid this month (C now), one graded A that paid nothing, one
    fixed at B by a manager that paid nothing. All owned 20 days, never followed up; grade A
    keeps a customer 90 days, grade C 10."""
    rob = crm_db.add_user("rob", "rep")
    ids = {}
    with crm_db.connect_admin() as connection:
        for name, grade, fixed in (
            ("大客户", "C", False),
            ("老客户", "A", False),
            ("定级", "B", True),
        ):
            ids[name] = str(
                connection.execute(
                    "INSERT INTO customers (name, owner_id, grade, grade_fixed, grade_note)"
                    " VALUES (%s, %s, %s, %s, %s) RETURNING id",
                    (name, rob, grade, fixed, "战略客户" if fixed else None),
                ).fetchone()[0]
            )
        backdate_ownership(connection, 20)
        connection.execute("UPDATE crm_rules SET value = 90 WHERE key = 'pool_return_days_A'")
        connection.execute("UPDATE crm_rules SET value = 10 WHERE key = 'pool_return_days_C'")
        # The ERP's plain INSERT, as the deployment owner.
        connection.execute(
            "INSERT INTO payments (customer_id, paid_on, amount_cents, external_ref)"
            " VALUES (%s, current_date - 3, 5000000, 'ERP-PAY-1')",
            (ids["大客户"],),
        )
    return ids


def state(crm_db: CrmDatabase) -> tuple:
    with crm_db.connect_admin() as connection:
        return connection.execute(STATE).fetchone()


def test_a_payment_inserted_by_plain_sql_regrades_its_customer_and_moves_its_pool_date(
    crm, crm_db: CrmDatabase
) -> None:
    ids = team(crm_db)
    code, out, err = crm("server", "apply-rules", "--dsn", crm_db.admin_dsn)
    assert (code, err) == (0, "")
    # 3 live customers: A is rank 1 (the payer), nobody else has value: C. The old A, now C,
    # is past its 10 days and returns; the payer, now A, has 90 days and stays.
    assert out == (
        "Changed the grade of 2 customer(s) (to A: 1, to C: 1).\n"
        "Returned 1 customer(s) to the public pool.\n"
    )
    with crm_db.connect_admin() as connection:
        rows = {
            str(row[0]): row[1:]
            for row in connection.execute("SELECT id, grade, owner_id IS NOT NULL FROM customers")
        }
        history = connection.execute(
            "SELECT customer_id::text, kind, reason FROM customer_ownership"
            " WHERE kind IN ('graded', 'returned') ORDER BY id"
        ).fetchall()
    assert rows == {
        ids["大客户"]: ("A", True),
        ids["老客户"]: ("C", False),
        ids["定级"]: ("B", True),
    }
    assert sorted(history) == sorted(
        [
            (ids["大客户"], "graded", "C → A"),
            (ids["老客户"], "graded", "A → C"),
            (ids["老客户"], "returned", None),
        ]
    )
    code, out, _ = crm("server", "apply-rules", "--dsn", crm_db.admin_dsn)
    assert out == "No customer changed grade.\nReturned 0 customer(s) to the public pool.\n"


def test_a_dry_run_says_what_would_change_and_changes_nothing(crm, crm_db: CrmDatabase) -> None:
    team(crm_db)
    before = state(crm_db)
    code, out, err = crm("server", "apply-rules", "--dry-run", "--dsn", crm_db.admin_dsn)
    assert (code, err) == (0, "")
    assert out == (
        "Would change the grade of 2 customer(s) (to A: 1, to C: 1):\n"
        "  大客户: C → A\n"
        "  老客户: A → C\n"
        "Would return 1 customer(s) to the public pool.\n"
    )
    assert state(crm_db) == before
    # What it said is what a run does.
    code, out, _ = crm("server", "apply-rules", "--dsn", crm_db.admin_dsn)
    assert out.startswith("Changed the grade of 2 customer(s) (to A: 1, to C: 1).\n")
    assert out.endswith("Returned 1 customer(s) to the public pool.\n")
    _, out, _ = crm("server", "apply-rules", "--dry-run", "--dsn", crm_db.admin_dsn)
    assert (
        out == "No customer would change grade.\nWould return 0 customer(s) to the public pool.\n"
    )


@pytest.mark.parametrize("role", ["rep", "manager", "clerk"])
def test_only_an_administrator_applies_the_rules(crm, crm_db: CrmDatabase, role: str) -> None:
    team(crm_db)
    crm_db.add_user("zed", role, password="zed-pw-2026")
    before = state(crm_db)
    dsn = crm_db.server.dsn("zed", "zed-pw-2026", crm_db.name)
    for dry_run in ([], ["--dry-run"]):
        code, out, err = crm("server", "apply-rules", *dry_run, "--dsn", dsn)
        assert (code, out) == (1, "")
        assert err == (
            "crm-desktop: Only an administrator may apply the rules"
            " (grades are ranked among all customers).\n"
        )
    assert state(crm_db) == before


def test_a_crm_administrator_applies_them_too(crm, crm_db: CrmDatabase) -> None:
    ids = team(crm_db)
    ada = uuid.UUID(crm_db.add_user("ada", "admin", password="ada-pw-2026"))
    code, out, _ = crm(
        "server", "apply-rules", "--dsn", crm_db.server.dsn("ada", "ada-pw-2026", crm_db.name)
    )
    assert code == 0 and out.startswith("Changed the grade of 2 customer(s)")
    with crm_db.connect_admin() as connection:
        graded_by = connection.execute(
            "SELECT changed_by FROM customer_ownership WHERE customer_id = %s AND kind = 'graded'",
            (ids["大客户"],),
        ).fetchone()[0]
    assert graded_by == ada  # the server stamps who ran it, like any change of his


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "grade_a_percent",
            "101",
            "101 is out of range for grade_a_percent, which takes 0 to 100.",
        ),
        ("grade_b_percent", "-1", "-1 is out of range for grade_b_percent, which takes 0 to 100."),
        (
            "grade_by_won_opportunities",
            "2",
            "2 is out of range for grade_by_won_opportunities, which takes 0 to 1.",
        ),
        ("grade_a_percent", "none", "grade_a_percent must have a value"),
        ("grade_by_won_opportunities", "yes", "“yes” is not a number"),
    ],
)
def test_the_grade_rules_are_held_to_their_ranges(crm, crm_db, key, value, message) -> None:
    code, _, err = crm("server", "rules", "set", key, value, "--dsn", crm_db.admin_dsn)
    assert code == 1 and message in err


def test_the_grade_rules_are_shown_and_changed(crm, crm_db) -> None:
    code, out, _ = crm("server", "rules", "set", "grade_a_percent", "10", "--dsn", crm_db.admin_dsn)
    assert (code, out) == (0, "grade_a_percent is now 10.\n")
    code, out, _ = crm(
        "server", "rules", "set", "grade_by_won_opportunities", "1", "--dsn", crm_db.admin_dsn
    )
    assert code == 0
    _, out, _ = crm("server", "rules", "--dsn", crm_db.admin_dsn)
    shown = {line.split()[0]: line.split()[1] for line in out.splitlines()}
    assert (
        shown["grade_a_percent"],
        shown["grade_b_percent"],
        shown["grade_by_won_opportunities"],
    ) == ("10", "15", "1")
