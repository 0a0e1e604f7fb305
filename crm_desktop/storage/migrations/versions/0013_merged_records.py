"""a merged-away customer or contact points at the record it was merged into

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 00:00:00

Merging two customers (or two contacts) keeps one and soft-deletes the other with
`merged_into_id` naming the kept one (the server's migration 0017 has the same column). A
device that still edits the merged-away record offline finds the pointer at its next sync, and
its change goes to the kept record instead. A merge's outbox entries share a `group_id`: the
server applies them together or not at all (moving a contact and the deals that name it,
one at a time, would break the link between them in between).

Like every migration, it carries its own statements and never imports live code.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("customers", "contacts")


def upgrade() -> None:
    connection = op.get_bind()
    for table in TABLES:
        connection.exec_driver_sql(
            f"ALTER TABLE {table} ADD COLUMN merged_into_id VARCHAR(36) REFERENCES {table} (id)"
        )
    connection.exec_driver_sql("ALTER TABLE outbox ADD COLUMN group_id VARCHAR(36)")


def downgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql("ALTER TABLE outbox DROP COLUMN group_id")
    for table in TABLES:
        connection.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN merged_into_id")
