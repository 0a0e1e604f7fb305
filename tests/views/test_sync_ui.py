"""Sync from the real window: status area, sync button, connect dialog, conflicts view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg.conninfo import make_conninfo
from pytestqt.qtbot import QtBot

from crm_desktop.app import build_main_window
from crm_desktop.models.entities import Conflict
from crm_desktop.profile import open_profile
from crm_desktop.sync import link
from crm_desktop.sync.errors import MESSAGES, SyncProblem
from crm_desktop.views.connect_dialog import ConnectDialog
from crm_desktop.views.main_window import MainWindow
from tests.postgres import CrmDatabase
from tests.sync import tls_server
from tests.sync.tls_server import TlsCluster, plain_remote_url
from tests.views.helpers import wait_idle

tls_cluster = tls_server.tls_cluster
tls_crm_db = tls_server.tls_crm_db
file_keyring = tls_server.file_keyring


def server_address(db: CrmDatabase) -> str:
    return make_conninfo(host=db.server.host, port=db.server.port, dbname=db.name)


@pytest.fixture
def connected_window(
    qtbot: QtBot, crm_db: CrmDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    crm_db.add_user("rob", "rep")
    # No keyring on a test machine: libpq's own PGPASSWORD, as the README says for such systems.
    monkeypatch.setenv("PGPASSWORD", crm_db.passwords["rob"])
    directory = tmp_path / "rob"
    profile = open_profile(directory)
    profile.store.set_setting(link.SERVER_KEY, server_address(crm_db))
    profile.store.set_setting(link.LOGIN_KEY, "rob")
    profile.close()
    window = build_main_window(directory)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    window.profile.close()


def wait_synced(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.sync.running, timeout=20000)
    wait_idle(qtbot, window)


def test_status_shows_online_and_pending_changes(
    qtbot: QtBot, connected_window: MainWindow, crm_db: CrmDatabase
) -> None:
    window = connected_window
    wait_synced(qtbot, window)
    assert window.sync_area.label.text().startswith("Online"), window.sync_area.label.text()
    assert "0 changes waiting" in window.sync_area.label.text()

    window.runner.write(lambda: window.writer.create("customers", {"name": "Acme"}))
    qtbot.waitUntil(lambda: "1 change waiting" in window.sync_area.label.text(), timeout=10000)

    with qtbot.waitSignal(window.sync.finished, timeout=20000):
        window.sync_area.button.click()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "0 changes waiting" in window.sync_area.label.text(), timeout=10000)
    with crm_db.connect_as("rob") as connection:
        names = [r[0] for r in connection.execute("SELECT name FROM customers").fetchall()]
    assert names == ["Acme"]


def test_offline_is_said_plainly_and_work_goes_on(
    qtbot: QtBot, connected_window: MainWindow, crm_db: CrmDatabase
) -> None:
    window = connected_window
    wait_synced(qtbot, window)
    window.profile.store.set_setting(
        link.SERVER_KEY, make_conninfo(host="127.0.0.1", port=1, dbname=crm_db.name)
    )
    with qtbot.waitSignal(window.sync.failed, timeout=20000):
        window.sync_area.button.click()
    wait_idle(qtbot, window)
    assert window.sync_area.label.text().startswith("Offline")
    window.runner.write(lambda: window.writer.create("customers", {"name": "Typed offline"}))
    qtbot.waitUntil(lambda: window.models["customers"].rowCount() == 1, timeout=10000)


def test_conflicts_view_lists_and_reapplies(qtbot: QtBot, connected_window: MainWindow) -> None:
    window = connected_window
    wait_synced(qtbot, window)
    customer = window.writer.create("customers", {"name": "Acme", "industry": "Steel"})
    with window.profile.store.write() as session:
        session.add(
            Conflict(
                entity="customers",
                row_id=customer.primary_id,
                field="industry",
                kind="same_field",
                kept_value="Steel",
                lost_value="Glass",
            )
        )
    window.sync_area.refresh()
    qtbot.waitUntil(lambda: "1 conflict" in window.sync_area.label.text(), timeout=5000)
    assert window.server_menu.conflicts_action.text() == "Conflicts (1)"
    view = window.server_menu.show_conflicts()
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=5000)
    sentence = view.table.item(0, 0).text()
    assert "“Steel” was kept" in sentence and "“Glass”" in sentence
    view.use_mine(view.conflicts[0].id)
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=5000)
    qtbot.waitUntil(lambda: "conflict" not in window.sync_area.label.text(), timeout=5000)
    from crm_desktop.models.entities import Customer

    with window.profile.store.read() as session:
        assert session.get(Customer, customer.primary_id).industry == "Glass"


def test_not_connected_profile_offers_connect_and_explains_bad_password(
    qtbot: QtBot, window: MainWindow, crm_db: CrmDatabase
) -> None:
    crm_db.add_user("rae", "rep")
    assert "not connected" in window.sync_area.label.text()
    window.sync_area.button.click()
    dialog = window.findChild(type(window.server_menu.show_connect()), "connectDialog")
    assert dialog is not None
    dialog.server.setText(server_address(crm_db))
    dialog.user.setText("rae")
    dialog.password.setText("wrong password")
    dialog.try_connect()
    qtbot.waitUntil(lambda: "did not accept" in dialog.message.text(), timeout=15000)
    assert link.link_of(window.profile.store) is None
    dialog.password.setText(crm_db.passwords["rae"])
    with qtbot.waitSignal(dialog.connected, timeout=15000):
        dialog.try_connect()
    assert link.link_of(window.profile.store) is not None
    qtbot.waitUntil(lambda: not window.sync.running, timeout=20000)
    wait_idle(qtbot, window)


def open_connect_dialog(window: MainWindow, db: CrmDatabase, server: str) -> ConnectDialog:
    db.add_user("rob", "rep")
    dialog = window.server_menu.show_connect()
    dialog.server.setText(server)
    dialog.user.setText("rob")
    dialog.password.setText(db.passwords["rob"])
    return dialog


def test_connect_without_encryption_only_when_ticked_and_the_status_says_so(
    qtbot: QtBot, file_keyring: object, window: MainWindow, crm_db: CrmDatabase
) -> None:
    # A server without TLS, named as another computer.
    dialog = open_connect_dialog(window, crm_db, plain_remote_url(crm_db))
    assert not dialog.no_tls.isChecked()
    dialog.try_connect()
    expected = MESSAGES[SyncProblem.NO_TLS]
    qtbot.waitUntil(lambda: dialog.message.text() == expected, timeout=15000)
    assert link.link_of(window.profile.store) is None

    dialog.ca_file.setText("/ignored/when/not/encrypting.pem")
    dialog.no_tls.setChecked(True)
    assert not dialog.ca_file.isEnabled()
    with qtbot.waitSignals([dialog.connected, window.sync.finished], timeout=20000):
        dialog.try_connect()
    wait_idle(qtbot, window)
    found = link.link_of(window.profile.store)
    assert found is not None and found.unencrypted and found.ca_file == ""
    qtbot.waitUntil(lambda: window.sync_area.label.text().startswith("Online"), timeout=10000)
    assert "not encrypted" in window.sync_area.label.text()
    assert "not encrypted" in window.sync_area.label.toolTip()


def test_the_ca_file_field_verifies_the_server(
    qtbot: QtBot,
    file_keyring: object,
    window: MainWindow,
    tls_cluster: TlsCluster,
    tls_crm_db: CrmDatabase,
) -> None:
    dialog = open_connect_dialog(window, tls_crm_db, tls_cluster.remote_url(tls_crm_db.name))
    dialog.ca_file.setText(str(tls_cluster.wrong_ca))
    dialog.try_connect()
    expected = MESSAGES[SyncProblem.CERTIFICATE]
    qtbot.waitUntil(lambda: dialog.message.text() == expected, timeout=15000)
    assert link.link_of(window.profile.store) is None

    dialog.ca_file.setText(str(tls_cluster.good_ca))
    with qtbot.waitSignals([dialog.connected, window.sync.finished], timeout=20000):
        dialog.try_connect()
    wait_idle(qtbot, window)
    found = link.link_of(window.profile.store)
    assert found is not None and found.ca_file == str(tls_cluster.good_ca)
    assert "sslmode=verify-full" in found.server
    qtbot.waitUntil(lambda: window.sync_area.label.text().startswith("Online"), timeout=10000)
    assert "not encrypted" not in window.sync_area.label.text()
    assert window.sync_area.label.toolTip() == ""
    # Opened again (after a wrong password, say), the dialog keeps verifying with that file.
    again = window.server_menu.show_connect()
    assert again.ca_file.text() == str(tls_cluster.good_ca)
    assert not again.no_tls.isChecked()
    again.reject()
