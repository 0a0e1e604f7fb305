"""a late follow-up is judged by its device's previous sync of any kind, not only one that sent

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-02 12:30:00

A follow-up that reaches the server after its customer returned to the pool gives it back when
it happened in time (0008), but not when it happened more than a day before the previous sync of
the device sending it (0011, 0037): that sync would have sent it. 0037 knew a device's syncs only
by its push receipts, so a device whose syncs had nothing to send (a rep who only reads on his
laptop) kept the date of its last push, weeks old: a follow-up dated back to then still brought
the customer back, past `reclaim_block_days`. Every sync also writes the device's row in
`user_syncs` (0013), signed with the server's clock after the push; the previous sync is now the
later of the device's last receipt (an hour old or more, as before: the receipts of the push
under way are not its previous sync) and that row, whatever its age (a sync writes it only
after its push, so it is always a previous sync; and an hour's grace there would let a rep
refresh it, then date a follow-up back to his last push). Without a device, the later of his
last receipt and his last sync from any device.

Like every migration, it carries its own statements: 0037's `crm_followup_keeps` is kept whole
(what a downgrade puts back) and the new one is made from it by its changed passage.
"""

from __future__ import annotations

from alembic import op

revision = "0039"
down_revision = "0038"
branch_labels = None
depends_on = None


def _changed(text: str, old: str, new: str) -> str:
    """`text` with its one `old` passage made `new` (refused where it is not there once)."""
    if text.count(old) != 1:
        raise ValueError(f"not once in the function: {old!r}")
    return text.replace(old, new)


# 0037's, whole.
OLD_KEEPS = """
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
             WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'
               AND p.device_id::text = lower(current_setting('crm.device_id', true))),
            (SELECT max(p.pushed_at) FROM public.sync_pushes p
             WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'),
            '-infinity'::timestamptz) - interval '1 day'), false)
    FROM public.customers c
    JOIN LATERAL (
        SELECT h.kind, h.previous_owner_id, h.changed_at FROM public.customer_ownership h
        WHERE h.customer_id = c.id AND h.kind NOT IN ('graded', 'merged')
        ORDER BY h.id DESC LIMIT 1
    ) last ON true
    WHERE c.id = customer AND c.owner_id IS NULL AND c.deleted_at IS NULL
      AND last.kind = 'returned' AND last.previous_owner_id = author AND author IS NOT NULL
$$;
"""

SENT_ONLY = """        AND happened >= coalesce(
            (SELECT max(p.pushed_at) FROM public.sync_pushes p
             WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'
               AND p.device_id::text = lower(current_setting('crm.device_id', true))),
            (SELECT max(p.pushed_at) FROM public.sync_pushes p
             WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'),
            '-infinity'::timestamptz) - interval '1 day'), false)"""
# greatest() passes over a NULL: a device with receipts and no sync row (a server before 0013
# wrote none), or the other way round, is judged by what it has.
ANY_SYNC = """        AND happened >= coalesce(
            greatest(
                (SELECT max(p.pushed_at) FROM public.sync_pushes p
                 WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'
                   AND p.device_id::text = lower(current_setting('crm.device_id', true))),
                (SELECT max(s.synced_at) FROM public.user_syncs s
                 WHERE s.user_id = author
                   AND s.device_id::text = lower(current_setting('crm.device_id', true)))),
            greatest(
                (SELECT max(p.pushed_at) FROM public.sync_pushes p
                 WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'),
                (SELECT max(s.synced_at) FROM public.user_syncs s WHERE s.user_id = author)),
            '-infinity'::timestamptz) - interval '1 day'), false)"""

KEEPS = _changed(OLD_KEEPS, SENT_ONLY, ANY_SYNC)


def upgrade() -> None:
    op.execute(KEEPS)


def downgrade() -> None:
    op.execute(OLD_KEEPS)
