"""A sync cut anywhere (process killed, connection dropped, acknowledgement lost, server
restarted) loses nothing locally and applies nothing twice on the server."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import psycopg
import pytest

from crm_desktop.storage.store import STORE_FILE
from crm_desktop.sync import push as push_module
from crm_desktop.sync.engine import CrashPoints
from crm_desktop.sync.errors import SyncError, SyncProblem
from tests.postgres import PostgresServer
from tests.sync.conftest import Device, Fleet

ROOT = Path(__file__).resolve().parents[2]

KILLED_SYNC = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from crm_desktop.profile import open_profile
    from crm_desktop.sync.engine import CrashPoints, sync_once

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    profile = open_profile(Path(sys.argv[1]))
    crash = CrashPoints(**{sys.argv[2]: die})
    sync_once(profile, password=os.environ["CRM_TEST_PASSWORD"], crash=crash)
    """
)


def killed_sync(device: Device, point: str) -> None:
    """Run a sync in another process and kill -9 it right before the given local commit."""
    environment = dict(os.environ, CRM_TEST_PASSWORD=device.password, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", KILLED_SYNC, str(device.directory), point],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == -9, done.stderr


def server_count(fleet: Fleet, name: str) -> int:
    return fleet.admin("SELECT count(*) FROM customers WHERE name = %s", (name,))[0][0]


def receipts(fleet: Fleet) -> int:
    return fleet.admin("SELECT count(*) FROM sync_pushes")[0][0]


def offline_work(device: Device) -> str:
    """A customer with a contact, then an edit of it: three outbox entries."""
    customer_id = device.writer.create("customers", {"name": "Acme", "industry": "Paper"})
    customer_id = customer_id.primary_id
    device.writer.create("contacts", {"customer_id": customer_id, "name": "Zhang"})
    device.writer.update("customers", customer_id, {"industry": "Steel"})
    return customer_id


def assert_applied_once(fleet: Fleet, device: Device, customer_id: str) -> None:
    """Re-applying the edit after the admin's change would report a conflict: none may exist."""
    assert server_count(fleet, "Acme") == 1
    assert fleet.admin("SELECT count(*) FROM contacts")[0][0] == 1
    assert fleet.server_row("customers", customer_id)["industry"] == "Glass"
    assert device.row("customers", customer_id).industry == "Glass"
    assert device.outbox() == 0
    assert device.conflicts() == []
    assert len(device.ids("contacts")) == 1


def test_killed_before_recording_push_results_reuses_the_receipts(fleet: Fleet) -> None:
    device = fleet.device("rob")
    device.sync()
    customer_id = offline_work(device)
    entries = device.outbox()
    killed_sync(device, "after_push_sent")
    # The server committed; the device never learned it.
    assert server_count(fleet, "Acme") == 1
    assert receipts(fleet) == entries
    assert device.outbox() == entries
    # Someone changes the field meanwhile: applying the edit again would now be a conflict.
    fleet.admin("UPDATE customers SET industry = 'Glass' WHERE id = %s", (customer_id,))
    report = device.sync()
    assert report.pushed.conflicts == 0
    assert receipts(fleet) == entries
    assert_applied_once(fleet, device, customer_id)


def test_killed_before_recording_a_pull_loses_nothing(fleet: Fleet) -> None:
    laptop, desktop = fleet.device("rob"), fleet.device("rob")
    laptop.sync()
    desktop.sync()
    other = desktop.writer.create("customers", {"name": "Beta"}).primary_id
    desktop.sync()
    customer_id = offline_work(laptop)
    killed_sync(laptop, "after_pull_read")
    assert laptop.outbox() == 0  # the push was recorded before the pull began
    assert other not in laptop.ids("customers")
    fleet.admin("UPDATE customers SET industry = 'Glass' WHERE id = %s", (customer_id,))
    laptop.sync()
    assert laptop.row("customers", other).name == "Beta"
    assert_applied_once(fleet, laptop, customer_id)


def test_connection_cut_before_the_server_commit_keeps_the_outbox(
    fleet: Fleet, pg_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    device = fleet.device("rob")
    device.sync()
    customer_id = offline_work(device)
    entries = device.outbox()
    real_apply = push_module._apply
    calls: list[int] = []

    def cut_on_second(connection: psycopg.Connection, *args: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            with pg_server.connect(fleet.db.name) as superuser:
                superuser.execute("SELECT pg_terminate_backend(%s)", (connection.info.backend_pid,))
        return real_apply(connection, *args)

    monkeypatch.setattr(push_module, "_apply", cut_on_second)
    with pytest.raises(SyncError) as raised:
        device.sync()
    assert raised.value.problem is SyncProblem.OFFLINE
    assert device.outbox() == entries
    assert server_count(fleet, "Acme") == 0 and receipts(fleet) == 0

    monkeypatch.undo()
    device.sync()
    assert server_count(fleet, "Acme") == 1
    assert receipts(fleet) == entries
    assert fleet.server_row("customers", customer_id)["industry"] == "Steel"
    assert device.outbox() == 0


def test_acknowledgement_lost_after_the_server_commit_reuses_the_receipts(fleet: Fleet) -> None:
    device = fleet.device("rob")
    device.sync()
    customer_id = offline_work(device)
    entries = device.outbox()

    def lost() -> None:
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    with pytest.raises(SyncError) as raised:
        device.sync(crash=CrashPoints(after_push_sent=lost))
    assert raised.value.problem is SyncProblem.OFFLINE
    assert device.outbox() == entries
    assert receipts(fleet) == entries
    fleet.admin("UPDATE customers SET industry = 'Glass' WHERE id = %s", (customer_id,))
    report = device.sync()
    assert report.pushed.conflicts == 0
    assert receipts(fleet) == entries
    assert_applied_once(fleet, device, customer_id)


def test_a_batch_sent_while_the_one_before_failed_to_record_is_answered_from_its_receipt(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server applies the next batch while the device records the one before; when that
    # recording fails, the next batch is on the server all the same, and nothing is removed
    # here: the retry takes both from their receipts and applies nothing twice.
    monkeypatch.setattr(push_module, "BATCH", 1)
    device = fleet.device("rob")
    device.sync()
    customer_id = offline_work(device)
    entries = device.outbox()

    def lost() -> None:
        raise psycopg.OperationalError("disk I/O error")

    with pytest.raises(SyncError):
        device.sync(crash=CrashPoints(after_push_sent=lost))
    assert device.outbox() == entries
    assert receipts(fleet) == 2  # the first batch, and the second sent meanwhile
    assert fleet.admin("SELECT count(*) FROM contacts")[0][0] == 1
    report = device.sync()
    assert (report.pushed.applied, report.pushed.conflicts) == (entries, 0)
    assert receipts(fleet) == entries
    assert server_count(fleet, "Acme") == 1
    assert fleet.admin("SELECT count(*) FROM contacts")[0][0] == 1
    assert fleet.server_row("customers", customer_id)["industry"] == "Steel"
    assert device.outbox() == 0
    assert device.conflicts() == []


def test_a_delete_after_an_edit_answered_from_its_receipt_is_no_conflict(fleet: Fleet) -> None:
    # The edit reached the server, but its result was never recorded here; deleted offline
    # afterwards, the record's delete still names the edit by the device's time. The retry
    # answers the edit from its receipt and must read the delete's base as its own edit, not
    # as someone else's.
    device = fleet.device("rob")
    device.sync()
    customer_id = device.writer.create("customers", {"name": "Acme"}).primary_id
    device.sync()
    device.writer.update("customers", customer_id, {"industry": "Steel"})

    def lost() -> None:
        raise psycopg.OperationalError("disk I/O error")

    with pytest.raises(SyncError):
        device.sync(crash=CrashPoints(after_push_sent=lost))
    device.writer.delete("customers", [customer_id])
    report = device.sync()
    assert (report.pushed.applied, report.pushed.conflicts) == (2, 0)
    assert device.conflicts() == []
    server = fleet.server_row("customers", customer_id)
    assert (server["industry"], server["deleted_at"] is not None) == ("Steel", True)


def restart(server: PostgresServer) -> None:
    """Restart on the same port (PostgresServer.start picks a new one)."""
    done = server._run(
        server.bin_dir / "pg_ctl",
        "restart",
        "--pgdata",
        server.data_dir,
        "--log",
        server.log_file,
        "-m",
        "fast",
        "--wait",
    )
    assert done.returncode == 0, done.stderr


def test_server_restarted_between_push_and_pull(fleet: Fleet, pg_server: PostgresServer) -> None:
    laptop, desktop = fleet.device("rob"), fleet.device("rob")
    laptop.sync()
    desktop.sync()
    other = desktop.writer.create("customers", {"name": "Beta"}).primary_id
    desktop.sync()
    customer_id = offline_work(laptop)
    with pytest.raises(SyncError) as raised:
        laptop.sync(crash=CrashPoints(after_push_sent=lambda: restart(pg_server)))
    assert raised.value.problem is SyncProblem.OFFLINE
    assert "try later" in str(raised.value) or "sent at the next sync" in str(raised.value)
    laptop.sync()
    assert server_count(fleet, "Acme") == 1
    assert laptop.row("customers", other).name == "Beta"
    assert laptop.row("customers", customer_id).industry == "Steel"
    assert laptop.outbox() == 0
    assert laptop.conflicts() == []


def test_a_profile_restored_from_an_older_copy_still_pushes_its_new_work(fleet: Fleet) -> None:
    """Its outbox numbers start again where the copy left off, below numbers already pushed:
    the new changes must not be taken for the old ones the server has receipts for."""
    device = fleet.device("rob", name="laptop")
    device.sync()
    backup = fleet.base / "backup.sqlite3"
    with (
        closing(sqlite3.connect(device.profile.store.path)) as source,
        closing(sqlite3.connect(backup)) as copy,
    ):
        source.backup(copy)
    first = device.writer.create("customers", {"name": "Before"}).primary_id
    device.writer.update("customers", first, {"industry": "Paper"})
    device.sync()
    device.profile.close()
    for leftover in device.directory.glob(f"{STORE_FILE}*"):
        leftover.unlink()
    shutil.copyfile(backup, device.directory / STORE_FILE)

    restored = fleet.device("rob", name="laptop")
    second = restored.writer.create("customers", {"name": "After"}).primary_id
    restored.writer.update("customers", second, {"industry": "Steel"})
    restored.sync()
    assert restored.outbox() == 0
    assert fleet.server_row("customers", second)["industry"] == "Steel"
    assert fleet.server_row("customers", first)["industry"] == "Paper"
    assert restored.row("customers", first).name == "Before"
