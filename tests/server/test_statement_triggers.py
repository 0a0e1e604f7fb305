"""The statement triggers that join a statement's old and new rows (transition tables) do it
without a LIMIT: with one, PostgreSQL joins the two row sets by a nested loop, hoping for an
early match, and a statement without a match pays rows times rows (30,000 rows of a test table:
74 s, against 0.4 s by a hash join; a pool return of 100,000 customers did not end). Checked
on the functions as the server holds them, so a trigger added later is checked too."""

from __future__ import annotations

import re

from tests.postgres import PostgresServer

# One statement of a function: from a look at both row sets to its end.
_JOINED_ROW_SETS = re.compile(
    r"(crm_old_rows\s+\w+\s+JOIN\s+crm_new_rows|crm_new_rows\s+\w+\s+JOIN\s+crm_old_rows)"
    r"[^;]*;",
    re.IGNORECASE,
)


def test_no_trigger_joins_a_statements_old_and_new_rows_under_a_limit(
    pg_server: PostgresServer, crm_template: str
) -> None:
    with pg_server.connect(crm_template) as connection:
        sources = dict(
            connection.execute(
                "SELECT proname, prosrc FROM pg_proc"
                " WHERE pronamespace = 'public'::regnamespace AND prosrc LIKE '%crm_old_rows%'"
            ).fetchall()
        )
    joined = {
        name: [found.group(0) for found in _JOINED_ROW_SETS.finditer(source)]
        for name, source in sources.items()
    }
    assert {"crm_follow_customer_delete", "crm_refuse_under_deleted"} <= set(joined)
    assert all(joined.values()), joined  # each one does join them
    limited = {
        name: statement
        for name, statements in joined.items()
        for statement in statements
        if re.search(r"\bLIMIT\b", statement, re.IGNORECASE)
    }
    assert limited == {}
