"""A customer's ownership history reaches the devices that hold the customer, grows with each
change of hands, and leaves a device with its customer."""

from __future__ import annotations

from crm_desktop.queries.records import ownership_events
from tests.sync.conftest import Device, Fleet


def history(device: Device, customer: str) -> list[tuple]:
    with device.profile.store.read() as session:
        return [
            (event.kind, event.by, event.previous_owner, event.owner, event.reason)
            for event in ownership_events(session, customer)
        ]


def test_the_history_follows_the_customer_from_device_to_device(fleet: Fleet) -> None:
    rob, mia, rae = fleet.device("rob"), fleet.device("mia"), fleet.device("rae")
    customer = rob.writer.create("customers", {"name": "易手的客户"}).primary_id
    rob.sync()
    mia.sync()
    assert history(mia, customer) == [("entered", "rob", None, "rob", None)]
    with fleet.db.connect_as("rob") as connection, connection.transaction():
        connection.execute("SET LOCAL crm.owner_change_reason = '太忙了'")
        connection.execute("UPDATE customers SET owner_id = NULL WHERE id = %s", (customer,))
    with fleet.db.connect_as("rae") as connection:
        connection.execute(
            "UPDATE customers SET owner_id = crm_current_user_id() WHERE id = %s", (customer,)
        )
    rob.sync()  # an incremental pull: the customer left him, and its history with it
    assert customer not in rob.ids("customers") and history(rob, customer) == []
    rae.sync()  # a first sync brings it whole
    expected = [
        ("entered", "rob", None, "rob", None),
        ("released", "rob", "rob", None, "太忙了"),
        ("claimed", "rae", None, "rae", None),
    ]
    assert history(rae, customer) == expected
    with fleet.db.connect_as("rae") as connection:
        connection.execute("UPDATE customers SET owner_id = NULL WHERE id = %s", (customer,))
    rae.sync()  # incremental: it grew by one
    assert history(rae, customer) == [*expected, ("released", "rae", "rae", None, None)]
    mia.sync()
    assert len(history(mia, customer)) == 4


def test_the_device_that_made_a_customer_gets_its_history_too(fleet: Fleet) -> None:
    """Its own push is not pulled back, but the server wrote the customer's first line then."""
    rob = fleet.device("rob")
    rob.sync()
    customer = rob.writer.create("customers", {"name": "自己录入的客户"}).primary_id
    rob.sync()
    assert history(rob, customer) == [("entered", "rob", None, "rob", None)]
    rob.writer.update("customers", customer, {"phone": "13800138000"})
    rob.sync()  # an edit of his own adds no line, and loses none
    assert history(rob, customer) == [("entered", "rob", None, "rob", None)]
