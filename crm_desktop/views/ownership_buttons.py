"""Claim and Release on a customer's page: asked of the server at once, which decides by the
public pool's rules; a refusal is shown in the rule's own words, and offline the answer says
that the server is needed."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QMessageBox, QPushButton, QWidget

from crm_desktop.profile import Profile
from crm_desktop.sync import ownership
from crm_desktop.views.runner import describe_error
from crm_desktop.views.sync_controller import SyncController


class OwnershipButtons(QWidget):
    """Claim (a pool customer) and Release to pool (one's own), for one customer."""

    answered = Signal(bool)  # the server's answer came: True if the owner changed

    def __init__(self, profile: Profile, sync: SyncController, customer_id: str) -> None:
        super().__init__()
        self.setObjectName("ownershipButtons")
        self._profile, self._sync, self._customer_id = profile, sync, customer_id
        self.claim_button = QPushButton(self.tr("Claim"))
        self.claim_button.setObjectName("claimButton")
        self.claim_button.setToolTip(
            self.tr("Make this customer of the public pool yours (needs the server)")
        )
        self.claim_button.clicked.connect(self.claim)
        self.release_button = QPushButton(self.tr("Release to pool…"))
        self.release_button.setObjectName("releaseButton")
        self.release_button.clicked.connect(self.release)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.claim_button)
        layout.addWidget(self.release_button)
        self.show_owner(None, known=False)

    def show_owner(self, owner_id: str | None, known: bool = True) -> None:
        """Offer what fits the customer's owner: Claim in the pool, Release when it is ours."""
        self.claim_button.setVisible(known and owner_id is None)
        self.release_button.setVisible(known and owner_id == self._profile.user_id)

    def claim(self) -> None:
        # ask_server adds the session's password as the last argument.
        self._ask(partial(ownership.claim, self._profile, self._customer_id))

    def release(self) -> None:
        reason, given = QInputDialog.getText(
            self,
            self.tr("Release to pool"),
            self.tr("Why does this customer go back to the public pool?"),
        )
        if given and reason.strip():
            self._ask(partial(ownership.release, self._profile, self._customer_id, reason.strip()))

    def _ask(self, work: partial) -> None:
        self.claim_button.setEnabled(False)
        self.release_button.setEnabled(False)
        self._sync.ask_server(work, self._answer)

    def _answer(self, error: BaseException | None) -> None:
        self.claim_button.setEnabled(True)
        self.release_button.setEnabled(True)
        if error is not None:
            box = QMessageBox(
                QMessageBox.Icon.Warning, self.tr("Not done"), describe_error(error), parent=self
            )
            box.setObjectName("ownershipRefused")
            box.open()
        self.answered.emit(error is None)
