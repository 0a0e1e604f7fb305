"""when each user last synced, for the managers who read his day

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 21:10:00

A manager makes the CRM mandatory by seeing who uses it: team activity shows, beside each
rep's counts, the last time he synced. `user_syncs` holds one row per user and device, written
by the device at each sync (an upsert of its own row). The server signs it: a CRM role's row
is always his own (`user_id`) and always dated by the server's clock (`synced_at`), so nobody
sets another's time nor dates his own in the future or the past. The device id is the device's
word; a user who invents one only adds a row of his own. Readers are those who read the user's
work logs (0012's `crm_log_author_ids()`: himself, his managers up the chain and by office) and
administrators. There is no DELETE privilege: a row is only ever moved forward in time.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"
ADMIN = "(SELECT crm_is_admin())"
ME = "(SELECT crm_current_user_id())"
LOG_AUTHORS = "CAST((SELECT crm_log_author_ids()) AS uuid[])"
# The deployment owner (and other systems writing as him) keeps what his plain SQL sets.
OWNER = (
    "(SELECT pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'public.users'::regclass),"
    " 'MEMBER'))"
)

TABLE = """
CREATE TABLE user_syncs (
    user_id uuid NOT NULL REFERENCES users (id),
    device_id uuid NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, device_id),
    CONSTRAINT ck_user_syncs_synced_at_range
        CHECK (synced_at BETWEEN '2000-01-01' AND '9999-12-31')
);
"""

# Invoker rights: the row is the caller's and the time the server's; an update never moves a
# row to another user or device.
STAMP = f"""
CREATE FUNCTION crm_stamp_user_sync() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT {OWNER} THEN
        NEW.user_id := public.crm_current_user_id();
        NEW.synced_at := now();
    END IF;
    IF TG_OP = 'UPDATE' THEN
        NEW.user_id := OLD.user_id;
        NEW.device_id := OLD.device_id;
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_stamp_user_sync() FROM PUBLIC;
CREATE TRIGGER crm_stamp_user_sync BEFORE INSERT OR UPDATE ON user_syncs
    FOR EACH ROW EXECUTE FUNCTION crm_stamp_user_sync();
"""

MINE = f"({OWNER} OR user_id = {ME})"
POLICIES = f"""
ALTER TABLE user_syncs ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_syncs FORCE ROW LEVEL SECURITY;
CREATE POLICY user_syncs_select ON user_syncs FOR SELECT
    USING ({OWNER} OR {ADMIN} OR user_id = ANY ({LOG_AUTHORS}));
CREATE POLICY user_syncs_insert ON user_syncs FOR INSERT WITH CHECK {MINE};
CREATE POLICY user_syncs_update ON user_syncs FOR UPDATE USING {MINE} WITH CHECK {MINE};
REVOKE ALL ON user_syncs FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE (synced_at) ON user_syncs TO {GROUP_ROLE};
"""


def upgrade() -> None:
    op.execute(TABLE)
    op.execute(STAMP)
    op.execute(POLICIES)


def downgrade() -> None:
    op.execute("DROP TABLE user_syncs")
    op.execute("DROP FUNCTION crm_stamp_user_sync()")
