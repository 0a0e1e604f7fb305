"""Hand over a leaving rep's customers: an administrator (anyone's) or a manager (his team's)
chooses who leaves and who takes over, sees what would move (the server counts it, moving
nothing), then moves it all in one transaction on the server, recorded in each customer's
history. The server decides under the user's own rights; a refusal is one plain sentence."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.profile import Profile
from crm_desktop.sync import ownership
from crm_desktop.sync.server.admin import Handover
from crm_desktop.views.runner import Runner, describe_error
from crm_desktop.views.sync_controller import SyncController

LoginRole = Qt.ItemDataRole.UserRole
# Refusals in the colour the connect dialog uses for them; progress in the usual one.
ERROR_STYLE = "color: #b00020;"


class HandoverDialog(QDialog):
    previewed = Signal(object)  # Handover: what would move
    handed_over = Signal(object)  # Handover: what moved
    failed = Signal(str)  # the sentence shown

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        network: Runner,
        sync: SyncController,
        parent: QWidget | None = None,
    ) -> None:
        """`runner` reads the team from the store; `network` asks for the preview (it only
        reads the server); the move goes through `sync`, after any sync round under way."""
        super().__init__(parent)
        self._profile, self._network, self._sync = profile, network, sync
        # The pair the preview on show is for: the move is offered only for that pair.
        self._previewed: tuple[str, str] | None = None
        self.setObjectName("handoverDialog")
        self.setWindowTitle(self.tr("Hand over a leaving rep's customers"))
        self.setModal(True)
        self.resize(520, 300)

        intro = QLabel(
            self.tr(
                "Everything the leaving user owns moves to the one taking over: his customers, "
                "his open opportunities, his open tasks and the contracts still to see to "
                "(running, or ended with the renewal not decided). Closed deals, done tasks and "
                "settled contracts stay as they were."
            )
        )
        intro.setWordWrap(True)
        self.leaver = QComboBox()
        self.leaver.setObjectName("handoverFrom")
        self.receiver = QComboBox()
        self.receiver.setObjectName("handoverTo")
        for box in (self.leaver, self.receiver):
            box.currentIndexChanged.connect(self._choice_changed)
        form = QFormLayout()
        form.addRow(self.tr("Leaving:"), self.leaver)
        form.addRow(self.tr("Taking over:"), self.receiver)

        self.summary = QLabel(self.tr("Reading your team…"))
        self.summary.setObjectName("handoverSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.setObjectName("handoverPreview")
        self.preview_button.setToolTip(self.tr("Count what would move; nothing moves yet"))
        self.preview_button.clicked.connect(self.preview)
        self.confirm_button = QPushButton(self.tr("Hand over"))
        self.confirm_button.setObjectName("handoverConfirm")
        self.confirm_button.clicked.connect(self.hand_over)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.summary, 1)
        layout.addWidget(buttons)
        self._enable(False)

        runner.submit(partial(ownership.team, profile.store), self._fill)

    def _fill(self, members: list[ownership.Member]) -> None:
        for member in members:
            label = member.label()
            if not member.active:
                label = self.tr("%1 (deactivated)").replace("%1", label)
            self.leaver.addItem(label, member.login)
            if member.active:  # only an active user can work what he receives
                self.receiver.addItem(member.label(), member.login)
        if self.leaver.count() < 2 or not self.receiver.count():
            self._say(
                self.tr("Your device knows nobody whose customers you may hand over; sync first."),
                error=True,
            )
        else:
            self._say(self.tr("Choose who leaves and who takes over, then Preview."))
        self._choice_changed()

    def choose(self, leaver: str, receiver: str) -> None:
        """Pick both users by login (as choosing them in the lists does)."""
        self.leaver.setCurrentIndex(self.leaver.findData(leaver))
        self.receiver.setCurrentIndex(self.receiver.findData(receiver))

    def _pair(self) -> tuple[str, str] | None:
        leaver, receiver = self.leaver.currentData(), self.receiver.currentData()
        if not leaver or not receiver or leaver == receiver:
            return None
        return str(leaver), str(receiver)

    def _choice_changed(self) -> None:
        self._previewed = None  # a preview tells about the pair it was asked for only
        self._enable(True)

    def _enable(self, idle: bool) -> None:
        pair = self._pair()
        self.preview_button.setEnabled(idle and pair is not None)
        self.confirm_button.setEnabled(idle and pair is not None and pair == self._previewed)
        self.leaver.setEnabled(idle)
        self.receiver.setEnabled(idle)

    def _names(self) -> tuple[str, str]:
        return self.leaver.currentText(), self.receiver.currentText()

    def _what(self, moved: Handover) -> str:
        return (
            self.tr("%1, %2, %3 and %4")
            .replace("%1", self.tr("%n customer(s)", "", moved.customers))
            .replace("%2", self.tr("%n open opportunity(ies)", "", moved.open_opportunities))
            .replace("%3", self.tr("%n open task(s)", "", moved.open_tasks))
            .replace("%4", self.tr("%n running contract(s)", "", moved.running_contracts))
        )

    def _waiting(self, moved: Handover, receiver: str) -> str:
        """A sentence to add when the receiver's office is not live yet, else nothing."""
        if not moved.receiver_office_waiting:
            return ""
        sentence = self.tr(
            "%1 works at %2, which is not live yet: he can neither sync nor see what he receives "
            "until an administrator switches it live."
        )
        return sentence.replace("%1", receiver).replace("%2", moved.receiver_office_waiting)

    # -- asking the server -------------------------------------------------------------------

    def preview(self) -> None:
        pair = self._pair()
        if pair is None:
            return
        self._enable(False)
        self._say(self.tr("Asking the server…"))
        work = partial(
            ownership.handover, self._profile, *pair, True, self._sync.password
        )  # a dry run: it only counts, so it need not wait for a sync round
        self._network.submit(work, partial(self._counted, pair), self._failed)

    def _counted(self, pair: tuple[str, str], moved: Handover) -> None:
        leaver, receiver = self._names()  # the lists are disabled while the server counts
        if moved.nothing():
            self._say(self.tr("%1 has nothing you may hand over.").replace("%1", leaver))
        else:
            self._previewed = pair
            self._say(
                self.tr("%1 would move from %2 to %3. Hand over to move it now.")
                .replace("%1", self._what(moved))
                .replace("%2", leaver)
                .replace("%3", receiver),
                self._waiting(moved, receiver),
            )
        self._enable(True)
        self.previewed.emit(moved)

    def hand_over(self) -> None:
        pair = self._pair()
        if pair is None or pair != self._previewed:
            return
        self._enable(False)
        self._say(self.tr("Handing over…"))
        result: list[Handover] = []

        def work(password: str | None) -> None:
            result.append(ownership.handover(self._profile, *pair, False, password))

        # Through the sync thread: the move syncs before and after, never beside a round.
        self._sync.ask_server(work, partial(self._moved, result))

    def _moved(self, result: list[Handover], error: BaseException | None) -> None:
        if error is not None or not result:
            self._failed(error or RuntimeError("no answer"))
            return
        leaver, receiver = self._names()
        self._previewed = None
        self._say(
            self.tr("Handed over %1 from %2 to %3.")
            .replace("%1", self._what(result[0]))
            .replace("%2", leaver)
            .replace("%3", receiver),
            self._waiting(result[0], receiver),
        )
        self._enable(True)
        self.handed_over.emit(result[0])

    def _failed(self, error: BaseException) -> None:
        self._previewed = None
        sentence = describe_error(error)
        self._say(sentence, error=True)
        self._enable(True)
        self.failed.emit(sentence)

    def _say(self, text: str, more: str = "", error: bool = False) -> None:
        """Show `text`, and `more` after it when given (as the language runs two sentences on:
        with a space in English, none in Chinese)."""
        if more:
            text = (
                self.tr("%1 %2", "two sentences in a row").replace("%1", text).replace("%2", more)
            )
        self.summary.setStyleSheet(ERROR_STYLE if error else "")
        self.summary.setText(text)
