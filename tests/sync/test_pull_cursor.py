"""What the pull cursor must not miss: late commits, plain SQL, TRUNCATE, restored servers,
trimmed logs, and a server newer than this program."""

from __future__ import annotations

import psycopg
import pytest

from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.sync.pull import CURSOR_KEY, EPOCH_KEY
from crm_desktop.sync.server.schema import head_revision
from tests.sync.conftest import Device, Fleet, typing_during_the_sync


def test_a_late_commit_is_not_skipped(fleet: Fleet) -> None:
    rob = fleet.device("rob")
    rob.sync()
    owner = fleet.user_ids["rob"]
    with psycopg.connect(fleet.db.admin_dsn) as late:
        early_id = late.execute(
            "INSERT INTO customers (name, owner_id) VALUES ('Early', %s) RETURNING id::text",
            (owner,),
        ).fetchone()[0]
        # Took its transaction id first, commits last.
        [(quick_id,)] = fleet.admin(
            "INSERT INTO customers (name, owner_id) VALUES ('Quick', %s) RETURNING id::text",
            (owner,),
        )
        rob.sync()
        assert quick_id in rob.ids("customers")
        assert early_id not in rob.ids("customers")
        late.commit()
    rob.sync()
    assert rob.row("customers", early_id).name == "Early"


def test_plain_sql_changes_arrive(fleet: Fleet) -> None:
    rob = fleet.device("rob")
    customer_id = rob.writer.create("customers", {"name": "Acme"}).primary_id
    rob.sync()
    fleet.admin("UPDATE customers SET industry = 'Mining' WHERE id = %s", (customer_id,))
    report = rob.sync()
    assert not report.pulled.full
    assert rob.row("customers", customer_id).industry == "Mining"


def test_truncate_forces_a_full_resync_that_keeps_the_outbox(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    rob = fleet.device("rob")
    customer_id = rob.writer.create("customers", {"name": "Acme"}).primary_id
    old = rob.writer.create(
        "followups", {"customer_id": customer_id, "kind": "call", "text": "old"}
    ).primary_id
    rob.sync()
    fleet.admin("TRUNCATE followups")
    made: list[str] = []

    def new_followup() -> None:
        changes = rob.writer.create(
            "followups", {"customer_id": customer_id, "kind": "visit", "text": "new"}
        )
        made.append(changes.primary_id)
        rob.writer.update("customers", customer_id, {"industry": "Paper"})

    typing_during_the_sync(monkeypatch, new_followup)
    report = rob.sync()
    monkeypatch.undo()
    assert report.pulled.full
    assert old not in rob.ids("followups")
    assert made[0] in rob.ids("followups")
    assert rob.row("customers", customer_id).industry == "Paper"  # unpushed edit stays on top
    assert rob.outbox() >= 2
    rob.sync()
    assert rob.outbox() == 0
    assert fleet.server_row("followups", made[0])["text"] == "new"
    assert fleet.server_row("customers", customer_id)["industry"] == "Paper"


def full_resync_keeps_unpushed_work(
    fleet: Fleet, rob: Device, monkeypatch: pytest.MonkeyPatch, customer_id: str
) -> None:
    def edit() -> None:
        rob.writer.update("customers", customer_id, {"industry": "Pending"})

    typing_during_the_sync(monkeypatch, edit)
    report = rob.sync()
    monkeypatch.undo()
    assert report.pulled.full
    assert rob.row("customers", customer_id).industry == "Pending"
    assert rob.outbox() == 1
    again = rob.sync()
    assert not again.pulled.full
    assert fleet.server_row("customers", customer_id)["industry"] == "Pending"


def test_a_new_server_epoch_forces_a_full_resync(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    rob = fleet.device("rob")
    customer_id = rob.writer.create("customers", {"name": "Acme"}).primary_id
    rob.sync()
    fleet.admin("UPDATE sync_meta SET epoch = gen_random_uuid()")
    full_resync_keeps_unpushed_work(fleet, rob, monkeypatch, customer_id)


def test_a_cursor_kept_by_the_previous_version_stays_incremental(fleet: Fleet) -> None:
    """The previous version kept the server's epoch alone; this one adds its change log
    table's identity. A device upgraded between two syncs is not sent a full download for
    that, and keeps the new form from its next sync on."""
    rob = fleet.device("rob")
    rob.sync()
    epoch = rob.profile.store.setting(EPOCH_KEY)
    assert epoch is not None and "/" in epoch
    rob.profile.store.set_setting(EPOCH_KEY, epoch.split("/", 1)[0])
    assert not rob.sync().pulled.full
    assert rob.profile.store.setting(EPOCH_KEY) == epoch
    fleet.admin("UPDATE sync_meta SET epoch = gen_random_uuid()")
    rob.profile.store.set_setting(EPOCH_KEY, epoch.split("/", 1)[0])
    assert rob.sync().pulled.full  # the old form still tells another epoch


def test_a_server_restored_from_an_older_backup_forces_a_full_resync(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    rob = fleet.device("rob")
    customer_id = rob.writer.create("customers", {"name": "Acme"}).primary_id
    rob.sync()
    # The device saw transactions the restored server has not reached again.
    rob.profile.store.set_setting(CURSOR_KEY, "4000000000:4000000000:")
    full_resync_keeps_unpushed_work(fleet, rob, monkeypatch, customer_id)


def test_a_device_offline_longer_than_the_log_is_kept_resyncs_in_full(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    rob = fleet.device("rob")
    customer_id = rob.writer.create("customers", {"name": "Acme"}).primary_id
    rob.sync()
    gone = rob.writer.create("customers", {"name": "Gone"}).primary_id
    rob.sync()
    fleet.admin("UPDATE customers SET name = 'Acme Ltd' WHERE id = %s", (customer_id,))
    # The admin hard-deletes a customer and trims the log, as a retention job would.
    fleet.admin("DELETE FROM customers WHERE id = %s", (gone,))
    fleet.admin("UPDATE sync_meta SET log_floor = pg_current_xact_id()")
    fleet.admin("DELETE FROM sync_changes")
    full_resync_keeps_unpushed_work(fleet, rob, monkeypatch, customer_id)
    assert rob.row("customers", customer_id).name == "Acme Ltd"
    assert gone not in rob.ids("customers")


def test_an_old_program_against_a_newer_server_asks_to_upgrade_and_keeps_the_queue(
    fleet: Fleet,
) -> None:
    rob = fleet.device("rob")
    rob.sync()
    customer_id = rob.writer.create("customers", {"name": "Acme"}).primary_id
    fleet.admin("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    with pytest.raises(SyncError) as raised:
        rob.sync()
    assert raised.value.problem is SyncProblem.UPGRADE
    assert "please upgrade" in str(raised.value)
    assert rob.outbox() == 1
    assert fleet.server_row("customers", customer_id) is None
    fleet.admin("UPDATE alembic_version SET version_num = %s", (head_revision(),))
    rob.sync()
    assert rob.outbox() == 0
    assert fleet.server_row("customers", customer_id)["name"] == "Acme"
