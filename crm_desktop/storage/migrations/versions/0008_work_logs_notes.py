"""daily work logs, their comments, notes to a colleague, and a task's reminder time

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00

Three synced tables (the server's migration 0012 decides who reads and writes them) and
`tasks.remind_at`. Work logs carry no unique index here: the server keeps one log per user and
day, and a device that held one of its own would fail a pull when two of its user's devices
wrote the same day offline. A note's customer and opportunity have no foreign key: the note's
recipient often cannot see that customer (see models/entities.Note).

Like every migration, it carries its own statements and never imports live code. The customers
table has triggers (0006) and is not touched.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CURSOR_KEY = "sync_cursor"  # as in crm_desktop/sync/pull.py

TRACKED = """
    id VARCHAR(36) NOT NULL,
    created_at DATETIME NOT NULL,
    created_by VARCHAR(36),
    updated_at DATETIME NOT NULL,
    updated_by VARCHAR(36),
    deleted_at DATETIME"""

STATEMENTS = (
    f"""CREATE TABLE work_logs (
    author_id VARCHAR(36) NOT NULL,
    day DATE NOT NULL,
    done TEXT NOT NULL,
    plan TEXT,
    problems TEXT,{TRACKED},
    CONSTRAINT pk_work_logs PRIMARY KEY (id),
    CONSTRAINT fk_work_logs_author_id_users FOREIGN KEY(author_id) REFERENCES users (id)
)""",
    "CREATE INDEX ix_work_logs_live_author_day ON work_logs (author_id, day, id)"
    " WHERE deleted_at IS NULL",
    "CREATE INDEX ix_work_logs_live_day ON work_logs (day, id) WHERE deleted_at IS NULL",
    f"""CREATE TABLE work_log_comments (
    log_id VARCHAR(36) NOT NULL,
    author_id VARCHAR(36) NOT NULL,
    text TEXT NOT NULL,{TRACKED},
    CONSTRAINT pk_work_log_comments PRIMARY KEY (id),
    CONSTRAINT fk_work_log_comments_log_id_work_logs FOREIGN KEY(log_id)
        REFERENCES work_logs (id),
    CONSTRAINT fk_work_log_comments_author_id_users FOREIGN KEY(author_id) REFERENCES users (id)
)""",
    "CREATE INDEX ix_work_log_comments_live_log ON work_log_comments (log_id, created_at, id)"
    " WHERE deleted_at IS NULL",
    f"""CREATE TABLE notes (
    sender_id VARCHAR(36) NOT NULL,
    recipient_id VARCHAR(36) NOT NULL,
    text TEXT NOT NULL,
    customer_id VARCHAR(36),
    opportunity_id VARCHAR(36),
    read_at DATETIME,{TRACKED},
    CONSTRAINT pk_notes PRIMARY KEY (id),
    CONSTRAINT fk_notes_sender_id_users FOREIGN KEY(sender_id) REFERENCES users (id),
    CONSTRAINT fk_notes_recipient_id_users FOREIGN KEY(recipient_id) REFERENCES users (id)
)""",
    "CREATE INDEX ix_notes_live_recipient ON notes (recipient_id, created_at, id)"
    " WHERE deleted_at IS NULL",
    "CREATE INDEX ix_notes_live_sender ON notes (sender_id, created_at, id)"
    " WHERE deleted_at IS NULL",
    "CREATE INDEX ix_notes_live_customer ON notes (customer_id, id) WHERE deleted_at IS NULL",
    # A plain added column: no table is rebuilt.
    "ALTER TABLE tasks ADD COLUMN remind_at DATETIME",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in STATEMENTS:
        connection.exec_driver_sql(statement)
    # Work logs, comments and notes written before this device could hold them were skipped by
    # its pulls (the cursor passed them): the next sync reads everything once, outbox kept.
    connection.exec_driver_sql("DELETE FROM local_settings WHERE key = ?", (CURSOR_KEY,))


def downgrade() -> None:
    connection = op.get_bind()
    connection.exec_driver_sql("ALTER TABLE tasks DROP COLUMN remind_at")
    for table in ("notes", "work_log_comments", "work_logs"):
        connection.exec_driver_sql(f"DROP TABLE {table}")
