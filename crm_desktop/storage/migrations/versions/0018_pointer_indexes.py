"""an index over each pointer into its own table: merged_into_id, renewed_from_id

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 20:30:00

A merged-away customer (or contact) points at the one it was merged into, a renewal at the
contract it renews. SQLite checks, for each row it deletes, whether another row points at it;
with no index over the pointer that its lookup can use (the live index over renewed_from_id
holds live rows only) that is a scan of the whole table per row deleted. A full sync that
removes what the server no longer shows (another server, a role with less in view) took 15 s
for 5,000 customers and would take hours for 100,000. Each index holds only the rows that
point somewhere (few), and the check's lookup (`merged_into_id = ?`) can use it.

Like every migration, it carries its own statements and never imports live code.
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

POINTERS = (
    ("ix_customers_merged_into", "customers", "merged_into_id"),
    ("ix_contacts_merged_into", "contacts", "merged_into_id"),
    ("ix_contracts_renewed_from", "contracts", "renewed_from_id"),
)


def upgrade() -> None:
    for name, table, column in POINTERS:
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column}) WHERE {column} IS NOT NULL"
        )


def downgrade() -> None:
    for name, _table, _column in POINTERS:
        op.execute(f"DROP INDEX IF EXISTS {name}")
