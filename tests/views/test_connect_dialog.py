"""Connecting waits on the network off the storage thread: the tables are served meanwhile;
Cancel means nothing is linked; one Connect dialog at a time."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtWidgets import QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from crm_desktop.profile import open_profile
from crm_desktop.sync import link
from crm_desktop.sync.errors import MESSAGES, SyncProblem
from crm_desktop.views.connect_dialog import ConnectDialog
from crm_desktop.views.main_window import MainWindow
from tests.postgres import CrmDatabase
from tests.sync import tls_server
from tests.sync.tls_server import local_address, plain_remote_url
from tests.views.helpers import shown_window, wait_idle

file_keyring = tls_server.file_keyring
no_keyring = tls_server.no_keyring


class SilentServer:
    """A TCP port on this computer that takes every connection and never says a word."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self.accepted = threading.Event()
        self._peers: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="silent-server")
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                peer, _address = self._listener.accept()
            except TimeoutError:
                continue
            self._peers.append(peer)
            self.accepted.set()

    def close(self) -> None:
        """Stop listening first, so a client retrying (libpq tries again without TLS) is
        refused at once, then hang up on the clients."""
        self._stop.set()
        self._thread.join()
        self._listener.close()
        for peer in self._peers:
            peer.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_a_table_is_read_while_a_connect_waits_on_a_silent_server(
    qtbot: QtBot, window: MainWindow, silent_server: SilentServer
) -> None:
    dialog = window.server_menu.show_connect()
    dialog.server.setText(f"127.0.0.1:{silent_server.port}/crm")
    dialog.user.setText("rob")
    dialog.password.setText("pw")
    dialog.connect_button.click()
    # The connect has reached the server and waits for its answer.
    qtbot.waitUntil(silent_server.accepted.is_set, timeout=10000)

    model = window.models["customers"]
    with qtbot.waitSignal(model.shown, timeout=30000):
        model.reload()
    # The read came back before the connect did: nothing queued it behind the network.
    assert dialog.message.text() == "Connecting…"
    assert not dialog.connect_button.isEnabled()

    silent_server.close()  # the server hangs up: the connect fails, in plain words
    qtbot.waitUntil(dialog.connect_button.isEnabled, timeout=15000)
    assert dialog.message.text() not in ("", "Connecting…")
    assert link.link_of(window.profile.store) is None
    dialog.reject()


# -- Cancel, one dialog at a time, and the no-encryption sentence ------------------------------


def cancel_button(dialog: ConnectDialog) -> QPushButton:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    assert button is not None
    return button


@contextmanager
def schema_locked(db: CrmDatabase) -> Iterator[Callable[[], bool]]:
    """The CRM schema's version table locked by the administrator: a connection check reaches
    the server, logs in and then waits on its first query until the block ends. Yields whether a
    check is waiting there."""
    with (
        db.server.connect(db.name) as holder,
        db.server.connect(db.name) as watcher,
        holder.transaction(),
    ):
        holder.execute("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE")

        def waiting() -> bool:
            row = watcher.execute(
                "SELECT count(*) FROM pg_locks"
                " WHERE NOT granted AND relation = 'alembic_version'::regclass"
            ).fetchone()
            return bool(row and row[0])

        yield waiting


def test_cancel_during_the_check_links_nothing_and_starts_no_sync(
    qtbot: QtBot, file_keyring: PlaintextKeyring, window: MainWindow, crm_db: CrmDatabase
) -> None:
    crm_db.add_user("rob", "rep")
    dialog = window.server_menu.show_connect()
    dialog.server.setText(local_address(crm_db))
    dialog.user.setText("rob")
    dialog.password.setText(crm_db.passwords["rob"])
    with (
        qtbot.assertNotEmitted(dialog.connected),
        qtbot.assertNotEmitted(window.sync.started),
    ):
        with schema_locked(crm_db) as check_waiting:
            dialog.connect_button.click()
            qtbot.waitUntil(check_waiting, timeout=15000)
            cancel_button(dialog).click()
            assert not dialog.isVisible()
        # The server answers now, behind the closed dialog: the password was right.
        qtbot.waitUntil(lambda: window.network.pending() == 0, timeout=15000)
        qtbot.wait(50)  # anything the answer would have set off comes back queued
        wait_idle(qtbot, window)
    assert link.link_of(window.profile.store) is None
    assert window.profile.store.setting(link.LOGIN_KEY) is None
    assert not Path(file_keyring.file_path).exists()  # no password kept either
    assert not window.sync.running


def test_connect_after_a_check_links_the_profile_once_the_server_answered(
    qtbot: QtBot, file_keyring: PlaintextKeyring, window: MainWindow, crm_db: CrmDatabase
) -> None:
    crm_db.add_user("rob", "rep")
    dialog = window.server_menu.show_connect()
    dialog.server.setText(local_address(crm_db))
    dialog.user.setText("rob")
    dialog.password.setText(crm_db.passwords["rob"])
    with qtbot.waitSignals([dialog.connected, window.sync.finished], timeout=20000):
        dialog.connect_button.click()
    assert not dialog.isVisible()
    found = link.link_of(window.profile.store)
    assert found is not None and found.login == "rob"
    assert link.stored_password(found) == crm_db.passwords["rob"]
    qtbot.waitUntil(lambda: not window.sync.running, timeout=20000)
    wait_idle(qtbot, window)


def visible_connect_dialogs(window: MainWindow) -> list[ConnectDialog]:
    return [d for d in window.findChildren(ConnectDialog) if d.isVisible()]


@pytest.fixture
def refused_window(
    qtbot: QtBot,
    no_keyring: None,
    crm_db: CrmDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[MainWindow]:
    """The window on a profile linked to the server, whose password changed there: what this
    computer has is no longer right, and every sync is refused."""
    crm_db.add_user("rob", "rep")
    monkeypatch.setenv("PGPASSWORD", "rob's old password")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    directory = tmp_path / "rob"
    profile = open_profile(directory)
    profile.store.set_setting(link.SERVER_KEY, local_address(crm_db))
    profile.store.set_setting(link.LOGIN_KEY, "rob")
    profile.close()
    yield from shown_window(qtbot, directory)


def test_password_failures_raise_the_one_connect_dialog(
    qtbot: QtBot, refused_window: MainWindow
) -> None:
    window = refused_window
    # The window's first sync is refused: the Connect dialog asks for the password.
    qtbot.waitUntil(lambda: len(visible_connect_dialogs(window)) == 1, timeout=20000)
    [first] = visible_connect_dialogs(window)
    for _round in range(2):  # as the five-minute timer does, while nobody answers the dialog
        qtbot.waitUntil(lambda: not window.sync.running, timeout=20000)
        with qtbot.waitSignal(window.sync.failed, timeout=20000):
            window.sync.timer.timeout.emit()
    assert visible_connect_dialogs(window) == [first]
    assert window.server_menu.show_connect() is first  # the menu raises it too
    assert visible_connect_dialogs(window) == [first]

    first.reject()
    qtbot.waitUntil(lambda: not window.sync.running, timeout=20000)
    # Closed, the next refusal asks again.
    with qtbot.waitSignal(window.sync.failed, timeout=20000):
        window.sync.timer.timeout.emit()
    [again] = visible_connect_dialogs(window)
    again.reject()
    qtbot.waitUntil(lambda: not window.sync.running, timeout=20000)
    wait_idle(qtbot, window)


def test_a_server_without_encryption_names_the_checkbox_and_the_flag(
    qtbot: QtBot, window: MainWindow, crm_db: CrmDatabase
) -> None:
    crm_db.add_user("rob", "rep")
    dialog = window.server_menu.show_connect()
    dialog.server.setText(plain_remote_url(crm_db))  # another computer, by name, with no TLS
    dialog.user.setText("rob")
    dialog.password.setText(crm_db.passwords["rob"])
    dialog.connect_button.click()
    qtbot.waitUntil(dialog.connect_button.isEnabled, timeout=15000)
    said = dialog.message.text()
    assert said == MESSAGES[SyncProblem.NO_TLS]
    assert f"“{dialog.no_tls.text()}”" in said  # what the window user ticks...
    assert "--no-tls" in said  # ...and what the command line takes
    assert link.link_of(window.profile.store) is None
    dialog.reject()
