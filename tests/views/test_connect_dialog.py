"""Connecting waits on the network off the storage thread: the tables are served meanwhile."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from crm_desktop.sync import link
from crm_desktop.views.main_window import MainWindow


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
