"""The Conflicts window: values that lost at the server, in plain words, and a way back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
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

from crm_desktop.queries.records import record_names
from crm_desktop.services.writer import Writer
from crm_desktop.storage.store import Store
from crm_desktop.sync.conflicts import (
    DELETED,
    LIVE,
    RESTORABLE,
    ConflictView,
    as_it_stands,
    dismiss,
    open_conflicts,
    reapply,
    record_states,
    restore_record,
)
from crm_desktop.views.cell_widgets import drop_cell_widgets
from crm_desktop.views.conflict_text import FIELD_VALUE, describe, lost_values, names_wanted
from crm_desktop.views.display import local_minute
from crm_desktop.views.runner import Runner, describe_error


@dataclass(frozen=True)
class _Found:
    """What the window shows, read in one trip to the storage thread."""

    conflicts: list[ConflictView]
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    states: dict[tuple[str, str], str] = field(default_factory=dict)  # see record_states


class ConflictsView(QDialog):
    """Lists open conflicts; "Use my value" re-applies the losing value as a new edit, "Restore
    the record" brings back a record a delete won over, and a refused change's values can be
    copied to type them again."""

    resolved = Signal()

    def __init__(
        self, store: Store, writer: Writer, runner: Runner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsView")
        self.setWindowTitle(self.tr("Conflicts"))
        self._store, self._writer, self._runner = store, writer, runner
        self.conflicts: list[ConflictView] = []
        # A refused change's values (label, value) by conflict id, to copy them.
        self.values: dict[int, list[tuple[str, str]]] = {}
        self.states: dict[tuple[str, str], str] = {}  # each conflict's record (record_states)
        self.intro = QLabel(
            self.tr(
                "When the same thing was changed in two places, the change that reached the "
                "server first was kept. Nothing was thrown away: your values are listed here."
            )
        )
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("conflictsTable")
        self.table.setHorizontalHeaderLabels([self.tr("What happened"), self.tr("When"), ""])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)  # a refused change's sentence lists its values
        self.table.verticalHeader().hide()
        self.message = QLabel()
        self.message.setObjectName("conflictsMessage")
        # Twenty conflicts after a week offline are settled in one go, as the records stand;
        # a refused change's typed values are never dismissed unseen.
        self.keep_all_button = QPushButton(self.tr("Keep all as they are…"))
        self.keep_all_button.setObjectName("conflictsKeepAll")
        self.keep_all_button.clicked.connect(self.keep_all)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.keep_all_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(820, 420)
        self.reload()

    def reload(self) -> None:
        self._runner.submit(self._read, self._show)

    def _read(self) -> _Found:
        conflicts = open_conflicts(self._store)
        with self._store.read() as session:
            conflicts = as_it_stands(session, conflicts)
            names = record_names(session, names_wanted(conflicts))
            states = record_states(session, [(c.entity, c.row_id) for c in conflicts])
        return _Found(conflicts, names, states)

    def _show(self, found: _Found) -> None:
        conflicts, names = found.conflicts, found.names
        self.conflicts = conflicts
        self.states = found.states
        self.values = {c.id: lost_values(c, names) for c in conflicts}
        drop_cell_widgets(self.table)  # the rows' buttons
        self.table.setRowCount(len(conflicts))
        for row, conflict in enumerate(conflicts):
            key = (conflict.entity, conflict.row_id)
            text = QTableWidgetItem(describe(conflict, names.get(key), names))
            text.setData(Qt.ItemDataRole.UserRole, conflict.id)
            self.table.setItem(row, 0, text)
            when = local_minute(conflict.when) if conflict.when else ""
            self.table.setItem(row, 1, QTableWidgetItem(when))
            self.table.setCellWidget(row, 2, self._buttons(conflict, found.states.get(key)))
        self.table.resizeColumnToContents(1)
        self.table.resizeColumnToContents(2)
        self.table.resizeRowsToContents()
        self.message.setText(self.tr("No conflicts.") if not conflicts else "")
        self.keep_all_button.setEnabled(bool(self.settled_by_keeping()))

    def _buttons(self, conflict: ConflictView, state: str | None) -> QWidget:
        buttons = QWidget()
        box = QHBoxLayout(buttons)
        box.setContentsMargins(2, 0, 2, 0)

        def add(name: str, text: str, slot: Callable[[int], None]) -> None:
            button = QPushButton(text)
            button.setObjectName(f"{name}_{conflict.id}")
            button.clicked.connect(partial(slot, conflict.id))
            box.addWidget(button)

        # A value goes back only into a record that is here and not deleted: the writer
        # refuses to change a deleted one (it has to be restored first).
        if conflict.field is not None and state == LIVE:
            add("reapply", self.tr("Use my value"), self.use_mine)
        if conflict.kind in RESTORABLE and state == DELETED:
            add("restore", self.tr("Restore the record"), self.restore)
        if self.values.get(conflict.id):
            add("copy", self.tr("Copy my values"), self.copy_values)
        add("dismiss", self.tr("Keep as it is"), self.keep)
        return buttons

    def use_mine(self, conflict_id: int) -> None:
        work = partial(reapply, self._store, self._writer, conflict_id)
        self._runner.write(work, lambda _c: self._after(), self._failed)

    def restore(self, conflict_id: int) -> None:
        """Bring the deleted record back (and, for an edit that lost to the delete, the edit)."""
        work = partial(restore_record, self._store, self._writer, conflict_id)
        self._runner.write(work, lambda _c: self._after(), self._failed)

    def copy_values(self, conflict_id: int) -> None:
        """A refused change's values on the clipboard, one "Field: value" a line."""
        pair = QCoreApplication.translate("ConflictsView", FIELD_VALUE)
        lines = [pair.format(field=label, value=value) for label, value in self.values[conflict_id]]
        QGuiApplication.clipboard().setText("\n".join(lines))
        self.message.setText(self.tr("Your values are on the clipboard."))

    def keep(self, conflict_id: int) -> None:
        if self.values.get(conflict_id):
            # Dismissed, a refused change's values are listed nowhere else: the server never
            # had them, and a new record refused has left this computer.
            answer = QMessageBox.question(
                self,
                self.tr("Conflicts"),
                self.tr(
                    "The values you typed were not saved anywhere, and will no longer be listed "
                    "here. Stop listing them?"
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._runner.submit(partial(dismiss, self._store, conflict_id), lambda _r: self._after())

    def settled_by_keeping(self) -> list[int]:
        """The conflicts "Keep all as they are" settles: all but refused changes whose typed
        values are listed nowhere else, and deleted records that can be restored (a customer
        deleted over a colleague's work: the conflict is the only offer to bring it back)."""
        return [
            c.id
            for c in self.conflicts
            if not self.values.get(c.id)
            and not (c.kind in RESTORABLE and self.states.get((c.entity, c.row_id)) == DELETED)
        ]

    def keep_all(self, ask: bool = True) -> None:
        ids = self.settled_by_keeping()
        if not ids:
            return
        if ask:
            answer = QMessageBox.question(
                self,
                self.tr("Conflicts"),
                self.tr(
                    "Settle %n conflict(s) by keeping the records as they are now? Your values "
                    "there will no longer be offered. Refused changes whose values you typed, "
                    "and deleted records you can restore, stay listed.",
                    "",
                    len(ids),
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._runner.submit(partial(dismiss, self._store, *ids), lambda _r: self._after())

    def _after(self) -> None:
        self.resolved.emit()
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self.message.setText(describe_error(error))
