"""a follow-up logged long after its author last synced does not bring a customer back

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 19:45:00

A follow-up that reaches the server after its customer returned to the pool gives the customer
back to its rep when it happened in time (0008): he was travelling offline. One dated well
before his previous sync was not offline work: had it happened then, that sync would have sent
it. So it counts only when it happened at most a day before the author's previous sync (the
day leaves room for a call logged the morning after).

The previous sync is the author's latest push receipt older than an hour: the receipts of the
sync now running (written minutes ago, batch by batch) do not count, and a sync run twice within
the hour is judged by the one before, in the rep's favour. A CRM role can add receipts of his
own but never change or remove one, so a rep cannot move his previous sync back (a receipt he
writes with an invented time only makes the rule stricter for him). A user who never pushed
has no previous sync: the rule lets his follow-up count.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# crm_followup_keeps of 0008 with the new condition; invoker rights as before (an author reads
# his own receipts; the owner's trigger reads all).
KEEPS = """
CREATE OR REPLACE FUNCTION crm_followup_keeps(customer uuid, happened timestamptz, author uuid)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(bool_and(
        happened <= now()
        AND happened < last.changed_at
        AND happened + make_interval(days => coalesce(
            (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days_' || c.grade),
            (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days')))
            > last.changed_at
        AND happened >= coalesce(
            (SELECT max(p.pushed_at) FROM public.sync_pushes p
             WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'),
            '-infinity'::timestamptz) - interval '1 day'), false)
    FROM public.customers c
    JOIN LATERAL (
        SELECT h.kind, h.previous_owner_id, h.changed_at FROM public.customer_ownership h
        WHERE h.customer_id = c.id ORDER BY h.id DESC LIMIT 1
    ) last ON true
    WHERE c.id = customer AND c.owner_id IS NULL AND c.deleted_at IS NULL
      AND last.kind = 'returned' AND last.previous_owner_id = author AND author IS NOT NULL
$$;
"""


def upgrade() -> None:
    op.execute(KEEPS)


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
