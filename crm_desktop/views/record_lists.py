"""The small read-only lists of a record's page (a customer's contacts, a contract's payments):
chosen fields of one entity under their labels, each row carrying its record's id."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
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
