"""Query functions bound to one store: what the views hand to the storage thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from crm_desktop.queries import records, tables
from crm_desktop.queries.tables import ListQuery, TableSpec
from crm_desktop.storage.store import Store, cancel_when


def _never() -> bool:
    return False


class Reader:
    """Each method opens its own read session; call them on the storage thread."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def ids(
        self,
        spec: TableSpec,
        query: ListQuery,
        limit: int | None = None,
        stop: Callable[[], bool] = _never,
    ) -> list[str]:
        """The query's ids (the first `limit` of them); raises Cancelled once `stop()` is true."""
        with self.store.read() as session, cancel_when(session, stop):
            return tables.list_ids(session, spec, query, limit)

    def rows(self, spec: TableSpec, ids: Sequence[str]) -> dict[str, tuple]:
        with self.store.read() as session:
            return tables.fetch_rows(session, spec, ids)

    def record(self, entity: str, row_id: str) -> dict[str, Any] | None:
        with self.store.read() as session:
            return records.record_values(session, entity, row_id)

    def customer_detail(self, customer_id: str) -> records.CustomerDetail | None:
        with self.store.read() as session:
            return records.customer_detail(session, customer_id)

    def possible_duplicates(
        self, name: str, phone: str | None, exclude_id: str | None = None
    ) -> list[records.Match]:
        with self.store.read() as session:
            return records.possible_duplicates(session, name, phone, exclude_id)

    def choices(self, entity: str, customer_id: str | None = None) -> list[tuple]:
        with self.store.read() as session:
            return records.choices_for(session, entity, customer_id)
