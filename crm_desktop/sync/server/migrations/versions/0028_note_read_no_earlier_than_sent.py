"""a note is read no earlier than it was sent

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 16:30:00

The recipient of a note marks it read, and may say when: a note read offline keeps the time the
device read it, not the time of the next sync. The server held that time to now at the latest
(0012), but not to anything at the earliest, so a recipient with psql could say he had read a
manager's note before it was even sent. It is now held to the note's own `created_at` at the
earliest, which the server sets.

`crm_guard_note` is 0012's, whole, with that one bound added (invoker rights, as before; nobody
may execute it). Like every migration, it carries its own statements.
"""

from __future__ import annotations

from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

GUARD_NOTE = """
CREATE OR REPLACE FUNCTION crm_guard_note() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me uuid;
    changed text[];
    AUDIT CONSTANT text[] := ARRAY['created_at', 'created_by', 'updated_at', 'updated_by'];
BEGIN
    IF pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NEW;
    END IF;
    me := public.crm_current_user_id();
    IF TG_OP = 'INSERT' THEN
        IF NEW.read_at IS NOT NULL THEN
            RAISE EXCEPTION 'only the recipient of a note marks it read'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    SELECT coalesce(array_agg(n.key), '{}') INTO changed
    FROM jsonb_each(to_jsonb(NEW)) n
    WHERE n.value IS DISTINCT FROM to_jsonb(OLD) -> n.key AND NOT n.key = ANY (AUDIT);
    IF me IS NOT NULL AND me = OLD.recipient_id THEN
        IF NOT changed <@ ARRAY['read_at'] THEN
            RAISE EXCEPTION 'the recipient of a note may only mark it read'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- Read between the day it was sent and now: read offline, it keeps the time the
        -- device says, but never a time before it was sent, nor one to come.
        IF NEW.read_at > now() THEN
            NEW.read_at := now();
        ELSIF NEW.read_at < OLD.created_at THEN
            NEW.read_at := OLD.created_at;
        END IF;
    ELSIF me IS NOT NULL AND me = OLD.sender_id THEN
        IF 'read_at' = ANY (changed) THEN
            RAISE EXCEPTION 'only the recipient of a note marks it read'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.read_at IS NOT NULL AND NOT changed <@ ARRAY['deleted_at'] THEN
            RAISE EXCEPTION 'a note that was read can no longer be changed, only deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.customer_id IS DISTINCT FROM OLD.customer_id AND NEW.customer_id IS NOT NULL
           AND NOT public.crm_can_see_customer(NEW.customer_id) THEN
            RAISE EXCEPTION 'a note can only be about a customer you see'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSE
        RAISE EXCEPTION 'only the sender and the recipient change a note'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_guard_note() FROM PUBLIC;
"""


def upgrade() -> None:
    op.execute(GUARD_NOTE)


def downgrade() -> None:
    raise NotImplementedError("a note read before it was sent is not let in again")
