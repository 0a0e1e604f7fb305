"""instalments' and payments' contract indexes carry the amounts

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 03:15:00

What a contract owes is read from its instalments (due date, amount) and its payments (their
sum). For the receivables of a large store (the dashboard's chart, the receivables list and
report) that is every live instalment and payment: with the amounts in the contract indexes,
SQLite reads the indexes alone, a third of the time of visiting each row.

Like every migration, it carries its own statements and never imports live code.
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

BEFORE = {
    "ix_contract_instalments_live_contract": "contract_instalments (contract_id, due_on, id)",
    "ix_payments_live_contract": "payments (contract_id, paid_on, id)",
}
AFTER = {
    "ix_contract_instalments_live_contract": (
        "contract_instalments (contract_id, due_on, id, amount_cents)"
    ),
    "ix_payments_live_contract": "payments (contract_id, paid_on, id, amount_cents)",
}


def _replace(indexes: dict[str, str]) -> None:
    connection = op.get_bind()
    for name, columns in indexes.items():
        connection.exec_driver_sql(f"DROP INDEX {name}")
        connection.exec_driver_sql(f"CREATE INDEX {name} ON {columns} WHERE deleted_at IS NULL")


def upgrade() -> None:
    _replace(AFTER)


def downgrade() -> None:
    _replace(BEFORE)
