"""contacts, opportunities, tasks and contracts carry their customer's sort key

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 17:30:00

A list sorted by its rows' customer sorted a join: every live contact read, joined to its
customer and sorted by that customer's name before the first screen could show (about half a
second for 145,000 contacts, a second for the whole list). Each of these tables now keeps its
customer's `name_sort` in a local column, `customer_sort`, with a partial index over it like
the other list indexes, so the list walks the index in order.

Triggers of the store keep it, whatever writes (a pull, a save, an import, an undo, a merge):
- a row written with the wrong key (or none) gets its customer's, checked against the customer
  row; a writer that sets it right (the writer, the pull and the demo do) costs one lookup and
  no second write;
- a customer whose sort key changes (renamed, or derived again by a newer program) hands it to
  its live rows, found along their live customer index; a deleted row catches up when it is
  restored.

The triggers belong to the tables they watch: a later migration that rebuilds one of these
tables or customers (alembic's batch mode copies a table into a new one) must drop them first
and create them again (tests/storage/test_customer_sort.py checks they are all there).

Like every migration, it carries its own statements and never imports live code.
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TABLES = ("contacts", "opportunities", "tasks", "contracts")
KEY_OF_NEW_ROW = "(SELECT name_sort FROM customers WHERE id = NEW.customer_id)"


def _triggers(table: str) -> tuple[str, ...]:
    return (
        f"""CREATE TRIGGER {table}_customer_sort_on_insert AFTER INSERT ON {table}
    WHEN NEW.customer_sort IS NOT {KEY_OF_NEW_ROW}
    BEGIN
        UPDATE {table} SET customer_sort = {KEY_OF_NEW_ROW} WHERE id = NEW.id;
    END""",
        f"""CREATE TRIGGER {table}_customer_sort_on_update
    AFTER UPDATE OF customer_id, customer_sort, deleted_at ON {table}
    WHEN NEW.customer_sort IS NOT {KEY_OF_NEW_ROW}
    BEGIN
        UPDATE {table} SET customer_sort = {KEY_OF_NEW_ROW} WHERE id = NEW.id;
    END""",
        f"""CREATE TRIGGER customers_name_sort_to_{table} AFTER UPDATE OF name_sort ON customers
    WHEN NEW.name_sort IS NOT OLD.name_sort
    BEGIN
        UPDATE {table} SET customer_sort = NEW.name_sort
        WHERE customer_id = NEW.id AND deleted_at IS NULL;
    END""",
    )


def upgrade() -> None:
    connection = op.get_bind()
    for table in TABLES:
        connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN customer_sort TEXT")
        connection.exec_driver_sql(
            f"UPDATE {table} SET customer_sort ="
            f" (SELECT name_sort FROM customers WHERE customers.id = {table}.customer_id)"
            " WHERE customer_id IS NOT NULL"
        )
        connection.exec_driver_sql(
            f"CREATE INDEX ix_{table}_live_customer_sort ON {table} (customer_sort, id)"
            " WHERE deleted_at IS NULL"
        )
        for trigger in _triggers(table):
            connection.exec_driver_sql(trigger)


def downgrade() -> None:
    connection = op.get_bind()
    for table in TABLES:
        for trigger in (
            f"{table}_customer_sort_on_insert",
            f"{table}_customer_sort_on_update",
            f"customers_name_sort_to_{table}",
        ):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{table}_live_customer_sort")
        connection.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN customer_sort")
