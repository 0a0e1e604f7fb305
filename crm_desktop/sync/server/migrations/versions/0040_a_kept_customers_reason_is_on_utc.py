"""the reason a follow-up gave a customer back names its time in UTC, whatever the session's zone

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-02 17:00:00

A follow-up that keeps a customer the pool took back (0008) writes into the ownership history
"a follow-up of 2026-11-30 09:30 happened before the return". Its time was `to_char` of a
timestamptz, which PostgreSQL writes in the session's own TimeZone: a follow-up sent from a
session set to Asia/Shanghai was recorded eight hours off the UTC clock every window reads the
reason by (views/customer_page.py says it again in the user's language and local time). The
time is now taken in UTC first. Reasons already written are left as they are.

Like every migration, it carries its own statements: 0008's trigger function is kept whole
(what a downgrade puts back) and the new one is made from it by its changed passage.
"""

from __future__ import annotations

from alembic import op

revision = "0040"
down_revision = "0039"
branch_labels = None
depends_on = None

# 0008's, whole.
OLD_KEEP = """
CREATE OR REPLACE FUNCTION crm_keep_followed_customer() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    reason text;
BEGIN
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_OP <> 'INSERT'
       OR TG_TABLE_SCHEMA <> 'public' OR TG_TABLE_NAME <> 'followups'
       OR TG_RELID <> 'public.followups'::regclass THEN
        RAISE EXCEPTION 'crm_keep_followed_customer fires only on followups'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT public.crm_followup_keeps(NEW.customer_id, NEW.happened_at, NEW.created_by) THEN
        RETURN NULL;
    END IF;
    reason := current_setting('crm.owner_change_reason', true);
    PERFORM set_config('crm.owner_change_reason',
        'a follow-up of ' || to_char(NEW.happened_at, 'YYYY-MM-DD HH24:MI')
        || ' happened before the return', true);
    -- updated_by empty: the server gave it back, nobody claimed it (no claim is counted).
    UPDATE public.customers SET owner_id = NEW.created_by, updated_by = NULL
    WHERE id = NEW.customer_id AND owner_id IS NULL;
    PERFORM set_config('crm.owner_change_reason', coalesce(reason, ''), true);
    RETURN NULL;
END
$$;
"""

SESSION_ZONE = "to_char(NEW.happened_at, 'YYYY-MM-DD HH24:MI')"
UTC = "to_char(NEW.happened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"


def _changed(text: str, old: str, new: str) -> str:
    """`text` with its one `old` passage made `new` (refused where it is not there once)."""
    if text.count(old) != 1:
        raise ValueError(f"not once in the function: {old!r}")
    return text.replace(old, new)


KEEP = _changed(OLD_KEEP, SESSION_ZONE, UTC)


def upgrade() -> None:
    op.execute(KEEP)


def downgrade() -> None:
    op.execute(OLD_KEEP)
