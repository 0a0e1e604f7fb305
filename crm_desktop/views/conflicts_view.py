"""The Conflicts window: values that lost at the server, in plain words, and a way back."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
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

from crm_desktop.models.fields import FIELDS_BY_NAME, entity_label
from crm_desktop.queries.records import record_names
from crm_desktop.services.writer import Writer
from crm_desktop.storage.store import Store
from crm_desktop.sync.codec import from_json
from crm_desktop.sync.conflicts import ConflictView, dismiss, open_conflicts, reapply
from crm_desktop.sync.push import grant_ended
from crm_desktop.views.display import format_value, local_datetime
from crm_desktop.views.runner import Runner, describe_error

REFUSED = QT_TRANSLATE_NOOP(
    "ConflictsView", "The server did not accept your change to a {what}: {reason}"
)
EDITED_DELETED = QT_TRANSLATE_NOOP(
    "ConflictsView", "The {what} was deleted meanwhile; your {field} “{lost}” was not saved."
)
DELETED_OVER_EDIT = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "You deleted the {what} after {who} had changed it; restore it to bring back their changes.",
)
LOST_TO_OTHER = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "{field} of a {what} was changed by someone else first: “{kept}” was kept, "
    "your “{lost}” was not.",
)

UNREACHABLE_LINK = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "The {what} points at a record you cannot see ({target}); that link was left out on this "
    "computer (the server keeps it).",
)
UNREACHABLE_ROW = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "The {what} belongs to a record you cannot see ({target}); it was left off this computer "
    "(the server keeps it).",
)


GRANT_ENDED_TEXT = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "The server did not accept your change to a {what}: your time entering records for {rep} "
    "ended on {until}. Ask your administrator to extend it, or give the change to {rep}.",
)


def describe(conflict: ConflictView, name: str | None = None) -> str:
    """One sentence a rep understands; `name` is what the record is called, if known."""
    what = entity_label(conflict.entity) + (f" “{name}”" if name else "")
    ended = grant_ended(conflict.reason) if conflict.kind == "refused" else None
    if ended is not None:
        until, rep = ended
        return QCoreApplication.translate("ConflictsView", GRANT_ENDED_TEXT).format(
            what=what, rep=rep, until=_local_day(until)
        )
    if conflict.kind == "refused":
        return QCoreApplication.translate("ConflictsView", REFUSED).format(
            what=what, reason=conflict.reason or ""
        )
    if conflict.kind == "unreachable":
        lost = conflict.lost if isinstance(conflict.lost, dict) else {}
        template = UNREACHABLE_LINK if lost.get("cleared") else UNREACHABLE_ROW
        return QCoreApplication.translate("ConflictsView", template).format(
            what=what, target=entity_label(str(lost.get("target", "")))
        )
    if conflict.kind == "deleted_over_edit":
        return QCoreApplication.translate("ConflictsView", DELETED_OVER_EDIT).format(
            what=what, who=conflict.reason or "?"
        )
    field = FIELDS_BY_NAME.get(conflict.entity, {}).get(conflict.field or "")
    label = field.display_label() if field else (conflict.field or "")
    kept = _shown(conflict, conflict.kept)
    lost = _shown(conflict, conflict.lost)
    if conflict.kind == "edited_deleted":
        return QCoreApplication.translate("ConflictsView", EDITED_DELETED).format(
            what=what, field=label, lost=lost
        )
    return QCoreApplication.translate("ConflictsView", LOST_TO_OTHER).format(
        field=label, what=what, kept=kept, lost=lost
    )


def _local_day(iso_time: str) -> str:
    """The day a server time falls on by the user's clock."""
    try:
        moment = datetime.fromisoformat(iso_time)
    except ValueError:
        return iso_time
    return (moment.astimezone() if moment.tzinfo else moment).date().isoformat()


def _shown(conflict: ConflictView, value: Any) -> str:
    field = FIELDS_BY_NAME.get(conflict.entity, {}).get(conflict.field or "")
    if field is None or value is None:
        return "" if value is None else str(value)
    return format_value(field.kind, from_json(conflict.entity, field.name, value))


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
