"""Widgets a table shows in its cells (a calendar's items, a row's buttons), taken out before
its rows change."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget


def drop_cell_widgets(table: QTableWidget) -> None:
    """Take every cell's widget out of the table and delete it now. Left to the table, which
    deletes them later, they stay findable as its children until then, and a row's buttons
    went with their clicked connections at a moment of the table's choosing: the process
    crashed now and then doing it (a segmentation fault after the Conflicts window's Restore)."""
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            widget = table.cellWidget(row, column)
            if widget is not None:
                table.removeCellWidget(row, column)
                widget.setParent(None)  # Python's now: deleted when this reference goes
