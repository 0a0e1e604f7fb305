"""child rows' write check inside the statement, not a function call per row

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 16:00:00

Rows hanging off a customer (identifiers, contacts, opportunities and their lines, follow-ups,
tasks) are written only by those who may change the customer: a customer they see that is not
in the public pool, or anything for an administrator. Migration 0003 asked a function
(`crm_can_write_customer`) once per written row. A function with its own search_path is never
inlined, so each call planned and ran its own query, with the customers table's policy
evaluated afresh every time: about 0.7 ms a row, most of the time of an import's first push.

The same rule as a correlated EXISTS in the policy itself is planned once with the statement
(the customers policy's sub-selects become init plans, computed once per statement). Who may
write what does not change; the function goes, so no CRM role can call it.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Rows whose customer_id never changes once written (tasks may move between customers).
FIXED_CUSTOMER_TABLES = (
    "customer_identifiers",
    "contacts",
    "opportunities",
    "opportunity_lines",
    "followups",
)
ADMIN = "(SELECT crm_is_admin())"
ME = "(SELECT crm_current_user_id())"
VISIBLE_OWNERS = "CAST((SELECT crm_visible_owner_ids()) AS uuid[])"
# The customers table's own select policy applies inside the sub-select: only a customer the
# caller sees can be found there.
CHILD_WRITE = (
    f"{ADMIN} OR EXISTS (SELECT FROM customers c"
    " WHERE c.id = customer_id AND c.owner_id IS NOT NULL)"
)
OWN_TASK = f"assignee_id = ANY ({VISIBLE_OWNERS}) OR created_by = {ME}"
TASK_WRITE = f"{CHILD_WRITE} OR (customer_id IS NULL AND ({OWN_TASK}))"

WRITE_POLICIES = {
    **{table: CHILD_WRITE for table in FIXED_CUSTOMER_TABLES},
    "tasks": TASK_WRITE,
}


def upgrade() -> None:
    for table, check in WRITE_POLICIES.items():
        op.execute(f"""
ALTER POLICY {table}_insert ON {table} WITH CHECK ({check});
ALTER POLICY {table}_update ON {table} USING ({check}) WITH CHECK ({check});
""")
    op.execute("DROP FUNCTION crm_can_write_customer(uuid)")


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
