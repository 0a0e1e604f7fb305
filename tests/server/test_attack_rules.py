"""Attacks on the public pool's rules (crm_rules): everyone signed in reads them, nobody but an
administrator changes them, and nobody at all stores a rule the server would apply wrongly,
adds or removes one, or signs a change with another name. Each role logs in with its own
password, as psql would."""

from __future__ import annotations

import psycopg
import pytest

from tests.server import attack_helpers
from tests.server.attack_helpers import LOGINS

shared_world = attack_helpers.shared_world
world = attack_helpers.world

NOT_ADMINS = [login for login in LOGINS if login != "ada"]
RULES = "SELECT key, value FROM crm_rules ORDER BY key"


@pytest.mark.parametrize("login", LOGINS)
def test_everyone_signed_in_reads_the_rules(world, login) -> None:
    with world.session(login) as connection:
        rules = dict(connection.execute(RULES).fetchall())
    assert rules["pool_return_days"] == 30 and rules["claim_per_day"] == 5
    assert len(rules) == 11  # the pool's 8 and the grades' 3 (0015)
    world.assert_unchanged()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE crm_rules SET value = 1000000 WHERE key = 'max_owned'",
        "UPDATE crm_rules SET value = 0 WHERE key = 'claim_per_day'",
        "UPDATE crm_rules SET value = value + 1",
    ],
)
@pytest.mark.parametrize("login", NOT_ADMINS)
def test_only_an_admin_changes_a_rule(world, login, statement) -> None:
    with world.session(login) as connection:
        # The policy hides every row from the change: nothing is updated.
        assert connection.execute(statement).rowcount == 0
    world.assert_unchanged()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO crm_rules (key, value) VALUES ('pool_return_days_D', 1)",
        "DELETE FROM crm_rules WHERE key = 'max_owned'",
        "TRUNCATE crm_rules",
        "UPDATE crm_rules SET key = 'max_owned_x' WHERE key = 'max_owned'",
        "UPDATE crm_rules SET updated_by = 'mia' WHERE key = 'max_owned'",
        "UPDATE crm_rules SET updated_at = '1970-01-01' WHERE key = 'max_owned'",
        "ALTER TABLE crm_rules DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE crm_rules DISABLE TRIGGER crm_stamp_rule",
        "DROP POLICY crm_rules_change ON crm_rules",
    ],
)
@pytest.mark.parametrize("login", LOGINS)
def test_nobody_adds_removes_renames_or_signs_for_another(world, login, statement) -> None:
    with world.session(login) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(statement)
    world.assert_unchanged()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("pool_return_days", 0),
        ("pool_return_days", None),
        ("pool_return_days_A", 100_000),
        ("pool_warning_days", -1),
        ("claim_per_day", 1001),
        ("max_owned", -5),
        ("reclaim_block_days", 99_999),
    ],
)
def test_not_even_an_admin_stores_a_rule_out_of_range(world, key, value) -> None:
    with world.session("ada") as connection, pytest.raises(psycopg.errors.CheckViolation):
        connection.execute("UPDATE crm_rules SET value = %s WHERE key = %s", (value, key))
    with pytest.raises(psycopg.errors.CheckViolation):
        world.owner().execute("UPDATE crm_rules SET value = %s WHERE key = %s", (value, key))
    world.owner().rollback()
    world.assert_unchanged()


def test_an_admins_change_is_signed_by_the_server(world) -> None:
    with world.session("ada") as connection:
        changed = connection.execute(
            "UPDATE crm_rules SET value = 45 WHERE key = 'pool_return_days_A'"
            " RETURNING updated_by, updated_at > now() - interval '1 minute'"
        ).fetchone()
    assert changed == ("ada", True)
    assert world.owner().execute(
        "SELECT value FROM crm_rules WHERE key = 'pool_return_days_A'"
    ).fetchone() == (45,)
