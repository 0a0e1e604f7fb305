"""sync bookkeeping: push receipts and the server's identity

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 16:00:00

`sync_pushes` makes a push idempotent: each outbox entry of each device is applied at most once,
and its result is kept, so a device whose acknowledgement was lost gets the same answer again.
`sync_meta` holds an id made when the database was set up and the oldest transaction whose
changes are still in the log; a device compares them with what it saw last to tell a database
restored from a backup, or a log trimmed past its cursor, and then resyncs in full.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"


def upgrade() -> None:
    op.execute("""
CREATE TABLE sync_pushes (
    device_id uuid NOT NULL,
    seq bigint NOT NULL,
    pushed_by uuid NOT NULL DEFAULT crm_current_user_id(),
    pushed_at timestamptz NOT NULL DEFAULT now(),
    result jsonb NOT NULL,
    PRIMARY KEY (device_id, seq)
);
ALTER TABLE sync_pushes ENABLE ROW LEVEL SECURITY;
ALTER TABLE sync_pushes FORCE ROW LEVEL SECURITY;
CREATE POLICY sync_pushes_own ON sync_pushes
    USING ((SELECT crm_is_admin()) OR pushed_by = (SELECT crm_current_user_id()))
    WITH CHECK (pushed_by = (SELECT crm_current_user_id()) OR (SELECT crm_is_admin()));

CREATE TABLE sync_meta (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    epoch uuid NOT NULL DEFAULT gen_random_uuid(),
    -- Changes of transactions before this one may have been deleted from sync_changes.
    log_floor xid8 NOT NULL DEFAULT '0'::xid8
);
INSERT INTO sync_meta DEFAULT VALUES;
""")
    op.execute(f"GRANT SELECT, INSERT ON sync_pushes TO {GROUP_ROLE}")
    op.execute(f"GRANT SELECT ON sync_meta TO {GROUP_ROLE}")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS sync_pushes, sync_meta")
