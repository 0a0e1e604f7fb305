"""customers carry their full-text search key; list indexes carry what a search checks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 18:00:00

A search used to join its full-text hits to customers through the ids the FTS tables hold;
reading 50,000 of those took 200 ms. The FTS rowid (a hash of the id) is now stored on the
customer and appended to every index the customers list sorts on, so a search walks the list
in order and checks each row's key without reading the table. The contacts, opportunities
and tasks lists match a search by their customer or their own name or title: their list
indexes now carry those for the same reason.
"""

from __future__ import annotations

from alembic import op

from crm_desktop.storage.migrations.frozen import search_key_v1

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The customers list's sort indexes as of this revision: (index name, sorted column).
LIST_INDEXES = (
    ("ix_customers_live_name", "name"),
    ("ix_customers_live_grade", "grade"),
    ("ix_customers_live_industry", "industry"),
    ("ix_customers_live_owner", "owner_id"),
    ("ix_customers_live_phone", "phone"),
    ("ix_customers_live_email", "email"),
    ("ix_customers_live_last_followup", "last_followup_at"),
    ("ix_customers_live_next_followup", "next_followup_at"),
    ("ix_customers_live_created", "created_at"),
    ("ix_customers_live_updated", "updated_at"),
)
# The other lists' sort indexes: (table, index name, sorted column, carried columns).
FOUND_BY = "customer_id, title"
CHILD_LIST_INDEXES = (
    ("contacts", "ix_contacts_live_name", "name", "customer_id"),
    ("opportunities", "ix_opportunities_live_title", "title", "customer_id"),
    ("opportunities", "ix_opportunities_live_stage", "stage", FOUND_BY),
    ("opportunities", "ix_opportunities_live_amount", "amount_cents", FOUND_BY),
    ("opportunities", "ix_opportunities_live_close", "expected_close", FOUND_BY),
    ("opportunities", "ix_opportunities_live_owner", "owner_id", FOUND_BY),
    ("tasks", "ix_tasks_live_title", "title", "customer_id"),
    ("tasks", "ix_tasks_live_due", "due_at", FOUND_BY),
    ("tasks", "ix_tasks_live_priority", "priority", FOUND_BY),
    ("tasks", "ix_tasks_live_done", "done", FOUND_BY),
    ("tasks", "ix_tasks_live_assignee", "assignee_id", FOUND_BY),
)


def upgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql("ALTER TABLE customers ADD COLUMN search_key INTEGER")
    ids = connection.exec_driver_sql("SELECT id FROM customers").scalars().all()
    if ids:
        connection.exec_driver_sql(
            "UPDATE customers SET search_key = ? WHERE id = ?",
            [(search_key_v1(customer_id), customer_id) for customer_id in ids],
        )
    for name, column in LIST_INDEXES:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        connection.exec_driver_sql(
            f"CREATE INDEX {name} ON customers ({column}, id, search_key)"
            " WHERE deleted_at IS NULL"
        )
    connection.exec_driver_sql(
        "CREATE INDEX ix_customers_search_key ON customers (search_key, id)"
    )
    for table, name, column, carried in CHILD_LIST_INDEXES:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        connection.exec_driver_sql(
            f"CREATE INDEX {name} ON {table} ({column}, id, {carried})"
            " WHERE deleted_at IS NULL"
        )


def downgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql("DROP INDEX IF EXISTS ix_customers_search_key")
    for table, name, column, _carried in CHILD_LIST_INDEXES:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        connection.exec_driver_sql(
            f"CREATE INDEX {name} ON {table} ({column}, id) WHERE deleted_at IS NULL"
        )
    for name, column in LIST_INDEXES:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        connection.exec_driver_sql(
            f"CREATE INDEX {name} ON customers ({column}, id) WHERE deleted_at IS NULL"
        )
    connection.exec_driver_sql("ALTER TABLE customers DROP COLUMN search_key")
