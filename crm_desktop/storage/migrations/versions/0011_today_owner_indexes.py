"""indexes for Today's tasks, reminders and contracts to renew, for one user

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 23:10:00

Today reads, for one user, his open tasks due by the end of his day, his tasks whose reminder
time came, and his contracts ending soon. The lists' indexes start with the assignee or owner
and then the id, so for a user with tens of thousands of tasks every one of them was read and
filtered; these put the date second, so each part reads only what is due.

Like every migration, it carries its own statements and never imports live code.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_tasks_live_assignee_due": "tasks (assignee_id, due_at, id)",
    "ix_tasks_live_assignee_remind": "tasks (assignee_id, remind_at, id)",
    "ix_contracts_live_owner_end": "contracts (owner_id, end_on, id)",
}


def upgrade() -> None:
    connection = op.get_bind()
    for name, columns in INDEXES.items():
        connection.exec_driver_sql(f"CREATE INDEX {name} ON {columns} WHERE deleted_at IS NULL")


def downgrade() -> None:
    connection = op.get_bind()
    for name in INDEXES:
        connection.exec_driver_sql(f"DROP INDEX {name}")
