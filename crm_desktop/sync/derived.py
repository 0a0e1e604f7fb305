"""Values a record takes from other rows, recomputed from the server's rows when pushed.

The write service keeps a deal's amount at the sum of its quote lines, and a customer's last
follow-up at its latest follow-up's time (services/writer.py; the server takes the latest up to
its own now), and sends them as edits of the record. Two devices that each add a line or a
follow-up offline then send two totals, each right on its own device and both wrong on the
server, where the lines of both now are: merged field by field, the first to arrive would win
and the server would keep a total that matches nothing. So the push does not merge these
fields: it computes them again, in the same transaction, from the rows the server holds (the
lines and follow-ups of this batch included, which come before in the outbox), and the device
fetches the record back when the result differs from what it sent.

A deal without quote lines has an amount the user typed: that one is an ordinary field. So is
a customer's next follow-up: a follow-up's next step sets it, but the user also types it in the
customer's form and postpones it from Today, and what he chose must stand.
"""

from __future__ import annotations

from typing import Any

import psycopg

from crm_desktop.models.limits import MAX_MONEY_CENTS

# entity -> the fields the push computes again instead of merging.
DERIVED: dict[str, frozenset[str]] = {
    "opportunities": frozenset({"amount_cents"}),
    "customers": frozenset({"last_followup_at"}),
}

# models/money.line_total_cents in SQL: quantity × unit price less the discount, rounded half
# up to the fen (numeric round() rounds halves away from zero; totals are never negative).
_LINES_TOTAL = """
SELECT count(*), least(coalesce(sum(round(quantity::numeric * unit_price_cents
                                         * (100 - discount_percent) / 100)), 0), %s)
FROM opportunity_lines WHERE opportunity_id = %s AND deleted_at IS NULL
"""
# Up to the server's now, as its pool rules count them (crm_pool_due_at): a laptop whose clock
# runs days fast dates its follow-ups ahead, and they are not the last one before that day.
_LATEST_FOLLOW_UP = """
SELECT max(happened_at) FROM followups
WHERE customer_id = %s AND deleted_at IS NULL AND happened_at <= now()
"""


def recomputed(
    connection: psycopg.Connection, entity: str, row_id: str, fields: list[str]
) -> dict[str, Any]:
    """The derived fields among `fields` as the server's rows make them now. A field missing
    from the answer is an ordinary one here (a deal without lines)."""
    wanted = DERIVED.get(entity, frozenset()).intersection(fields)
    if not wanted:
        return {}
    if entity == "opportunities":
        count, total = connection.execute(_LINES_TOTAL, (MAX_MONEY_CENTS, row_id)).fetchone()
        return {"amount_cents": int(total)} if count else {}
    latest = connection.execute(_LATEST_FOLLOW_UP, (row_id,)).fetchone()
    return {"last_followup_at": latest[0] if latest else None}
