"""Work logs, their comments and notes between devices: each arrives on the devices of those the
server lets read it and on no other, leaves a device whose user may no longer read it, and a
note about a customer its recipient cannot see still arrives whole."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from crm_desktop.models.entities import UserSync
from tests.sync.conftest import Device, Fleet

DAY = "2026-12-01"


def connected(fleet: Fleet, *logins: str) -> list[Device]:
    devices = [fleet.device(login) for login in logins]
    for device in devices:
        device.sync()  # knows the server's users, so a note can name its recipient
    return devices


def test_a_log_reaches_his_manager_not_a_peer_and_comments_come_back(fleet: Fleet) -> None:
    rob, mia, rae = connected(fleet, "rob", "mia", "rae")
    log = rob.writer.create(
        "work_logs", {"day": DAY, "done": "visited Acme", "plan": "call Li"}
    ).primary_id
    rob.sync()
    mia.sync()
    rae.sync()
    assert mia.row("work_logs", log).done == "visited Acme"
    assert mia.row("work_logs", log).author_id == fleet.user_ids["rob"]
    assert mia.row("work_logs", log).day == date(2026, 12, 1)
    assert log not in rae.ids("work_logs")

    comment = mia.writer.create(
        "work_log_comments", {"log_id": log, "text": "call Li first"}
    ).primary_id
    mia.sync()
    rob.sync()
    rae.sync()
    assert rob.row("work_log_comments", comment).text == "call Li first"
    assert rob.row("work_log_comments", comment).author_id == fleet.user_ids["mia"]
    assert comment not in rae.ids("work_log_comments")
    assert rob.conflicts() == [] and mia.conflicts() == []

    # rob leaves mia's team: his log and its comments leave her device at her next sync.
    fleet.admin("UPDATE users SET manager_id = NULL WHERE login = 'rob'")
    mia.sync()
    assert log not in mia.ids("work_logs")
    assert comment not in mia.ids("work_log_comments")
    # A new device of rob's gets his log and the comment on it in its first sync.
    laptop = fleet.device("rob", "rob-laptop")
    laptop.sync()
    assert laptop.row("work_logs", log).plan == "call Li"
    assert comment in laptop.ids("work_log_comments")


def test_a_log_arrives_when_its_author_joins_the_team_behind_the_cursor(fleet: Fleet) -> None:
    rae, mia = connected(fleet, "rae", "mia")
    log = rae.writer.create("work_logs", {"day": DAY, "done": "cold calls"}).primary_id
    rae.sync()
    mia.sync()
    assert log not in mia.ids("work_logs")
    # rae joins mia's team; her log changed long before mia's cursor.
    fleet.admin("UPDATE users SET manager_id = %s WHERE login = 'rae'", (fleet.user_ids["mia"],))
    mia.sync()
    assert mia.row("work_logs", log).done == "cold calls"


def test_a_note_reaches_its_recipient_only_and_comes_back_read(fleet: Fleet) -> None:
    rob, rae, mia = connected(fleet, "rob", "rae", "mia")
    customer = rob.writer.create("customers", {"name": "Acme"}).primary_id
    note = rob.writer.create(
        "notes",
        {
            "recipient_id": fleet.user_ids["rae"],
            "text": "Acme asks for you",
            "customer_id": customer,
        },
    ).primary_id
    rob.sync()
    rae.sync()
    mia.sync()
    # rae cannot see Acme, yet the note arrives whole, with what it is about, and no conflict.
    arrived = rae.row("notes", note)
    assert arrived.text == "Acme asks for you"
    assert arrived.sender_id == fleet.user_ids["rob"]
    assert arrived.customer_id == customer and customer not in rae.ids("customers")
    assert rae.conflicts() == []
    # rob's manager sees Acme but not rob's notes.
    assert customer in mia.ids("customers")
    assert note not in mia.ids("notes")

    rae.writer.update("notes", note, {"read_at": "2026-12-01 09:30"})
    rae.sync()
    rob.sync()
    assert rob.row("notes", note).read_at is not None
    assert rae.conflicts() == [] and rob.conflicts() == []
    # A new device of rae's has the note, read, in its first sync.
    laptop = fleet.device("rae", "rae-laptop")
    laptop.sync()
    assert laptop.row("notes", note).read_at is not None


def test_a_note_changed_by_the_wrong_side_is_refused_and_kept(fleet: Fleet) -> None:
    rob, rae = connected(fleet, "rob", "rae")
    note = rob.writer.create(
        "notes", {"recipient_id": fleet.user_ids["rae"], "text": "hello"}
    ).primary_id
    rob.sync()
    rae.sync()
    rae.writer.update("notes", note, {"text": "rewritten by rae"})
    rae.sync()
    assert [c.kind for c in rae.conflicts()] == ["refused"]
    assert fleet.server_row("notes", note)["text"] == "hello"


def last_syncs(device: Device) -> dict[str, datetime]:
    with device.profile.store.read() as session:
        return dict(session.execute(select(UserSync.user_id, UserSync.synced_at)).all())


def test_a_manager_learns_when_each_of_his_team_last_synced(fleet: Fleet) -> None:
    rob, rae, mia = connected(fleet, "rob", "rae", "mia")
    synced = {
        login: at
        for login, at in fleet.admin(
            "SELECT u.login, max(s.synced_at) FROM user_syncs s JOIN users u ON u.id = s.user_id"
            " GROUP BY u.login"
        )
    }
    assert set(synced) == {"rob", "rae", "mia"}  # each sync signed its user's row
    rob.sync()  # later than mia's last sync: she learns it at her next one
    later = fleet.admin(
        "SELECT max(synced_at) FROM user_syncs WHERE user_id = %s", (fleet.user_ids["rob"],)
    )[0][0]
    assert later > synced["rob"]
    mia.sync()
    times = last_syncs(mia)
    # Her team (rob) and herself, by the server's clock; rae is not hers.
    assert set(times) == {fleet.user_ids["mia"], fleet.user_ids["rob"]}
    assert times[fleet.user_ids["rob"]] == later.astimezone(UTC).replace(tzinfo=None)
    # A rep knows only his own.
    rae.sync()
    assert set(last_syncs(rae)) == {fleet.user_ids["rae"]}
    # Two devices of rob's: the latest of them counts.
    laptop = fleet.device("rob", "rob-laptop")
    laptop.sync()
    mia.sync()
    newest = last_syncs(mia)
    assert newest[fleet.user_ids["rob"]] > times[fleet.user_ids["rob"]]
    assert (
        fleet.admin("SELECT count(*) FROM user_syncs WHERE user_id = %s", (fleet.user_ids["rob"],))[
            0
        ][0]
        == 2
    )
