"""Assign to…: a manager (or an administrator) gives one or many customers to a member of his
team. The list is who his device knows he may give to (the scope the server gave at the last
sync); the server decides, all of them or none, and a refusal is shown in its own words while
the dialog stays open for another choice."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.profile import Profile
from crm_desktop.sync import ownership
from crm_desktop.views.runner import Runner, describe_error
from crm_desktop.views.sync_controller import SyncController

LoginRole = Qt.ItemDataRole.UserRole
# Refusals in the colour the connect dialog uses for them; progress in the usual one.
ERROR_STYLE = "color: #b00020;"


class AssignDialog(QDialog):
    answered = Signal(bool)  # the server's answer came: True if the customers were given

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        sync: SyncController,
        customer_ids: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile, self._sync, self.customer_ids = profile, sync, list(customer_ids)
        self._runner = runner
        self.setObjectName("assignDialog")
        self.setWindowTitle(self.tr("Assign customers"))
        self.setModal(True)
        self.resize(420, 420)

        self.intro = QLabel(
            self.tr("Give %n customer(s) to a member of your team:", "", len(self.customer_ids))
        )
        self.intro.setWordWrap(True)
        self.members = QListWidget()
        self.members.setObjectName("assignMembers")
        self.members.setAccessibleName(self.tr("Receiver"))
        self.members.itemSelectionChanged.connect(self._choice_changed)
        self.members.itemDoubleClicked.connect(lambda _item: self.assign())
        self.reason = QLineEdit()
        self.reason.setObjectName("assignReason")
        self.reason.setPlaceholderText(self.tr("Why (optional; kept in the customer's history)"))
        self.reason.setMaxLength(500)  # the server keeps 500 characters of a reason
        self.status = QLabel(self.tr("Reading your team…"))
        self.status.setObjectName("assignStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.assign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.assign_button.setText(self.tr("Assign"))
        self.assign_button.setObjectName("assignConfirm")
        self.assign_button.setEnabled(False)
        self.buttons.accepted.connect(self.assign)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.members, 1)
        layout.addWidget(QLabel(self.tr("Reason")))
        layout.addWidget(self.reason)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self._read_team()

    def _read_team(self, after_refusal: bool = False) -> None:
        work = partial(ownership.team, self._profile.store)
        self._runner.submit(work, partial(self._fill, after_refusal))

    def _fill(self, after_refusal: bool, members: list[ownership.Member]) -> None:
        chosen = self.chosen()
        self.members.clear()
        for member in members:
            if member.active:  # a deactivated user cannot log in to work a customer
                item = QListWidgetItem(member.label())
                item.setData(LoginRole, member.login)
                self.members.addItem(item)
        if chosen is not None:
            self.select(chosen)
        self._choice_changed()
        if after_refusal:
            return  # the refusal's sentence stays on show
        if self.members.count():
            self._say("")
        else:
            self._say(
                self.tr("Your device knows nobody you may give customers to; sync and try again."),
                error=True,
            )

    def select(self, login: str) -> None:
        """Choose the receiver by login (as a click on his name does)."""
        for row in range(self.members.count()):
            if self.members.item(row).data(LoginRole) == login:
                self.members.setCurrentRow(row)
                return

    def chosen(self) -> str | None:
        item = self.members.currentItem()
        return item.data(LoginRole) if item is not None and item.isSelected() else None

    def _choice_changed(self) -> None:
        self.assign_button.setEnabled(self.chosen() is not None)

    def assign(self) -> None:
        login = self.chosen()
        if login is None or not self.customer_ids:
            return
        self.assign_button.setEnabled(False)
        self.members.setEnabled(False)
        self._say(self.tr("Asking the server…"))
        # ask_server adds the session's password as the last argument.
        work = partial(
            ownership.assign_many,
            self._profile,
            self.customer_ids,
            login,
            self.reason.text().strip(),
        )
        self._sync.ask_server(work, self._answer)

    def _answer(self, error: BaseException | None) -> None:
        self.members.setEnabled(True)
        self._choice_changed()
        if error is None:
            self._say("")
            self.accept()
        else:
            # The dialog stays: the user may pick someone else or cancel. The ask synced, so
            # the team is read again: someone who left it since is no longer offered.
            self._say(describe_error(error), error=True)
            self._read_team(after_refusal=True)
        self.answered.emit(error is None)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)
