"""an index over each pointer at a customer, contact, deal, contract or work log

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 22:00:00

SQLite checks, for each row it deletes, whether another row points at it. The pointers at a
customer (a follow-up's, a deal's, a task's, a contract's, a payment's, a contact's), at a
contact, a deal, a contract and a work log had only live indexes or none, and that check
cannot use a live index: a full sync removing 1,000 of 10,000 customers, while the others'
records stay, scanned each child table once per removed row (34 s). Migration 0018 did the
same for the pointers into a row's own table. An optional pointer's index holds only the rows
that point somewhere, so it stays small; a required pointer's index is whole, because SQLite's
planner does not use an `IS NOT NULL` index for a column declared NOT NULL.

Like every migration, it carries its own statements and never imports live code.
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# (index, table, column, optional: the column may be empty)
REFERENCES = (
    ("ix_contacts_customer", "contacts", "customer_id", False),
    ("ix_opportunities_customer", "opportunities", "customer_id", False),
    ("ix_opportunities_contact", "opportunities", "contact_id", True),
    ("ix_tasks_customer", "tasks", "customer_id", True),
    ("ix_tasks_opportunity", "tasks", "opportunity_id", True),
    ("ix_followups_customer", "followups", "customer_id", False),
    ("ix_followups_contact", "followups", "contact_id", True),
    ("ix_work_log_comments_log", "work_log_comments", "log_id", False),
    ("ix_contracts_customer", "contracts", "customer_id", False),
    ("ix_contracts_opportunity", "contracts", "opportunity_id", True),
    ("ix_contract_instalments_customer", "contract_instalments", "customer_id", False),
    ("ix_contract_instalments_contract", "contract_instalments", "contract_id", False),
    ("ix_payments_customer", "payments", "customer_id", False),
    ("ix_payments_contract", "payments", "contract_id", True),
)


def upgrade() -> None:
    for name, table, column, optional in REFERENCES:
        where = f" WHERE {column} IS NOT NULL" if optional else ""
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column}){where}")


def downgrade() -> None:
    for name, _table, _column, _optional in REFERENCES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
