"""A table model over a list query: it holds the ids in order and a cache of the rows it has read.

It never touches the database itself. Asking for the ids (after a sort, a search or a change)
and reading a page of rows are jobs for the storage thread; until a page arrives its cells are
blank, and `dataChanged` fills them in. Sorting and searching are done by the query, in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QStyle

from crm_desktop.models.entities import ENTITIES
from crm_desktop.models.fields import Kind
from crm_desktop.models.phones import DEFAULT_REGION
from crm_desktop.queries.tables import (
    OVERDUE,
    ListQuery,
    OneOf,
    OwnedCustomers,
    TableSpec,
    effective_search,
)
from crm_desktop.services.changes import ChangeSet
from crm_desktop.storage.store import Cancelled
from crm_desktop.views.display import format_value
from crm_desktop.views.runner import Runner

IdRole = Qt.ItemDataRole.UserRole + 1
RawValueRole = Qt.ItemDataRole.UserRole + 2
CUSTOMER_REFERENCE = "customer_id"  # the column of a record that hangs off a customer

PAGE_SIZE = 200
# A filter's value meaning "no filter" (None is one: it keeps the empty values).
ANY = object()
OVERDUE_COLOUR = QBrush(QColor("#b00020"))
NUMBER_KINDS = frozenset({Kind.MONEY, Kind.INTEGER, Kind.NUMBER})
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
Index = QModelIndex | QPersistentModelIndex

# Entities whose changes can alter what a table shows (names of customers, owners...).
SHOWN_FROM = {
    "customers": {"customers", "users"},
    "contacts": {"contacts", "customers"},
    "opportunities": {"opportunities", "customers", "users"},
    "tasks": {"tasks", "customers", "users"},
    "contracts": {"contracts", "customers", "users"},
    "payments": {"payments", "contracts", "customers", "users"},
    "products": {"products"},
}

# (query, at most this many or None for all, stop) -> ids; raises Cancelled once stop() is true.
ListIds = Callable[[ListQuery, int | None, Callable[[], bool]], list[str]]
FetchRows = Callable[[list[str]], dict[str, tuple]]


class RecordTableModel(QAbstractTableModel):
    """Rows of one TableSpec. `list_ids` and `fetch_rows` run on the runner's storage thread."""

    shown = Signal()  # the first screen of the current query is showing
    loaded = Signal()  # ... and now every id of it has arrived (`complete`)

    def __init__(
        self,
        spec: TableSpec,
        runner: Runner,
        list_ids: ListIds,
        fetch_rows: FetchRows,
        region: str = DEFAULT_REGION,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        keys = spec.column_keys()
        self._overdue_at = keys.index(OVERDUE) if OVERDUE in keys else None
        self._runner = runner
        self._list_ids = list_ids
        self._fetch_rows = fetch_rows
        self._region = region
        self.query = ListQuery(sort=spec.default_sort, descending=spec.default_descending)
        self._ids: list[str] = []
        self._rows_by_id: dict[str, int] = {}
        self._cache: dict[str, tuple] = {}
        # Rows a write may have changed: shown as read until their fresh values arrive, so a
        # refresh never blanks the screen for a moment.
        self._outdated: set[str] = set()
        self._pages_requested: set[int] = set()
        self._generation = 0
        self.complete = False
        self.started = False  # a table nobody has looked at yet isn't queried at all
        runner.changed.connect(self.apply_changes)

    # -- queries -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Ask for the ids of the current query again; older answers on the way are ignored.

        The first screen comes first: its ids and their rows in one trip to the storage thread,
        shown at once; when it is full, the rest of the ids follow in a second job and are
        appended below. A broad search ("13": half of all customers) so shows its first rows
        in a few milliseconds however long the whole list takes.
        """
        self.started = True
        self._generation += 1
        generation = self._generation
        self._runner.submit(
            partial(self._first_screen, generation, self.query),
            partial(self._first_screen_arrived, generation, self.query),
        )

    def refresh(self) -> None:
        """The same query read again after a write: every id in one trip, put in place of the
        old ones without a reset, so that the selection, the current row and the scroll
        position stay with the records the user left them on."""
        if not self.complete:
            self.reload()  # the first screen is still the newest: nothing to keep yet
            return
        self._generation += 1
        generation = self._generation
        self._runner.submit(
            partial(self._ids_unless_stale, generation, self.query),
            partial(self._refreshed, generation),
        )

    def _refreshed(self, generation: int, ids: list[str] | None) -> None:
        if self._stale(generation) or ids is None:
            return
        self.layoutAboutToBeChanged.emit()
        before = self._ids
        self._ids = ids
        self._rows_by_id = {row_id: row for row, row_id in enumerate(ids)}
        self._pages_requested.clear()
        old = self.persistentIndexList()
        new = []
        for index in old:
            row = self._rows_by_id.get(before[index.row()], -1) if index.row() < len(before) else -1
            new.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
        self.loaded.emit()

    def _stale(self, generation: int) -> bool:
        # Read on the storage thread too: a plain int, safe to compare there.
        return generation != self._generation

    def _first_screen(
        self, generation: int, query: ListQuery
    ) -> tuple[list[str], dict[str, tuple]] | None:
        """On the storage thread: the first page of ids and their rows, unless typed past."""
        ids = self._ids_unless_stale(generation, query, PAGE_SIZE)
        return None if ids is None else (ids, self._fetch_rows(ids))

    def _ids_unless_stale(
        self, generation: int, query: ListQuery, limit: int | None = None
    ) -> list[str] | None:
        """On the storage thread: the query's ids, or None once the user has typed past it
        (before it starts, or part-way through)."""
        if self._stale(generation):
            return None
        try:
            return self._list_ids(query, limit, partial(self._stale, generation))
        except Cancelled:
            return None

    def _first_screen_arrived(
        self,
        generation: int,
        query: ListQuery,
        result: tuple[list[str], dict[str, tuple]] | None,
    ) -> None:
        if self._stale(generation) or result is None:
            return
        ids, rows = result
        self._cache.update(rows)
        self._show(ids)
        self.shown.emit()
        if len(ids) < PAGE_SIZE:
            self.complete = True
            self.loaded.emit()
            return
        self._runner.submit(
            partial(self._ids_unless_stale, generation, query),
            partial(self._rest_arrived, generation),
        )

    def _rest_arrived(self, generation: int, ids: list[str] | None) -> None:
        if self._stale(generation) or ids is None:
            return
        shown = len(self._ids)
        if ids[:shown] == self._ids:
            # The usual case: the screen stays as it is and the scroll bar grows.
            if len(ids) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
                self._ids = ids
                self._rows_by_id.update((ids[row], row) for row in range(shown, len(ids)))
                self.endInsertRows()
        else:
            self._show(ids)
        self.complete = True
        self.loaded.emit()

    def _show(self, ids: list[str]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows_by_id = {row_id: row for row, row_id in enumerate(ids)}
        self._pages_requested.clear()
        # Rows already read stay valid: the cache is keyed by id, not by position.
        self.complete = False
        self.endResetModel()

    def set_search(self, text: str) -> None:
        changed = effective_search(text) != effective_search(self.query.search)
        self.query = replace(self.query, search=text)
        if changed or not self.started:
            self.reload()

    def set_scope(self, scope: str, user_id: str, team: Sequence[str] = ()) -> None:
        """Show all the user may see, his own records ("mine"), his team's ("team": the
        owners in `team`) or the public pool ("pool").

        Mine and the team's go by the entity's own owner column (my deals, my tasks); the pool
        and an entity without an owner (contacts) go by the owner of the record's customer:
        the pool's deals are its customers' deals, not deals without an owner."""
        owners = {"mine": (user_id,), "pool": (None,), "team": tuple(team)}.get(scope)
        own_owner = ENTITIES[self.spec.entity].OWNER
        own, through_customer = ANY, ANY
        if owners is not None:
            by_own = own_owner is not None and (scope != "pool" or self.spec.entity == "customers")
            if by_own:
                own = OneOf(owners) if scope == "team" else owners[0]
            else:
                through_customer = OwnedCustomers(owners)
        self._set_filters(
            {**({own_owner: own} if own_owner else {}), CUSTOMER_REFERENCE: through_customer}
        )

    def set_filter(self, key: str, value: Any) -> None:
        """Keep the rows whose `key` (a column key or the model's column) matches `value`
        (see queries.tables.ListQuery; ANY: no filter). A table without it ignores it."""
        self._set_filters({key: value})

    def _set_filters(self, wanted: dict[str, Any]) -> None:
        """set_filter of several keys at once: one reload for them all."""
        filters = self.query.filters
        for key, value in wanted.items():
            if key not in self.spec.column_keys() and not hasattr(self.spec.model, key):
                continue
            filters = tuple(item for item in filters if item[0] != key)
            if value is not ANY:
                filters += ((key, value),)
        if filters != self.query.filters:
            self.query = replace(self.query, filters=filters)
            if self.started:
                self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.spec.columns):
            return
        key = self.spec.columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.query.sort, self.query.descending):
            self.query = replace(self.query, sort=key, descending=descending)
            if self.started:
                self.reload()

    def sort_column(self) -> int:
        return self.spec.column_keys().index(self.query.sort or self.spec.default_sort)

    def _request_page(self, row: int) -> None:
        page = row // PAGE_SIZE
        if page in self._pages_requested:
            return
        self._pages_requested.add(page)
        ids = [
            i
            for i in self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            if i not in self._cache or i in self._outdated
        ]
        if ids:
            generation = self._generation
            self._runner.submit(
                partial(self._fetch_rows, ids), partial(self._rows_arrived, generation, ids)
            )

    def _rows_arrived(self, generation: int, asked: list[str], rows: dict[str, tuple]) -> None:
        self._cache.update(rows)
        self._outdated.difference_update(asked)  # read now, or gone (no row came back)
        if generation != self._generation:
            return
        positions = [self._rows_by_id[i] for i in asked if i in self._rows_by_id]
        if positions:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(min(positions), 0), self.index(max(positions), last))

    # -- changes from writes -----------------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        """Refresh only what a write touched: changed rows in place, the id list if rows came
        or went."""
        relevant = SHOWN_FROM[self.spec.entity] & changes.entities()
        if not relevant or not self.started:
            return
        own = self.spec.entity
        if (
            changes.created.get(own)
            or changes.deleted.get(own)
            or own in changes.reload
            or relevant - {own}
        ):
            # Rows appear, vanish, or show another record's name: ask for the ids again and
            # read every row shown afresh.
            self._outdated.update(self._cache)
            self.refresh()
            return
        updated = [i for i in changes.updated.get(own, ()) if i in self._rows_by_id]
        self._outdated.update(i for i in updated if i in self._cache)
        for row in sorted({self._rows_by_id[i] for i in updated}):
            self._pages_requested.discard(row // PAGE_SIZE)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # -- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def row_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        row_id = self._ids[index.row()]
        if role == IdRole:
            return row_id
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole):
            return self._overdue_mark(row_id, index.column(), role)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.spec.columns[index.column()].kind in NUMBER_KINDS:
                return RIGHT_ALIGNED  # amounts line up by their last digit, as in Receivables
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, RawValueRole, Qt.ItemDataRole.ToolTipRole):
            return None
        values = self._cache.get(row_id)
        if values is None or row_id in self._outdated:
            self._request_page(index.row())
        if values is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0 and self.is_overdue(row_id):
            rule = self.spec.columns[self._overdue_at]  # what overdue means in this list
            return QCoreApplication.translate(rule.context, rule.header)
        value = values[index.column()]
        if role == RawValueRole:
            return value
        return format_value(self.spec.columns[index.column()].kind, value, self._region)

    def is_overdue(self, row_id: str) -> bool:
        """By the list's own rule (its hidden `overdue` column), for the rows read."""
        values = self._cache.get(row_id)
        if values is None or self._overdue_at is None:
            return False
        return bool(values[self._overdue_at])

    def _overdue_mark(self, row_id: str, column: int, role: int) -> Any:
        """Overdue rows in red, with a warning icon on their first cell: not colour alone."""
        if not self.is_overdue(row_id):
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return OVERDUE_COLOUR
        if column == 0:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.spec.columns):
            column = self.spec.columns[section]
            return QCoreApplication.translate(column.context, column.header)
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
