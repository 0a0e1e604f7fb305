"""What the pages of computed lines (renewals, receivables) share: an owner filter, a table
model holding the lines a query returned, their table view, and writing the rows shown to an
.xlsx workbook."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTableView, QWidget

from crm_desktop.queries.work_logs import Team
from crm_desktop.storage.files import written_whole
from crm_desktop.transfer.xlsx import SheetWriter
from crm_desktop.views.table_model import IdRole, RawValueRole

Index = QModelIndex | QPersistentModelIndex
MESSAGE_STYLE = "color: #b00020;"


def xlsx_path(chosen: str) -> Path:
    """The path a save dialog gave, with .xlsx added when the user typed none."""
    path = Path(chosen)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


class OwnerFilter(QComboBox):
    """Whose lines a money page shows: everyone the user sees (what this device holds), his
    own, or one person of his team by name (a manager's people, an administrator's users)."""

    changed = Signal()

    EVERYONE = ""

    def __init__(self, user_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user_id = user_id
        self.setAccessibleName(self.tr("Whose"))
        self.addItem(self.tr("Everyone I see"), self.EVERYONE)
        self.addItem(self.tr("Me"), user_id)
        self.currentIndexChanged.connect(lambda _: self.changed.emit())

    def set_team(self, team: Team) -> None:
        """Offer the team's people after "Me", keeping the choice while its person is there."""
        chosen = self.currentData()
        self.blockSignals(True)
        while self.count() > 2:
            self.removeItem(2)
        for user_id, name in team.members:
            if user_id != self._user_id:
                self.addItem(name or user_id, user_id)
        position = self.findData(chosen)
        self.setCurrentIndex(max(0, position))
        self.blockSignals(False)
        if position < 0:
            self.changed.emit()

    def owner_id(self) -> str | None:
        """The chosen person's id; None for everyone."""
        return self.currentData() or None

    def choose(self, user_id: str | None) -> bool:
        position = self.findData(user_id or self.EVERYONE)
        if position >= 0:
            self.setCurrentIndex(position)
        return position >= 0


class LinesModel(QAbstractTableModel):
    """The lines a query returned (frozen dataclasses), held whole: a page of them is a few
    hundred at most. New lines in the same order update the rows that differ (`dataChanged`);
    anything else resets the model."""

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        context: str,
        key: Callable[[Any], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._context = context
        self._key = key
        self.lines: list[Any] = []
        self.right_aligned: frozenset[str] = frozenset()

    # -- what subclasses say -----------------------------------------------------------------

    def raw(self, line: Any, key: str) -> Any:
        return getattr(line, key)

    def text(self, line: Any, key: str) -> str:
        value = self.raw(line, key)
        return "" if value is None else str(value)

    # -- the lines ---------------------------------------------------------------------------

    def set_lines(self, lines: Sequence[Any]) -> None:
        lines = list(lines)
        if [self._key(line) for line in lines] != [self._key(line) for line in self.lines]:
            self.beginResetModel()
            self.lines = lines
            self.endResetModel()
            return
        before, self.lines = self.lines, lines
        last = len(self.columns) - 1
        for row, (old, new) in enumerate(zip(before, lines, strict=True)):
            if old != new:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def replace_line(self, row: int, line: Any) -> None:
        self.lines[row] = line
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def row_of(self, line_id: str) -> int:
        """The row of the line with this id, -1 when none shows."""
        for row, line in enumerate(self.lines):
            if self._key(line) == line_id:
                return row
        return -1

    def column_of(self, key: str) -> int:
        return next(at for at, (name, _label) in enumerate(self.columns) if name == key)

    # -- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return QCoreApplication.translate(self._context, self.columns[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        key = self.columns[index.column()][0]
        if role == IdRole:
            return self._key(line)
        if role in (RawValueRole, Qt.ItemDataRole.EditRole):
            return self.raw(line, key)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(line, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in self.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def table_view(name: str, accessible: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    return table


def write_sheet(
    path: Path,
    sheet_name: str,
    header: list[str],
    rows: list[list[Any]],
    total: list[Any] | None = None,
) -> None:
    """One sheet: the header, then the rows, then (under a blank row, as a page's own line
    under its list) a total row if given, written whole or not at all (a failed write leaves
    the file it was to replace as it was). Sorted in the spreadsheet, the rows leave the total
    at the end: a blank row ends the range a spreadsheet sorts."""
    with written_whole(path) as partial, SheetWriter(partial, sheet_name) as sheet:
        sheet.write_rows([header, *rows, *([[], total] if total is not None else [])])
