"""Connect a profile to the shared server: address, user name, password, how it is encrypted;
errors in plain words.

Connecting waits on the network (up to the connect timeout on a server that does not answer),
so it runs on the window's network runner, never on the storage thread: the tables keep being
served meanwhile. The two settings a successful connect stores are one short write, which SQLite
(WAL, busy timeout) orders with the storage thread's as it does the sync thread's.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
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
from crm_desktop.sync.connecting import Connected, connect_profile
from crm_desktop.views.runner import Runner, describe_error


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
        self.server = QLineEdit(links.as_url(current.server) if current else "")
        self.server.setObjectName("serverAddress")
        self.server.setPlaceholderText("crm.example.com:5432/crm")
        self.server.setToolTip(
            self.tr(
                "The server's name or address, with its port and database if they are not the "
                "usual ones: crm.example.com, crm.example.com:5433/crm, [::1]:5432. Without a "
                "database, crm is used. A postgresql:// address works too."
            )
        )
        self.user = QLineEdit(current.login if current else "")
        self.user.setObjectName("serverUser")
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # Verifying the server's certificate: kept from the current link, so reconnecting
        # after a wrong password keeps checking it.
        self.ca_file = QLineEdit(current.ca_file if current else "")
        self.ca_file.setObjectName("serverCaFile")
        self.ca_file.setPlaceholderText(self.tr("Optional"))
        self.ca_browse = QPushButton(self.tr("Browse…"))
        self.ca_browse.setObjectName("serverCaBrowse")
        self.ca_browse.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.setContentsMargins(0, 0, 0, 0)
        ca_row.addWidget(self.ca_file)
        ca_row.addWidget(self.ca_browse)
        # Off at every opening: no encryption only when asked for, each time.
        self.no_tls = QCheckBox(self.tr("Connect without encryption"))
        self.no_tls.setObjectName("serverNoTls")
        self.no_tls.setToolTip(
            self.tr("Only on a network you trust: the password and the data travel in clear.")
        )
        self.no_tls.toggled.connect(self._no_tls_toggled)
        for widget, name in (
            (self.server, self.tr("Server address")),
            (self.user, self.tr("User name")),
            (self.password, self.tr("Password")),
            (self.ca_file, self.tr("CA certificate file")),
            (self.no_tls, self.tr("Connect without encryption")),
        ):
            widget.setAccessibleName(name)
        form = QFormLayout()
        form.addRow(self.tr("Server address"), self.server)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("CA certificate file"), ca_row)
        form.addRow("", self.no_tls)
        self.message = QLabel()
        self.message.setObjectName("connectMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox()
        self.connect_button = buttons.addButton(
            self.tr("Connect"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        self.connect_button.clicked.connect(self.try_connect)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def _choose_ca(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("CA certificate file"),
            self.ca_file.text(),
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if chosen:
            self.ca_file.setText(chosen)

    def _no_tls_toggled(self, checked: bool) -> None:
        self.ca_file.setEnabled(not checked)
        self.ca_browse.setEnabled(not checked)

    def try_connect(self) -> None:
        server, user = self.server.text().strip(), self.user.text().strip()
        if not server or not user:
            self.message.setText(self.tr("Fill in the server address and your user name."))
            return
        self.connect_button.setEnabled(False)
        self.message.setText(self.tr("Connecting…"))
        no_tls = self.no_tls.isChecked()
        ca = None if no_tls else self.ca_file.text().strip() or None
        work = partial(
            connect_profile,
            self._store,
            server,
            user,
            self.password.text() or None,
            ca=ca,
            no_tls=no_tls,
        )
        self._network.submit(work, self._done, self._failed)

    def _done(self, result: Connected) -> None:
        self.connect_button.setEnabled(True)
        self.connected.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.connect_button.setEnabled(True)
        self.message.setText(describe_error(error))
