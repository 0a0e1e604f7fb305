"""A password typed in the Connect dialog on a machine with no keyring lasts the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from crm_desktop.sync import link
from crm_desktop.views.connect_dialog import ConnectDialog
from crm_desktop.views.main_window import MainWindow
from tests.postgres import CrmDatabase
from tests.sync import tls_server
from tests.views.helpers import wait_idle
from tests.views.test_sync_ui import server_address

no_keyring = tls_server.no_keyring


@pytest.fixture
def nothing_but_the_dialog(
    no_keyring: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No keyring, no PGPASSWORD, no .pgpass: only what is typed."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))


def test_the_typed_password_serves_every_timed_sync(
    qtbot: QtBot, nothing_but_the_dialog: None, window: MainWindow, crm_db: CrmDatabase
) -> None:
    crm_db.add_user("rae", "rep")
    dialog = window.server_menu.show_connect()
    dialog.server.setText(server_address(crm_db))
    dialog.user.setText("rae")
    dialog.password.setText(crm_db.passwords["rae"])
    with qtbot.waitSignals([dialog.connected, window.sync.finished], timeout=20000):
        dialog.try_connect()
    qtbot.waitUntil(lambda: not window.sync.running, timeout=20000)
    wait_idle(qtbot, window)
    stored = link.link_of(window.profile.store)
    assert stored is not None
    assert crm_db.passwords["rae"] not in str(window.profile.store.setting(link.SERVER_KEY))
    assert not link.stored_password(stored)  # nothing on disk, no keyring

    for _round in range(2):  # as the five-minute timer does
        with (
            qtbot.assertNotEmitted(window.sync.failed),
            qtbot.waitSignal(window.sync.finished, timeout=20000),
        ):
            window.sync.timer.timeout.emit()
        qtbot.waitUntil(lambda: not window.sync.running, timeout=20000)
        wait_idle(qtbot, window)
    assert not [d for d in window.findChildren(ConnectDialog) if d.isVisible()]
