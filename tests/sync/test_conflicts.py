"""Concurrent edits: the first change to reach the server wins a field, the loser is kept."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from crm_desktop import cli
from crm_desktop.models import base as model_base
from crm_desktop.models.entities import Conflict
from crm_desktop.services import writer as writer_module
from crm_desktop.services.merging import merge_records
from crm_desktop.sync import conflicts as sync_conflicts
from crm_desktop.sync import pull as pull_module
from crm_desktop.sync import push as push_module
from crm_desktop.views.display import local_datetime
from tests.sync.conftest import Device, Fleet, typing_during_the_sync


def two_robs(fleet: Fleet) -> tuple[Device, Device, str]:
    laptop, desktop = fleet.device("rob"), fleet.device("rob")
    customer_id = laptop.writer.create(
        "customers", {"name": "Acme", "industry": "Paper"}
    ).primary_id
    laptop.sync()
    desktop.sync()
    return laptop, desktop, customer_id


def conflicts_json(directory: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert cli.main(["conflicts", "--json", "--profile", str(directory)]) == 0
    return json.loads(capsys.readouterr().out)


def test_same_field_first_to_the_server_wins_and_the_loser_is_kept(
    fleet: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop, desktop, customer_id = two_robs(fleet)
    laptop.writer.update("customers", customer_id, {"industry": "Steel"})
    desktop.writer.update("customers", customer_id, {"industry": "Glass"})
    desktop.sync()  # reaches the server first
    report = laptop.sync()
    assert report.pushed.conflicts == 1
    desktop.sync()
    for device in (laptop, desktop):
        assert device.row("customers", customer_id).industry == "Glass"
        assert device.outbox() == 0
    assert fleet.server_row("customers", customer_id)["industry"] == "Glass"

    assert desktop.conflicts() == []
    [conflict] = laptop.conflicts()
    assert (conflict.kind, conflict.field) == ("same_field", "industry")
    assert (conflict.kept_value, conflict.lost_value) == ("Glass", "Steel")

    listed = conflicts_json(laptop.directory, capsys)
    assert len(listed) == 1
    item = listed[0]
    assert {"entity", "id", "field", "kept", "lost", "when", "who"} <= item.keys()
    assert (item["entity"], item["id"], item["field"]) == ("customers", customer_id, "industry")
    assert (item["kept"], item["lost"], item["who"]) == ("Glass", "Steel", "rob")
    # As lines: the window's own sentence, the change's local time and the record's id.
    assert cli.main(["conflicts", "--profile", str(laptop.directory)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    when = local_datetime(conflict.made_at).strftime("%Y-%m-%d %H:%M")
    assert line == (
        f"{when}  Industry of this customer “Acme” was changed by someone else first: “Glass” "
        f"was kept, your “Steel” was not.  [customers {customer_id}]"
    )
    assert item["when"]

    # Putting the losing value back is a new edit that the next syncs spread everywhere.
    sync_conflicts.reapply(laptop.profile.store, laptop.writer, conflict.id)
    assert laptop.conflicts() == []
    laptop.sync()
    desktop.sync()
    for device in (laptop, desktop):
        assert device.row("customers", customer_id).industry == "Steel"
    assert fleet.server_row("customers", customer_id)["industry"] == "Steel"
    assert conflicts_json(laptop.directory, capsys) == []


def test_several_offline_edits_of_a_field_make_one_conflict_holding_the_last(
    fleet: Fleet,
) -> None:
    """Each queued edit of the field lost to the same value of someone else's: ten of them
    made ten conflicts, nine holding values the user had typed over himself. The newest one
    stands for them; the older are kept as resolved, not deleted."""
    laptop, desktop, customer_id = two_robs(fleet)
    desktop.writer.update("customers", customer_id, {"industry": "Glass"})
    desktop.sync()
    for typed in ("Steel", "Steel and iron", "Iron"):
        laptop.writer.update("customers", customer_id, {"industry": typed})
    laptop.sync()
    [conflict] = laptop.conflicts()
    assert (conflict.kind, conflict.field, conflict.kept_value, conflict.lost_value) == (
        "same_field",
        "industry",
        "Glass",
        "Iron",
    )
    assert superseded(laptop) == ["Steel", "Steel and iron"]

    # The same for edits of a record deleted meanwhile.
    desktop.sync()
    desktop.writer.delete("customers", [customer_id])
    desktop.sync()
    for phone in ("13900000001", "13900000002"):
        laptop.writer.update("customers", customer_id, {"phone": phone})
    laptop.sync()
    assert [(c.kind, c.field, c.lost_value) for c in laptop.conflicts()] == [
        ("same_field", "industry", "Iron"),
        ("edited_deleted", "phone", "+8613900000002"),
    ]
    assert superseded(laptop) == ["Steel", "Steel and iron", "+8613900000001"]


def superseded(device: Device) -> list[object]:
    with device.profile.store.read() as session:
        found = session.scalars(
            select(Conflict.lost_value)
            .where(Conflict.resolved_at.is_not(None))
            .order_by(Conflict.id)
        )
        return list(found)


def test_a_clock_days_fast_does_not_win(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    laptop, desktop, customer_id = two_robs(fleet)
    honest = model_base.utcnow
    laptop.writer.update("customers", customer_id, {"phone": "13800000001"})
    laptop.sync()  # the honest edit reaches the server first

    # The desktop's clock runs three days ahead: its edit looks newer, and must still lose.
    monkeypatch.setattr(writer_module, "utcnow", lambda: honest() + timedelta(days=3))
    desktop.writer.update("customers", customer_id, {"phone": "13800000002"})
    monkeypatch.undo()
    desktop.sync()
    laptop.sync()
    for device in (laptop, desktop):
        assert device.row("customers", customer_id).phone == "+8613800000001"
    [conflict] = desktop.conflicts()
    assert (conflict.kept_value, conflict.lost_value) == ("+8613800000001", "+8613800000002")
    assert conflict.made_at > honest() + timedelta(days=2)


def test_different_fields_and_then_a_third_edit_still_reach_the_server(fleet: Fleet) -> None:
    """Edits made after the outbox was emptied once are pushed too (not mistaken for old ones)."""
    laptop, desktop, customer_id = two_robs(fleet)
    for number, industry in enumerate(["Steel", "Glass", "Wood", "Stone"]):
        laptop.writer.update("customers", customer_id, {"industry": industry})
        laptop.sync()
        assert fleet.server_row("customers", customer_id)["industry"] == industry, number
    desktop.sync()
    assert desktop.row("customers", customer_id).industry == "Stone"


def test_edit_reaching_the_server_after_a_delete_is_kept_and_restorable(fleet: Fleet) -> None:
    laptop, desktop, customer_id = two_robs(fleet)
    contact_id = laptop.writer.create(
        "contacts", {"customer_id": customer_id, "name": "Zhang"}
    ).primary_id
    laptop.sync()
    desktop.sync()
    undo = laptop.writer.delete("customers", [customer_id]).undo
    desktop.writer.update("customers", customer_id, {"industry": "Steel", "phone": "13900000000"})
    laptop.sync()  # the delete reaches the server first
    report = desktop.sync()
    assert report.pushed.conflicts == 2

    # Delete wins on every device; the edit is kept as conflicts.
    laptop.sync()
    for device in (laptop, desktop):
        assert device.row("customers", customer_id).deleted_at is not None
        assert device.row("contacts", contact_id).deleted_at is not None
    assert fleet.server_row("customers", customer_id)["deleted_at"] is not None
    kept = {c.field: (c.kind, c.kept_value, c.lost_value) for c in desktop.conflicts()}
    assert kept == {
        "industry": ("edited_deleted", "Paper", "Steel"),
        "phone": ("edited_deleted", None, "+8613900000000"),
    }

    # Restoring brings the record back with its children; re-applying the conflicts brings the
    # edit back, and both spread.
    assert undo is not None
    laptop.writer.restore(undo)
    laptop.sync()
    desktop.sync()
    assert desktop.row("customers", customer_id).deleted_at is None
    assert desktop.row("contacts", contact_id).deleted_at is None
    for conflict in desktop.conflicts():
        sync_conflicts.reapply(desktop.profile.store, desktop.writer, conflict.id)
    desktop.sync()
    laptop.sync()
    for device in (laptop, desktop):
        row = device.row("customers", customer_id)
        assert (row.deleted_at, row.industry, row.phone) == (None, "Steel", "+8613900000000")
        assert device.row("contacts", contact_id).deleted_at is None


def test_delete_reaching_the_server_after_an_edit_wins_and_restore_keeps_the_edit(
    fleet: Fleet,
) -> None:
    laptop, desktop, customer_id = two_robs(fleet)
    desktop.writer.update("customers", customer_id, {"industry": "Steel"})
    undo = laptop.writer.delete("customers", [customer_id]).undo
    desktop.sync()  # the edit reaches the server first
    laptop.sync()
    desktop.sync()
    for device in (laptop, desktop):
        row = device.row("customers", customer_id)
        assert row.deleted_at is not None
        assert row.industry == "Steel"  # the edit is in the deleted record, not dropped
    assert fleet.server_row("customers", customer_id)["deleted_at"] is not None
    # The deleting device is told that it deleted someone's newer edit.
    told = [c for c in laptop.conflicts() if c.kind == "deleted_over_edit"]
    assert [(c.row_id, c.reason) for c in told] == [(customer_id, "rob")]

    assert undo is not None
    laptop.writer.restore(undo)
    laptop.sync()
    desktop.sync()
    for device in (laptop, desktop):
        row = device.row("customers", customer_id)
        assert (row.deleted_at, row.industry) == (None, "Steel")


def test_a_delete_made_while_a_sync_runs_can_still_be_undone(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop, customer_id = two_robs(fleet)
    desktop.writer.update("customers", customer_id, {"industry": "Steel"})
    desktop.sync()
    undo = []

    def delete() -> None:
        undo.append(laptop.writer.delete("customers", [customer_id]).undo)

    typing_during_the_sync(monkeypatch, delete)
    laptop.sync()  # pulls the desktop's edit on top of the unpushed delete
    monkeypatch.undo()
    row = laptop.row("customers", customer_id)
    assert (row.industry, row.deleted_at is not None) == ("Steel", True)
    laptop.writer.restore(undo[0])
    assert laptop.row("customers", customer_id).deleted_at is None
    laptop.sync()
    desktop.sync()
    for device in (laptop, desktop):
        row = device.row("customers", customer_id)
        assert (row.deleted_at, row.industry) == (None, "Steel")


def test_a_customer_deleted_offline_over_records_a_colleague_added_is_said(
    fleet: Fleet,
) -> None:
    """Rob deletes a customer offline; his manager meanwhile adds a contact and a payment to
    it. The delete takes them too (server 0026), so rob is told whose work went with it, and
    restoring the customer brings it back; what rob had downloaded before is no news."""
    rob, mia = fleet.device("rob"), fleet.device("mia")
    customer = rob.writer.create("customers", {"name": "华强电子"}).primary_id
    seen = rob.writer.create("contacts", {"customer_id": customer, "name": "李雷"}).primary_id
    rob.sync()
    mia.sync()
    older = mia.writer.create("tasks", {"title": "Call", "customer_id": customer}).primary_id
    mia.sync()
    rob.sync()  # rob downloads mia's task: he has seen it
    undo = rob.writer.delete("customers", [customer]).undo
    contact = mia.writer.create("contacts", {"customer_id": customer, "name": "韩梅梅"}).primary_id
    paid = mia.writer.create(
        "payments", {"customer_id": customer, "amount_cents": 500_000, "paid_on": "2026-11-20"}
    ).primary_id
    mia.sync()
    rob.sync()
    told = [c for c in rob.conflicts() if c.kind == "deleted_over_edit"]
    assert [(c.row_id, c.reason) for c in told] == [(customer, "mia")]
    for row_id, entity in ((contact, "contacts"), (paid, "payments"), (older, "tasks")):
        assert fleet.server_row(entity, row_id)["deleted_at"] is not None

    assert undo is not None
    rob.writer.restore(undo)
    rob.sync()
    for row_id, entity in ((contact, "contacts"), (paid, "payments"), (seen, "contacts")):
        assert fleet.server_row(entity, row_id)["deleted_at"] is None


def test_a_customer_merged_away_over_a_colleagues_record_is_no_delete_of_it(
    fleet: Fleet,
) -> None:
    """A merged-away customer's records go to the kept one (server 0026), a colleague's added
    meanwhile too: nothing of his was deleted, so nothing is said."""
    rob, mia = fleet.device("rob"), fleet.device("mia")
    kept = rob.writer.create("customers", {"name": "华强电子"}).primary_id
    other = rob.writer.create("customers", {"name": "华强电子有限公司"}).primary_id
    rob.sync()
    mia.sync()
    merge_records(rob.writer, "customers", kept, other, {})
    contact = mia.writer.create("contacts", {"customer_id": other, "name": "韩梅梅"}).primary_id
    mia.sync()
    rob.sync()
    assert rob.conflicts() == []
    server = fleet.server_row("contacts", contact)
    assert (server["deleted_at"], str(server["customer_id"])) == (None, kept)


def a_contact_rob_has_downloaded(fleet: Fleet) -> tuple[Device, Device, str]:
    """Rob's customer, to which mia added a contact that rob's last sync brought him."""
    rob, mia = fleet.device("rob"), fleet.device("mia")
    customer = rob.writer.create("customers", {"name": "华强电子"}).primary_id
    rob.sync()
    mia.sync()
    mia.writer.create("contacts", {"customer_id": customer, "name": "韩梅梅"})
    mia.sync()
    rob.sync()
    return rob, mia, customer


def test_an_unreadable_cursor_makes_a_full_download_not_a_failed_sync(fleet: Fleet) -> None:
    """Cast in a statement, a cursor that is no snapshot's text failed every sync from then
    on; it counts as none: the device downloads everything, and what it deletes is said as
    ever."""
    rob, _mia, customer = a_contact_rob_has_downloaded(fleet)
    rob.profile.store.set_setting(pull_module.CURSOR_KEY, "not a snapshot")
    rob.writer.delete("customers", [customer])
    report = rob.sync()
    assert report.pushed.refused == 0 and report.pulled.full
    assert rob.conflicts() == []
    assert rob.profile.store.setting(pull_module.CURSOR_KEY) != "not a snapshot"


def test_deleting_a_customer_whose_records_were_all_downloaded_is_no_conflict(
    fleet: Fleet,
) -> None:
    rob, _mia, customer = a_contact_rob_has_downloaded(fleet)
    # His own record added offline before the delete is his, not news either.
    rob.writer.create("tasks", {"title": "Call", "customer_id": customer})
    rob.sync()
    rob.writer.delete("customers", [customer])
    rob.sync()
    assert rob.conflicts() == []


def test_a_deal_won_here_and_lost_there_is_one_conflict_of_its_stage(fleet: Fleet) -> None:
    """The time a deal closed goes with its stage: the program sets it, nobody types it, so it
    is no conflict of its own (one the user could not settle: no field of the form is it)."""
    rob, mia = fleet.device("rob"), fleet.device("mia")
    customer = rob.writer.create("customers", {"name": "华强电子"}).primary_id
    deal = rob.writer.create(
        "opportunities", {"customer_id": customer, "title": "空调项目", "stage": "proposal"}
    ).primary_id
    rob.sync()
    mia.sync()
    mia.writer.update("opportunities", deal, {"stage": "lost", "close_reason": "价格太高"})
    mia.sync()
    rob.writer.update("opportunities", deal, {"stage": "won"})
    rob.sync()
    assert [(c.field, c.kept_value, c.lost_value) for c in rob.conflicts()] == [
        ("stage", "lost", "won")
    ]
    server = fleet.server_row("opportunities", deal)
    assert server["stage"] == "lost" and server["closed_at"] is not None
    assert rob.row("opportunities", deal).closed_at is not None


def test_a_conflict_shows_the_value_as_it_stands_and_use_mine_replaces_that(
    fleet: Fleet,
) -> None:
    """The conflict said "Steel" was kept; the desktop changed it again to "Glass" since. The
    laptop shows "Glass", so Use my value knowingly replaces it."""
    laptop, desktop, customer_id = two_robs(fleet)
    desktop.writer.update("customers", customer_id, {"industry": "Steel"})
    desktop.sync()
    laptop.writer.update("customers", customer_id, {"industry": "Wood"})
    laptop.sync()
    (conflict,) = laptop.conflicts()
    assert (conflict.kept_value, conflict.lost_value) == ("Steel", "Wood")
    desktop.writer.update("customers", customer_id, {"industry": "Glass"})
    desktop.sync()
    laptop.sync()
    with laptop.profile.store.read() as session:
        (shown,) = sync_conflicts.as_it_stands(
            session, sync_conflicts.open_conflicts(laptop.profile.store)
        )
    assert (shown.kept, shown.lost) == ("Glass", "Wood")
    sync_conflicts.reapply(laptop.profile.store, laptop.writer, conflict.id)
    laptop.sync()
    assert fleet.server_row("customers", customer_id)["industry"] == "Wood"


def test_an_edit_lost_to_a_delete_reads_as_any_other_once_the_record_is_back(
    fleet: Fleet,
) -> None:
    laptop, desktop, customer_id = two_robs(fleet)
    undo = desktop.writer.delete("customers", [customer_id]).undo
    desktop.sync()
    laptop.writer.update("customers", customer_id, {"industry": "Wood"})
    laptop.sync()
    (conflict,) = laptop.conflicts()
    assert conflict.kind == "edited_deleted"
    assert undo is not None
    desktop.writer.restore(undo)
    desktop.sync()
    laptop.sync()
    with laptop.profile.store.read() as session:
        (shown,) = sync_conflicts.as_it_stands(
            session, sync_conflicts.open_conflicts(laptop.profile.store)
        )
    assert (shown.kind, shown.kept, shown.lost) == ("same_field", "Paper", "Wood")


def test_deleting_what_nobody_else_changed_records_no_conflict(fleet: Fleet) -> None:
    laptop, _desktop, customer_id = two_robs(fleet)
    laptop.writer.update("customers", customer_id, {"industry": "Steel"})
    laptop.sync()
    laptop.writer.delete("customers", [customer_id])
    laptop.sync()
    assert laptop.conflicts() == []


@pytest.mark.parametrize("batch", [1, 500], ids=["apart", "one batch"])
def test_an_edit_then_a_delete_pushed_together_is_no_conflict(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """The server stamps the edit with its own time; the delete queued behind it saw the
    device's time. Whether both go in one batch or the delete in the next, the device reads
    its own base in server time and finds nobody else changed the record."""
    laptop, desktop, customer_id = two_robs(fleet)
    monkeypatch.setattr(push_module, "BATCH", batch)
    laptop.writer.update("customers", customer_id, {"industry": "Steel"})
    laptop.writer.delete("customers", [customer_id])
    report = laptop.sync()
    assert report.pushed.applied == 2
    assert laptop.conflicts() == []
    desktop.sync()
    assert desktop.row("customers", customer_id).deleted_at is not None
    server = fleet.server_row("customers", customer_id)
    assert laptop.row("customers", customer_id).updated_at == server["updated_at"].replace(
        tzinfo=None
    )


def test_work_refused_on_a_customer_that_left_the_device_still_names_it(
    fleet: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    """The manager gave rob's customer to rae while rob, offline, logged a visit and edited an
    older follow-up. Both are refused and kept; the sync takes the customer off rob's laptop,
    and the conflicts still say whose work it was."""
    rob = fleet.device("rob")
    customer = rob.writer.create("customers", {"name": "华强电子"}).primary_id
    older = rob.writer.create(
        "followups", {"customer_id": customer, "kind": "call", "text": "first call"}
    ).primary_id
    rob.sync()
    fleet.admin(
        "UPDATE customers SET owner_id = %s WHERE id = %s", (fleet.user_ids["rae"], customer)
    )
    rob.writer.create(
        "followups", {"customer_id": customer, "kind": "visit", "text": "promised 500 units"}
    )
    rob.writer.update("followups", older, {"text": "first call, price agreed"})
    rob.sync()
    assert rob.row("customers", customer) is None
    capsys.readouterr()
    assert cli.main(["conflicts", "--profile", str(rob.directory)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert "Customer: 华强电子" in line, line
