"""outbox seqs are never reused

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:30:00

A plain INTEGER PRIMARY KEY hands out max+1, so once a sync emptied the outbox, numbering began
again at 1 and a new change could meet an old change's push receipt on the server. The table
is rebuilt with AUTOINCREMENT, its sequence started above every seq this device ever pushed.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PUSHED_THROUGH_KEY = "sync_pushed_through"  # as in crm_desktop/sync/push.py


def upgrade() -> None:
    with op.batch_alter_table(
        "outbox", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass
    connection = op.get_bind()
    pushed = connection.exec_driver_sql(
        "SELECT value FROM local_settings WHERE key = ?", (PUSHED_THROUGH_KEY,)
    ).scalar()
    highest = connection.exec_driver_sql("SELECT max(seq) FROM outbox").scalar() or 0
    start = max(int(pushed or 0), int(highest))
    connection.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'outbox'")
    connection.exec_driver_sql(
        "INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)", (start,)
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox", recreate="always"):
        pass
