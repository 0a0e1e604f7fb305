"""Alembic environment for the server schema. Run through crm_desktop.sync.server.schema.

Migrations are hand-written SQL (no autogenerate): the server schema is a contract with finance
and ERP systems that read and write it, so every change is deliberate.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    # One transaction for the whole upgrade: PostgreSQL DDL is transactional, so a failed
    # upgrade leaves the previous schema intact.
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
