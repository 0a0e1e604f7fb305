"""an office that is not live yet keeps its reps' customers, and their countdown starts at go-live

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-02 06:00:00

A company rolls out one office at a time (0010): a rep of an office not live yet logs in but
is nobody, so he can neither sync nor follow anything up in the CRM. Yet his customers counted
down as anyone's, and `server apply-rules` (or his manager's sync) returned them to the pool,
where reps of other offices claimed them before his office had even started.

- `crm_return_due_customers` leaves the customers of a user whose own office is not live.
- When an office goes live (`live` false to true), its users' customers start their countdown
  then: `owned_since` becomes now, in the same statement, written as the administrator who
  switched it (so every device's return dates follow at its next sync). 0009's
  `crm_stamp_ownership` lets an administrator set `owned_since` to now, and only to now (a
  later start delays a return, which an administrator may do anyway by locking the customer);
  anyone else's change of it is still put back, and the deployment owner's SQL keeps what it
  sets.

A user moved from a waiting office into a live one keeps the countdown his customers had.

Like every migration, it carries its own statements: the functions below are whole copies of
0009's and 0020's with the changes above.
"""

from __future__ import annotations

from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None


def _changed(text: str, old: str, new: str) -> str:
    """`text` with its one `old` passage made `new` (refused where it is not there once)."""
    if text.count(old) != 1:
        raise ValueError(f"not once in the function: {old!r}")
    return text.replace(old, new)


OTHERS_PUT_BACK = """    ELSIF NEW.owned_since IS DISTINCT FROM OLD.owned_since THEN
        IF NEW.owned_since IS NULL OR NEW.owned_since > now()"""
ADMIN_RESTARTS = """    ELSIF NEW.owned_since IS DISTINCT FROM OLD.owned_since THEN
        IF NEW.owned_since = now() AND coalesce(public.crm_current_role(), '') = 'admin' THEN
            NULL;  -- an administrator starts its countdown again (its owner's office went live)
        ELSIF NEW.owned_since IS NULL OR NEW.owned_since > now()"""
DUE = """        WHERE k.owner_id IS NOT NULL AND k.deleted_at IS NULL AND NOT k.pool_locked
"""
DUE_IF_LIVE = """        WHERE k.owner_id IS NOT NULL AND k.deleted_at IS NULL AND NOT k.pool_locked
          -- Not while its owner's office waits to go live: he cannot even sync.
          AND NOT EXISTS (SELECT FROM public.users u JOIN public.offices w ON w.id = u.office_id
                          WHERE u.id = k.owner_id AND NOT w.live)
"""

# 0009's crm_stamp_ownership and 0020's crm_return_due_customers, whole (what a downgrade
# puts back).
OLD_STAMP = """
CREATE OR REPLACE FUNCTION crm_stamp_ownership() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- The lock belongs to an owner: going to the pool clears it (and the date), whoever
    -- releases.
    IF NEW.owner_id IS NULL THEN
        NEW.owned_since := NULL;
        NEW.pool_locked := false;
        RETURN NEW;
    END IF;
    -- Nested, so the role is looked up only for a change of the lock (a bulk insert sends
    -- none, and checks nothing here per row).
    IF NEW.pool_locked IS DISTINCT FROM (CASE WHEN TG_OP = 'UPDATE' THEN OLD.pool_locked
                                              ELSE false END) THEN
        IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
           AND coalesce(public.crm_current_role(), '') NOT IN ('admin', 'manager') THEN
            RAISE EXCEPTION 'only a manager or an administrator may lock a customer with its owner'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    -- The owner's own SQL (other systems, migrations) may say since when; a CRM role may not.
    IF TG_OP = 'INSERT' THEN
        IF NEW.owned_since IS NULL OR NEW.owned_since > now() THEN
            NEW.owned_since := now();
        ELSIF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
        THEN
            NEW.owned_since := now();
        END IF;
    ELSIF NEW.owner_id IS DISTINCT FROM OLD.owner_id THEN
        NEW.owned_since := now();
    ELSIF NEW.owned_since IS DISTINCT FROM OLD.owned_since THEN
        IF NEW.owned_since IS NULL OR NEW.owned_since > now()
           OR NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
        THEN
            NEW.owned_since := OLD.owned_since;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
"""

OLD_RETURN_DUE = """
CREATE OR REPLACE FUNCTION crm_return_due_customers() RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    returned integer;
    days integer;
    days_a integer;
    days_b integer;
    days_c integer;
BEGIN
    IF coalesce(public.crm_current_role(), 'clerk') = 'clerk' THEN
        RETURN 0;
    END IF;
    SELECT max(value) FILTER (WHERE key = 'pool_return_days'),
           max(value) FILTER (WHERE key = 'pool_return_days_A'),
           max(value) FILTER (WHERE key = 'pool_return_days_B'),
           max(value) FILTER (WHERE key = 'pool_return_days_C')
    INTO days, days_a, days_b, days_c
    FROM public.crm_rules;
    UPDATE public.customers c SET owner_id = NULL
    FROM (
        SELECT k.id, k.owner_id
        FROM public.customers k
        LEFT JOIN (
            SELECT f.customer_id, max(f.happened_at) AS at FROM public.followups f
            WHERE f.deleted_at IS NULL AND f.happened_at <= now() GROUP BY f.customer_id
        ) followed ON followed.customer_id = k.id
        WHERE k.owner_id IS NOT NULL AND k.deleted_at IS NULL AND NOT k.pool_locked
          AND greatest(followed.at, k.owned_since) + make_interval(days => CASE k.grade
              WHEN 'A' THEN coalesce(days_a, days) WHEN 'B' THEN coalesce(days_b, days)
              WHEN 'C' THEN coalesce(days_c, days) ELSE days END) <= now()
    ) due
    -- Checked again on the row as it is when the UPDATE reaches it: another device of the
    -- same user, returning at the same moment, may have returned it first (or a manager locked
    -- it); a row changed since this statement began is re-read, not updated blindly.
    WHERE c.id = due.id AND c.owner_id = due.owner_id AND NOT c.pool_locked
      AND c.deleted_at IS NULL;
    GET DIAGNOSTICS returned = ROW_COUNT;
    RETURN returned;
END
$$;
"""

# An administrator may restart the countdown; a waiting office's customers do not return.
STAMP = _changed(OLD_STAMP, OTHERS_PUT_BACK, ADMIN_RESTARTS)
RETURN_DUE = _changed(OLD_RETURN_DUE, DUE, DUE_IF_LIVE)

# Caller's rights: only an administrator (or the deployment owner) writes offices, and he may
# change every customer.
GO_LIVE = """
CREATE FUNCTION crm_office_goes_live() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.live AND NOT OLD.live THEN
        UPDATE public.customers c SET owned_since = now()
        FROM public.users u
        WHERE u.office_id = NEW.id AND c.owner_id = u.id AND c.deleted_at IS NULL;
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_office_goes_live() FROM PUBLIC;
CREATE TRIGGER crm_office_goes_live AFTER UPDATE OF live ON offices
    FOR EACH ROW EXECUTE FUNCTION crm_office_goes_live();
"""


def upgrade() -> None:
    op.execute(STAMP)
    op.execute(RETURN_DUE)
    op.execute(GO_LIVE)


def downgrade() -> None:
    op.execute("DROP TRIGGER crm_office_goes_live ON offices")
    op.execute("DROP FUNCTION crm_office_goes_live()")
    op.execute(OLD_RETURN_DUE)
    op.execute(OLD_STAMP)
