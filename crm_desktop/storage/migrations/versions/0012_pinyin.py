"""names and titles sort by pinyin; customers are found by the pinyin of their names

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 00:00:00

Chinese names sorted by their characters' code points come out in no order a Chinese user
knows. Each table whose list sorts by a name or title gets a derived, local-only sort key
(pinyin for Chinese characters, so 阿里巴巴 < Baidu < 华为), and the lists sort on partial indexes
over it, like the name indexes before them (which stay: other queries look names up by them).

The keys, and the pinyin spellings now part of each customer's search text, are made by the
program from the names (pypinyin, which a migration must not depend on: it is live code that
changes). This revision only adds the columns and indexes, empty. The program derives both the
keys and the search text again whenever the store's `derived_text_version` (local_settings) is
not its own, as it is not in any store made before this revision; it does so right after the
upgrade, in the same transaction (storage/store.py, storage/search_index.refresh_derived_text).

Like every migration, it carries its own statements and never imports live code.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# (table, sort-key column)
COLUMNS = (
    ("users", "name_sort"),
    ("customers", "name_sort"),
    ("contacts", "name_sort"),
    ("products", "name_sort"),
    ("opportunities", "title_sort"),
    ("tasks", "title_sort"),
)
# Over live rows, ending in the id and what a search checks on each row it walks (the
# customer's full-text key; another list's customer and its own name or title).
INDEXES = {
    "ix_customers_live_name_sort": "customers (name_sort, id, search_key)",
    "ix_contacts_live_name_sort": "contacts (name_sort, id, customer_id, name)",
    "ix_opportunities_live_title_sort": "opportunities (title_sort, id, customer_id, title)",
    "ix_tasks_live_title_sort": "tasks (title_sort, id, customer_id, title)",
}


def upgrade() -> None:
    connection = op.get_bind()
    for table, column in COLUMNS:
        connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
    for name, columns in INDEXES.items():
        connection.exec_driver_sql(f"CREATE INDEX {name} ON {columns} WHERE deleted_at IS NULL")


def downgrade() -> None:
    connection = op.get_bind()
    # Upgraded again, the store must derive the keys again into the empty columns.
    connection.exec_driver_sql("DELETE FROM local_settings WHERE key = 'derived_text_version'")
    for name in INDEXES:
        connection.exec_driver_sql(f"DROP INDEX {name}")
    for table, column in COLUMNS:
        connection.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
