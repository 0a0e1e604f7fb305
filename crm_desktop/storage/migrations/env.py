"""Alembic environment for the local store. Run through crm_desktop.storage.store, not the CLI."""

from __future__ import annotations

from alembic import context

from crm_desktop.models import entities  # noqa: F401  (registers every table on Base.metadata)
from crm_desktop.models.base import Base

# The full-text index tables (storage/search_index.py) are made by SQL, not by the models.
FTS_PREFIXES = ("customer_trigrams", "customer_grams")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name and name.startswith(FTS_PREFIXES))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can't ALTER most things; batch mode rebuilds the table
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
