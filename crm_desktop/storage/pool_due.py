"""When each customer returns to the public pool, as this device knows the server's rules.

The server decides the return (its migrations 0007 and 0009); the device shows the date
ahead of time so a rep sees which customers he is about to lose. `customers.pool_due_at` is
kept by triggers of the store (migration 0006) from the customer's own columns and the rules
held in `pool_rules` under the server's own keys: the later of the day its owner got it and
its last follow-up (one dated in the future does not count, as on the server), plus the rule's
days for its grade, to the second. A customer in the pool, locked by a manager, not yet on the
server (no `owned_since`), or on a device that never read the rules has no date.

`adopt_rules` stores the rules a sync read and, when they changed, dates every customer again.

The triggers write only when the date is wrong. They do not watch `owned_since` alone: the one
statement that sets it without the other inputs (the push adopting the server's date) sets the
return date with it, through `due_expression`, for one write per row instead of two. A pull sets
every column, so the triggers see it. A migration that rebuilds the customers table (alembic's
batch mode copies it into a new one) must create the triggers again: they belong to the table
they watch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

# The server's rule keys that date a return or warn of one (crm_rules, server migration 0005).
RETURN_DAYS = "pool_return_days"
RETURN_DAYS_BY_GRADE = tuple(f"{RETURN_DAYS}_{grade}" for grade in "ABC")
WARNING_DAYS = "pool_warning_days"
HELD_RULES = (RETURN_DAYS, *RETURN_DAYS_BY_GRADE, WARNING_DAYS)


def due_expression(row: str, owned_since: str | None = None) -> str:
    """The SQL giving the return date of the customer whose columns are `row`.<column>; the
    same text as the store's triggers (a migration keeps its own copy). `owned_since`: SQL to
    use instead of the row's own (a statement that sets both at once)."""
    owned = owned_since or f"{row}.owned_since"
    return f"""CASE WHEN {row}.owner_id IS NULL OR {row}.pool_locked
                    OR {owned} IS NULL THEN NULL
        ELSE strftime('%Y-%m-%d %H:%M:%S',
            max(julianday({owned}),
                coalesce(CASE WHEN julianday({row}.last_followup_at) <= julianday('now')
                              THEN julianday({row}.last_followup_at) END, 0))
            + coalesce(
                (SELECT days FROM pool_rules WHERE key = '{RETURN_DAYS}_' || {row}.grade),
                (SELECT days FROM pool_rules WHERE key = '{RETURN_DAYS}')))
    END"""


def adopt_rules(driver: sqlite3.Connection, rules: Mapping[str, int | None]) -> bool:
    """Keep the rules the server gave (a rule without value is dropped) and date every
    customer again if they changed. True when they did."""
    wanted = {key: int(rules[key]) for key in HELD_RULES if rules.get(key) is not None}
    held = dict(driver.execute("SELECT key, days FROM pool_rules").fetchall())
    if held == wanted:
        return False
    driver.execute("DELETE FROM pool_rules")
    driver.executemany("INSERT INTO pool_rules (key, days) VALUES (?, ?)", list(wanted.items()))
    driver.execute(
        f"UPDATE customers SET pool_due_at = {due_expression('customers')}"
        f" WHERE owner_id IS NOT NULL OR pool_due_at IS NOT NULL"
    )
    return True


def warning_days(driver: sqlite3.Connection) -> int | None:
    """How many days before its return the owner is warned (None: no rules known here)."""
    row = driver.execute("SELECT days FROM pool_rules WHERE key = ?", (WARNING_DAYS,)).fetchone()
    return row[0] if row else None
