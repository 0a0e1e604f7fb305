"""a late follow-up is judged by the previous sync of the device that sends it; a user moved
into a live office starts his customers' countdown

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-02 06:00:00

- **A rep with two computers.** A follow-up that reaches the server after its customer returned
  to the pool gives it back when it happened in time (0008), but not when it happened more than
  a day before its author's previous sync (0011): that sync would have sent it. 0011 took his
  latest push from any device, so a follow-up logged on a laptop offline for a week was refused
  because his office computer had synced yesterday. The previous sync is now that of the device
  sending the follow-up (the push names it in the setting `crm.device_id`, for its transaction).
  A device that has no push of his older than an hour (a made-up id, a new computer, plain SQL
  that names none) is judged by his latest push from any device, as before: naming a device
  moves the limit back only to that device's own last sync, never further.
- **A receipt's time is the server's.** Until now a CRM role could write `pushed_at` on the
  receipts he adds; that only made 0011's rule stricter for him. Judged by device, a receipt
  backdated under a made-up device would move his limit back: CRM roles now insert receipts
  without `pushed_at` (its default, now()). (A receipt written with a time of his own before
  this upgrade gained him nothing then; none is expected, and a device's later push moves its
  latest receipt to then.)
- **A user moved from an office waiting to go live into a live one** (or into the head office)
  starts his customers' countdown then, as his whole office going live does (0036): while he
  waited he could not sync, and his customers did not return. The trigger runs with the rights
  of whoever moves him, an administrator (who may set `owned_since` to now) or the deployment
  owner.

Like every migration, it carries its own statements: 0024's `crm_followup_keeps` is kept whole
(what a downgrade puts back) and the new one is made from it by its changed passage.
"""

from __future__ import annotations

from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None


def _changed(text: str, old: str, new: str) -> str:
    """`text` with its one `old` passage made `new` (refused where it is not there once)."""
    if text.count(old) != 1:
        raise ValueError(f"not once in the function: {old!r}")
    return text.replace(old, new)


# 0024's, whole.
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

ANY_DEVICE = """        AND happened >= coalesce(
            (SELECT max(p.pushed_at) FROM public.sync_pushes p
             WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'),
            '-infinity'::timestamptz) - interval '1 day'), false)"""
# The setting is compared as text: one that is no uuid names no device (a cast would fail the
# insert instead).
SENDING_DEVICE = """        AND happened >= coalesce(
            (SELECT max(p.pushed_at) FROM public.sync_pushes p
             WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'
               AND p.device_id::text = lower(current_setting('crm.device_id', true))),
            (SELECT max(p.pushed_at) FROM public.sync_pushes p
             WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'),
            '-infinity'::timestamptz) - interval '1 day'), false)"""

KEEPS = _changed(OLD_KEEPS, ANY_DEVICE, SENDING_DEVICE)

# Caller's rights: only an administrator (or the deployment owner) changes a user's office, and
# he may change every customer.
MOVED_LIVE = """
CREATE FUNCTION crm_user_moved_live() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.office_id IS DISTINCT FROM OLD.office_id
       AND EXISTS (SELECT FROM public.offices o WHERE o.id = OLD.office_id AND NOT o.live)
       AND NOT EXISTS (SELECT FROM public.offices o WHERE o.id = NEW.office_id AND NOT o.live)
    THEN
        UPDATE public.customers c SET owned_since = now()
        WHERE c.owner_id = NEW.id AND c.deleted_at IS NULL;
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_user_moved_live() FROM PUBLIC;
CREATE TRIGGER crm_user_moved_live AFTER UPDATE OF office_id ON users
    FOR EACH ROW EXECUTE FUNCTION crm_user_moved_live();
"""


GROUP_ROLE = "crm_users"
# The push names every column but pushed_at (sync/push.py); the owner keeps what he sets.
RECEIPT_TIMES = f"""
REVOKE INSERT ON sync_pushes FROM {GROUP_ROLE};
GRANT INSERT (device_id, seq, result, pushed_by) ON sync_pushes TO {GROUP_ROLE};
"""
OLD_RECEIPT_TIMES = f"""
REVOKE INSERT (device_id, seq, result, pushed_by) ON sync_pushes FROM {GROUP_ROLE};
GRANT INSERT ON sync_pushes TO {GROUP_ROLE};
"""


def upgrade() -> None:
    op.execute(RECEIPT_TIMES)
    op.execute(KEEPS)
    op.execute(MOVED_LIVE)


def downgrade() -> None:
    op.execute("DROP TRIGGER crm_user_moved_live ON users")
    op.execute("DROP FUNCTION crm_user_moved_live()")
    op.execute(OLD_KEEPS)
    op.execute(OLD_RECEIPT_TIMES)
