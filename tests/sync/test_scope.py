"""A customer leaving a user's view leaves his device whole; one entering arrives whole, however
old its children's last change; what the server refuses is kept with the reason."""

from __future__ import annotations

from sqlalchemy import text

from crm_desktop.sync import conflicts as sync_conflicts
from tests.sync.conftest import Device, Fleet

CHILDREN = ("contacts", "opportunities", "followups", "tasks")


def customer_with_children(rob: Device) -> tuple[str, dict[str, str]]:
    writer = rob.writer
    customer_id = writer.create("customers", {"name": "Acme", "industry": "Paper"}).primary_id
    contact = writer.create("contacts", {"customer_id": customer_id, "name": "Zhang"})
    made = {
        "contacts": contact.primary_id,
        "opportunities": writer.create(
            "opportunities", {"customer_id": customer_id, "title": "Paper deal", "stage": "lead"}
        ).primary_id,
        "followups": writer.create(
            "followups", {"customer_id": customer_id, "kind": "call", "text": "called"}
        ).primary_id,
        "tasks": writer.create(
            "tasks", {"customer_id": customer_id, "title": "Send the quote"}
        ).primary_id,
    }
    return customer_id, made


def holds(device: Device, customer_id: str, children: dict[str, str]) -> bool:
    """True when the device has the customer and every child; False when it has none of them."""
    present = [customer_id in device.ids("customers")]
    present += [row_id in device.ids(entity) for entity, row_id in children.items()]
    assert all(present) or not any(present), present
    return all(present)


def test_reassigned_customer_leaves_whole_and_arrives_whole(fleet: Fleet) -> None:
    rob, rae, mia = fleet.device("rob"), fleet.device("rae"), fleet.device("mia")
    customer_id, children = customer_with_children(rob)
    rob.sync()
    mia.sync()
    rae.sync()  # rae's cursor is now past every change of the customer's children
    assert holds(mia, customer_id, children) and not holds(rae, customer_id, children)

    fleet.admin(
        "UPDATE customers SET owner_id = %s WHERE id = %s", (fleet.user_ids["rae"], customer_id)
    )
    rob.sync()
    mia.sync()
    rae.sync()
    assert not holds(rob, customer_id, children)
    assert not holds(mia, customer_id, children)  # rae is not in mia's team
    assert holds(rae, customer_id, children)
    assert rae.row("customers", customer_id).owner_id == fleet.user_ids["rae"]
    # Search on the receiving device knows the customer by its contact.
    assert "zhang" in rae.row("customers", customer_id).search_text

    # And back: it returns to rob's and mia's devices whole, and leaves rae's.
    fleet.admin(
        "UPDATE customers SET owner_id = %s WHERE id = %s", (fleet.user_ids["rob"], customer_id)
    )
    for device in (rob, mia, rae):
        device.sync()
    assert holds(rob, customer_id, children) and holds(mia, customer_id, children)
    assert not holds(rae, customer_id, children)


def test_customer_returned_to_the_pool_reaches_the_other_reps(fleet: Fleet) -> None:
    rob, rae = fleet.device("rob"), fleet.device("rae")
    customer_id, children = customer_with_children(rob)
    rob.sync()
    rae.sync()
    fleet.admin("UPDATE customers SET owner_id = NULL WHERE id = %s", (customer_id,))
    rob.sync()
    rae.sync()
    assert holds(rob, customer_id, children)  # reps see the pool
    assert holds(rae, customer_id, children)
    # rae claims it: it leaves rob's device.
    rae.writer.update("customers", customer_id, {"owner_id": fleet.user_ids["rae"]})
    rae.sync()
    rob.sync()
    assert not holds(rob, customer_id, children)
    assert fleet.server_row("customers", customer_id)["owner_id"] is not None


def test_unsynced_edit_to_a_customer_moved_to_the_pool_is_kept_as_refused(fleet: Fleet) -> None:
    """A pool customer is claimed before it is changed: an edit made before the customer went
    to the pool reaches nobody else, and stays on rob's device as a refused change."""
    rob, rae = fleet.device("rob"), fleet.device("rae")
    customer_id, children = customer_with_children(rob)
    rob.sync()
    rob.writer.update("customers", customer_id, {"industry": "Steel"})
    fleet.admin("UPDATE customers SET owner_id = NULL WHERE id = %s", (customer_id,))
    report = rob.sync()
    assert report.pushed.refused == 1
    [refused] = rob.conflicts()
    assert (refused.kind, refused.row_id) == ("refused", customer_id)
    assert "pool" in refused.reason
    assert refused.lost_value["changes"] == {"industry": "Steel"}
    assert fleet.server_row("customers", customer_id)["industry"] != "Steel"
    rae.sync()
    assert rae.row("customers", customer_id).owner_id is None
    assert rae.row("customers", customer_id).industry != "Steel"
    assert holds(rae, customer_id, children)


def test_unsynced_edit_to_a_customer_moved_away_is_kept_as_refused(fleet: Fleet) -> None:
    rob, rae = fleet.device("rob"), fleet.device("rae")
    customer_id, children = customer_with_children(rob)
    rob.sync()
    rob.writer.update("customers", customer_id, {"industry": "Steel"})
    late_contact = rob.writer.create(
        "contacts", {"customer_id": customer_id, "name": "Li"}
    ).primary_id
    fleet.admin(
        "UPDATE customers SET owner_id = %s WHERE id = %s", (fleet.user_ids["rae"], customer_id)
    )
    report = rob.sync()
    assert report.pushed.refused == 2
    assert rob.outbox() == 0
    # The customer left rob's device, his typing did not.
    assert not holds(rob, customer_id, children)
    assert late_contact not in rob.ids("contacts")
    refused = {c.row_id: c for c in rob.conflicts()}
    assert set(refused) == {customer_id, late_contact}
    for conflict in refused.values():
        assert conflict.kind == "refused"
        assert conflict.reason
    assert refused[customer_id].lost_value == {
        "op": "update",
        "changes": {"industry": "Steel"},
        "name": "Acme",  # kept with the change: the pull took the record away
    }
    assert refused[late_contact].lost_value["changes"]["name"] == "Li"
    listed = sync_conflicts.open_conflicts(rob.profile.store)
    assert {c.row_id for c in listed} == {customer_id, late_contact}

    rae.sync()
    assert rae.row("customers", customer_id).industry == "Paper"
    assert late_contact not in rae.ids("contacts")
    assert fleet.server_row("contacts", late_contact) is None


def test_a_rep_cannot_push_into_another_reps_customer(fleet: Fleet) -> None:
    """Even a tampered outbox naming rae's customer is refused by the server, and kept."""
    rob, rae = fleet.device("rob"), fleet.device("rae")
    theirs = rae.writer.create("customers", {"name": "Rae's"}).primary_id
    rae.sync()
    mine = rob.writer.create("customers", {"name": "Rob's"}).primary_id
    rob.sync()
    # rob's device believes (wrongly) that rae's customer is one of his and edits it.
    with rob.profile.store.write() as session:
        session.execute(
            text(
                "INSERT INTO customers (id, name, kind, search_text, created_at, updated_at) "
                "SELECT :id, 'Rae''s', 'company', '', created_at, updated_at "
                "FROM customers WHERE id = :mine"
            ),
            {"id": theirs, "mine": mine},
        )
    rob.writer.update("customers", theirs, {"industry": "Hacked"})
    rob.writer.delete("customers", [theirs])
    report = rob.sync()
    assert report.pushed.refused == 2
    assert {c.kind for c in rob.conflicts()} == {"refused"}
    assert theirs not in rob.ids("customers")
    server = fleet.server_row("customers", theirs)
    assert server["industry"] is None and server["deleted_at"] is None


def test_a_change_the_database_rejects_at_commit_does_not_block_the_queue(fleet: Fleet) -> None:
    """The admin's device adds a contact to a customer hard-deleted on the server meanwhile:
    that one change is refused, the rest of the outbox still goes through."""
    ada = fleet.device("ada")
    doomed = ada.writer.create("customers", {"name": "Doomed"}).primary_id
    ada.sync()
    fleet.admin("DELETE FROM customers WHERE id = %s", (doomed,))
    orphan = ada.writer.create("contacts", {"customer_id": doomed, "name": "Orphan"}).primary_id
    fine = ada.writer.create("customers", {"name": "Fine"}).primary_id
    report = ada.sync()
    assert report.pushed.refused == 1
    assert ada.outbox() == 0
    assert fleet.server_row("customers", fine)["name"] == "Fine"
    [conflict] = ada.conflicts()
    assert (conflict.kind, conflict.row_id) == ("refused", orphan)
    assert conflict.reason
    assert doomed not in ada.ids("customers") and orphan not in ada.ids("contacts")


def test_a_team_change_rescopes_the_managers_device(fleet: Fleet) -> None:
    """No row of rae's customers changes when she joins mia's team; mia's device must notice."""
    rae, mia = fleet.device("rae"), fleet.device("mia")
    customer_id, children = customer_with_children(rae)
    rae.sync()
    mia.sync()
    assert not holds(mia, customer_id, children)

    fleet.admin("UPDATE users SET manager_id = %s WHERE login = 'rae'", (fleet.user_ids["mia"],))
    assert mia.sync().pulled.full
    assert holds(mia, customer_id, children)

    fleet.admin("UPDATE users SET manager_id = NULL WHERE login = 'rae'")
    mia.sync()
    assert not holds(mia, customer_id, children)


def test_a_clerks_assignment_running_out_takes_the_customers_away(fleet: Fleet) -> None:
    from datetime import UTC, datetime, timedelta

    from crm_desktop.sync.server.admin import assign_clerk

    fleet.db.add_user("cal", "clerk")
    rob, cal = fleet.device("rob"), fleet.device("cal")
    customer_id, children = customer_with_children(rob)
    rob.sync()
    assign_clerk(fleet.db.admin_dsn, "cal", "rob", datetime.now(UTC) + timedelta(days=1))
    cal.sync()
    assert holds(cal, customer_id, children)
    # The grace period ends: nothing in the change log says so, only the clock.
    fleet.admin("UPDATE clerk_assignments SET valid_until = now() - interval '1 minute'")
    cal.sync()
    assert not holds(cal, customer_id, children)


def test_a_clerks_change_made_after_his_time_ended_is_kept_with_the_day_it_ended(
    fleet: Fleet,
) -> None:
    from datetime import UTC, datetime, timedelta

    from crm_desktop.sync.conflicts import open_conflicts
    from crm_desktop.sync.server.admin import assign_clerk
    from crm_desktop.views.conflict_text import describe

    fleet.db.add_user("cal", "clerk")
    rob, cal = fleet.device("rob"), fleet.device("cal")
    customer_id = rob.writer.create("customers", {"name": "代录客户"}).primary_id
    rob.sync()
    assign_clerk(fleet.db.admin_dsn, "cal", "rob", datetime.now(UTC) + timedelta(days=1))
    cal.sync()
    ended = fleet.admin(
        "UPDATE clerk_assignments SET valid_until = now() - interval '1 minute'"
        " RETURNING valid_until"
    )[0][0]
    cal.writer.update("customers", customer_id, {"notes": "结束后才录的"})  # offline, late
    cal.sync()
    assert fleet.server_row("customers", customer_id)["notes"] is None
    (conflict,) = open_conflicts(cal.profile.store)
    assert conflict.kind == "refused" and conflict.lost["changes"]["notes"] == "结束后才录的"
    sentence = describe(conflict)
    day = ended.astimezone().date().isoformat()
    assert "rob" in sentence and day in sentence, sentence


def test_a_clerks_change_refused_for_another_reason_is_not_blamed_on_an_ended_time(
    fleet: Fleet,
) -> None:
    """His time for Rob ended; entering for Rae, he gives a customer of hers to Rob, which a
    clerk may not: the refusal is the server's, not "your time for Rob ended"."""
    from datetime import UTC, datetime, timedelta

    from crm_desktop.sync.conflicts import open_conflicts
    from crm_desktop.sync.push import grant_ended
    from crm_desktop.sync.server.admin import assign_clerk

    fleet.db.add_user("cal", "clerk")
    rae, cal = fleet.device("rae"), fleet.device("cal")
    customer_id = rae.writer.create("customers", {"name": "芮伊的客户"}).primary_id
    rae.sync()
    assign_clerk(fleet.db.admin_dsn, "cal", "rob", datetime.now(UTC) + timedelta(days=1))
    fleet.admin("UPDATE clerk_assignments SET valid_until = now() - interval '1 minute'")
    assign_clerk(fleet.db.admin_dsn, "cal", "rae", datetime.now(UTC) + timedelta(days=5))
    cal.sync()
    assert cal.row("customers", customer_id) is not None
    cal.writer.update("customers", customer_id, {"owner_id": fleet.user_ids["rob"]})
    cal.sync()
    assert str(fleet.server_row("customers", customer_id)["owner_id"]) == fleet.user_ids["rae"]
    (conflict,) = open_conflicts(cal.profile.store)
    assert conflict.kind == "refused"
    assert grant_ended(conflict.reason) is None, conflict.reason
