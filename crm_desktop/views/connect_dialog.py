"""Connect a profile to the shared server: address, user name, password, how it is encrypted;
errors in plain words.

Connecting waits on the network (up to the connect timeout on a server that does not answer),
so it runs on the window's network runner, never on the storage thread: the tables keep being
served meanwhile. The two settings a successful connect stores are one short write, which SQLite
(WAL, busy timeout) orders with the storage thread's as it does the sync thread's.

As in the first-run wizard, the network thread first only checks the server; the profile is
linked (`remember`) once the check has passed and only if the dialog is still open. Cancel never
waits for a check: what it brings back after the dialog closed is dropped, so a cancelled
connect links nothing and starts no sync. Storing the link, once begun, cannot be cancelled (a
link stored behind a closed dialog would start no sync and lose the session's password).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.storage.store import Store
from crm_desktop.sync import link as links
from crm_desktop.sync.connecting import Checked, Connected, check_connection, remember
from crm_desktop.views.runner import Runner, describe_error


@dataclass(frozen=True)
class ServerInput:
    """What was typed into a ServerForm: enough to check the server."""

    server: str
    login: str
    password: str | None = field(repr=False)
    ca: str | None
    no_tls: bool

    def check(self) -> Checked:
        """Network only: whether the server lets this login in (nothing is stored; the owner
        links the profile with `remember` once it has decided to)."""
        return check_connection(self.server, self.login, self.password, self.ca, self.no_tls)


class ServerForm(QWidget):
    """The server's address, the user name, the password and how the link is encrypted, with a
    line for what went wrong: the part of connecting the Connect dialog and the first-run
    wizard share. Connecting itself is the owner's, on its network runner.

    Its strings keep the Connect dialog's translation context, where they were first written
    and translated (called directly: lupdate sees no wrapper).
    """

    def __init__(
        self, current: links.ServerLink | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.server = QLineEdit(links.as_url(current.server) if current else "")
        self.server.setObjectName("serverAddress")
        self.server.setPlaceholderText("crm.example.com:5432/crm")
        self.user = QLineEdit(current.login if current else "")
        self.user.setObjectName("serverUser")
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # Verifying the server's certificate: kept from the current link, so reconnecting
        # after a wrong password keeps checking it.
        self.ca_file = QLineEdit(current.ca_file if current else "")
        self.ca_file.setObjectName("serverCaFile")
        self.ca_browse = QPushButton()
        self.ca_browse.setObjectName("serverCaBrowse")
        self.ca_browse.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.setContentsMargins(0, 0, 0, 0)
        ca_row.addWidget(self.ca_file)
        ca_row.addWidget(self.ca_browse)
        # Off at every opening: no encryption only when asked for, each time.
        self.no_tls = QCheckBox()
        self.no_tls.setObjectName("serverNoTls")
        self.no_tls.toggled.connect(self._no_tls_toggled)
        self._labels = [QLabel() for _ in range(4)]
        for label, buddy in zip(
            self._labels, (self.server, self.user, self.password, self.ca_file), strict=True
        ):
            label.setBuddy(buddy)
        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(self._labels[0], self.server)
        self.form.addRow(self._labels[1], self.user)
        self.form.addRow(self._labels[2], self.password)
        self.form.addRow(self._labels[3], ca_row)
        self.form.addRow("", self.no_tls)
        self.message = QLabel()
        self.message.setObjectName("connectMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        self.retranslate()

    def retranslate(self) -> None:
        self.server.setToolTip(
            QCoreApplication.translate(
                "ConnectDialog",
                "The server's name or address, with its port and database if they are not the "
                "usual ones: crm.example.com, crm.example.com:5433/crm, [::1]:5432. Without a "
                "database, crm is used. A postgresql:// address works too.",
            )
        )
        self.ca_file.setPlaceholderText(QCoreApplication.translate("ConnectDialog", "Optional"))
        self.ca_browse.setText(QCoreApplication.translate("ConnectDialog", "Browse…"))
        self.no_tls.setText(
            QCoreApplication.translate("ConnectDialog", "Connect without encryption")
        )
        self.no_tls.setToolTip(
            QCoreApplication.translate(
                "ConnectDialog",
                "Only on a network you trust: the password and the data travel in clear.",
            )
        )
        names = (
            QCoreApplication.translate("ConnectDialog", "Server address"),
            QCoreApplication.translate("ConnectDialog", "User name"),
            QCoreApplication.translate("ConnectDialog", "Password"),
            QCoreApplication.translate("ConnectDialog", "CA certificate file"),
        )
        for label, widget, name in zip(
            self._labels, (self.server, self.user, self.password, self.ca_file), names, strict=True
        ):
            label.setText(name)
            widget.setAccessibleName(name)
        self.no_tls.setAccessibleName(
            QCoreApplication.translate("ConnectDialog", "Connect without encryption")
        )

    def changeEvent(self, event: Any) -> None:  # Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_security_shown(self, shown: bool) -> None:
        """The certificate and no-encryption rows: for whoever sets the server up, hidden where
        a first-time user would only wonder what they mean."""
        self.form.setRowVisible(3, shown)
        self.form.setRowVisible(4, shown)

    def typed(self) -> ServerInput | None:
        """What was typed, or None (and the message says what is missing)."""
        server, user = self.server.text().strip(), self.user.text().strip()
        if not server or not user:
            self.message.setText(
                QCoreApplication.translate(
                    "ConnectDialog", "Fill in the server address and your user name."
                )
            )
            return None
        no_tls = self.no_tls.isChecked()
        ca = None if no_tls else self.ca_file.text().strip() or None
        return ServerInput(server, user, self.password.text() or None, ca, no_tls)

    def _choose_ca(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("ConnectDialog", "CA certificate file"),
            self.ca_file.text(),
            QCoreApplication.translate(
                "ConnectDialog", "Certificates (*.pem *.crt *.cer);;All files (*)"
            ),
        )
        if chosen:
            self.ca_file.setText(chosen)

    def _no_tls_toggled(self, checked: bool) -> None:
        self.ca_file.setEnabled(not checked)
        self.ca_browse.setEnabled(not checked)


class ConnectDialog(QDialog):
    connected = Signal(object)  # Connected

    def __init__(
        self,
        store: Store,
        network: Runner,
        current: links.ServerLink | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`network` runs the connecting; `current` is the profile's link, if it has one."""
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.setWindowTitle(self.tr("Connect to the server"))
        self._store, self._network = store, network
        self.form = ServerForm(current, self)
        # The fields by their old names: the server menu's callers and tests reach them here.
        self.server, self.user, self.password = self.form.server, self.form.user, self.form.password
        self.ca_file, self.ca_browse = self.form.ca_file, self.form.ca_browse
        self.no_tls, self.message = self.form.no_tls, self.form.message
        buttons = QDialogButtonBox()
        self.connect_button = buttons.addButton(
            self.tr("Connect"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Cancel"))
        self.connect_button.clicked.connect(self.try_connect)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.resize(520, 260)
        # Checks asked for and not answered yet; the network runner answers them in order. Of
        # those, the ones asked before the dialog last closed: their answers are dropped.
        self._checks = 0
        self._stale = 0
        self._linking = False  # storing the link: no Cancel until it is done
        self.finished.connect(self._closed)

    def try_connect(self) -> None:
        if self._linking or self._checks > self._stale:
            return  # one connect at a time: the one under way answers first
        typed = self.form.typed()
        if typed is None:
            return
        self.connect_button.setEnabled(False)
        self.message.setText(QCoreApplication.translate("ConnectDialog", "Connecting…"))
        self._checks += 1
        self._network.submit(typed.check, self._checked, self._check_failed)

    def reject(self) -> None:  # Qt override: Cancel, Escape and the title bar's close button
        if self._linking:
            return  # half a connect must not stay behind a closed dialog (see the module)
        super().reject()

    def _closed(self, _result: int) -> None:
        self._stale = self._checks
        self.connect_button.setEnabled(True)
        self.message.clear()

    def _answered(self) -> bool:
        """One check answered: False when it was asked before the dialog closed."""
        self._checks -= 1
        if self._stale:
            self._stale -= 1
            return False
        return True

    def _checked(self, checked: Checked) -> None:
        if not self._answered():
            return
        self._set_linking(True)
        self._network.submit(partial(remember, self._store, checked), self._done, self._failed)

    def _check_failed(self, error: BaseException) -> None:
        if self._answered():
            self._failed(error)

    def _done(self, result: Connected) -> None:
        self._set_linking(False)
        self.connect_button.setEnabled(True)
        self.connected.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_linking(False)
        self.connect_button.setEnabled(True)
        self.message.setText(describe_error(error))

    def _set_linking(self, linking: bool) -> None:
        self._linking = linking
        self.cancel_button.setEnabled(not linking)
