"""what named a merged-away contact names the kept one

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-01 17:30:00

Merging two contacts of a customer points the deals and follow-ups that name the merged-away
contact at the kept one, on the merging device, in one group. A deal or a follow-up that
another device pushed before the merge, naming the merged-away contact, and that the merging
device had not downloaded, kept naming a contact that is gone (0026 closed the same gap for
the records of a merged-away customer).

Now, when a contact is merged away (`merged_into_id` set), the live opportunities and
follow-ups that still name it name the kept contact. One statement trigger with the statement's
old and new rows, with the writer's rights (whoever merges contacts of a customer may change
its records); nobody may execute it.

Like every migration, it carries its own statements.
"""

from __future__ import annotations

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

# The records that name a contact (models: contact_id), at this revision.
NAMING_A_CONTACT = ("opportunities", "followups")

_MOVES = "".join(
    f"""
    UPDATE public.{table} r SET contact_id = n.merged_into_id
    FROM crm_old_rows o JOIN crm_new_rows n ON n.id = o.id
    WHERE r.contact_id = n.id AND r.deleted_at IS NULL
      AND o.merged_into_id IS NULL AND n.merged_into_id IS NOT NULL;"""
    for table in NAMING_A_CONTACT
)

FUNCTION = f"""
CREATE FUNCTION crm_follow_contact_merge() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- Most updates merge nothing (an edited title, a pushed phone).
    -- No LIMIT 1 (0026 says why: a nested loop over both row sets).
    PERFORM FROM crm_old_rows o JOIN crm_new_rows n ON n.id = o.id
    WHERE o.merged_into_id IS NULL AND n.merged_into_id IS NOT NULL;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;{_MOVES}
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_follow_contact_merge() FROM PUBLIC;
CREATE TRIGGER crm_follow_contact_merge AFTER UPDATE ON contacts
    REFERENCING OLD TABLE AS crm_old_rows NEW TABLE AS crm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_follow_contact_merge();
"""


def upgrade() -> None:
    op.execute(FUNCTION)


def downgrade() -> None:
    op.execute("DROP TRIGGER crm_follow_contact_merge ON contacts")
    op.execute("DROP FUNCTION crm_follow_contact_merge()")
