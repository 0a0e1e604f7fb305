"""customers' ownership history, as the server records it

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 19:30:00

The server keeps who owned each customer and how it changed hands (its migration 0006); the
pull brings each customer's part along with it, so the customer page shows it offline too.
The rows are the server's (its ids); nothing here writes them but the pull, and they leave the
device with their customer.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CURSOR_KEY = "sync_cursor"  # as in crm_desktop/sync/pull.py


def upgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql(
        """CREATE TABLE ownership_history (
            id INTEGER NOT NULL,
            customer_id VARCHAR(36) NOT NULL,
            previous_owner_id VARCHAR(36),
            owner_id VARCHAR(36),
            kind VARCHAR(16) NOT NULL,
            reason TEXT,
            changed_at DATETIME NOT NULL,
            changed_by VARCHAR(36),
            PRIMARY KEY (id),
            FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE
        )"""
    )
    connection.exec_driver_sql(
        "CREATE INDEX ix_ownership_history_customer ON ownership_history (customer_id, changed_at)"
    )
    # Customers already here have a history on the server: the next sync reads everything.
    connection.exec_driver_sql("DELETE FROM local_settings WHERE key = ?", (CURSOR_KEY,))


def downgrade() -> None:
    op.get_bind().exec_driver_sql("DROP TABLE ownership_history")
