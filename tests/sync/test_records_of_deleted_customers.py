"""A delete wins over what was added to its customer meanwhile, as it wins over an edit: a
follow-up, task or contract logged offline on a customer another user deleted is refused by the
server (its migration 0025) and kept on the device as a conflict that says why, and nothing is
left live under the deleted customer. Found by a review of the sync with two reps."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crm_desktop.sync.push import CLAIMED_FIRST, CUSTOMER_DELETED
from tests.sync.conftest import Fleet


def test_records_added_offline_to_a_customer_deleted_meanwhile_are_kept_as_conflicts(
    fleet: Fleet,
) -> None:
    rob, mia = fleet.device("rob"), fleet.device("mia")
    customer = rob.writer.create("customers", {"name": "Delco"}).primary_id
    rob.sync()
    mia.sync()
    rob.writer.delete("customers", [customer])
    rob.sync()  # the delete reaches the server first
    follow_up = mia.writer.create(
        "followups", {"customer_id": customer, "kind": "call", "text": "promised 500 units"}
    ).primary_id
    task = mia.writer.create(
        "tasks",
        {"customer_id": customer, "title": "send the quote", "due_at": datetime(2030, 1, 1)},
    ).primary_id
    contract = mia.writer.create(
        "contracts",
        {
            "customer_id": customer,
            "number": "K-1",
            "start_on": date.today() - timedelta(days=1),
            "amount_cents": 100_000,
            "status": "active",
        },
    ).primary_id
    report = mia.sync()
    rob.sync()

    added = {"followups": follow_up, "tasks": task, "contracts": contract}
    for table, row_id in added.items():
        assert fleet.server_row(table, row_id) is None, table
    # Each is one conflict naming why; the customer's automatic last-follow-up time is none.
    conflicts = mia.conflicts()
    assert sorted((c.entity, c.row_id, c.kind, c.reason) for c in conflicts) == sorted(
        (table, row_id, "refused", CUSTOMER_DELETED) for table, row_id in added.items()
    )
    assert report.pushed.refused == 3
    kept = {c.entity: c.lost_value["changes"] for c in conflicts}
    assert kept["followups"]["text"] == "promised 500 units"
    for device in (mia, rob):
        assert device.row("customers", customer).deleted_at is not None
        for table, row_id in added.items():
            row = device.row(table, row_id)
            assert row is None or row.deleted_at is not None, (device, table)


def test_a_customer_restored_on_the_server_takes_records_again(fleet: Fleet) -> None:
    """The refusal lasts while the customer is deleted: restored (Undo), it takes new records,
    and its own records deleted with it come back with it."""
    rob = fleet.device("rob")
    customer = rob.writer.create("customers", {"name": "Delco"}).primary_id
    contact = rob.writer.create("contacts", {"customer_id": customer, "name": "Li"}).primary_id
    rob.sync()
    undo = rob.writer.delete("customers", [customer]).undo
    rob.sync()
    assert undo is not None
    rob.writer.restore(undo)
    rob.writer.create("followups", {"customer_id": customer, "kind": "call", "text": "back"})
    report = rob.sync()
    assert (report.pushed.refused, rob.conflicts()) == (0, [])
    assert fleet.server_row("contacts", contact)["deleted_at"] is None
    assert fleet.admin(
        "SELECT count(*) FROM followups WHERE customer_id = %s AND deleted_at IS NULL",
        (customer,),
    ) == [(1,)]


def test_the_rep_who_loses_a_claim_is_told_someone_claimed_it_first(fleet: Fleet) -> None:
    [(customer,)] = fleet.admin(
        "INSERT INTO customers (name) VALUES ('公海客户') RETURNING id::text"
    )
    rob, rae = fleet.device("rob"), fleet.device("rae")
    rob.sync()
    rae.sync()
    rob.writer.update("customers", customer, {"owner_id": rob.profile.user_id})
    rae.writer.update("customers", customer, {"owner_id": rae.profile.user_id})
    rob.sync()
    rae.sync()
    [refused] = rae.conflicts()
    assert (refused.kind, refused.reason) == ("refused", CLAIMED_FIRST)


def test_records_that_reached_the_server_before_the_delete_go_with_their_customer(
    fleet: Fleet,
) -> None:
    """The other order: mia's task reaches the server before rob, who never downloaded it,
    deletes the customer. The server deletes it with its customer, with the customer's stamp,
    so that rob's Undo brings it back as well."""
    rob, mia = fleet.device("rob"), fleet.device("mia")
    customer = rob.writer.create("customers", {"name": "Delco"}).primary_id
    rob.sync()
    mia.sync()
    task = mia.writer.create(
        "tasks", {"customer_id": customer, "title": "call back", "due_at": datetime(2026, 1, 1)}
    ).primary_id
    follow_up = mia.writer.create(
        "followups", {"customer_id": customer, "kind": "visit", "text": "met the buyer"}
    ).primary_id
    mia.sync()
    undo = rob.writer.delete("customers", [customer]).undo
    rob.sync()
    mia.sync()

    stamp = fleet.server_row("customers", customer)["deleted_at"]
    assert stamp is not None
    for table, row_id in (("tasks", task), ("followups", follow_up)):
        assert fleet.server_row(table, row_id)["deleted_at"] == stamp, table
        assert mia.row(table, row_id).deleted_at is not None, table
    # Rob is told that mia had worked on the customer; restoring it brings her work back.
    assert [(c.entity, c.kind, c.reason) for c in rob.conflicts()] == [
        ("customers", "deleted_over_edit", "mia")
    ]
    assert mia.conflicts() == []

    assert undo is not None
    rob.writer.restore(undo)
    rob.sync()
    mia.sync()
    for table, row_id in (("tasks", task), ("followups", follow_up)):
        assert fleet.server_row(table, row_id)["deleted_at"] is None, table
        assert mia.row(table, row_id).deleted_at is None, table
        assert rob.row(table, row_id).deleted_at is None, table


def test_a_record_deleted_on_its_own_stays_deleted_when_its_customer_comes_back(
    fleet: Fleet,
) -> None:
    rob = fleet.device("rob")
    customer = rob.writer.create("customers", {"name": "Delco"}).primary_id
    done = rob.writer.create("tasks", {"customer_id": customer, "title": "old"}).primary_id
    rob.writer.delete("tasks", [done])
    rob.sync()
    undo = rob.writer.delete("customers", [customer]).undo
    rob.sync()
    assert undo is not None
    rob.writer.restore(undo)
    rob.sync()
    assert fleet.server_row("customers", customer)["deleted_at"] is None
    assert fleet.server_row("tasks", done)["deleted_at"] is not None
    assert rob.row("tasks", done).deleted_at is not None


def test_deleting_a_customer_still_tells_of_an_edit_to_one_of_its_records(fleet: Fleet) -> None:
    """The delete of each record the device knew reaches the server before its customer's,
    which takes the rest: an edit made meanwhile to one of them is still worth its word."""
    rob, mia = fleet.device("rob"), fleet.device("mia")
    customer = rob.writer.create("customers", {"name": "Delco"}).primary_id
    contact = rob.writer.create("contacts", {"customer_id": customer, "name": "Li"}).primary_id
    rob.sync()
    mia.sync()
    mia.writer.update("contacts", contact, {"title": "buyer"})
    mia.sync()
    rob.writer.delete("customers", [customer])
    rob.sync()
    assert [(c.entity, c.row_id, c.kind) for c in rob.conflicts()] == [
        ("contacts", contact, "deleted_over_edit")
    ]
    assert fleet.server_row("contacts", contact)["deleted_at"] is not None
