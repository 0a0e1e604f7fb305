"""the company letterhead, as the last sync read it from the server

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 12:00:00

Quotes printed as PDF carry the company's header and logo, which an administrator sets on the
server (the server's migration 0018, `crm_company`). Each sync brings that one row here, so a
quote prints the same on every device, offline too. Not synced back: nothing on the device
changes it.

Like every migration, it carries its own statements and never imports live code.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

STATEMENTS = (
    "CREATE TABLE company_letterhead (id INTEGER NOT NULL, name TEXT NOT NULL, address TEXT,"
    " phone TEXT, email TEXT, website TEXT, tax_id TEXT, logo BLOB, logo_type VARCHAR(16),"
    " updated_at DATETIME, CONSTRAINT pk_company_letterhead PRIMARY KEY (id))",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in STATEMENTS:
        connection.exec_driver_sql(statement)


def downgrade() -> None:
    op.get_bind().exec_driver_sql("DROP TABLE company_letterhead")
