"""a customer its manager locked with its owner goes to the pool only by a manager's hand

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-02 12:00:00

0009 lets only a manager or an administrator lock a customer with its owner, or unlock it; but a
customer going to the pool loses its lock, whoever sends it there, so its rep undid his
manager's lock by releasing the customer (`UPDATE customers SET owner_id = NULL`, or his form's
owner left empty). `crm_stamp_ownership` now refuses a CRM role other than a manager or an
administrator sending a locked customer to the pool; the deployment owner's SQL (and its
functions) still may. Handing it to someone else keeps the lock, as before.

Like every migration, it carries its own statements: 0036's `crm_stamp_ownership` is kept whole
(what a downgrade puts back) and the new one is made from it by its changed passage.
"""

from __future__ import annotations

from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None


def _changed(text: str, old: str, new: str) -> str:
    """`text` with its one `old` passage made `new` (refused where it is not there once)."""
    if text.count(old) != 1:
        raise ValueError(f"not once in the function: {old!r}")
    return text.replace(old, new)


# 0036's, whole.
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
        IF NEW.owned_since = now() AND coalesce(public.crm_current_role(), '') = 'admin' THEN
            NULL;  -- an administrator starts its countdown again (its owner's office went live)
        ELSIF NEW.owned_since IS NULL OR NEW.owned_since > now()
           OR NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
        THEN
            NEW.owned_since := OLD.owned_since;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
"""

TO_THE_POOL = """    IF NEW.owner_id IS NULL THEN
        NEW.owned_since := NULL;
        NEW.pool_locked := false;
        RETURN NEW;
    END IF;"""
LOCKED_STAYS = """    IF NEW.owner_id IS NULL THEN
        -- Its lock is its manager's word: the rep may not undo it by releasing the customer.
        IF TG_OP = 'UPDATE' AND OLD.pool_locked AND OLD.owner_id IS NOT NULL
           AND NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
           AND coalesce(public.crm_current_role(), '') NOT IN ('admin', 'manager') THEN
            RAISE EXCEPTION 'only a manager or an administrator may release a locked customer'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        NEW.owned_since := NULL;
        NEW.pool_locked := false;
        RETURN NEW;
    END IF;"""

STAMP = _changed(OLD_STAMP, TO_THE_POOL, LOCKED_STAYS)


def upgrade() -> None:
    op.execute(STAMP)


def downgrade() -> None:
    op.execute(OLD_STAMP)
