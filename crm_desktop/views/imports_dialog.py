"""File → Recent imports…: the imports made on this computer, newest first, each with what it
added, updated and skipped, and *Undo this import* for one chosen there: the wizard's own undo
offers it only until the wizard is closed, and a mistake is often seen later."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.fields import entity_label
from crm_desktop.models.validation import InvalidInput
from crm_desktop.queries.reader import Reader
from crm_desktop.services.writer import Writer
from crm_desktop.transfer import staging
from crm_desktop.transfer.undo import ImportRecord, recent_imports
from crm_desktop.views.display import local_minute
from crm_desktop.views.runner import Runner, describe_error

# How many imports the list shows: a year of a busy office's, and never a slow list.
SHOWN = 200
MADE, WHAT, FILE, ADDED, UPDATED, SKIPPED, STATE = range(7)


class ImportsDialog(QDialog):
    undone = Signal(str)  # the import's id, once undone

    def __init__(
        self, reader: Reader, writer: Writer, runner: Runner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importsDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Recent imports"))
        self.resize(820, 420)
        self._reader, self._writer, self._runner = reader, writer, runner
        self.records: list[ImportRecord] = []
        intro = QLabel(
            self.tr(
                "The imports made on this computer. Undo one to delete the records it added and "
                "put back what it changed; edits made since to those records are kept."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("importsList")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Records"),
                self.tr("File"),
                self.tr("Added"),
                self.tr("Updated"),
                self.tr("Skipped"),
                self.tr("Undone"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (MADE, WHAT, ADDED, UPDATED, SKIPPED, STATE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FILE, QHeaderView.ResizeMode.Stretch)  # names run long
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.undo_button = QPushButton(self.tr("Undo this import"))
        self.undo_button.setObjectName("undoImportButton")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(lambda: self.undo_selected())
        self.message = QLabel()
        self.message.setObjectName("importsMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self._runner.submit(
            partial(self._reader.read, recent_imports, SHOWN),
            self._fill,
            lambda error: self.message.setText(describe_error(error)),
        )

    def _fill(self, records: list[ImportRecord]) -> None:
        self.records = records
        self.table.setRowCount(len(records))
        numbers = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for at, record in enumerate(records):
            undone = "" if record.undone_at is None else local_minute(record.undone_at)
            cells = {
                MADE: local_minute(record.made_at),
                WHAT: entity_label(record.entity).capitalize(),
                FILE: record.file_name,
                ADDED: str(record.added),
                UPDATED: str(record.updated),
                SKIPPED: str(record.skipped),
                STATE: undone,
            }
            for column, text in cells.items():
                item = QTableWidgetItem(text)
                if column in (ADDED, UPDATED, SKIPPED):
                    item.setTextAlignment(numbers)
                self.table.setItem(at, column, item)
        if not records:
            self.message.setText(self.tr("No import has been made on this computer yet."))
        self._selection_changed()

    def selected(self) -> ImportRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.records[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        record = self.selected()
        self.undo_button.setEnabled(record is not None and record.undone_at is None)

    def undo_selected(self, ask: bool = True) -> None:
        record = self.selected()
        if record is None or record.undone_at is not None:
            return
        if ask:
            answer = QMessageBox.question(
                self,
                self.tr("Undo this import"),
                self.tr(
                    "Delete the records the import of “%1” added and put back what it changed? "
                    "Edits made since to those records are kept."
                ).replace("%1", record.file_name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.undo_button.setEnabled(False)
        self._runner.write(
            partial(staging.undo_batch, self._writer, record.id, record.entity),
            lambda undone: self._undone(record, undone),
            self._failed,
        )

    def _undone(self, record: ImportRecord, undone: staging.ImportUndone) -> None:
        self.message.setText(staging.undone_text(undone))
        self.undone.emit(record.id)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self._selection_changed()
        self.message.setText(
            error.text() if isinstance(error, InvalidInput) else describe_error(error)
        )


__all__ = ["ImportsDialog"]
