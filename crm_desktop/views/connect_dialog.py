"""Connect a profile to the shared server: address, user name, password; errors in plain words."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.storage.store import Store
from crm_desktop.sync import link as links
from crm_desktop.sync.connecting import Connected, connect_profile
from crm_desktop.views.runner import Runner, describe_error


class ConnectDialog(QDialog):
    connected = Signal(object)  # Connected

    def __init__(self, store: Store, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.setWindowTitle(self.tr("Connect to the server"))
        self._store, self._runner = store, runner
        current = links.link_of(store)
        self.server = QLineEdit(current.server if current else "")
        self.server.setObjectName("serverAddress")
        self.server.setPlaceholderText("postgresql://crm.example.com:5432/crm")
        self.user = QLineEdit(current.login if current else "")
        self.user.setObjectName("serverUser")
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for widget, name in (
            (self.server, self.tr("Server address")),
            (self.user, self.tr("User name")),
            (self.password, self.tr("Password")),
        ):
            widget.setAccessibleName(name)
        form = QFormLayout()
        form.addRow(self.tr("Server address"), self.server)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
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
        self.resize(480, 220)

    def try_connect(self) -> None:
        server, user = self.server.text().strip(), self.user.text().strip()
        if not server or not user:
            self.message.setText(self.tr("Fill in the server address and your user name."))
            return
        self.connect_button.setEnabled(False)
        self.message.setText(self.tr("Connecting…"))
        work = partial(connect_profile, self._store, server, user, self.password.text() or None)
        self._runner.submit(work, self._done, self._failed)

    def _done(self, result: Connected) -> None:
        self.connect_button.setEnabled(True)
        self.connected.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.connect_button.setEnabled(True)
        self.message.setText(describe_error(error))
