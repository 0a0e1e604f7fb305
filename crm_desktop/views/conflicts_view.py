"""The Conflicts window: values that lost at the server, in plain words, and a way back."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.queries.records import record_names
from crm_desktop.services.writer import Writer
from crm_desktop.storage.store import Store
from crm_desktop.sync.conflicts import ConflictView, dismiss, open_conflicts, reapply
from crm_desktop.views.conflict_text import describe
from crm_desktop.views.display import local_datetime
from crm_desktop.views.runner import Runner, describe_error


class ConflictsView(QDialog):
    """Lists open conflicts; "Use my value" re-applies the losing value as a new edit."""

    resolved = Signal()

    def __init__(
        self, store: Store, writer: Writer, runner: Runner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsView")
        self.setWindowTitle(self.tr("Conflicts"))
        self._store, self._writer, self._runner = store, writer, runner
        self.conflicts: list[ConflictView] = []
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
        self.table.verticalHeader().hide()
        self.message = QLabel()
        self.message.setObjectName("conflictsMessage")
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(820, 420)
        self.reload()

    def reload(self) -> None:
        self._runner.submit(self._read, self._show)

    def _read(self) -> tuple[list[ConflictView], dict[tuple[str, str], str]]:
        conflicts = open_conflicts(self._store)
        with self._store.read() as session:
            names = record_names(session, [(c.entity, c.row_id) for c in conflicts])
        return conflicts, names

    def _show(self, found: tuple[list[ConflictView], dict[tuple[str, str], str]]) -> None:
        conflicts, names = found
        self.conflicts = conflicts
        self.table.setRowCount(len(conflicts))
        for row, conflict in enumerate(conflicts):
            text = QTableWidgetItem(
                describe(conflict, names.get((conflict.entity, conflict.row_id)))
            )
            text.setData(Qt.ItemDataRole.UserRole, conflict.id)
            self.table.setItem(row, 0, text)
            when = local_datetime(conflict.when).strftime("%Y-%m-%d %H:%M") if conflict.when else ""
            self.table.setItem(row, 1, QTableWidgetItem(when))
            buttons = QWidget()
            box = QHBoxLayout(buttons)
            box.setContentsMargins(2, 0, 2, 0)
            if conflict.field is not None:
                use_mine = QPushButton(self.tr("Use my value"))
                use_mine.setObjectName(f"reapply_{conflict.id}")
                use_mine.clicked.connect(partial(self.use_mine, conflict.id))
                box.addWidget(use_mine)
            keep = QPushButton(self.tr("Keep as it is"))
            keep.setObjectName(f"dismiss_{conflict.id}")
            keep.clicked.connect(partial(self.keep, conflict.id))
            box.addWidget(keep)
            self.table.setCellWidget(row, 2, buttons)
        self.table.resizeColumnToContents(1)
        self.table.resizeColumnToContents(2)
        self.message.setText(self.tr("No conflicts.") if not conflicts else "")

    def use_mine(self, conflict_id: int) -> None:
        work = partial(reapply, self._store, self._writer, conflict_id)
        self._runner.write(work, lambda _c: self._after(), self._failed)

    def keep(self, conflict_id: int) -> None:
        self._runner.submit(partial(dismiss, self._store, conflict_id), lambda _r: self._after())

    def _after(self) -> None:
        self.resolved.emit()
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self.message.setText(describe_error(error))
