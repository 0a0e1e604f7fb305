"""a customer claimed from the pool takes its open tasks too

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-02 05:00:00

0029 moves a customer's open tasks to its new owner when they were its previous owner's. A
customer claimed from the pool has no previous owner (it was nobody's), so its open tasks
stayed with the rep who had it before it returned: he no longer sees the customer, his device
drops them, and they were on nobody's Today. The pool keeps a customer's work "for whoever
claims it next" (as its open deals and contracts already follow the claim): now its open tasks
go to the new owner too, whoever they were assigned to. Given by one owner to another, only the
previous owner's tasks move, as before (a task delegated to a colleague stays his).

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

CLOSED_STAGES = ("won", "lost")  # models/choices.py at this revision
RUNNING_CONTRACTS = ("draft", "active")
UNSETTLED_RENEWALS = ("undecided", "renewing")


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _function(tasks_from_the_pool: bool) -> str:
    from_the_pool = " OR o.owner_id IS NULL" if tasks_from_the_pool else ""
    return f"""
CREATE OR REPLACE FUNCTION crm_open_work_follows() RETURNS trigger
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
      AND r.assignee_id IS DISTINCT FROM n.owner_id
      AND (r.assignee_id = o.owner_id{from_the_pool});
    RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    op.execute(_function(tasks_from_the_pool=True))


def downgrade() -> None:
    op.execute(_function(tasks_from_the_pool=False))
