"""full-text search indexes over customers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:20:00
"""

from __future__ import annotations

from alembic import op

from crm_desktop.storage import search_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    for statement in search_index.CREATE_STATEMENTS:
        connection.exec_driver_sql(statement)
    search_index.rebuild(connection)


def downgrade() -> None:
    connection = op.get_bind()
    for statement in search_index.DROP_STATEMENTS:
        connection.exec_driver_sql(statement)
