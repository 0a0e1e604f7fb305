"""File → Import…: bring a spreadsheet, a CSV from an old system or a stack of business cards in,
step by step, for people who never use a command line.

1. File: the file, what its records are, its encoding (detected; the user can change it while
   looking at the first lines) or its sheet.
2. Columns: which column is which field, guessed from the header in Chinese or English and
   remembered for the next file with the same header.
3. Check: the first rows with every problem shown in its cell; a cell can be corrected there.
   Rows with problems are skipped, or the user stops to fix the file. Rows that carry the id of
   a record here (an export brought back) change it only as the user chooses, before going on:
   overwrite it, fill its empty fields, or skip them.
4. Duplicates: rows that look like records already here (or like earlier rows of the file), each
   to skip, to update the existing record with, or to add anyway.
5. Import: on the storage thread, with progress and Cancel; a cancelled import leaves nothing.
6. Done: what was added, updated and skipped, the skipped rows saved to a file with the reason
   for each, and Undo this import.

All reading and checking runs on the storage thread (transfer/staging.py); the pages only show.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from crm_desktop.models.fields import entity_label
from crm_desktop.profile import Profile
from crm_desktop.services.changes import ChangeSet
from crm_desktop.transfer import staging
from crm_desktop.transfer.columns import TRANSFER_ENTITIES
from crm_desktop.transfer.reading import FileTable
from crm_desktop.transfer.staging import Decision, ImportOutcome, Staging
from crm_desktop.views.display import ERROR_STYLE, error_label
from crm_desktop.views.runner import Runner, describe_error

Index = QModelIndex | QPersistentModelIndex
FILE_PAGE, COLUMNS_PAGE, CHECK_PAGE, DUPLICATES_PAGE, RUN_PAGE, DONE_PAGE = range(6)
# Rows shown on the Check page: enough to see a pattern; every row is checked all the same.
PREVIEW_ROWS = 200
NAMED_COMPANIES = 5  # of the companies a file adds, those the check names
# Raw lines shown under the file, so a wrong encoding shows as garbled text at once.
FIRST_LINES = 5
PROBLEM_COLOUR = QColor("#fde2e1")
FILE_FILTER = QT_TRANSLATE_NOOP(
    "ImportWizard",
    "Spreadsheets, CSV and business cards (*.xlsx *.csv *.txt *.vcf *.vcard);;All files (*)",
)
# What a user may pick when the detected encoding shows garbled text (Python codec names).
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "big5", "utf-16")


class ImportWizard(QWizard):
    """The import, page by page; `changed` has what it wrote (for the lists to refresh)."""

    imported = Signal(object)  # ImportOutcome

    def __init__(self, profile: Profile, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile, self.runner = profile, runner
        self.writer = profile.writer()
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(900, 640)
        # What the pages hand on: the file read, its mapping, the check of its rows.
        self.table: FileTable | None = None
        self.path: Path | None = None
        self.entity = "customers"
        self.mapping: dict[int, str | None] = {}
        self.staging: Staging | None = None
        self.outcome: ImportOutcome | None = None
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.check_page = CheckPage(self)
        self.duplicates_page = DuplicatesPage(self)
        self.run_page = RunPage(self)
        self.done_page = DonePage(self)
        for number, page in enumerate(
            (
                self.file_page,
                self.columns_page,
                self.check_page,
                self.duplicates_page,
                self.run_page,
                self.done_page,
            )
        ):
            self.setPage(number, page)

    def reject(self) -> None:
        if self.currentId() == RUN_PAGE and self.run_page.running:
            self.run_page.cancel()
            return  # closes once the import has rolled back
        self.check_page.cancel()
        super().reject()

    def importing(self) -> bool:
        """An import is being written (the window asks before it is stopped)."""
        return self.run_page.running

    def stop(self) -> None:
        """The window closes: the check stops, and an import rolls back; nothing is kept."""
        self.check_page.cancel()
        if self.run_page.running:
            self.run_page.cancel()


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setObjectName("importFilePage")
        self.setTitle(self.tr("Choose the file"))
        self.setSubTitle(
            self.tr(
                "An Excel workbook (.xlsx), a CSV or text file from another program, or "
                "business cards (.vcf). Nothing is written until the last step."
            )
        )
        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText(self.tr("The file to import"))
        self.path.editingFinished.connect(self.read_file)
        browse = QPushButton(self.tr("Browse…"))
        browse.setObjectName("importBrowse")
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.entity = QComboBox()
        self.entity.setObjectName("importEntity")
        for entity in TRANSFER_ENTITIES:
            self.entity.addItem(entity_label(entity).capitalize(), entity)
        self.entity.currentIndexChanged.connect(self._entity_changed)
        self.encoding = QComboBox()
        self.encoding.setObjectName("importEncoding")
        self.encoding.activated.connect(lambda _index: self.read_file())
        self.sheet = QComboBox()
        self.sheet.setObjectName("importSheet")
        self.sheet.activated.connect(lambda _index: self.read_file())
        form = QFormLayout()
        form.addRow(self.tr("File"), path_row)
        form.addRow(self.tr("The rows are"), self.entity)
        form.addRow(self.tr("Encoding"), self.encoding)
        form.addRow(self.tr("Sheet"), self.sheet)
        self.form = form
        self.first_lines = QTableWidget()
        self.first_lines.setObjectName("importFirstLines")
        self.first_lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.first_lines.verticalHeader().hide()
        self.summary = QLabel()
        self.summary.setObjectName("importFileSummary")
        self.summary.setWordWrap(True)
        self.error = error_label("importFileError")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.first_lines, 1)
        self._show_options(None)
        self._reading = 0
        # What the file on show was read as: (path, encoding, sheet).
        self._read_as: tuple[str, str | None, str | None] | None = None
        # The file the encoding and sheet lists are of: another one is detected afresh.
        self._choices_of: str | None = None

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a file"),
            self.path.text(),
            QCoreApplication.translate("ImportWizard", FILE_FILTER),
        )
        if chosen:
            self.choose(chosen)

    def choose(self, path: str) -> None:
        """Take this file (what Browse… does once a file is picked)."""
        self.path.setText(path)
        if Path(path).suffix.lower() in (".vcf", ".vcard"):
            self.entity.setCurrentIndex(self.entity.findData("contacts"))
        self.read_file()

    def _entity_changed(self, _index: int) -> None:
        self.owner.entity = self.entity.currentData()
        self.completeChanged.emit()

    def _show_options(self, table: FileTable | None) -> None:
        is_sheet = table is not None and table.source == "xlsx"
        self.form.setRowVisible(self.encoding, table is not None and not is_sheet)
        self.form.setRowVisible(self.sheet, is_sheet)

    def read_file(self) -> None:
        text = self.path.text().strip()
        if text != self._choices_of:
            # Another file, typed or browsed to: the first one's encoding or sheet is not its.
            self._choices_of = text
            self.encoding.clear()
            self.sheet.clear()
            self._show_options(None)
        encoding = self.encoding.currentData() if self.encoding.count() else None
        sheet = self.sheet.currentText() if self.sheet.count() else None
        if (text, encoding, sheet) == self._read_as:
            return  # the field lost focus, say: nothing changed
        self._read_as = (text, encoding, sheet)
        self.owner.table = None
        self.completeChanged.emit()
        if not text:
            return
        path = Path(text)
        self._reading += 1
        ticket = self._reading
        _show(self.error, "")
        self.summary.setText(self.tr("Reading the file…"))
        self.owner.runner.submit(
            partial(staging.open_file, path, encoding, sheet),
            lambda opened: self._opened(ticket, path, opened),
            lambda error: self._failed(ticket, error),
        )

    def _opened(self, ticket: int, path: Path, opened: staging.OpenedFile) -> None:
        if ticket != self._reading:
            return  # the user chose again meanwhile
        table = opened.table
        self.owner.path, self.owner.table = path, table
        if table.source != "xlsx" and not self.encoding.count():
            self.encoding.addItem(
                self.tr("%1 (detected)").replace("%1", encoding_name(opened.detected or "")),
                opened.detected,
            )
            for codec in ENCODINGS:
                if codec != opened.detected:
                    self.encoding.addItem(encoding_name(codec), codec)
        if table.source == "xlsx" and not self.sheet.count():
            self.sheet.addItems(opened.sheets)
            if table.sheet:
                self.sheet.setCurrentText(table.sheet)
        self._show_options(table)
        # As the choices now stand, so that only a change of them reads the file again.
        self._read_as = (
            self.path.text().strip(),
            self.encoding.currentData() if self.encoding.count() else None,
            self.sheet.currentText() if self.sheet.count() else None,
        )
        self.summary.setText(
            self.tr("%n row(s) under a header of %1 column(s).", "", len(table.rows)).replace(
                "%1", str(len(table.header))
            )
        )
        self._fill_first_lines(table)
        self.completeChanged.emit()

    def _failed(self, ticket: int, error: BaseException) -> None:
        if ticket != self._reading:
            return
        self._read_as = None  # the same file may be tried again once it is fixed
        self.summary.clear()
        self.first_lines.clear()
        self.first_lines.setRowCount(0)
        _show(self.error, describe_error(error))
        self.completeChanged.emit()

    def _fill_first_lines(self, table: FileTable) -> None:
        shown = table.rows[:FIRST_LINES]
        self.first_lines.clear()
        self.first_lines.setColumnCount(len(table.header))
        self.first_lines.setHorizontalHeaderLabels(table.header)
        self.first_lines.setRowCount(len(shown))
        for row, (_line, cells) in enumerate(shown):
            for column, text in enumerate(cells):
                self.first_lines.setItem(row, column, QTableWidgetItem(text))
        self.first_lines.resizeColumnsToContents()

    def isComplete(self) -> bool:
        return self.owner.table is not None and bool(self.owner.table.rows)


def encoding_name(codec: str) -> str:
    """A codec as people know it."""
    names = {
        "utf-8": "UTF-8",
        "utf-8-sig": QCoreApplication.translate("ImportWizard", "UTF-8 with BOM"),
        "gb18030": QCoreApplication.translate("ImportWizard", "Chinese, Simplified (GBK/GB18030)"),
        "gbk": QCoreApplication.translate("ImportWizard", "Chinese, Simplified (GBK/GB18030)"),
        "big5": QCoreApplication.translate("ImportWizard", "Chinese, Traditional (Big5)"),
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16",
        "utf-16-be": "UTF-16",
    }
    return names.get(codec, codec)


class ColumnsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setObjectName("importColumnsPage")
        self.setTitle(self.tr("Which column is which"))
        self.setSubTitle(
            self.tr(
                "Guessed from the column names; change any that is wrong. Columns set to "
                "“(not imported)” are left out."
            )
        )
        self.columns = QTableWidget(0, 3)
        self.columns.setObjectName("importColumns")
        self.columns.setHorizontalHeaderLabels(
            [self.tr("Column in the file"), self.tr("First values"), self.tr("Imported as")]
        )
        self.columns.verticalHeader().hide()
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.columns.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.remember = QCheckBox(self.tr("Remember these choices for files with the same columns"))
        self.remember.setObjectName("importRememberMapping")
        self.remember.setChecked(True)
        self.origin = QLabel()
        self.origin.setObjectName("importMappingOrigin")
        self.error = error_label("importColumnsError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.origin)
        layout.addWidget(self.columns, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.remember)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        table = self.owner.table
        assert table is not None
        self.columns.setRowCount(0)
        self.combos = []
        self.owner.runner.submit(
            partial(
                staging.mapping_for,
                self.owner.writer,
                self.owner.entity,
                table.header,
                [cells for _, cells in table.rows],
            ),
            self._fill,
        )

    def _fill(self, found: staging.MappingChoice) -> None:
        table = self.owner.table
        assert table is not None
        origin = {
            "exact": self.tr("The columns are this program's own."),
            "remembered": self.tr("These choices were made for a file like this before."),
            "guessed": self.tr("Guessed from the column names."),
        }
        self.origin.setText(origin[found.origin])
        self.columns.setRowCount(len(table.header))
        self.combos = []
        for row, name in enumerate(table.header):
            self.columns.setItem(row, 0, QTableWidgetItem(name or self.tr("(no name)")))
            samples = [cells[row] for _, cells in table.rows[:3] if cells[row].strip()]
            self.columns.setItem(row, 1, QTableWidgetItem(" · ".join(samples)))
            combo = QComboBox()
            combo.setObjectName(f"importColumn{row}")
            combo.addItem(self.tr("(not imported)"), None)
            for target, label in found.targets:
                combo.addItem(label, target)
            combo.setCurrentIndex(max(combo.findData(found.columns.get(row)), 0))
            combo.currentIndexChanged.connect(self._changed)
            self.columns.setCellWidget(row, 2, combo)
            self.combos.append(combo)
        self.columns.resizeColumnToContents(0)
        self.columns.setColumnWidth(2, 220)
        self._changed()

    def chosen(self) -> dict[int, str | None]:
        return {row: combo.currentData() for row, combo in enumerate(self.combos)}

    def _changed(self, _index: int = 0) -> None:
        _show(self.error, staging.mapping_problem(self.owner.entity, self._header(), self.chosen()))
        self.completeChanged.emit()

    def _header(self) -> list[str]:
        return self.owner.table.header if self.owner.table is not None else []

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.error.isVisible()

    def validatePage(self) -> bool:
        self.owner.mapping = self.chosen()
        if self.remember.isChecked():
            self.owner.runner.submit(
                partial(
                    staging.remember,
                    self.owner.writer,
                    self.owner.entity,
                    self._header(),
                    self.owner.mapping,
                )
            )
        return True


class CheckPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setObjectName("importCheckPage")
        self.setTitle(self.tr("Check the rows"))
        self.setSubTitle(
            self.tr(
                "Cells with a problem are marked; point at one to read why. Correct a cell by "
                "typing in it, or choose what happens to those rows."
            )
        )
        self.status = QLabel()
        self.status.setObjectName("importCheckStatus")
        self.status.setWordWrap(True)
        self.preview = QTableWidget()
        self.preview.setObjectName("importPreview")
        self.preview.verticalHeader().hide()
        self.preview.itemChanged.connect(self._cell_edited)
        self.skip_bad = QRadioButton(self.tr("Skip the rows with problems and import the rest"))
        self.skip_bad.setObjectName("importSkipBadRows")
        self.stop = QRadioButton(self.tr("Stop: I will correct the file first"))
        self.stop.setObjectName("importStopOnProblems")
        self.skip_bad.setChecked(True)
        choice = QButtonGroup(self)
        choice.addButton(self.skip_bad)
        choice.addButton(self.stop)
        self.stop.toggled.connect(self._stop_toggled)
        # The list to correct the file from: the reasons are otherwise in the cells' tooltips,
        # and the preview stops at PREVIEW_ROWS rows.
        self.save_problems = QPushButton(self.tr("Save the rows with problems…"))
        self.save_problems.setObjectName("importSaveProblems")
        self.save_problems.clicked.connect(self.save)
        self.saved = QLabel()
        self.saved.setObjectName("importProblemsSaved")
        self.saved.setWordWrap(True)
        # Rows that carry a stored record's id (an export brought back) would change it: the
        # user chooses how, or to skip them, before going on; none is chosen for him.
        self.updates_box = QWidget()
        self.updates_box.setObjectName("importUpdates")
        self.updates_note = QLabel()
        self.updates_note.setObjectName("importUpdatesNote")
        self.updates_note.setWordWrap(True)
        self.update_buttons = {
            Decision.OVERWRITE: QRadioButton(self.tr("Update them with the file's values")),
            Decision.FILL: QRadioButton(self.tr("Only fill in their empty fields")),
            Decision.SKIP: QRadioButton(self.tr("Skip those rows: the records stay as they are")),
        }
        self.update_choice = QButtonGroup(self)
        updates_layout = QVBoxLayout(self.updates_box)
        updates_layout.setContentsMargins(0, 0, 0, 0)
        updates_layout.addWidget(self.updates_note)
        for decision, button in self.update_buttons.items():
            button.setObjectName(f"importUpdate_{decision.value}")
            button.toggled.connect(partial(self._update_chosen, decision))
            self.update_choice.addButton(button)
            updates_layout.addWidget(button)
        self.updates_box.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.skip_bad)
        layout.addWidget(self.stop)
        problems = QHBoxLayout()
        problems.addWidget(self.save_problems)
        problems.addWidget(self.saved, 1)
        layout.addLayout(problems)
        layout.addWidget(self.updates_box)
        self._filling = False
        self._shown: list[int] = []  # preview row → index in the staging's rows
        self._checking = False
        self._updating = 0  # rows that would change a stored record (see updates_box)
        # Each check is numbered: only the latest one's answer is shown (the user may go back
        # and choose the columns again before an earlier check has answered).
        self._check = 0
        self._stop_check = threading.Event()  # the running check's: set, it stops

    def initializePage(self) -> None:
        self.owner.staging = None
        self._checking = True
        self._check += 1
        self._stop_check.set()  # an earlier check still running is of no use now
        self._stop_check = threading.Event()
        ticket = self._check
        self.preview.clear()
        self.preview.setRowCount(0)
        self._updating = 0
        self._clear_update_choice()
        self.updates_box.hide()
        self.status.setStyleSheet("")
        table = self.owner.table
        assert table is not None
        self.status.setText(
            self.tr("Checking %n row(s) and looking for duplicates…", "", len(table.rows))
        )
        self.owner.runner.submit(
            partial(
                staging.stage,
                self.owner.writer,
                self.owner.entity,
                table,
                self.owner.mapping,
                self.owner.profile.region,
                self._stop_check.is_set,
            ),
            partial(self._staged, ticket),
            partial(self._failed, ticket),
        )
        self.completeChanged.emit()

    def cleanupPage(self) -> None:  # Qt override: Back
        self.cancel()
        super().cleanupPage()

    def cancel(self) -> None:
        """Stop the check (it writes nothing): the storage thread is free again at once."""
        self._stop_check.set()

    def _clear_update_choice(self) -> None:
        self.update_choice.setExclusive(False)  # an exclusive group keeps one button checked
        for button in self.update_buttons.values():
            button.setChecked(False)
        self.update_choice.setExclusive(True)

    def _update_chosen(self, decision: Decision, checked: bool) -> None:
        staged = self.owner.staging
        if checked and staged is not None:
            staged.updating = decision
        self.completeChanged.emit()

    def _staged(self, ticket: int, staged: Staging) -> None:
        if ticket != self._check:
            return  # an earlier check, of columns chosen before: the latest is still to come
        self._checking = False
        self.owner.staging = staged
        self._fill(staged)
        self.completeChanged.emit()

    def _failed(self, ticket: int, error: BaseException) -> None:
        if ticket != self._check or isinstance(error, staging.ImportCancelled):
            return  # an earlier check, or one stopped: the wizard has moved on
        self._checking = False
        self.status.setText(describe_error(error))
        self.status.setStyleSheet(ERROR_STYLE)
        self.completeChanged.emit()

    def _fill(self, staged: Staging) -> None:
        self._filling = True
        # The rows with problems first, wherever they are in the file: the preview holds a few
        # hundred rows, and the one to correct must be among them.
        first = [at for at, row in enumerate(staged.rows) if row.problems]
        rest = (at for at, row in enumerate(staged.rows) if not row.problems)
        self._shown = [*first, *rest][:PREVIEW_ROWS]  # preview row → index in staged.rows
        self.preview.setColumnCount(len(staged.labels) + 1)
        self.preview.setHorizontalHeaderLabels([staged.place_label(), *staged.labels])
        self.preview.setRowCount(len(self._shown))
        for row, at in enumerate(self._shown):
            self._fill_row(row, staged.rows[at])
        self.preview.resizeColumnsToContents()
        self._filling = False
        self._say_counts(staged)

    def _fill_row(self, row: int, staged_row: staging.StagedRow) -> None:
        self._filling = True
        line = QTableWidgetItem(str(staged_row.line))
        line.setFlags(line.flags() & ~Qt.ItemFlag.ItemIsEditable)
        row_problem = staged_row.problems.get("")
        if row_problem:
            line.setBackground(PROBLEM_COLOUR)
            line.setToolTip(row_problem)
        self.preview.setItem(row, 0, line)
        for column, text in enumerate(staged_row.cells, start=1):
            item = QTableWidgetItem(text)
            problem = staged_row.problems.get(self.owner.staging.targets[column - 1])
            if problem:
                item.setBackground(PROBLEM_COLOUR)
                item.setToolTip(problem)
            self.preview.setItem(row, column, item)
        self._filling = False

    def _say_counts(self, staged: Staging) -> None:
        bad = len(staged.problem_rows())
        total = len(staged.rows)
        if bad:
            text = self.tr("%n of the rows have problems.", "", bad)
            if total > PREVIEW_ROWS:
                shown = self.tr("They are shown first, then the others up to %1 rows.")
                text += " " + shown.replace("%1", str(PREVIEW_ROWS))
            self.status.setStyleSheet(ERROR_STYLE)
        else:
            text = self.tr("All %n row(s) can be imported.", "", total)
            self.status.setStyleSheet("")
        companies = staged.new_companies()
        if companies:
            listed = self.tr(", ").join(f"“{name}”" for name in companies[:NAMED_COMPANIES])
            named = listed + ("…" if len(companies) > NAMED_COMPANIES else "")
            added = self.tr(
                "%n company(ies) not among your customers will be added as customers: %1. "
                "If one is a customer you have, written otherwise, correct its name here.",
                "",
                len(companies),
            )
            text += "\n" + added.replace("%1", named)
        self.status.setText(text)
        self.skip_bad.setVisible(bool(bad))
        self.stop.setVisible(bool(bad))
        self.save_problems.setVisible(bool(bad))
        if not bad:
            self.saved.clear()
        self._updating = len(staged.updating_rows())
        self.updates_note.setText(
            self.tr(
                "%n row(s) carry the id of a record you already have (as an export does) and "
                "would change it. Choose what happens to those records before going on:",
                "",
                self._updating,
            )
        )
        self.updates_box.setVisible(bool(self._updating))
        self.completeChanged.emit()

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        """A corrected cell: that row is checked again."""
        staged = self.owner.staging
        if self._filling or staged is None or item.column() == 0:
            return
        row = item.row()
        self.owner.runner.submit(
            partial(
                staging.recheck,
                self.owner.writer,
                staged,
                self._shown[row],
                item.column() - 1,
                item.text(),
                self.owner.profile.region,
            ),
            lambda _checked: self._rechecked(staged, row),
        )

    def _rechecked(self, checked: Staging, row: int) -> None:
        staged = self.owner.staging
        if staged is None or staged is not checked:
            return  # the rows were checked again meanwhile (other columns chosen)
        self._fill_row(row, staged.rows[self._shown[row]])
        self._say_counts(staged)

    def _stop_toggled(self, stopping: bool) -> None:
        if stopping and not self.saved.text():
            self.saved.setText(
                self.tr(
                    "Save the rows with problems to have the list beside you: each row's line "
                    "and what to correct in it. Then close this window, correct the file and "
                    "import it again."
                )
            )
        self.completeChanged.emit()

    def save(self, path: str | None = None) -> None:
        """The rows with problems, as a CSV with what to correct in each."""
        staged = self.owner.staging
        if staged is None:
            return
        save_csv(
            self,
            partial(staging.save_problems, staged),
            self.tr("Save the rows with problems"),
            self.tr("rows to correct.csv"),
            self.saved,
            path,
        )

    def isComplete(self) -> bool:
        staged = self.owner.staging
        if self._checking or staged is None:
            return False
        if self._updating and staged.updating is None:
            return False  # what those rows do to the records is the user's to say
        return not (self.stop.isChecked() and staged.problem_rows())

    def nextId(self) -> int:
        staged = self.owner.staging
        if staged is not None and not staged.duplicate_rows(skip_bad=True):
            return RUN_PAGE
        return DUPLICATES_PAGE


# Marked here, translated where shown: at import time no translation is loaded yet.
DECISIONS = (
    (Decision.SKIP, QT_TRANSLATE_NOOP("ImportWizard", "Skip this row")),
    (Decision.FILL, QT_TRANSLATE_NOOP("ImportWizard", "Update the record: fill its empty fields")),
    (Decision.OVERWRITE, QT_TRANSLATE_NOOP("ImportWizard", "Update the record: overwrite it")),
    (Decision.ADD, QT_TRANSLATE_NOOP("ImportWizard", "Add it anyway")),
)


class RowsModel(QAbstractTableModel):
    """A page's long list (a file's duplicates, its skipped rows): `cell(row, column, role)`
    reads the page's own rows, and a view asks only for the cells it shows. Building a page
    is then the same for ten rows and for 100,000 (an item per row, each formatted, took 20 s
    there)."""

    def __init__(
        self, headers: list[str], cell: Callable[[int, int, int], Any], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._headers = headers
        self._cell = cell
        self._count = 0

    def reset(self, count: int) -> None:
        self.beginResetModel()
        self._count = count
        self.endResetModel()

    def column_changed(self, column: int) -> None:
        """A column of every row reads differently now (a decision for all rows)."""
        if self._count:
            self.dataChanged.emit(self.index(0, column), self.index(self._count - 1, column))

    # Qt's signatures: an invalid index as the default parent.
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        return self._cell(index.row(), index.column(), role)


def _list_view(name: str, model: RowsModel) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    return view


class DuplicatesPage(QWizardPage):
    """One line per row that looks like a record; the decision is chosen for the selected
    lines (all of them when none is selected), so a file of thousands stays quick to show.
    What a line says is made only when it is shown (RowsModel)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setObjectName("importDuplicatesPage")
        self.setTitle(self.tr("Possible duplicates"))
        self.setSubTitle(
            self.tr(
                "These rows look like records you already have, or like an earlier row of the "
                "file. Select rows and choose what happens to them (with none selected, to all)."
            )
        )
        self.model = RowsModel(
            [self.tr("Row"), self.tr("In the file"), self.tr("Looks like"), self.tr("What to do")],
            self._cell,
            self,
        )
        self.table = _list_view("importDuplicates", self.model)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Choose:")))
        self.buttons: dict[Decision, QPushButton] = {}
        for decision, label in DECISIONS:
            button = QPushButton(_short_decision(decision))
            button.setObjectName(f"importDecide_{decision.value}")
            button.setToolTip(QCoreApplication.translate("ImportWizard", label))
            button.clicked.connect(partial(self.decide, decision))
            buttons.addWidget(button)
            self.buttons[decision] = button
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.rows: list[staging.StagedRow] = []  # the row each line of the list shows

    def initializePage(self) -> None:
        staged = self.owner.staging
        assert staged is not None
        self.rows = staged.duplicate_rows(skip_bad=True)
        self.model.reset(len(self.rows))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        self.table.setColumnWidth(3, 260)

    def _cell(self, at: int, column: int, role: int) -> Any:
        staged = self.owner.staging
        if staged is None:
            return None
        row = self.rows[at]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(row.line)
            if column == 1:
                return row.title
            if column == 2:
                return staged.match_text(row.matches[0]) if row.matches else ""
            label = dict(DECISIONS)[staged.decision(row.line)]
            return QCoreApplication.translate("ImportWizard", label)
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return "\n".join(staged.match_text(match) for match in row.matches)
        if role == Qt.ItemDataRole.UserRole and column == 3:
            return staged.decision(row.line).value
        return None

    def decide(self, decision: Decision) -> None:
        """The decision for the selected rows, or for every row when none is selected."""
        staged = self.owner.staging
        assert staged is not None
        chosen = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        for at in chosen or range(len(self.rows)):
            # A row like an earlier row of the file updates the record that row adds.
            staged.decide(self.rows[at].line, decision)
        self.model.column_changed(3)


def _short_decision(decision: Decision) -> str:
    return {
        Decision.SKIP: QCoreApplication.translate("ImportWizard", "Skip"),
        Decision.FILL: QCoreApplication.translate("ImportWizard", "Fill empty fields"),
        Decision.OVERWRITE: QCoreApplication.translate("ImportWizard", "Overwrite"),
        Decision.ADD: QCoreApplication.translate("ImportWizard", "Add anyway"),
    }[decision]


def save_csv(
    page: CheckPage | DonePage,
    write: Callable[[Path], None],
    title: str,
    file_name: str,
    message: QLabel,
    path: str | None = None,
) -> None:
    """Ask where (unless `path` is given), write there on the storage thread, and say in
    `message` where it went or why it did not."""
    if not path:
        path, _filter = QFileDialog.getSaveFileName(
            page,
            title,
            str(Path.home() / file_name),
            QCoreApplication.translate("ImportWizard", "CSV (*.csv)"),
        )
    if not path:
        return
    saved = QCoreApplication.translate("ImportWizard", "Saved to %1.").replace("%1", path)
    page.owner.runner.submit(
        partial(write, Path(path)),
        lambda _none: message.setText(saved),
        lambda error: message.setText(describe_error(error)),
    )


class RunPage(QWizardPage):
    _progress = Signal(int, int)

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setObjectName("importRunPage")
        self.setTitle(self.tr("Importing"))
        self.setSubTitle(
            self.tr(
                "Cancel leaves everything as it was: the import is written whole or not at all."
            )
        )
        self.bar = QProgressBar()
        self.bar.setObjectName("importProgress")
        self.label = QLabel()
        self.label.setObjectName("importProgressText")
        self.error = error_label("importRunError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.running = False
        self._cancel = threading.Event()
        # Called on the storage thread; shown on this one.
        self._progress.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)

    def initializePage(self) -> None:
        staged = self.owner.staging
        assert staged is not None and self.owner.path is not None
        if self.running:
            return  # never a second run of the same rows
        self._cancel.clear()
        self.running = True
        self._hold_back(True)
        _show(self.error, "")
        self.bar.setRange(0, max(len(staged.rows), 1))
        self.bar.setValue(0)
        self.label.setText(self.tr("Starting…"))
        work = partial(
            staging.run,
            self.owner.writer,
            staged,
            self.owner.path.name,
            self._progress.emit,
            self._cancel.is_set,
        )
        self.owner.runner.write(work, self._done, self._failed)
        self.completeChanged.emit()

    def _hold_back(self, held: bool) -> None:
        """Back is off while the import runs: the page it would show hands the same rows on
        to a second run. QWizard offers no Back after a commit page, so the page before this
        one is one for as long as the run lasts."""
        before = [page for page in self.owner.visitedIds() if page != RUN_PAGE]
        if before:
            self.owner.page(before[-1]).setCommitPage(held)

    def cancel(self) -> None:
        self._cancel.set()
        self.label.setText(self.tr("Cancelling…"))

    def _show_progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)
        self.label.setText(
            self.tr("%1 of %2 rows").replace("%1", f"{done:,}").replace("%2", f"{total:,}")
        )

    def _done(self, _changes: ChangeSet) -> None:
        self.running = False
        self._hold_back(False)
        assert self.owner.staging is not None
        self.owner.outcome = self.owner.staging.outcome
        self.completeChanged.emit()
        self.owner.imported.emit(self.owner.outcome)
        if self.owner.currentId() == RUN_PAGE:
            self.owner.next()

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self._hold_back(False)
        if isinstance(error, staging.ImportCancelled):
            self.owner.done(QWizard.DialogCode.Rejected)
            return
        _show(self.error, describe_error(error))
        self.label.setText(self.tr("Nothing was imported."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.running and self.owner.outcome is not None


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setObjectName("importDonePage")
        self.setTitle(self.tr("Done"))
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.save_skipped = QPushButton(self.tr("Save the skipped rows…"))
        self.save_skipped.setObjectName("importSaveSkipped")
        self.save_skipped.clicked.connect(self.save)
        self.undo = QPushButton(self.tr("Undo this import"))
        self.undo.setObjectName("importUndo")
        self.undo.clicked.connect(self.undo_import)
        self.message = QLabel()
        self.message.setObjectName("importDoneMessage")
        self.message.setWordWrap(True)
        self.skipped_model = RowsModel(
            [self.tr("Row"), self.tr("Why it was skipped")], self._skipped_cell, self
        )
        self.skipped = _list_view("importSkippedRows", self.skipped_model)
        self.skipped.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_skipped)
        buttons.addWidget(self.undo)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.skipped, 1)

    def initializePage(self) -> None:
        outcome = self.owner.outcome
        assert outcome is not None
        self.summary.setText(outcome.text())
        self.save_skipped.setVisible(bool(outcome.skipped))
        self.skipped.setVisible(bool(outcome.skipped))
        self.skipped_model.reset(len(outcome.skipped))
        self.skipped.resizeColumnToContents(0)
        self.undo.setEnabled(bool(outcome.added or outcome.updated))
        self.message.clear()

    def _skipped_cell(self, at: int, column: int, role: int) -> Any:
        outcome = self.owner.outcome
        if outcome is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        line, why, _cells = outcome.skipped[at]
        return str(line) if column == 0 else why

    def save(self, path: str | None = None) -> None:
        outcome = self.owner.outcome
        assert outcome is not None
        save_csv(
            self,
            partial(staging.save_skipped, outcome),
            self.tr("Save the skipped rows"),
            self.tr("skipped rows.csv"),
            self.message,
            path,
        )

    def undo_import(self, ask: bool = True) -> None:
        outcome = self.owner.outcome
        assert outcome is not None
        if ask:
            answer = QMessageBox.question(
                self,
                self.tr("Undo this import"),
                self.tr(
                    "Delete the records this import added and put back what it changed? Edits "
                    "made since to those records are kept."
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.undo.setEnabled(False)
        self.owner.runner.write(
            partial(staging.undo, self.owner.writer, outcome),
            lambda undone: self.message.setText(staging.undone_text(undone)),
            self._undo_failed,
        )

    def _undo_failed(self, error: BaseException) -> None:
        self.undo.setEnabled(True)
        self.message.setText(describe_error(error))


__all__ = ["ImportWizard"]
