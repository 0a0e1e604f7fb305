"""Restore and recovery against the real server: the restored or repaired device converges with
the server, every change that was waiting reaches it exactly once, and nothing is lost."""

from __future__ import annotations

import subprocess

import pytest
from pytestqt.qtbot import QtBot

from crm_desktop.app import build_main_window
from crm_desktop.profile import open_profile
from crm_desktop.storage import backups
from crm_desktop.storage.store import STORE_FILE
from crm_desktop.sync import pull
from crm_desktop.sync.server import maintenance
from crm_desktop.views import backups_dialog
from tests.postgres import CRM_ADMIN
from tests.storage.test_backups import damage, pages_of, settle
from tests.sync.conftest import Device, Fleet
from tests.views.test_backups_dialog import Messages


def reopen(device: Device) -> None:
    """The device started again on its profile folder (after a restore or a repair)."""
    device.profile = open_profile(device.directory)


def server_names(fleet: Fleet, ids: list[str]) -> dict[str, str]:
    rows = fleet.admin("SELECT id::text, name FROM customers WHERE id = ANY(%s::uuid[])", (ids,))
    return dict(rows)


def test_restoring_an_old_backup_then_syncing_loses_nothing(fleet: Fleet) -> None:
    laptop, desktop = fleet.device("rob"), fleet.device("rob")
    early = laptop.writer.create("customers", {"name": "Early Ltd"}).primary_id
    laptop.sync()
    copy = backups.back_up(laptop.directory)
    # After the copy: work pushed, work from the other device, and work still waiting.
    pushed_later = laptop.writer.create("customers", {"name": "Pushed Later"}).primary_id
    laptop.sync()
    desktop.sync()
    elsewhere = desktop.writer.create("customers", {"name": "From The Desktop"}).primary_id
    desktop.sync()
    laptop.writer.update("customers", early, {"name": "Early Ltd (renamed offline)"})
    waiting = laptop.writer.create("customers", {"name": "Waiting Co"}).primary_id
    assert laptop.outbox() == 2
    laptop.profile.close()

    report = backups.restore(laptop.directory, copy)
    assert report.linked and report.unsynced == 2

    reopen(laptop)
    assert laptop.profile.store.setting(pull.CURSOR_KEY) is None
    synced = laptop.sync()
    assert synced.pulled.full
    assert synced.pushed.applied == 2 and synced.pushed.conflicts == 0
    assert laptop.outbox() == 0 and laptop.conflicts() == []
    every = [early, pushed_later, elsewhere, waiting]
    expected = {
        early: "Early Ltd (renamed offline)",
        pushed_later: "Pushed Later",
        elsewhere: "From The Desktop",
        waiting: "Waiting Co",
    }
    assert server_names(fleet, every) == expected
    assert {i: laptop.row("customers", i).name for i in every} == expected
    # Each record once on the server: nothing was sent twice.
    counted = fleet.admin(
        "SELECT count(*) FROM customers WHERE name IN ('Pushed Later', 'Waiting Co')"
    )
    assert counted == [(2,)]
    desktop.sync()
    assert desktop.row("customers", early).name == "Early Ltd (renamed offline)"
    assert desktop.row("customers", waiting) is not None


def test_a_repaired_store_resends_entries_already_pushed_harmlessly(fleet: Fleet) -> None:
    """Recovered from a backup whose outbox holds changes pushed since: sent again, each is
    answered from its push receipt instead of being applied twice."""
    laptop = fleet.device("rob")
    laptop.sync()
    made = laptop.writer.create("customers", {"name": "Sent Twice?"}).primary_id
    backups.back_up(laptop.directory, backups.DAILY)  # its outbox holds the insert
    laptop.sync()  # pushed: the receipt is on the server
    laptop.writer.update("customers", made, {"phone": "13800138000"})
    assert laptop.outbox() == 1
    laptop.profile.close()
    settle(laptop.directory)
    damage(laptop.directory / STORE_FILE, [1])  # the header: nothing of it can be read

    report = backups.recover(laptop.directory)
    assert report.restored_from is not None and report.unsynced >= 1

    reopen(laptop)
    assert laptop.outbox() == 1  # the backup's: the insert, pushed since
    synced = laptop.sync()
    assert synced.pushed.conflicts == 0 and synced.pushed.refused == 0
    assert laptop.outbox() == 0 and laptop.conflicts() == []
    assert fleet.admin("SELECT count(*) FROM customers WHERE name = 'Sent Twice?'") == [(1,)]
    # The edit made after the backup was in the unreadable store: lost with it, said so by
    # `incomplete`; the backup's state is what came back, and the server's wins.
    assert report.incomplete
    assert laptop.row("customers", made).name == "Sent Twice?"


def test_a_damaged_store_at_start_is_filled_from_the_server_and_its_outbox_replayed(
    fleet: Fleet, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = fleet.device("rob")
    writer = laptop.writer
    ids = [
        writer.create("customers", {"name": f"客户 {n:03}", "phone": "13800138000"}).primary_id
        for n in range(300)
    ]
    for customer_id in ids[:100]:
        writer.create("contacts", {"customer_id": customer_id, "name": "张伟"})
    laptop.sync()
    # Offline work waiting in the outbox when the disk goes bad.
    edited = ids[7]
    writer.update("customers", edited, {"name": "客户 007 (改名)"})
    new = writer.create("customers", {"name": "离线新客户"}).primary_id
    assert laptop.outbox() == 2
    laptop.profile.close()
    settle(laptop.directory)
    path = laptop.directory / STORE_FILE
    # Pages of the customers and contacts tables in the middle of the file.
    bad = pages_of(path, "customers")[5:9] + pages_of(path, "contacts")[2:4]
    damage(path, bad)
    assert backups.is_damaged(laptop.directory)
    monkeypatch.setenv("PGPASSWORD", laptop.password)
    messages = Messages(monkeypatch, backups_dialog.QMessageBox.StandardButton.Ok)

    # As run_gui starts: the check, then the window, whose first act is a sync.
    assert backups_dialog.check_at_start(laptop.directory)
    kind, text = messages.said[-1]
    assert kind == "warning" and "damaged and has been replaced" in text
    assert "2 change(s) not yet sent to the server are kept" in text or "2 changes" in text
    window = build_main_window(laptop.directory)
    qtbot.addWidget(window)
    finished: list[object] = []
    window.sync.finished.connect(finished.append)
    window.sync.failed.connect(finished.append)
    window.show()
    qtbot.waitUntil(lambda: bool(finished), timeout=60000)
    report = finished[0]
    assert not isinstance(report, BaseException), report
    assert report.pulled.full and report.pushed.applied == 2
    window.close()
    window.profile.close()

    reopen(laptop)
    assert laptop.outbox() == 0 and laptop.conflicts() == []
    assert laptop.ids("customers") == set(ids) | {new}  # every record back
    assert len(laptop.ids("contacts")) == 100
    assert laptop.row("customers", edited).name == "客户 007 (改名)"
    assert server_names(fleet, [edited, new]) == {edited: "客户 007 (改名)", new: "离线新客户"}


def test_a_store_damaged_in_its_data_pages_sends_nothing_twice(fleet: Fleet) -> None:
    """The damaged store's settings can be read, so its pushed mark is known: the backup's
    entries pushed since the backup are left out, not renumbered and applied again."""
    laptop = fleet.device("rob")
    writer = laptop.writer
    ids = [
        writer.create("customers", {"name": f"Cust {n:03} " + "y" * 120}).primary_id
        for n in range(300)
    ]
    laptop.sync()
    edited, deleted, waiting = ids[1], ids[2], ids[10]
    writer.update("customers", edited, {"phone": "13800000001"})
    token = writer.delete("customers", [deleted]).undo
    backups.back_up(laptop.directory, backups.DAILY)  # its outbox: the update and the delete
    laptop.sync()
    writer.update("customers", edited, {"phone": "13800000002"})  # later, and pushed
    writer.restore(token)  # the delete undone, and pushed
    laptop.sync()
    writer.update("customers", waiting, {"phone": "13800138000"})  # waiting when it breaks
    assert laptop.outbox() == 1
    laptop.profile.close()
    settle(laptop.directory)
    path = laptop.directory / STORE_FILE
    damage(path, pages_of(path, "customers")[20:22])  # data pages only: settings readable

    report = backups.recover(laptop.directory)
    assert report.restored_from is not None and report.damaged

    reopen(laptop)
    assert laptop.outbox() == 1  # the waiting change only: the backup's two were pushed
    synced = laptop.sync()
    assert synced.pushed.applied == 1 and synced.pushed.conflicts == 0
    assert laptop.outbox() == 0 and laptop.conflicts() == []
    on_server = fleet.admin(
        "SELECT id::text, phone, deleted_at IS NOT NULL FROM customers WHERE id = ANY(%s::uuid[])",
        ([edited, deleted, waiting],),
    )
    assert sorted(on_server) == sorted(
        [
            (edited, "+8613800000002", False),
            (deleted, None, False),  # not deleted a second time
            (waiting, "+8613800138000", False),
        ]
    )
    assert laptop.row("customers", edited).phone == "+8613800000002"
    assert laptop.row("customers", deleted) is not None


def test_a_database_put_back_by_hand_with_pg_restore_is_downloaded_again(
    fleet: Fleet, tmp_path
) -> None:
    """An administrator who restores a backup with PostgreSQL's own tools (the database
    dropped, made again, pg_restore) instead of `server restore` gives the server the same
    identity as before: the devices went on with incremental syncs, and kept what the server
    no longer held, for good. Their tables are new ones, which the devices now notice."""
    rob, mia = fleet.device("rob"), fleet.device("mia")
    kept = rob.writer.create("customers", {"name": "Before the backup", "industry": "A"})
    rob.sync()
    mia.sync()
    dump = tmp_path / "crm.dump"
    maintenance.backup(fleet.db.admin_dsn, dump)
    after = rob.writer.create("customers", {"name": "After the backup"}).primary_id
    rob.writer.update("customers", kept.primary_id, {"industry": "B"})
    rob.sync()
    mia.sync()
    assert mia.row("customers", after) is not None

    server = fleet.db.server
    server.drop_database(fleet.db.name)
    server.create_database(fleet.db.name, owner=CRM_ADMIN)
    restored = subprocess.run(
        [str(server.bin_dir / "pg_restore"), "--no-owner", "-d", fleet.db.admin_dsn, str(dump)],
        capture_output=True,
        text=True,
        check=False,
    )
    # The one error: the new database has the public schema the dump makes again.
    errors = [line for line in restored.stderr.splitlines() if "ERROR" in line]
    assert errors == ['pg_restore: error: could not execute query: ERROR:  schema "public" '
                      "already exists"], restored.stderr  # fmt: skip
    for device in (mia, rob):
        assert device.sync().pulled.full
        assert device.row("customers", after) is None
        assert device.row("customers", kept.primary_id).industry == "A"
    # Later syncs are incremental again.
    assert not mia.sync().pulled.full
