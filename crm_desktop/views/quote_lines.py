"""An opportunity's quote: its product lines (product, quantity, unit price, discount, total)
and their sum, shown in the opportunity's form. The opportunity's amount is that sum whenever
it has lines (the writer keeps it so); lines are added, changed and deleted through their own
form, each save on the storage thread."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.fields import FIELDS_BY_NAME
from crm_desktop.queries.money import QuoteLine
from crm_desktop.queries.reader import Reader
from crm_desktop.reports import ReportOptions
from crm_desktop.reports.text import quantity
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.deleting import UndoDeleteButton, delete_rows
from crm_desktop.views.display import format_money
from crm_desktop.views.pdf_export import PdfExport
from crm_desktop.views.record_lists import fill_width, fit_columns, on_open
from crm_desktop.views.runner import Runner

WATCHED = frozenset({"opportunity_lines", "products", "opportunities"})


class QuoteLines(QWidget):
    """`lines_read(count, total)`: the lines as last read (the form shows the amount from it)."""

    lines_read = Signal(int, int)

    def __init__(
        self,
        opportunity_id: str,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.opportunity_id = opportunity_id
        self._runner, self._reader, self._writer = runner, reader, writer
        self.lines: list[QuoteLine] = []
        self.setObjectName("quoteLines")
        fields = FIELDS_BY_NAME["opportunity_lines"]
        headers = [
            fields["product_id"].display_label(),
            fields["quantity"].display_label(),
            fields["unit_price_cents"].display_label(),
            fields["discount_percent"].display_label(),
            self.tr("Line total"),
        ]
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName("quoteLinesTable")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons, as in any form
        self.table.verticalHeader().hide()
        fill_width(self.table)
        self.table.setMinimumHeight(140)
        on_open(self.table, lambda index: self.edit_line(index.row()))
        self.total = QLabel()
        self.total.setObjectName("quoteTotal")
        add = QPushButton(self.tr("Add a product"))
        add.setObjectName("addQuoteLine")
        add.clicked.connect(self.add_line)
        remove = QPushButton(self.tr("Remove selected"))
        remove.setObjectName("removeQuoteLine")
        remove.clicked.connect(self.remove_selected)
        self.pdf = PdfExport(writer, runner, self)
        self.pdf.warn_in_a_box()
        self.pdf_button = self.pdf.button("quotePdf")
        self.pdf_button.setText(self.tr("Quote as PDF…"))
        self.pdf_button.setToolTip(
            self.tr("The quote as saved, with the company letterhead, to print or send")
        )
        self.pdf_button.clicked.connect(self.export_pdf)
        bar = QHBoxLayout()
        bar.addWidget(add)
        bar.addWidget(remove)
        bar.addWidget(self.pdf_button)
        self.undo_button = UndoDeleteButton(runner, writer)
        bar.addWidget(self.undo_button)
        bar.addStretch(1)
        bar.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        runner.changed.connect(self._changes)
        self.reload()

    def reload(self) -> None:
        self._runner.submit(partial(self._reader.quote_lines, self.opportunity_id), self._show)

    def export_pdf(self) -> None:
        options = ReportOptions(opportunity_id=self.opportunity_id)
        self.pdf.ask("quote", options, self.tr("quote.pdf"))

    def _changes(self, changes: ChangeSet) -> None:
        if changes.entities() & WATCHED:
            self.reload()

    def _show(self, lines: list[QuoteLine]) -> None:
        self.lines = lines
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = (
                line.product,
                quantity(line.quantity),  # as typed and as printed: 1000000, 123456.5
                format_money(line.unit_price),
                f"{line.discount_percent}%" if line.discount_percent else "",
                format_money(line.total),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        fit_columns(self.table)
        total = sum(line.total for line in lines)
        self.total.setText(self.tr("Total: %1").replace("%1", format_money(total)))
        self.lines_read.emit(len(lines), total)

    def _form(self, row_id: str | None) -> Any:
        # Imported here: the record form embeds this widget.
        from crm_desktop.views.record_form import RecordForm

        form = RecordForm(
            "opportunity_lines",
            self._runner,
            self._reader,
            self._writer,
            row_id,
            {"opportunity_id": self.opportunity_id},
            parent=self,
        )
        form.setModal(True)
        form.show()
        return form

    def add_line(self) -> Any:
        return self._form(None)

    def edit_line(self, row: int) -> Any:
        if 0 <= row < len(self.lines):
            return self._form(self.lines[row].id)
        return None

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        ids = [self.lines[row].id for row in rows if row < len(self.lines)]
        delete_rows(
            self,
            self._runner,
            self._writer,
            self._reader,
            "opportunity_lines",
            ids,
            self.undo_button.offer,
        )
