"""no new or restored record under a deleted customer

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 12:00:00

A delete wins over an edit made meanwhile: the edit is kept as a conflict, and the record stays
deleted. A review of the sync found that this held for the customer's own fields and not for
what was added to it: a rep who logged a follow-up, a task or a contract offline on a customer
that another user had deleted meanwhile pushed them in as live records of a deleted customer.
The task then showed as overdue on Today for a customer nobody could open, and nobody was
told (the one conflict said, wrongly, that the follow-up's date was not saved).

A live record of a customer's (its contacts, identifiers, deals and their lines, tasks,
follow-ups, contracts, their instalments and payments) is now refused while its customer is
deleted: inserted, restored, or moved there. The device keeps the change as a refused conflict
that says why, and the user may restore the customer and enter it again. An edit of a record
already there is not refused (records left under a customer deleted before this revision).

One statement trigger per table and event, with the statement's new (and old) rows as
transition tables: one look per statement, not per row (a push inserts a thousand rows at a
time). It runs with the caller's rights: whoever may add a record to a customer sees it. The
deployment owner's plain SQL is let through, as by the other rules (an ERP may book a payment
of a customer deleted in the CRM).

Like every migration, it carries its own statements: the tables are listed here, as they were.
"""

from __future__ import annotations

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# The tables whose rows hang off a customer (customer_id), as the program lists them
# (models/entities.py CUSTOMER_CHILDREN) at this revision.
CUSTOMER_RECORDS = (
    "customer_identifiers",
    "contacts",
    "opportunities",
    "opportunity_lines",
    "tasks",
    "followups",
    "contracts",
    "contract_instalments",
    "payments",
)
# The refusal as the device keeps it (sync/push.py CUSTOMER_DELETED words it).
REFUSAL = "its customer was deleted meanwhile"

FUNCTION = f"""
CREATE FUNCTION crm_refuse_under_deleted() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- The deployment owner's plain SQL (an ERP booking a payment) is trusted, as everywhere.
    IF pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM FROM crm_new_rows n JOIN public.customers c ON c.id = n.customer_id
        WHERE n.deleted_at IS NULL AND c.deleted_at IS NOT NULL
        LIMIT 1;
    ELSE
        PERFORM FROM crm_new_rows n
        JOIN crm_old_rows o ON o.id = n.id
        JOIN public.customers c ON c.id = n.customer_id
        WHERE n.deleted_at IS NULL AND c.deleted_at IS NOT NULL
          AND (o.deleted_at IS NOT NULL OR o.customer_id IS DISTINCT FROM n.customer_id)
        LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_refuse_under_deleted() FROM PUBLIC;
"""


def _triggers() -> str:
    return "".join(
        f"""
CREATE TRIGGER crm_refuse_under_deleted_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS crm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_refuse_under_deleted();
CREATE TRIGGER crm_refuse_under_deleted_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS crm_old_rows NEW TABLE AS crm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_refuse_under_deleted();
"""
        for table in CUSTOMER_RECORDS
    )


def upgrade() -> None:
    op.execute(FUNCTION)
    op.execute(_triggers())


def downgrade() -> None:
    raise NotImplementedError("records under a deleted customer are not let in again")
