"""full-text search indexes over customers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:20:00
"""

from __future__ import annotations

from alembic import op

from crm_desktop.storage.migrations import frozen

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    for statement in frozen.FTS_CREATE_V1:
        connection.exec_driver_sql(statement)
    frozen.rebuild_fts_v1(connection)


def downgrade() -> None:
    connection = op.get_bind()
    for statement in frozen.FTS_DROP_V1:
        connection.exec_driver_sql(statement)
