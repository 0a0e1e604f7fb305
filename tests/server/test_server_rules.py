"""`crm-desktop server rules`: the public pool's rules, shown to anyone signed in and changed by
an administrator only, through the real command line against the real server."""

from __future__ import annotations

import uuid

import pytest

from tests.postgres import backdate_ownership
from tests.server.test_server_command import crm  # noqa: F401  (the fixture)

DEFAULTS = {
    "pool_return_days": "30",
    "pool_return_days_A": "none",
    "pool_return_days_B": "none",
    "pool_return_days_C": "none",
    "pool_warning_days": "3",
    "claim_per_day": "5",
    "max_owned": "1000",
    "reclaim_block_days": "30",
    "grade_a_percent": "5",
    "grade_b_percent": "15",
    "grade_by_won_opportunities": "0",
}


def shown(out: str) -> dict[str, str]:
    return {line.split()[0]: line.split()[1] for line in out.splitlines()}


def test_the_rules_start_at_their_defaults_and_an_admin_changes_them(crm, crm_db) -> None:  # noqa: F811
    code, out, err = crm("server", "rules", "--dsn", crm_db.admin_dsn)
    assert (code, err) == (0, "")
    assert shown(out) == DEFAULTS
    assert "returns to the pool" in out

    code, out, _ = crm(
        "server", "rules", "set", "pool_return_days_A", "60", "--dsn", crm_db.admin_dsn
    )
    assert (code, out) == (0, "pool_return_days_A is now 60.\n")
    code, out, _ = crm("server", "rules", "set", "claim_per_day", " 8 ", "--dsn", crm_db.admin_dsn)
    assert code == 0
    _, out, _ = crm("server", "rules", "--dsn", crm_db.admin_dsn)
    assert shown(out) == {**DEFAULTS, "pool_return_days_A": "60", "claim_per_day": "8"}
    # The server says who changed it.
    with crm_db.connect_admin() as connection:
        by = connection.execute(
            "SELECT updated_by FROM crm_rules WHERE key = 'claim_per_day'"
        ).fetchone()[0]
    assert by == crm_db.admin_login
    # An override is cleared again.
    code, _, _ = crm(
        "server", "rules", "set", "pool_return_days_A", "none", "--dsn", crm_db.admin_dsn
    )
    assert code == 0
    _, out, _ = crm("server", "rules", "--dsn", crm_db.admin_dsn)
    assert shown(out) == {**DEFAULTS, "claim_per_day": "8"}


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("pool_return_days", "0", "0 is out of range for pool_return_days, which takes 1 to 3650."),
        ("pool_return_days", "none", "pool_return_days must have a value"),
        ("claim_per_day", "-1", "-1 is out of range for claim_per_day, which takes 0 to 1000."),
        ("max_owned", "lots", "“lots” is not a number"),
    ],
)
def test_a_bad_value_is_one_sentence_and_changes_nothing(crm, crm_db, key, value, message) -> None:  # noqa: F811
    code, _, err = crm("server", "rules", "set", key, value, "--dsn", crm_db.admin_dsn)
    assert code == 1 and message in err
    _, out, _ = crm("server", "rules", "--dsn", crm_db.admin_dsn)
    assert shown(out) == DEFAULTS


def test_a_crm_admin_may_change_the_rules_and_a_rep_may_only_read_them(crm, crm_db) -> None:  # noqa: F811
    crm_db.add_user("ada", "admin", password="ada-pw-2026")
    crm_db.add_user("rob", "rep", password="rob-pw-2026")
    rob = crm_db.server.dsn("rob", "rob-pw-2026", crm_db.name)
    code, out, _ = crm("server", "rules", "--dsn", rob)
    assert code == 0 and shown(out) == DEFAULTS
    code, _, err = crm("server", "rules", "set", "max_owned", "5000", "--dsn", rob)
    assert code == 1 and "Only an administrator may change the rules." in err
    ada = crm_db.server.dsn("ada", "ada-pw-2026", crm_db.name)
    code, _, _ = crm("server", "rules", "set", "max_owned", "5000", "--dsn", ada)
    assert code == 0
    _, out, _ = crm("server", "rules", "--dsn", rob)
    assert shown(out)["max_owned"] == "5000"


def test_apply_rules_returns_what_is_due_to_the_pool(crm, crm_db) -> None:  # noqa: F811
    rob = crm_db.add_user("rob", "rep")
    with crm_db.connect_admin() as connection:
        due, kept = (
            connection.execute(
                "INSERT INTO customers (id, name, owner_id) VALUES (gen_random_uuid(), %s, %s)"
                " RETURNING id",
                (name, rob),
            ).fetchone()[0]
            for name in ("overdue", "followed up")
        )
        backdate_ownership(connection, 45)
        connection.execute(
            "INSERT INTO followups (customer_id, kind, happened_at)"
            " VALUES (%s, 'visit', now() - interval '3 days')",
            (kept,),
        )
    code, out, err = crm("server", "apply-rules", "--dsn", crm_db.admin_dsn)
    assert (code, err) == (0, "")
    # Graded first (neither paid anything: C), then returned (tests/server/test_grades_command.py).
    assert out.endswith("\nReturned 1 customer(s) to the public pool.\n")
    with crm_db.connect_admin() as connection:
        owners = dict(
            connection.execute(
                "SELECT id, owner_id FROM customers WHERE id = ANY(%s)", ([due, kept],)
            ).fetchall()
        )
    assert owners == {due: None, kept: uuid.UUID(rob)}
    code, out, _ = crm("server", "apply-rules", "--dsn", crm_db.admin_dsn)
    assert out.endswith("Returned 0 customer(s) to the public pool.\n")
