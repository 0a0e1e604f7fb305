"""The renewal list: contracts ending in a chosen period (this month, the next 30, 60 or 90
days, or a range of dates), running or ended, never drafts nor terminated ones
(queries/money.renewals says which).

Whose, of what kind and in which renewal state are filters; the renewal state and its note are
set in the list itself, each edit one write on the storage thread (a refused one says why and
puts the cell back). Renew… makes the follow-on contract and links the two. Export… writes the
rows shown to an .xlsx workbook. The list is read on the storage thread, again after every
write or sync that touches contracts, customers or users.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.choices import ContractKind, RenewalStatus
from crm_desktop.models.fields import FIELDS_BY_NAME, Kind
from crm_desktop.profile import Profile
from crm_desktop.queries.money import RenewalLine
from crm_desktop.queries.reader import Reader
from crm_desktop.reports import ReportOptions
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.storage.errors import plain_reason
from crm_desktop.transfer.cells import sheet_value
from crm_desktop.views.display import choice_label, format_money
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
from crm_desktop.views.renew_dialog import RenewDialog
from crm_desktop.views.runner import Runner, describe_error
from crm_desktop.views.table_model import RawValueRole

T = QT_TRANSLATE_NOOP
Index = QModelIndex | QPersistentModelIndex

MONTH, RANGE = "month", "range"
PERIODS: tuple[tuple[str, str], ...] = (
    (MONTH, T("RenewalsView", "This month")),
    ("30", T("RenewalsView", "Next 30 days")),
    ("60", T("RenewalsView", "Next 60 days")),
    ("90", T("RenewalsView", "Next 90 days")),
    (RANGE, T("RenewalsView", "Date range…")),
)
DEFAULT_PERIOD = "30"

COLUMNS: tuple[tuple[str, str], ...] = (
    ("end_on", T("RenewalsView", "Ends")),
    ("number", T("RenewalsView", "Contract")),
    ("customer", T("RenewalsView", "Customer")),
    ("kind", T("RenewalsView", "Kind")),
    ("amount", T("RenewalsView", "Amount")),
    ("renewal_status", T("RenewalsView", "Renewal")),
    ("renewal_note", T("RenewalsView", "Renewal note")),
    ("owner", T("RenewalsView", "Owner")),
    ("renewed_by", T("RenewalsView", "Renewed by")),
)
EDITABLE = frozenset({"renewal_status", "renewal_note"})
NOTE_LENGTH = FIELDS_BY_NAME["contracts"]["renewal_note"].max_length
SHOWN_FROM = frozenset({"contracts", "customers", "users"})


def period_days(period: str, today: date) -> tuple[date, date]:
    """The first and last day (inclusive) of a named period that is not a range."""
    if period == MONTH:
        last = calendar.monthrange(today.year, today.month)[1]
        return today.replace(day=1), today.replace(day=last)
    return today, today + timedelta(days=int(period))


# -- the renewal list -----------------------------------------------------------------------


class RenewalsModel(LinesModel):
    """Renewal lines; the renewal status and note are edited in place. An edit shows at once
    and is announced by `edited`, for the view to save (and to put back if refused)."""

    # contract id, column ("renewal_status" or "renewal_note"), new value, previous value
    edited = Signal(str, str, object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, "RenewalsView", lambda line: line.id, parent)
        self.right_aligned = frozenset({"amount"})

    def raw(self, line: RenewalLine, key: str) -> Any:
        return line.amount if key == "amount" else getattr(line, key)

    def text(self, line: RenewalLine, key: str) -> str:
        if key == "end_on":
            return line.end_on.isoformat()
        if key == "amount":
            return format_money(line.amount)
        if key in ("kind", "renewal_status"):
            return choice_label(getattr(line, key))
        return getattr(line, key) or ""

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
            and self.columns[section][0] in EDITABLE
        ):
            return QCoreApplication.translate("RenewalsView", "Double-click a cell to change it")
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.columns[index.column()][0] in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        key = self.columns[index.column()][0]
        if key not in EDITABLE:
            return False
        if key == "renewal_note":
            value = str(value or "").strip() or None
        line = self.lines[index.row()]
        previous = getattr(line, key)
        if value == previous or (key == "renewal_status" and not value):
            return False
        self.replace_line(index.row(), replace(line, **{key: value}))
        self.edited.emit(line.id, key, value, previous)
        return True

    def put_back(self, contract_id: str, key: str, expected: Any, previous: Any) -> None:
        """Undo an edit the store refused, unless the cell shows something else by now."""
        row = self.row_of(contract_id)
        if row >= 0 and getattr(self.lines[row], key) == expected:
            self.replace_line(row, replace(self.lines[row], **{key: previous}))


class RenewalDelegate(QStyledItemDelegate):
    """The renewal status as a list of the statuses; the note as a line of at most the
    field's length. Choosing a status saves it at once."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        key = COLUMNS[index.column()][0]
        if key == "renewal_status":
            combo = QComboBox(parent)
            combo.setObjectName("renewalStatusEditor")
            for status in RenewalStatus:
                combo.addItem(choice_label(status.value), status.value)
            combo.activated.connect(partial(self._chosen, combo))
            return combo
        editor = QLineEdit(parent)
        editor.setObjectName("renewalNoteEditor")
        editor.setMaxLength(NOTE_LENGTH)
        return editor

    def _chosen(self, combo: QComboBox, _index: int) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(RawValueRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QLineEdit):
            editor.setText(value or "")

    def setModelData(self, editor: QWidget, model: QAbstractTableModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class RenewalsView(Page):
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
        super().__init__("renewalsView", profile, runner, reader, writer, parent)
        self._today = today
        self._generation = 0
        self._range_set = False
        self._shown_days = period_days(DEFAULT_PERIOD, today())
        self.dialog: RenewDialog | None = None

        self.period = QComboBox()
        self.period.setObjectName("renewalsPeriod")
        self.period.setAccessibleName(self.tr("Ending"))
        for key, text in PERIODS:
            self.period.addItem(QCoreApplication.translate("RenewalsView", text), key)
        self.period.setCurrentIndex(self.period.findData(DEFAULT_PERIOD))
        self.range_from, self.range_to = QDateEdit(), QDateEdit()
        for edit, name, accessible in (
            (self.range_from, "renewalsFrom", self.tr("From")),
            (self.range_to, "renewalsTo", self.tr("To")),
        ):
            edit.setObjectName(name)
            edit.setAccessibleName(accessible)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.hide()
        self.range_dash = QLabel("–")
        self.range_dash.hide()
        self.owner_filter = OwnerFilter(profile.user_id)
        self.owner_filter.setObjectName("renewalsOwner")
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("renewalsKind")
        self.kind_filter.setAccessibleName(self.tr("Kind"))
        self.kind_filter.addItem(self.tr("All kinds"), "")
        for kind in ContractKind:
            self.kind_filter.addItem(choice_label(kind.value), kind.value)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("renewalsStatus")
        self.status_filter.setAccessibleName(self.tr("Renewal status"))
        self.status_filter.addItem(self.tr("Any renewal status"), "")
        for status in RenewalStatus:
            self.status_filter.addItem(choice_label(status.value), status.value)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Ending")))
        filters.addWidget(self.period)
        filters.addWidget(self.range_from)
        filters.addWidget(self.range_dash)
        filters.addWidget(self.range_to)
        filters.addSpacing(12)
        for label, combo in (
            (self.tr("Owner"), self.owner_filter),
            (self.tr("Kind"), self.kind_filter),
            (self.tr("Renewal"), self.status_filter),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
            filters.addSpacing(12)
        filters.addStretch(1)

        self.renew_button = QPushButton(self.tr("Renew…"))
        self.renew_button.setObjectName("renewalsRenew")
        self.renew_button.setToolTip(
            self.tr("Make the contract that renews the chosen one, and link the two")
        )
        self.renew_button.clicked.connect(self.renew_selected)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("renewalsExport")
        self.export_button.setToolTip(self.tr("Write the contracts shown to an Excel workbook"))
        self.export_button.clicked.connect(self.export)
        self.pdf = PdfExport(writer, runner, self)
        self.pdf.failed.connect(self._say)
        self.pdf_button = self.pdf.button("renewalsPdf")
        self.pdf_button.setToolTip(
            self.tr("The contracts ending in the period shown, for the owner shown, as a PDF")
        )
        self.pdf_button.clicked.connect(self.export_pdf)
        self.count_label = QLabel()
        self.count_label.setObjectName("renewalsCount")
        actions = QHBoxLayout()
        actions.addWidget(self.renew_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.pdf_button)
        actions.addSpacing(12)
        actions.addWidget(self.count_label, 1)

        self.message = QLabel()
        self.message.setObjectName("renewalsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(MESSAGE_STYLE)
        self.message.hide()

        self.model = RenewalsModel(self)
        self.model.edited.connect(self._save)
        self.table = table_view("renewalsTable", self.tr("Contracts ending"))
        self.table.setModel(self.model)
        self.table.setItemDelegate(RenewalDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        # Double-click or Enter opens the contract; on the renewal and its note it edits them.
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._offer_actions())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(
            self.model.column_of("customer"), QHeaderView.ResizeMode.Stretch
        )
        header.setSectionResizeMode(
            self.model.column_of("renewal_note"), QHeaderView.ResizeMode.Stretch
        )

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self.period.currentIndexChanged.connect(self._period_chosen)
        self.range_from.dateChanged.connect(self._range_changed)
        self.range_to.dateChanged.connect(self._range_changed)
        for combo in (self.kind_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda _: self.reload())
        self.owner_filter.changed.connect(self.reload)
        runner.changed.connect(self._changed)
        self._offer_actions()
        self._read_team()
        self.reload()

    # -- the period --------------------------------------------------------------------------

    def days(self) -> tuple[date, date]:
        """The first and last end date the list shows (inclusive)."""
        period = str(self.period.currentData())
        if period == RANGE:
            return self.range_from.date().toPython(), self.range_to.date().toPython()
        return period_days(period, self._today())

    def set_period(self, period: str) -> None:
        """One of "month", "30", "60", "90" or "range"."""
        self.period.setCurrentIndex(self.period.findData(period))

    def set_range(self, first: date, last: date) -> None:
        """Show the contracts ending from `first` to `last`, inclusive."""
        self._put_range(first, last)
        if self.period.currentData() == RANGE:
            self.reload()
        else:
            self.set_period(RANGE)

    def _put_range(self, first: date, last: date) -> None:
        for edit in (self.range_from, self.range_to):
            edit.blockSignals(True)
        self.range_to.setMinimumDate(QDate(first))
        self.range_from.setDate(QDate(first))
        self.range_to.setDate(QDate(max(first, last)))
        for edit in (self.range_from, self.range_to):
            edit.blockSignals(False)
        self._range_set = True

    def _period_chosen(self) -> None:
        ranged = self.period.currentData() == RANGE
        if ranged and not self._range_set:
            self._put_range(*self._shown_days)  # a range starts as the period shown until now
        for widget in (self.range_from, self.range_dash, self.range_to):
            widget.setVisible(ranged)
        self.reload()

    def _range_changed(self) -> None:
        self._range_set = True
        self.range_to.setMinimumDate(self.range_from.date())
        if self.period.currentData() == RANGE:
            self.reload()

    # -- reading -----------------------------------------------------------------------------

    def _read_team(self) -> None:
        work = partial(self._reader.team_of, self._profile.user_id)
        self._runner.submit(work, self.owner_filter.set_team)

    def reload(self) -> None:
        self._generation += 1
        first, last = self._shown_days = self.days()
        work = partial(
            self._reader.renewals,
            first,
            last,
            self.owner_filter.owner_id(),
            self.kind_filter.currentData() or None,
            self.status_filter.currentData() or None,
        )
        self._runner.submit(work, partial(self._arrived, self._generation))

    def _changed(self, changes: ChangeSet) -> None:
        touched = changes.entities()
        if "users" in touched:
            self._read_team()
        if touched & SHOWN_FROM:
            self.reload()

    def _arrived(self, generation: int, lines: list[RenewalLine]) -> None:
        if generation != self._generation:
            return
        chosen = self.selected_line()
        self.model.set_lines(lines)
        if chosen is not None and self.selected_line() is None:
            self.select_contract(chosen.id)
        self._show_count()
        self._offer_actions()
        self.shown.emit()

    def _show_count(self) -> None:
        lines = self.model.lines
        if not lines:
            self.count_label.setText(self.tr("No contract ends in this period."))
            return
        total = format_money(sum(line.amount for line in lines))
        self.count_label.setText(
            self.tr("%n contract(s), %1 in all", "", len(lines)).replace("%1", total)
        )

    def shown_lines(self) -> list[RenewalLine]:
        return list(self.model.lines)

    # -- the chosen contract -----------------------------------------------------------------

    def selected_line(self) -> RenewalLine | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.lines[index.row()]

    def select_contract(self, contract_id: str) -> bool:
        row = self.model.row_of(contract_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def _offer_actions(self) -> None:
        line = self.selected_line()
        self.renew_button.setEnabled(line is not None and line.renewed_by is None)
        self.export_button.setEnabled(bool(self.model.lines))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_record.emit("contracts", self.model.lines[index.row()].id)

    # -- editing in the list -----------------------------------------------------------------

    def set_renewal_status(self, contract_id: str, status: str) -> bool:
        """As choosing it in the list: shown at once, saved on the storage thread."""
        return self._edit(contract_id, "renewal_status", status)

    def set_renewal_note(self, contract_id: str, note: str) -> bool:
        return self._edit(contract_id, "renewal_note", note)

    def _edit(self, contract_id: str, key: str, value: Any) -> bool:
        row = self.model.row_of(contract_id)
        if row < 0:
            return False
        index = self.model.index(row, self.model.column_of(key))
        return self.model.setData(index, value, Qt.ItemDataRole.EditRole)

    def _save(self, contract_id: str, key: str, value: Any, previous: Any) -> None:
        self._say(None)
        work = partial(self._writer.update, "contracts", contract_id, {key: value})
        refused = partial(self._refused, contract_id, key, value, previous)
        self._runner.write(work, None, refused)

    def _refused(
        self, contract_id: str, key: str, value: Any, previous: Any, error: BaseException
    ) -> None:
        self.model.put_back(contract_id, key, value, previous)
        self._say(describe_error(error))
        self.reload()  # what the store holds now, whatever refused the edit

    def _say(self, sentence: str | None) -> None:
        self.message.setText(sentence or "")
        self.message.setVisible(bool(sentence))

    # -- renewing ----------------------------------------------------------------------------

    def renew_selected(self) -> RenewDialog | None:
        """Open the renewal of the chosen contract (None when none can be renewed)."""
        line = self.selected_line()
        if line is None or line.renewed_by is not None:
            return None
        self._say(None)
        dialog = RenewDialog(self._runner, self._writer, line, self)
        dialog.finished.connect(lambda _: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- export ------------------------------------------------------------------------------

    def export_pdf(self) -> None:
        first, last = self.days()
        owner = self.owner_filter.owner_id()
        options = ReportOptions(
            start=first,
            end=last,
            today=self._today(),
            owner_ids=(owner,) if owner else None,
            contract_kind=self.kind_filter.currentData() or None,
            renewal_status=self.status_filter.currentData() or None,
        )
        self.pdf.ask("renewals", options, self.tr("renewals.pdf"))

    def export(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the renewal list"),
            self.tr("renewals.xlsx"),
            self.tr("Excel workbooks (*.xlsx)"),
        )
        if chosen:
            self.export_to(xlsx_path(chosen))

    def export_to(self, path: Path | str) -> int:
        """Write the rows shown, under a header row, to an .xlsx file; returns how many (-1
        when the file could not be written, which the page then says)."""
        header = [QCoreApplication.translate("RenewalsView", label) for _key, label in COLUMNS]
        rows = [
            [
                line.end_on.isoformat(),
                line.number,
                line.customer,
                choice_label(line.kind),
                sheet_value(Kind.MONEY, line.amount),
                choice_label(line.renewal_status),
                line.renewal_note or "",
                line.owner or "",
                line.renewed_by or "",
            ]
            for line in self.model.lines
        ]
        amount = sheet_value(Kind.MONEY, sum(line.amount for line in self.model.lines))
        total = [self.tr("Total"), "", "", "", amount]
        try:
            write_sheet(Path(path), self.tr("Renewals"), header, rows, total)
        except OSError as error:
            self._say(
                self.tr("Could not write %1: %2")
                .replace("%1", str(path))
                .replace("%2", plain_reason(error))
            )
            return -1
        self._say(None)
        return len(rows)
