"""customers carry since when their owner has them, the manager's lock, and when they return

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 19:00:00

`owned_since` and `pool_locked` come from the server (its migration 0009); `pool_due_at` is
derived here from them, the last follow-up and the pool rules last read from the server (kept
in `pool_rules`; storage/pool_due.py), so
the customers list can sort and filter on "returns to the pool" through an index.

The server filled `owned_since` for every customer it had, but a device does not fetch rows
that did not change: forgetting the pull cursor makes the next sync read everything once (the
outbox is kept and reapplied as for any full sync).
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CURSOR_KEY = "sync_cursor"  # as in crm_desktop/sync/pull.py

# As crm_desktop/storage/pool_due.due_expression("NEW") gives it at this revision.
DUE_OF_NEW_ROW = """CASE WHEN NEW.owner_id IS NULL OR NEW.pool_locked
                    OR NEW.owned_since IS NULL THEN NULL
        ELSE strftime('%Y-%m-%d %H:%M:%S',
            max(julianday(NEW.owned_since),
                coalesce(CASE WHEN julianday(NEW.last_followup_at) <= julianday('now')
                              THEN julianday(NEW.last_followup_at) END, 0))
            + coalesce(
                (SELECT days FROM pool_rules WHERE key = 'pool_return_days_' || NEW.grade),
                (SELECT days FROM pool_rules WHERE key = 'pool_return_days')))
    END"""
# Whatever writes a customer (a pull, a save, an import, an undo), its date follows. A new
# customer not yet on the server has no owned_since: nothing to date, no trigger work. A
# statement setting owned_since alone sets the date with it (the push adopting the server's:
# checking each row here would cost more than the write).
TRIGGERS = (
    f"""CREATE TRIGGER customers_pool_due_on_insert AFTER INSERT ON customers
    WHEN NEW.owned_since IS NOT NULL
    BEGIN
        UPDATE customers SET pool_due_at = {DUE_OF_NEW_ROW} WHERE id = NEW.id;
    END""",
    f"""CREATE TRIGGER customers_pool_due_on_update
    AFTER UPDATE OF owner_id, pool_locked, grade, last_followup_at ON customers
    WHEN NEW.pool_due_at IS NOT ({DUE_OF_NEW_ROW})
    BEGIN
        UPDATE customers SET pool_due_at = {DUE_OF_NEW_ROW} WHERE id = NEW.id;
    END""",
)


def upgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql(
        "CREATE TABLE pool_rules (key VARCHAR(64) NOT NULL, days INTEGER NOT NULL,"
        " PRIMARY KEY (key))"
    )
    connection.exec_driver_sql("ALTER TABLE customers ADD COLUMN owned_since DATETIME")
    connection.exec_driver_sql(
        "ALTER TABLE customers ADD COLUMN pool_locked BOOLEAN DEFAULT '0' NOT NULL"
    )
    connection.exec_driver_sql("ALTER TABLE customers ADD COLUMN pool_due_at DATETIME")
    connection.exec_driver_sql(
        "CREATE INDEX ix_customers_live_pool_due ON customers (pool_due_at, id, search_key)"
        " WHERE deleted_at IS NULL"
    )
    for trigger in TRIGGERS:
        connection.exec_driver_sql(trigger)
    connection.exec_driver_sql("DELETE FROM local_settings WHERE key = ?", (CURSOR_KEY,))


def downgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql("DROP TRIGGER IF EXISTS customers_pool_due_on_insert")
    connection.exec_driver_sql("DROP TRIGGER IF EXISTS customers_pool_due_on_update")
    connection.exec_driver_sql("DROP INDEX IF EXISTS ix_customers_live_pool_due")
    for column in ("pool_due_at", "pool_locked", "owned_since"):
        connection.exec_driver_sql(f"ALTER TABLE customers DROP COLUMN {column}")
    connection.exec_driver_sql("DROP TABLE pool_rules")
