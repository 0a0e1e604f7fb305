"""Two devices of one rep, working offline and syncing: everyone ends with the same data."""

from __future__ import annotations

from sqlalchemy import func, select

from crm_desktop.models.entities import Contact, Customer, FollowUp, OutboxEntry
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from tests.sync.conftest import Device, Fleet


def customer(device: Device, customer_id: str) -> Customer | None:
    with device.profile.store.read() as session:
        return session.get(Customer, customer_id)


def count(device: Device, model: type) -> int:
    with device.profile.store.read() as session:
        return session.scalar(
            select(func.count()).select_from(model).where(model.deleted_at.is_(None))
        )


def test_work_made_offline_reaches_the_other_device(fleet: Fleet) -> None:
    laptop, desktop = fleet.device("rob"), fleet.device("rob")
    writer = laptop.writer
    made = writer.create("customers", {"name": "华为技术有限公司", "phone": "13800138000"})
    customer_id = made.primary_id
    writer.create("contacts", {"customer_id": customer_id, "name": "张伟"})
    writer.create("followups", {"customer_id": customer_id, "kind": "visit", "text": "谈了报价"})

    report = laptop.sync()
    assert report.pushed.applied >= 3
    with laptop.profile.store.read() as session:
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0

    desktop.sync()
    arrived = customer(desktop, customer_id)
    assert arrived is not None and arrived.name == "华为技术有限公司"
    assert arrived.owner_id == desktop.profile.user_id == laptop.profile.user_id
    assert count(desktop, Contact) == 1 and count(desktop, FollowUp) == 1
    # What arrives by sync is found by search like what is typed in.
    with desktop.profile.store.read() as session:
        found = list_ids(session, TABLES["customers"], ListQuery(search="138 0013 8000"))
    assert found == [customer_id]


def test_different_fields_edited_on_two_devices_are_both_kept(fleet: Fleet) -> None:
    laptop, desktop = fleet.device("rob"), fleet.device("rob")
    customer_id = laptop.writer.create("customers", {"name": "Acme"}).primary_id
    laptop.sync()
    desktop.sync()
    laptop.writer.update("customers", customer_id, {"industry": "Steel"})
    desktop.writer.update("customers", customer_id, {"phone": "13912345678"})
    laptop.sync()
    desktop.sync()
    laptop.sync()
    for device in (laptop, desktop):
        row = customer(device, customer_id)
        assert row is not None
        assert (row.industry, row.phone) == ("Steel", "+8613912345678")


def test_a_second_sync_with_nothing_to_do_moves_nothing(fleet: Fleet) -> None:
    laptop = fleet.device("rob")
    laptop.writer.create("customers", {"name": "Acme"})
    laptop.sync()
    again = laptop.sync()
    assert again.pushed.applied == 0
    assert again.pulled.received == 0
    assert not again.pulled.full


def test_own_pushed_changes_do_not_come_back(fleet: Fleet) -> None:
    laptop, desktop = fleet.device("rob"), fleet.device("rob")
    customer_id = laptop.writer.create("customers", {"name": "Acme"}).primary_id
    laptop.sync()
    desktop.sync()
    laptop.writer.update("customers", customer_id, {"industry": "Steel"})
    report = laptop.sync()
    assert report.pushed.applied == 1
    assert report.pulled.received == 0  # the laptop has its own change already
    assert desktop.sync().pulled.received == 1  # everyone else gets it


def test_devices_sync_on_a_database_whose_default_isolation_is_serializable(
    fleet: Fleet,
) -> None:
    """The server takes changes only in READ COMMITTED (revision 0021); an administrator who
    made another level the database's default must not stop every device: each transaction
    the program opens says which level it wants."""
    fleet.admin(
        f"ALTER DATABASE {fleet.db.name} SET default_transaction_isolation = 'serializable'"
    )
    laptop, desktop = fleet.device("rob"), fleet.device("rob")
    made = laptop.writer.create("customers", {"name": "Serial Ltd"}).primary_id
    report = laptop.sync()
    assert report.pushed.applied >= 1 and not report.pushed.refused
    desktop.sync()
    arrived = customer(desktop, made)
    assert arrived is not None and arrived.name == "Serial Ltd"


def test_a_contact_moved_to_another_customer_is_found_there_only(fleet: Fleet) -> None:
    """Moved on one device (the contact form's Customer), found by its mobile and name under
    the new customer alone, on that device and on the other after a sync: the customer it left
    no longer holds it in its search text."""
    laptop, desktop = fleet.device("rob"), fleet.device("rob")
    alpha = laptop.writer.create("customers", {"name": "Alpha Ltd"}).primary_id
    beta = laptop.writer.create("customers", {"name": "Beta Ltd"}).primary_id
    contact = laptop.writer.create(
        "contacts", {"customer_id": alpha, "name": "周杰伦", "mobile": "13912345678"}
    ).primary_id
    laptop.sync()
    desktop.sync()
    laptop.writer.update("contacts", contact, {"customer_id": beta})
    laptop.sync()
    desktop.sync()
    for device in (laptop, desktop):
        with device.profile.store.read() as session:
            for search in ("13912345678", "zhoujielun"):
                found = list_ids(session, TABLES["customers"], ListQuery(search=search))
                assert found == [beta], (device.profile.directory, search)
