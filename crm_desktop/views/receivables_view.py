"""Receivables: the customers with money overdue, most overdue first, with their owner, what
they owe overdue and outstanding, since when and on how many contracts
(queries/money.receivables says what counts). Only what this device holds is counted.

Clicking a header sorts the rows held (a page of them is short); a line opens its customer;
Export… writes the rows shown to an .xlsx workbook. The list is read on the storage thread,
again after every write or sync that touches contracts, their plans, payments or customers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.fields import Kind
from crm_desktop.profile import Profile
from crm_desktop.queries.money import Receivable
from crm_desktop.queries.reader import Reader
from crm_desktop.reports import ReportOptions
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.storage.errors import plain_reason
from crm_desktop.transfer.cells import sheet_value
from crm_desktop.views.display import format_money
from crm_desktop.views.line_pages import (
    MESSAGE_STYLE,
    LinesModel,
    OwnerFilter,
    table_view,
    write_sheet,
    xlsx_path,
)
from crm_desktop.views.page import Page
from crm_desktop.views.pdf_export import PdfExport
from crm_desktop.views.runner import Runner

T = QT_TRANSLATE_NOOP

COLUMNS: tuple[tuple[str, str], ...] = (
    ("customer", T("ReceivablesView", "Customer")),
    ("owner", T("ReceivablesView", "Owner")),
    ("overdue", T("ReceivablesView", "Overdue")),
    ("outstanding", T("ReceivablesView", "Outstanding")),
    ("overdue_since", T("ReceivablesView", "Overdue since")),
    ("contracts", T("ReceivablesView", "Contracts overdue")),
)
MONEY_COLUMNS = frozenset({"overdue", "outstanding"})
SHOWN_FROM = frozenset({"contracts", "contract_instalments", "payments", "customers", "users"})


class ReceivablesModel(LinesModel):
    """Receivable lines, sorted by any column in the rows held (largest overdue first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, "ReceivablesView", lambda line: line.customer_id, parent)
        self.right_aligned = frozenset({*MONEY_COLUMNS, "contracts"})
        self.sort_column = self.column_of("overdue")
        self.sort_order = Qt.SortOrder.DescendingOrder

    def text(self, line: Receivable, key: str) -> str:
        if key in MONEY_COLUMNS:
            return format_money(getattr(line, key))
        if key == "overdue_since":
            return line.overdue_since.isoformat() if line.overdue_since else ""
        if key == "contracts":
            return str(line.contracts)
        return getattr(line, key) or ""

    def set_lines(self, lines: list[Receivable]) -> None:
        super().set_lines(self._sorted(lines))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        held = self.persistentIndexList()
        keys = [(self._key(self.lines[index.row()]), index.column()) for index in held]
        self.lines = self._sorted(self.lines)
        rows = {self._key(line): row for row, line in enumerate(self.lines)}
        self.changePersistentIndexList(
            held, [self.index(rows[key], column) for key, column in keys]
        )
        self.layoutChanged.emit()

    def _sorted(self, lines: list[Receivable]) -> list[Receivable]:
        """By the sort column, empty values last either way, ties by customer name."""
        key = self.columns[self.sort_column][0]
        ordered = sorted(lines, key=lambda line: (line.customer.casefold(), line.customer_id))

        def value(line: Receivable) -> Any:
            raw = getattr(line, key)
            return raw.casefold() if isinstance(raw, str) else raw

        present = [line for line in ordered if getattr(line, key) is not None]
        present.sort(key=value, reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        return present + [line for line in ordered if getattr(line, key) is None]


class ReceivablesView(Page):
    open_record = Signal(str, str)  # entity, id
    shown = Signal()  # each time the list has been read and shown

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__("receivablesView", profile, runner, reader, writer, parent)
        self._today = today
        self._read_on = today()  # the day the list was last read for
        self._generation = 0
        self._read_once = False

        self.owner_filter = OwnerFilter(profile.user_id)
        self.owner_filter.setObjectName("receivablesOwner")
        self.owner_filter.changed.connect(self.reload)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("receivablesExport")
        self.export_button.setToolTip(self.tr("Write the customers shown to an Excel workbook"))
        self.export_button.clicked.connect(self.export)
        self.pdf = PdfExport(writer, runner, self)
        self.pdf_button = self.pdf.button("receivablesPdf")
        self.pdf_button.clicked.connect(self.export_pdf)
        self.totals = QLabel()
        self.totals.setObjectName("receivablesTotals")
        font = self.totals.font()
        font.setBold(True)
        self.totals.setFont(font)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Owner")))
        bar.addWidget(self.owner_filter)
        bar.addSpacing(12)
        bar.addWidget(self.export_button)
        bar.addWidget(self.pdf_button)
        bar.addSpacing(12)
        bar.addWidget(self.totals, 1)

        self.message = QLabel()
        self.message.setObjectName("receivablesMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(MESSAGE_STYLE)
        self.message.hide()

        self.model = ReceivablesModel(self)
        self.table = table_view("receivablesTable", self.tr("Customers with money overdue"))
        self.table.setModel(self.model)
        self.table.setEditTriggers(self.table.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(
            self.model.column_of("customer"), QHeaderView.ResizeMode.Stretch
        )
        # The indicator first: turning sorting on sorts by it.
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        self.table.setSortingEnabled(True)
        self.table.activated.connect(self._activated)
        self.empty = QLabel(
            self.tr(
                "Nothing is overdue. Money falls overdue when an instalment's due date, or "
                "the start of a contract without a payment plan, passes before it is paid."
            )
        )
        self.empty.setObjectName("receivablesEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #555555;")
        self.empty.hide()
        self.note = QLabel(
            self.tr(
                "Counts what this device holds, as of your last sync. Outstanding is what "
                "all the customer's signed contracts hold unpaid, due or not."
            )
        )
        self.note.setObjectName("receivablesNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555555;")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.note)

        self.pdf.failed.connect(self._say)
        runner.changed.connect(self._changed)
        self._read_team()
        self.reload()

    # -- reading -----------------------------------------------------------------------------

    def _read_team(self) -> None:
        work = partial(self._reader.team_of, self._profile.user_id)
        self._runner.submit(work, self.owner_filter.set_team)

    def reload(self) -> None:
        self._generation += 1
        owner = self.owner_filter.owner_id()
        self._read_on = self._today()
        work = partial(self._reader.receivables, self._read_on, [owner] if owner else None)
        self._runner.submit(work, partial(self._arrived, self._generation))

    def _changed(self, changes: ChangeSet) -> None:
        touched = changes.entities()
        if "users" in touched:
            self._read_team()
        if touched & SHOWN_FROM:
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        # Money falls overdue at midnight without a write: a page read yesterday reads again.
        super().showEvent(event)
        if self._today() != self._read_on:
            self.reload()

    def _arrived(self, generation: int, lines: list[Receivable]) -> None:
        if generation != self._generation:
            return
        chosen = self.selected_line()
        self.model.set_lines(lines)
        if chosen is not None:
            self.select_customer(chosen.customer_id)
        self._read_once = True
        self._show_totals()
        self.shown.emit()

    def _show_totals(self) -> None:
        lines = self.model.lines
        self.table.setVisible(bool(lines) or not self._read_once)
        self.empty.setVisible(not lines and self._read_once)
        self.export_button.setEnabled(bool(lines))
        if not lines:
            self.totals.clear()
            return
        overdue, outstanding = self.sums()
        self.totals.setText(
            self.tr("%n customer(s): %1 overdue, %2 outstanding", "", len(lines))
            .replace("%1", format_money(overdue))
            .replace("%2", format_money(outstanding))
        )

    def sums(self) -> tuple[int, int]:
        """What the rows shown hold overdue and outstanding, in fen."""
        lines = self.model.lines
        return sum(line.overdue for line in lines), sum(line.outstanding for line in lines)

    def shown_lines(self) -> list[Receivable]:
        """The rows in the order shown."""
        return list(self.model.lines)

    def selected_line(self) -> Receivable | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.lines[index.row()]

    def select_customer(self, customer_id: str) -> bool:
        row = self.model.row_of(customer_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def sort_by(self, key: str, order: Qt.SortOrder) -> None:
        """As clicking the column's header until it sorts that way."""
        self.table.sortByColumn(self.model.column_of(key), order)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_record.emit("customers", self.model.lines[index.row()].customer_id)

    # -- export ------------------------------------------------------------------------------

    def export_pdf(self) -> None:
        """The receivables as a report, for the owner shown."""
        owner = self.owner_filter.owner_id()
        options = ReportOptions(today=self._today(), owner_ids=(owner,) if owner else None)
        self.pdf.ask("receivables", options, self.tr("receivables.pdf"))

    def _say(self, sentence: str) -> None:
        self.message.setText(sentence)
        self.message.setVisible(bool(sentence))

    def export(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the receivables"),
            self.tr("receivables.xlsx"),
            self.tr("Excel workbooks (*.xlsx)"),
        )
        if chosen:
            self.export_to(xlsx_path(chosen))

    def export_to(self, path: Path | str) -> int:
        """Write the rows shown, in their order, under a header row, to an .xlsx file; returns
        how many (-1 when the file could not be written, which the page then says)."""
        header = [QCoreApplication.translate("ReceivablesView", label) for _key, label in COLUMNS]
        rows = [
            [
                line.customer,
                line.owner or "",
                sheet_value(Kind.MONEY, line.overdue),
                sheet_value(Kind.MONEY, line.outstanding),
                line.overdue_since.isoformat() if line.overdue_since else "",
                line.contracts,
            ]
            for line in self.model.lines
        ]
        overdue, outstanding = self.sums()
        total = [
            self.tr("Total"),
            "",
            sheet_value(Kind.MONEY, overdue),
            sheet_value(Kind.MONEY, outstanding),
            "",
            sum(line.contracts for line in self.model.lines),
        ]
        try:
            write_sheet(Path(path), self.tr("Receivables"), header, rows, total)
        except OSError as error:
            self.message.setText(
                self.tr("Could not write %1: %2")
                .replace("%1", str(path))
                .replace("%2", plain_reason(error))
            )
            self.message.show()
            return -1
        self.message.hide()
        return len(rows)
