"""A merge made on one device, and a second device still editing the merged-away customer
offline: its changes land on the kept customer at its sync, and nothing typed is lost."""

from __future__ import annotations

import pytest

from crm_desktop.models.entities import Contact, Customer, OwnershipChange
from crm_desktop.services.changes import MergedGroup, MergeUndo
from crm_desktop.services.merging import merge_group, merge_records, unmerge_records
from crm_desktop.sync.push import MERGED_ELSEWHERE
from tests.sync.conftest import Device, Fleet


def _two_customers(device: Device) -> tuple[str, str, str]:
    writer = device.writer
    kept = writer.create("customers", {"name": "深圳华强电子", "phone": "13800138000"}).primary_id
    other = writer.create(
        "customers", {"name": "华强电子有限公司", "email": "old@hq.cn", "industry": "电子"}
    ).primary_id
    contact = writer.create("contacts", {"customer_id": other, "name": "李雷"}).primary_id
    writer.create(
        "opportunities",
        {"customer_id": other, "title": "Q3", "stage": "lead", "contact_id": contact},
    )
    assert kept and other and contact
    return kept, other, contact


def test_offline_edits_of_a_merged_away_customer_go_to_the_kept_one(fleet: Fleet) -> None:
    office, laptop = fleet.device("rob"), fleet.device("rob")
    kept, other, contact = _two_customers(office)
    office.sync()
    laptop.sync()

    # The laptop is offline: it edits the customer that is about to be merged away, adds a
    # contact to it and edits that customer's contact.
    laptop.writer.update("customers", other, {"email": "new@hq.cn", "source": "展会"})
    added = laptop.writer.create("contacts", {"customer_id": other, "name": "韩梅梅"}).primary_id
    laptop.writer.update("contacts", contact, {"title": "采购经理"})

    # Meanwhile the office merges it into the kept customer, taking its email and industry.
    merge_records(
        office.writer, "customers", kept, other, {"email": "old@hq.cn", "industry": "电子"}
    )
    report = office.sync()
    assert report.pushed.refused == 0, [c.reason for c in office.conflicts()]
    server_other = fleet.server_row("customers", other)
    assert server_other["deleted_at"] is not None
    assert str(server_other["merged_into_id"]) == kept
    assert str(fleet.server_row("contacts", contact)["customer_id"]) == kept

    report = laptop.sync()
    assert report.pushed.refused == 0
    server_kept = fleet.server_row("customers", kept)
    # A field the merge took from the merged-away record takes the laptop's edit; one the kept
    # record had no value for as well (the base was the merged-away record's empty source).
    assert server_kept["email"] == "new@hq.cn"
    assert server_kept["source"] == "展会"
    # The new contact joined the kept customer; the edited contact kept its edit.
    assert str(fleet.server_row("contacts", added)["customer_id"]) == kept
    assert fleet.server_row("contacts", contact)["title"] == "采购经理"
    assert laptop.conflicts() == []

    office.sync()
    for device in (office, laptop):
        row = device.row("customers", kept)
        assert (row.email, row.source) == ("new@hq.cn", "展会")
        gone = device.row("customers", other)
        assert gone.deleted_at is not None and gone.merged_into_id == kept
        assert device.row("contacts", added).customer_id == kept
        # The kept customer's history says what was merged into it.
        with device.profile.store.read() as session:
            merged = [
                (change.kind, change.reason)
                for change in session.query(OwnershipChange).filter_by(customer_id=kept)
                if change.kind == "merged"
            ]
        assert merged == [("merged", "华强电子有限公司")]


def test_an_offline_edit_against_the_kept_value_is_a_conflict_with_both_kept(
    fleet: Fleet,
) -> None:
    office, laptop = fleet.device("rob"), fleet.device("rob")
    kept, other, _contact = _two_customers(office)
    office.sync()
    laptop.sync()
    laptop.writer.update("customers", other, {"name": "华强电子（深圳）"})
    # The merge keeps the kept customer's own name.
    merge_records(office.writer, "customers", kept, other, {})
    office.sync()
    laptop.sync()
    assert fleet.server_row("customers", kept)["name"] == "深圳华强电子"
    conflicts = laptop.conflicts()
    assert [(c.row_id, c.field, c.kept_value, c.lost_value) for c in conflicts] == [
        (kept, "name", "深圳华强电子", "华强电子（深圳）")
    ]


def test_undo_of_a_synced_merge_syncs_as_ordinary_changes(fleet: Fleet) -> None:
    office, laptop = fleet.device("rob"), fleet.device("rob")
    kept, other, contact = _two_customers(office)
    undo = merge_records(office.writer, "customers", kept, other, {"email": "old@hq.cn"}).undo
    assert isinstance(undo, MergeUndo)
    assert office.sync().pushed.refused == 0, [c.reason for c in office.conflicts()]
    assert str(fleet.server_row("contacts", contact)["customer_id"]) == kept
    laptop.sync()
    assert laptop.row("contacts", contact).customer_id == kept
    unmerge_records(office.writer, undo)
    assert office.sync().pushed.refused == 0
    laptop.sync()
    for device in (office, laptop):
        back = device.row("customers", other)
        assert back.deleted_at is None and back.merged_into_id is None
        assert device.row("contacts", contact).customer_id == other
        assert device.row("customers", kept).email is None
    server = fleet.server_row("customers", other)
    assert server["deleted_at"] is None and server["merged_into_id"] is None


def test_a_merge_the_server_refuses_is_refused_whole(fleet: Fleet) -> None:
    """Rob merges his customer into one that a manager took from him meanwhile: the kept
    customer is not his to change any more, so nothing of the merge is applied."""
    office = fleet.device("rob")
    kept, other, contact = _two_customers(office)
    office.sync()
    fleet.admin("UPDATE customers SET owner_id = %s WHERE id = %s", (fleet.user_ids["rae"], kept))
    merge_records(office.writer, "customers", kept, other, {"email": "old@hq.cn"})
    report = office.sync()
    assert report.pushed.refused > 0
    assert fleet.server_row("customers", other)["deleted_at"] is None
    assert str(fleet.server_row("contacts", contact)["customer_id"]) == other
    # What was refused is kept where the user sees it, and the device shows the server's truth.
    assert office.conflicts()
    with office.profile.store.read() as session:
        assert session.get(Customer, other).deleted_at is None
        assert session.get(Contact, contact).customer_id == other


def test_the_kept_customer_takes_the_finance_key_and_undo_gives_it_back(fleet: Fleet) -> None:
    """The server keeps a finance system key unique among deleted customers too: the merge
    moves it off the merged-away customer first, and undo moves it back."""
    office, laptop = fleet.device("rob"), fleet.device("rob")
    kept, other, _contact = _two_customers(office)
    office.writer.update("customers", other, {"external_ref": "K3-00042"})
    office.sync()
    undo = merge_records(office.writer, "customers", kept, other, {"external_ref": "K3-00042"}).undo
    assert isinstance(undo, MergeUndo)
    assert office.sync().pushed.refused == 0, [c.reason for c in office.conflicts()]
    assert office.conflicts() == []
    assert fleet.server_row("customers", kept)["external_ref"] == "K3-00042"
    server_other = fleet.server_row("customers", other)
    assert (server_other["external_ref"], str(server_other["merged_into_id"])) == (None, kept)

    unmerge_records(office.writer, undo)
    assert office.sync().pushed.refused == 0, [c.reason for c in office.conflicts()]
    assert fleet.server_row("customers", kept)["external_ref"] is None
    assert fleet.server_row("customers", other)["external_ref"] == "K3-00042"
    laptop.sync()
    for device in (office, laptop):
        assert device.row("customers", other).external_ref == "K3-00042"
        assert device.row("customers", kept).external_ref is None


def test_a_group_merged_in_one_step_syncs_and_its_undo_too(fleet: Fleet) -> None:
    """Three customers into one, the finance key taken from the last: the server accepts the
    pairs in their order, the other device gets the same, and one undo syncs back."""
    office, laptop = fleet.device("rob"), fleet.device("rob")
    kept, other, contact = _two_customers(office)
    third = office.writer.create(
        "customers", {"name": "华强电子（深圳）", "external_ref": "K3-00042"}
    ).primary_id
    office.sync()
    undo = merge_group(
        office.writer,
        "customers",
        kept,
        {other: {"email": "old@hq.cn"}, third: {"external_ref": "K3-00042"}},
    ).undo
    assert isinstance(undo, MergedGroup)
    assert office.sync().pushed.refused == 0, [c.reason for c in office.conflicts()]
    laptop.sync()
    for device in (office, laptop):
        row = device.row("customers", kept)
        assert (row.email, row.external_ref) == ("old@hq.cn", "K3-00042")
        assert device.row("contacts", contact).customer_id == kept
        for gone in (other, third):
            assert device.row("customers", gone).merged_into_id == kept

    unmerge_records(office.writer, undo)
    assert office.sync().pushed.refused == 0, [c.reason for c in office.conflicts()]
    laptop.sync()
    for device in (office, laptop):
        assert device.row("customers", third).external_ref == "K3-00042"
        assert device.row("customers", kept).external_ref is None
        assert device.row("contacts", contact).customer_id == other
        assert device.row("customers", other).deleted_at is None


@pytest.mark.parametrize("key", ["K3-00042", None])
def test_a_duplicate_merged_on_two_devices_stays_where_the_first_merge_put_it(
    fleet: Fleet, key: str | None
) -> None:
    """The office merges the duplicate into one customer while the laptop, offline, merges it
    into another: the laptop's merge names a record that is gone, and is refused whole, never
    half applied (its contacts moved nowhere, the first merge's finance key cleared)."""
    office, laptop = fleet.device("rob"), fleet.device("rob")
    kept, other, contact = _two_customers(office)
    third = office.writer.create("customers", {"name": "华强电子（深圳）"}).primary_id
    assert third is not None
    if key is not None:
        office.writer.update("customers", other, {"external_ref": key})
    office.sync()
    laptop.sync()
    merge_records(office.writer, "customers", kept, other, {"external_ref": key})
    assert office.sync().pushed.refused == 0, [c.reason for c in office.conflicts()]
    merge_records(laptop.writer, "customers", third, other, {"email": "old@hq.cn"})
    assert laptop.sync().pushed.refused > 0
    assert any(c.reason == MERGED_ELSEWHERE for c in laptop.conflicts())
    assert fleet.server_row("customers", kept)["external_ref"] == key
    assert fleet.server_row("customers", third)["email"] is None
    assert str(fleet.server_row("customers", other)["merged_into_id"]) == kept
    assert str(fleet.server_row("contacts", contact)["customer_id"]) == kept
    # The laptop shows the server's truth.
    assert laptop.row("contacts", contact).customer_id == kept
    assert laptop.row("customers", other).merged_into_id == kept


def test_a_customer_merge_moves_a_contact_merged_on_another_device(fleet: Fleet) -> None:
    """The office merges two contacts of a customer; the laptop, offline, merges that customer
    into another. The laptop's move of the merged-away contact goes to the kept contact, and
    the customer merge is applied."""
    office, laptop = fleet.device("rob"), fleet.device("rob")
    kept, other, contact = _two_customers(office)
    twin = office.writer.create("contacts", {"customer_id": other, "name": "李雷 (2)"}).primary_id
    assert twin is not None
    office.sync()
    laptop.sync()
    merge_records(office.writer, "contacts", contact, twin, {})
    assert office.sync().pushed.refused == 0, [c.reason for c in office.conflicts()]
    merge_records(laptop.writer, "customers", kept, other, {})
    assert laptop.sync().pushed.refused == 0, [c.reason for c in laptop.conflicts()]
    assert str(fleet.server_row("customers", other)["merged_into_id"]) == kept
    assert str(fleet.server_row("contacts", contact)["customer_id"]) == kept
    assert str(fleet.server_row("contacts", twin)["merged_into_id"]) == contact


def test_what_reached_the_server_before_the_merge_goes_to_the_kept_customer(
    fleet: Fleet,
) -> None:
    """mia's follow-up, task and identifier reach the server before rob, who never downloaded
    them, merges the customer away: the server moves them to the kept customer with the rest,
    and an identifier the kept customer has already goes with the merged-away one."""
    rob, mia = fleet.device("rob"), fleet.device("mia")
    kept, other, _contact = _two_customers(rob)
    rob.writer.update("customers", kept, {"identifiers": [("tax_number", "91440300MA5F")]})
    rob.sync()
    mia.sync()
    follow_up = mia.writer.create(
        "followups", {"customer_id": other, "kind": "visit", "text": "signed the quote"}
    ).primary_id
    task = mia.writer.create("tasks", {"customer_id": other, "title": "deliver"}).primary_id
    mia.writer.update(
        "customers",
        other,
        {"identifiers": [("tax_number", "91440300MA5F"), ("licence_plate", "粤B12345")]},
    )
    mia.sync()

    merge_records(rob.writer, "customers", kept, other, {})
    report = rob.sync()
    assert report.pushed.refused == 0, [c.reason for c in rob.conflicts()]
    mia.sync()

    for table, row_id in (("followups", follow_up), ("tasks", task)):
        row = fleet.server_row(table, row_id)
        assert (str(row["customer_id"]), row["deleted_at"]) == (kept, None), table
        assert mia.row(table, row_id).customer_id == kept, table
    live = fleet.admin(
        "SELECT kind, value FROM customer_identifiers"
        " WHERE customer_id = %s AND deleted_at IS NULL ORDER BY kind",
        (kept,),
    )
    assert live == [("licence_plate", "粤B12345"), ("tax_number", "91440300MA5F")]
    assert fleet.admin(
        "SELECT count(*) FROM customer_identifiers WHERE customer_id = %s AND deleted_at IS NULL",
        (other,),
    ) == [(0,)]


def test_what_named_a_merged_away_contact_before_the_merge_names_the_kept_one(
    fleet: Fleet,
) -> None:
    """mia's follow-up with 李雷 (a duplicate contact) reaches the server before rob, who never
    downloaded it, merges 李雷 into 李雷 (采购): it names the kept contact, as rob's own did."""
    rob, mia = fleet.device("rob"), fleet.device("mia")
    _kept, other, contact = _two_customers(rob)
    kept_contact = rob.writer.create(
        "contacts", {"customer_id": other, "name": "李雷", "title": "采购"}
    ).primary_id
    rob.sync()
    mia.sync()
    follow_up = mia.writer.create(
        "followups",
        {"customer_id": other, "contact_id": contact, "kind": "call", "text": "called Li"},
    ).primary_id
    mia.sync()

    merge_records(rob.writer, "contacts", kept_contact, contact, {})
    report = rob.sync()
    assert report.pushed.refused == 0, [c.reason for c in rob.conflicts()]
    mia.sync()

    assert str(fleet.server_row("followups", follow_up)["contact_id"]) == kept_contact
    assert mia.row("followups", follow_up).contact_id == kept_contact
    assert rob.row("followups", follow_up).contact_id == kept_contact
