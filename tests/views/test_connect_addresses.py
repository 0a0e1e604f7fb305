"""The Connect dialog takes an address as people write it, and says plainly what is wrong with
one it cannot use: a bad address, or a server that is not there."""

from __future__ import annotations

import socket

import pytest
from psycopg.conninfo import conninfo_to_dict
from pytestqt.qtbot import QtBot

from crm_desktop.sync import link
from crm_desktop.sync.errors import MESSAGES, SyncProblem
from crm_desktop.views.connect_dialog import ConnectDialog
from crm_desktop.views.main_window import MainWindow
from tests.postgres import CrmDatabase
from tests.views.helpers import wait_idle


def fill(window: MainWindow, server: str, user: str, password: str) -> ConnectDialog:
    dialog = window.server_menu.show_connect()
    dialog.server.setText(server)
    dialog.user.setText(user)
    dialog.password.setText(password)
    return dialog


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (taken, then let go)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_plain_host_port_and_database_connects(
    qtbot: QtBot, window: MainWindow, crm_db: CrmDatabase
) -> None:
    crm_db.add_user("rob", "rep")
    typed = f"127.0.0.1:{crm_db.server.port}/{crm_db.name}"
    dialog = fill(window, typed, "rob", crm_db.passwords["rob"])
    with qtbot.waitSignal(dialog.connected, timeout=15000):
        dialog.connect_button.click()
    found = link.link_of(window.profile.store)
    assert found is not None and found.login == "rob"
    params = conninfo_to_dict(found.server)
    assert params["host"] == "127.0.0.1"
    assert params["port"] == str(crm_db.server.port)
    assert params["dbname"] == crm_db.name
    assert "sslmode" not in params  # this computer: no TLS demanded
    qtbot.waitUntil(lambda: not window.sync.running, timeout=20000)
    wait_idle(qtbot, window)


@pytest.mark.parametrize("typed", ["postgresql://host:notaport/db", "host=", "crm example"])
def test_a_bad_address_gets_the_address_sentence(
    qtbot: QtBot, window: MainWindow, typed: str
) -> None:
    dialog = fill(window, typed, "rob", "pw")
    dialog.connect_button.click()
    message = window.findChild(type(dialog.message), "connectMessage")
    assert message is dialog.message
    expected = MESSAGES[SyncProblem.ADDRESS]
    qtbot.waitUntil(lambda: dialog.message.text() == expected, timeout=15000)
    assert dialog.connect_button.isEnabled()
    assert link.link_of(window.profile.store) is None
    dialog.reject()


def test_a_server_that_is_down_is_not_promised_later_changes(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = fill(window, f"127.0.0.1:{closed_port()}/crm", "rob", "pw")
    dialog.connect_button.click()
    expected = MESSAGES[SyncProblem.UNREACHABLE]
    qtbot.waitUntil(lambda: dialog.message.text() == expected, timeout=15000)
    assert "sent at the next sync" not in dialog.message.text()
    assert "check the address" in dialog.message.text()
    assert link.link_of(window.profile.store) is None
    dialog.reject()
