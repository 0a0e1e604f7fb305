"""The Server menu: connect to a server, the conflicts a sync left, and for those who lead a
team the handover of a leaving rep's customers and (administrators) the public pool's rules
and the company letterhead, offered by the role the server gave at the last sync.

Its strings keep the main window's translation context (see sync_status.py).
"""

from __future__ import annotations

from functools import partial

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from crm_desktop.models.choices import Role
from crm_desktop.profile import Profile
from crm_desktop.services.writer import Writer
from crm_desktop.sync import ownership
from crm_desktop.sync.connecting import Connected
from crm_desktop.views.conflicts_view import ConflictsView
from crm_desktop.views.connect_dialog import ConnectDialog
from crm_desktop.views.handover_dialog import HandoverDialog
from crm_desktop.views.letterhead_dialog import LetterheadDialog
from crm_desktop.views.rules_dialog import RulesDialog
from crm_desktop.views.runner import Runner
from crm_desktop.views.sync_controller import SyncController
from crm_desktop.views.sync_status import SyncStatus, SyncStatusArea


class ServerMenu(QMenu):
    def __init__(
        self,
        profile: Profile,
        writer: Writer,
        runner: Runner,
        network: Runner,
        sync: SyncController,
        area: SyncStatusArea,
        parent: QWidget,
    ) -> None:
        super().__init__(QCoreApplication.translate("MainWindow", "S&erver"), parent)
        self._profile, self._writer = profile, writer
        self._runner, self._network = runner, network
        self._sync, self._area = sync, area
        self._window = parent  # the dialogs' parent
        self._connect_dialog: ConnectDialog | None = None  # the last one shown, open or not
        connect_action = QAction(
            QCoreApplication.translate("MainWindow", "Connect to a server…"), self
        )
        connect_action.setObjectName("connectAction")
        connect_action.triggered.connect(self.show_connect)
        self.conflicts_action = QAction(QCoreApplication.translate("MainWindow", "Conflicts"), self)
        self.conflicts_action.setObjectName("conflictsAction")
        self.conflicts_action.triggered.connect(self.show_conflicts)
        self.handover_action = QAction(
            QCoreApplication.translate("MainWindow", "Hand over a leaving rep's customers…"), self
        )
        self.handover_action.setObjectName("handoverAction")
        self.handover_action.triggered.connect(self.show_handover)
        self.rules_action = QAction(QCoreApplication.translate("MainWindow", "Pool rules…"), self)
        self.rules_action.setObjectName("rulesAction")
        self.rules_action.triggered.connect(self.show_rules)
        self.letterhead_action = QAction(
            QCoreApplication.translate("MainWindow", "Company letterhead…"), self
        )
        self.letterhead_action.setObjectName("letterheadAction")
        self.letterhead_action.triggered.connect(self.show_letterhead)
        self.addAction(connect_action)
        self.addAction(self.conflicts_action)
        self.lead_separator = self.addSeparator()
        self.addAction(self.handover_action)
        self.addAction(self.rules_action)
        self.addAction(self.letterhead_action)
        self._show_role("")
        area.status_read.connect(self._status_read)
        area.connect_requested.connect(self.show_connect)
        sync.finished.connect(lambda _report: self.read_role())
        self.read_role()

    def _status_read(self, status: SyncStatus) -> None:
        label = QCoreApplication.translate("MainWindow", "Conflicts")
        if status.conflicts:
            label += f" ({status.conflicts})"
        self.conflicts_action.setText(label)

    def read_role(self) -> None:
        """Read the role the last sync brought (on the storage thread), for what is offered."""
        self._runner.submit(partial(ownership.current_role, self._profile.store), self._show_role)

    def _show_role(self, role: str) -> None:
        self.handover_action.setVisible(role in ownership.LEADS)
        self.rules_action.setVisible(role == Role.ADMIN.value)
        self.letterhead_action.setVisible(role == Role.ADMIN.value)
        self.lead_separator.setVisible(role in ownership.LEADS)

    def show_handover(self) -> HandoverDialog:
        dialog = HandoverDialog(
            self._profile, self._runner, self._network, self._sync, self._window
        )
        dialog.show()
        return dialog

    def show_rules(self) -> RulesDialog:
        dialog = RulesDialog(self._profile, self._network, self._sync, self._window)
        dialog.show()
        return dialog

    def show_letterhead(self) -> LetterheadDialog:
        dialog = LetterheadDialog(self._profile, self._network, self._sync, self._window)
        dialog.show()
        return dialog

    def show_conflicts(self) -> ConflictsView:
        view = ConflictsView(self._profile.store, self._writer, self._runner, self._window)
        view.resolved.connect(self._area.refresh)
        view.show()
        return view

    def show_connect(self) -> ConnectDialog:
        """The Connect dialog, or the one already open brought to the front: every timed sync
        the server refuses asks for the password again, and the user answers one dialog."""
        dialog = self._connect_dialog
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        # The link as last read for the status line: the dialog opens without a store read.
        status = self._area.status
        current = status.link if status is not None else None
        dialog = ConnectDialog(self._profile.store, self._network, current, self._window)
        dialog.connected.connect(self.adopt_connection)
        dialog.setModal(True)
        self._connect_dialog = dialog
        dialog.show()
        return dialog

    def adopt_connection(self, result: Connected) -> None:
        """After the Connect dialog or the first-run wizard linked the profile: this session's
        password (None where a keyring keeps it) replaces the old one, then the first sync."""
        self._sync.password = result.session_password
        self._area.refresh()
        self._sync.start()
