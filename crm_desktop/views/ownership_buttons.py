"""Claim, Release, Assign and the lock on a customer's page: asked of the server at once, which
decides by the public pool's rules and the user's rights; a refusal is shown in the rule's own
words, and offline the answer says that the server is needed.

Assign and the lock are offered to managers and administrators (the role the server gave at
the last sync); the server still decides, so a stale offer is refused in plain words."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QMessageBox, QPushButton, QWidget

from crm_desktop.profile import Profile
from crm_desktop.sync import ownership
from crm_desktop.views.assign_dialog import AssignDialog
from crm_desktop.views.runner import Runner, describe_error
from crm_desktop.views.sync_controller import SyncController


class OwnershipButtons(QWidget):
    """Claim (a pool customer), Release to pool (one's own), and for managers Assign to… and
    Keep with owner (lock) / Unlock, for one customer."""

    answered = Signal(bool)  # the server's answer came: True if the owner changed

    def __init__(
        self,
        profile: Profile,
        sync: SyncController,
        customer_id: str,
        runner: Runner | None = None,
        role: str = "",
    ) -> None:
        """`runner`: the storage thread, to list the team for Assign (no Assign without it);
        `role`: the user's role as the server gave it (see `set_role`)."""
        super().__init__()
        self.setObjectName("ownershipButtons")
        self._profile, self._sync, self._customer_id = profile, sync, customer_id
        self._runner, self._role = runner, role
        self._owner: str | None = None
        self._known = self._locked = False
        self.claim_button = QPushButton(self.tr("Claim"))
        self.claim_button.setObjectName("claimButton")
        self.claim_button.setToolTip(
            self.tr("Make this customer of the public pool yours (needs the server)")
        )
        self.claim_button.clicked.connect(self.claim)
        self.release_button = QPushButton(self.tr("Release to pool…"))
        self.release_button.setObjectName("releaseButton")
        self.release_button.clicked.connect(self.release)
        self.assign_button = QPushButton(self.tr("Assign to…"))
        self.assign_button.setObjectName("assignButton")
        self.assign_button.setToolTip(self.tr("Give this customer to a member of your team"))
        self.assign_button.clicked.connect(self.assign)
        self.lock_button = QPushButton()
        self.lock_button.setObjectName("lockButton")
        self.lock_button.clicked.connect(self.toggle_lock)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in self._buttons():
            layout.addWidget(button)
        self.show_owner(None, known=False)

    def show_owner(self, owner_id: str | None, known: bool = True, locked: bool = False) -> None:
        """Offer what fits the customer's owner: Claim in the pool, Release when it is ours;
        to a manager, Assign, and the lock while it has an owner."""
        self._owner, self._known, self._locked = owner_id, known, locked
        leads = self._role in ownership.LEADS
        # A clerk enters records for his reps, and an administrator owns none (server 0035:
        # only a rep or a manager does): the pool is not theirs to take from.
        self.claim_button.setVisible(
            known and owner_id is None and self._role not in ("clerk", "admin")
        )
        # A customer his manager locked with him is the manager's to let go (server 0038).
        self.release_button.setVisible(
            known and owner_id == self._profile.user_id and (not locked or leads)
        )
        self.assign_button.setVisible(known and leads and self._runner is not None)
        self.lock_button.setVisible(known and leads and owner_id is not None)
        if locked:
            self.lock_button.setText(self.tr("Unlock"))
            self.lock_button.setToolTip(
                self.tr("Let this customer return to the public pool by the rules again")
            )
        else:
            self.lock_button.setText(self.tr("Keep with owner (lock)"))
            self.lock_button.setToolTip(
                self.tr("This customer stays with its owner and never returns to the public pool")
            )

    @property
    def role(self) -> str:
        return self._role

    def set_role(self, role: str) -> None:
        """The user's role changed (read again after a sync): offer what it allows."""
        self._role = role
        self.show_owner(self._owner, self._known, self._locked)

    def claim(self) -> None:
        # ask_server adds the session's password as the last argument.
        self._ask(partial(ownership.claim, self._profile, self._customer_id))

    def release(self) -> None:
        question = self.tr("Why does this customer go back to the public pool?")
        while True:
            reason, given = QInputDialog.getText(self, self.tr("Release to pool"), question)
            if not given:
                return
            if reason.strip():
                break
            # Asked again, saying why, rather than OK doing nothing without a word.
            question = self.tr(
                "Why does this customer go back to the public pool? A reason is needed: it is "
                "kept in the customer's history for whoever takes it next."
            )
        self._ask(partial(ownership.release, self._profile, self._customer_id, reason.strip()))

    def assign(self) -> AssignDialog | None:
        if self._runner is None:
            return None
        dialog = AssignDialog(self._profile, self._runner, self._sync, [self._customer_id], self)
        dialog.answered.connect(self.answered)
        dialog.open()
        return dialog

    def toggle_lock(self) -> None:
        self._ask(partial(ownership.lock, self._profile, self._customer_id, not self._locked))

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (self.claim_button, self.release_button, self.assign_button, self.lock_button)

    def _ask(self, work: partial) -> None:
        for button in self._buttons():
            button.setEnabled(False)
        self._sync.ask_server(work, self._answer)

    def _answer(self, error: BaseException | None) -> None:
        for button in self._buttons():
            button.setEnabled(True)
        if error is not None:
            box = QMessageBox(
                QMessageBox.Icon.Warning, self.tr("Not done"), describe_error(error), parent=self
            )
            box.setObjectName("ownershipRefused")
            box.open()
        self.answered.emit(error is None)
