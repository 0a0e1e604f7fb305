"""when the people one reads last synced, and indexes for Today at any number of customers

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 21:20:00

`user_syncs` holds, per user whose day the device's user reads, the latest time the server
says he synced (the server's migration 0013); each sync replaces it whole. Two indexes serve
Today for one owner however many customers he holds: his next steps by date and his
customers returning to the pool by date, each read in order and stopped at the limit, instead
of every customer of his sorted.

Like every migration, it carries its own statements and never imports live code.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

STATEMENTS = (
    "CREATE TABLE user_syncs (user_id VARCHAR(36) NOT NULL, synced_at DATETIME NOT NULL,"
    " CONSTRAINT pk_user_syncs PRIMARY KEY (user_id))",
    "CREATE INDEX ix_customers_live_owner_next_followup"
    " ON customers (owner_id, next_followup_at, id) WHERE deleted_at IS NULL",
    "CREATE INDEX ix_customers_live_owner_pool_due"
    " ON customers (owner_id, pool_due_at, id) WHERE deleted_at IS NULL",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in STATEMENTS:
        connection.exec_driver_sql(statement)


def downgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql("DROP INDEX ix_customers_live_owner_pool_due")
    connection.exec_driver_sql("DROP INDEX ix_customers_live_owner_next_followup")
    connection.exec_driver_sql("DROP TABLE user_syncs")
