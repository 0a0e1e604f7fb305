"""Deleting records from a list or a page: asked first, and undone in one click right after.

The main window offers its undo in the status bar (record_actions.py); a page of its own (a
contract's window, a deal's quote lines) shows an UndoDeleteButton beside its list instead.
The sentences keep the main window's translation context: they are the same sentences. Its
plural is listed for lupdate in resources/translations/extra_sources.py, which cannot read a
plural of QCoreApplication.translate (see sync_status.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from crm_desktop.models.fields import entity_label
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.records import TakenAlong
from crm_desktop.services.changes import ChangeSet, UndoToken
from crm_desktop.services.writer import Writer
from crm_desktop.views.display import format_money
from crm_desktop.views.runner import Runner

CONTEXT = "MainWindow"  # not a literal below: lupdate reads the plural from extra_sources.py


def confirm_delete(parent: QWidget | None, count: int, taken: TakenAlong | None = None) -> bool:
    """Whether the user confirms deleting `count` records (No is the default answer). `taken`:
    what goes with them (a customer's contacts and deals, a contract's plan and payments),
    named in the question so that nobody deletes money received without being told."""
    question = QCoreApplication.translate(
        CONTEXT, "Delete %n record(s)? You can undo this right after.", "", count
    )
    if taken is not None and taken.own_paid_cents:
        question += "\n\n" + QCoreApplication.translate(
            "MainWindow", "Money received on these payments: {money}."
        ).format(money=format_money(taken.own_paid_cents))
    if taken is not None and taken.counts:
        question += "\n\n" + taken_text(taken)
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("MainWindow", "Delete"),
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def taken_text(taken: TakenAlong) -> str:
    """What goes with the records deleted, one kind a line ("payment: 5 (¥12,000.00
    received)")."""
    lines = [QCoreApplication.translate("MainWindow", "Deleted with them:")]
    for entity, count in taken.counts.items():
        line = QCoreApplication.translate("MainWindow", "{kind}: {count}").format(
            kind=entity_label(entity), count=f"{count:,}"
        )
        if entity == "payments" and taken.paid_cents:
            line += " " + QCoreApplication.translate("MainWindow", "({money} received)").format(
                money=format_money(taken.paid_cents)
            )
        lines.append(f"• {line}")
    return "\n".join(lines)


class UndoDeleteButton(QPushButton):
    """Hidden until a delete made on its page offers an undo; one click restores the rows."""

    def __init__(self, runner: Runner, writer: Writer, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("MainWindow", "Undo delete"), parent)
        self.setObjectName("undoDeleteButton")
        self._runner, self._writer = runner, writer
        self._token: UndoToken | None = None
        self.clicked.connect(self.undo)
        self.hide()

    def offer(self, changes: ChangeSet) -> None:
        """After a delete: offer to undo it (until the next delete, or the undo)."""
        self._token = changes.undo if isinstance(changes.undo, UndoToken) else None
        self.setVisible(self._token is not None)

    def undo(self) -> None:
        token, self._token = self._token, None
        self.hide()
        if token is not None:
            self._runner.write(partial(self._writer.restore, token), lambda _changes: None)


def delete_rows(
    parent: QWidget,
    runner: Runner,
    writer: Writer,
    reader: Reader,
    entity: str,
    ids: list[str],
    deleted: Callable[[ChangeSet], None],
) -> None:
    """Delete these rows once the user confirms, told what goes with them (read first on the
    storage thread); `deleted` then offers the undo (a page's UndoDeleteButton.offer, the
    main window's status bar)."""
    if not ids:
        return

    def asked(taken: TakenAlong) -> None:
        if confirm_delete(parent, len(ids), taken):
            runner.write(partial(writer.delete, entity, ids), deleted)

    runner.submit(partial(reader.taken_along, entity, ids), asked)
