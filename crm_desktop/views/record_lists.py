"""The small read-only lists of a record's page (a customer's contacts, a contract's payments):
chosen fields of one entity under their labels, each row carrying its record's id, the last
column filling the width (fill_width); and how any list's row is opened (on_open)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QTableView, QTableWidget, QTableWidgetItem

from crm_desktop.models.fields import FIELDS_BY_NAME, Kind
from crm_desktop.views.display import format_value


def record_list(entity: str, fields: tuple[str, ...], object_name: str) -> QTableWidget:
    """An empty list of `entity` showing `fields`; double-click and selection are the page's."""
    table = QTableWidget(0, len(fields))
    table.setObjectName(object_name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setHorizontalHeaderLabels([FIELDS_BY_NAME[entity][f].display_label() for f in fields])
    fill_width(table)
    return table


class _LastColumnFills(QObject):
    """Keeps a table's last column as wide as the room its other columns leave (and at least
    as wide as its contents), whenever the table's visible area changes size."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        header = table.horizontalHeader()
        # The last column's width for its contents (fit_columns); until then, as it is.
        self.contents_width = header.sectionSize(header.logicalIndex(header.count() - 1))
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # Qt override
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        header = self._table.horizontalHeader()
        last = header.logicalIndex(header.count() - 1)
        if last < 0:
            return
        others = header.length() - header.sectionSize(last)
        room = self._table.viewport().width() - others
        header.resizeSection(last, max(self.contents_width, room, header.minimumSectionSize()))


def fill_width(table: QTableView) -> None:
    """Let the table use its whole width: its last column takes the room left of it.

    Not Qt's stretchLastSection: resizeColumnsToContents undoes that until the next resize,
    and where room is short it squeezes the last column below its contents."""
    table.horizontalHeader().setStretchLastSection(False)
    if table.findChild(_LastColumnFills) is None:
        _LastColumnFills(table)


def fit_columns(table: QTableView) -> None:
    """Columns as wide as their contents, the last one also filling the width left
    (fill_width): a table of a few short columns leaves no empty area beside them."""
    table.resizeColumnsToContents()
    filler = table.findChild(_LastColumnFills)
    if filler is None:
        return
    header = table.horizontalHeader()
    filler.contents_width = header.sectionSize(header.logicalIndex(header.count() - 1))
    filler.fit()


def on_open(view: QAbstractItemView, handler: Callable[[QModelIndex], object]) -> None:
    """Call `handler` with the row's index when the user opens a row of the list: a double
    click, or Enter on the current row (the keyboard's way, for those who do not use a
    mouse)."""
    view.doubleClicked.connect(handler)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        enter = QShortcut(QKeySequence(key), view, context=Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(lambda: handler(view.currentIndex()))


def fill_record_list(
    table: QTableWidget, entity: str, fields: tuple[str, ...], rows: list[dict[str, Any]]
) -> None:
    """The rows' values as the user reads them, money to the right; each cell holds its
    row's id (Qt.UserRole)."""
    known = FIELDS_BY_NAME[entity]
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, name in enumerate(fields):
            item = QTableWidgetItem(format_value(known[name].kind, row.get(name)))
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            if known[name].kind is Kind.MONEY:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    fit_columns(table)
