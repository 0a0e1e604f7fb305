"""customers say since when their owner has them, and a manager can lock one with its owner

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 19:00:00

`owned_since` is set by the server whenever a customer's owner changes (NULL in the pool), so a
device can show when each of its customers returns to the pool without reading the ownership
history; the return itself now reads it too, one column instead of a pass over the history.

`pool_locked`: a customer a manager (or an administrator) has locked never returns to the pool.
Only they may set or clear it, within the customers they may change anyway; a customer that
goes to the pool loses its lock, which belonged to the owner it had.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = """
ALTER TABLE customers ADD COLUMN owned_since timestamptz;
ALTER TABLE customers ADD COLUMN pool_locked boolean NOT NULL DEFAULT false;
UPDATE customers c SET owned_since = coalesce(
    (SELECT max(h.changed_at) FROM customer_ownership h
     WHERE h.customer_id = c.id AND h.owner_id = c.owner_id),
    c.created_at)
WHERE c.owner_id IS NOT NULL;
"""

# Invoker rights: it decides only what the caller's own row-level rights already allow.
STAMP = """
CREATE FUNCTION crm_stamp_ownership() RETURNS trigger
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
REVOKE EXECUTE ON FUNCTION crm_stamp_ownership() FROM PUBLIC;
CREATE TRIGGER crm_stamp_ownership BEFORE INSERT OR UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION crm_stamp_ownership();
"""

# The return of 0007, now skipping locked customers and reading owned_since.
RETURN_DUE = """
CREATE OR REPLACE FUNCTION crm_pool_due_at(customer uuid, owner uuid, grade text)
RETURNS timestamptz
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT greatest(
        (SELECT max(f.happened_at) FROM public.followups f
         WHERE f.customer_id = customer AND f.deleted_at IS NULL AND f.happened_at <= now()),
        (SELECT max(h.changed_at) FROM public.customer_ownership h
         WHERE h.customer_id = customer AND h.owner_id = owner)
    ) + make_interval(days => coalesce(
        (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days_' || grade),
        (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days')))
    WHERE owner IS NOT NULL
      AND NOT coalesce((SELECT c.pool_locked FROM public.customers c WHERE c.id = customer), false)
$$;

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
        SELECT k.id
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
    WHERE c.id = due.id;
    GET DIAGNOSTICS returned = ROW_COUNT;
    RETURN returned;
END
$$;
"""


def upgrade() -> None:
    op.execute(COLUMNS)
    op.execute(STAMP)
    op.execute(RETURN_DUE)


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
