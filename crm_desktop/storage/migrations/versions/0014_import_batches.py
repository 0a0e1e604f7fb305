"""what each import added and changed, so that it can be undone

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 00:10:00

An import remembers, on the device that ran it, the records it added and, for each record it
updated, the values it replaced. "Undo this import" then deletes exactly what it added and
puts back what it changed, as ordinary deletes and edits that sync. Local only: another
device never undoes someone's import.

Like every migration, it carries its own statements and never imports live code.
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

STATEMENTS = (
    "CREATE TABLE import_batches (id VARCHAR(36) NOT NULL, entity VARCHAR(32) NOT NULL,"
    " file_name TEXT NOT NULL, made_at DATETIME NOT NULL, made_by VARCHAR(36),"
    " added INTEGER NOT NULL, updated INTEGER NOT NULL, skipped INTEGER NOT NULL,"
    " undone_at DATETIME, CONSTRAINT pk_import_batches PRIMARY KEY (id))",
    "CREATE TABLE import_batch_rows (batch_id VARCHAR(36) NOT NULL, row_id VARCHAR(36) NOT NULL,"
    " action VARCHAR(8) NOT NULL, before JSON,"
    " CONSTRAINT pk_import_batch_rows PRIMARY KEY (batch_id, row_id),"
    " CONSTRAINT fk_import_batch_rows_batch FOREIGN KEY (batch_id)"
    " REFERENCES import_batches (id) ON DELETE CASCADE)",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in STATEMENTS:
        connection.exec_driver_sql(statement)


def downgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql("DROP TABLE import_batch_rows")
    connection.exec_driver_sql("DROP TABLE import_batches")
