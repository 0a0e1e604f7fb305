"""A note to a colleague (站内信): to one user, optionally about a customer; it syncs to him and
shows on his Today. The server lets only the two of them (and administrators) read it."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.runner import Runner, describe_error

# As the server allows (server migration 0012): a note is short.
MAX_TEXT = 2000


class NoteDialog(QDialog):
    sent = Signal(object)  # ChangeSet

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        customer: tuple[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`customer`: (id, name) of the customer the note is about, if any."""
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(self.tr("Send a note"))
        self._profile, self._runner, self._writer = profile, runner, writer
        self._customer_id = customer[0] if customer else None

        self.recipient = QComboBox()
        self.recipient.setObjectName("noteRecipient")
        self.text = QPlainTextEdit()
        self.text.setObjectName("noteText")
        self.text.setPlaceholderText(self.tr("What you want to tell him or her"))
        self.text.textChanged.connect(self._offer_send)
        self.message = QLabel()
        self.message.setObjectName("noteMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("To"), self.recipient)
        if customer is not None:
            form.addRow(self.tr("About"), QLabel(customer[1]))
        form.addRow(self.tr("Note"), self.text)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.send_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.send_button.setText(self.tr("Send"))
        self.send_button.setObjectName("noteSend")
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(480, 320)
        self._offer_send()
        # Colleagues still at work: a note to one switched off would never be read.
        work = partial(reader.choices, "users", active_only=True)
        runner.submit(work, self._users_arrived)
        self.text.setFocus()

    def _users_arrived(self, users: list[tuple]) -> None:
        for user_id, name in users:
            if user_id != self._profile.user_id:
                self.recipient.addItem(name, user_id)
        self._offer_send()

    def _offer_send(self) -> None:
        self.send_button.setEnabled(
            self.recipient.count() > 0 and bool(self.text.toPlainText().strip())
        )

    def send(self) -> None:
        text = self.text.toPlainText().strip()
        if len(text) > MAX_TEXT:
            self.message.setText(
                self.tr("A note is at most %1 characters; this one has %2.")
                .replace("%1", str(MAX_TEXT))
                .replace("%2", str(len(text)))
            )
            return
        if not self.send_button.isEnabled():
            return
        values = {
            # The sender is the user himself, also for a clerk (whose records are his rep's).
            "sender_id": self._profile.user_id,
            "recipient_id": self.recipient.currentData(),
            "text": text,
            "customer_id": self._customer_id,
        }
        self.send_button.setEnabled(False)
        self._runner.write(partial(self._writer.create, "notes", values), self._sent, self._refused)

    def _sent(self, changes: ChangeSet) -> None:
        self.sent.emit(changes)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.message.setText(describe_error(error))
        self._offer_send()
