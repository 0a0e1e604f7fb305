"""The small read-only lists of a record's page (a customer's contacts, a contract's payments):
chosen fields of one entity under their labels, each row carrying its record's id; and how any
list's row is opened (on_open)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

from crm_desktop.models.fields import FIELDS_BY_NAME, Kind
from crm_desktop.views.display import format_value


def record_list(entity: str, fields: tuple[str, ...], object_name: str) -> QTableWidget:
    """An empty list of `entity` showing `fields`; double-click and selection are the page's."""
    table = QTableWidget(0, len(fields))
    table.setObjectName(object_name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setHorizontalHeaderLabels([FIELDS_BY_NAME[entity][f].display_label() for f in fields])
    return table


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
    table.resizeColumnsToContents()
