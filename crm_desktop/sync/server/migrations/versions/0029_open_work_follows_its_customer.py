"""a customer's open work follows it to its new owner

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01 17:00:00

A handover gave the receiver the leaver's open deals, open tasks and contracts still to see to
(`server handover`, its window). A claim from the pool or an assignment moved the customer
alone: its open deals and contracts stayed with the previous owner, who no longer saw the
customer, so the new owner's pipeline and renewals left them out and his manager read them
under someone else. A claim a device pushed (an owner set offline) did the same.

Now, whenever a customer gets a new owner (not the pool), the same statement gives him its
open opportunities and its contracts still to see to (drafts, running ones, ended ones whose
renewal is not decided), and the open tasks its previous owner had on it. Closed deals, done
tasks and settled contracts keep their history as it was; a customer returning to the pool
keeps its work with the rep who had it, for whoever claims it next.

One statement trigger with the statement's old and new rows, as 0026's: one look per
statement, the records' updates only when an owner changed. It runs with the writer's rights,
so row-level security decides what he moves (what he may change of his new customer); nobody
may execute it.

Like every migration, it carries its own statements.
"""

from __future__ import annotations

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

CLOSED_STAGES = ("won", "lost")  # models/choices.py at this revision
RUNNING_CONTRACTS = ("draft", "active")
UNSETTLED_RENEWALS = ("undecided", "renewing")


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


FUNCTION = f"""
CREATE FUNCTION crm_open_work_follows() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- Most updates give no customer a new owner (an edited phone, a pushed name).
    -- No LIMIT 1 (0026 says why: a nested loop over both row sets).
    PERFORM FROM crm_old_rows o JOIN crm_new_rows n ON n.id = o.id
    WHERE n.owner_id IS DISTINCT FROM o.owner_id AND n.owner_id IS NOT NULL;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE public.opportunities r SET owner_id = n.owner_id
    FROM crm_old_rows o JOIN crm_new_rows n ON n.id = o.id
    WHERE r.customer_id = n.id AND r.deleted_at IS NULL
      AND n.owner_id IS DISTINCT FROM o.owner_id AND n.owner_id IS NOT NULL
      AND r.owner_id IS DISTINCT FROM n.owner_id
      AND r.stage NOT IN ({_listed(CLOSED_STAGES)});
    UPDATE public.contracts r SET owner_id = n.owner_id
    FROM crm_old_rows o JOIN crm_new_rows n ON n.id = o.id
    WHERE r.customer_id = n.id AND r.deleted_at IS NULL
      AND n.owner_id IS DISTINCT FROM o.owner_id AND n.owner_id IS NOT NULL
      AND r.owner_id IS DISTINCT FROM n.owner_id
      AND (r.status IN ({_listed(RUNNING_CONTRACTS)})
           OR r.status = 'ended' AND r.renewal_status IN ({_listed(UNSETTLED_RENEWALS)}));
    UPDATE public.tasks r SET assignee_id = n.owner_id
    FROM crm_old_rows o JOIN crm_new_rows n ON n.id = o.id
    WHERE r.customer_id = n.id AND r.deleted_at IS NULL AND NOT r.done
      AND n.owner_id IS DISTINCT FROM o.owner_id AND n.owner_id IS NOT NULL
      AND r.assignee_id = o.owner_id;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_open_work_follows() FROM PUBLIC;
CREATE TRIGGER crm_open_work_follows AFTER UPDATE ON customers
    REFERENCING OLD TABLE AS crm_old_rows NEW TABLE AS crm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_open_work_follows();
"""


def upgrade() -> None:
    op.execute(FUNCTION)


def downgrade() -> None:
    op.execute("DROP TRIGGER crm_open_work_follows ON customers")
    op.execute("DROP FUNCTION crm_open_work_follows()")
